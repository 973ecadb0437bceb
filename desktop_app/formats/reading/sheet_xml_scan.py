"""What a sheet holds, found in its XML bytes before any parser sees them: merged ranges,
formulas without a stored result, and how many rows and columns its cells can span.

Read in chunks without parsing: merged ranges sit after the cells, so only a pass over the
whole sheet finds them before its rows are interpreted. The span matters because the parser
lays a sheet out as one block of rows × columns: a single cell in column XFD of a small file
would make that block billions of cells, so it is measured (and refused) first.
"""

import re

from .limits import MAX_CELL_CHARS

_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>\s*[^<\s]")
_LAST_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d+)"')
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s/>]")
# A cell's reference, and a row's number. After a space only (a literal start is searched
# quickly): one after a line break goes uncounted, which only widens the bounds below.
_CELL_COLUMN = re.compile(rb' r="([A-Z]{1,3})\d')
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s/>]")
_ROW_NUMBER = re.compile(rb' r="\d')
_ROW_END = re.compile(rb"</(?:\w+:)?row>")
_CONTINUATION = bytes(range(0x80, 0xC0))  # UTF-8 bytes that do not start a character


def _column(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def _chars(data: bytes) -> int:
    return len(data.translate(None, _CONTINUATION))


def longest_text(data: bytes, stream=None) -> int:
    """The characters of the longest text in data (XML) over MAX_CELL_CHARS, else 0; one that runs
    on past data's end is measured to its end from stream (which is then read on).

    Only every half-limit of bytes is looked at: a text of MAX_CELL_CHARS bytes or more covers
    one of those points, so a 60 MB sheet costs a few thousand finds rather than a pass.
    """
    longest, at, step = 0, 0, MAX_CELL_CHARS // 2
    while at < len(data):
        before = data.rfind(b"<", 0, at + 1)
        close = data.find(b">", before, at) if before >= 0 else -1
        start = close + 1 if before >= 0 else 0
        end = data.find(b"<", at)
        stop = end if end >= 0 else len(data)
        if (before >= 0 and close < 0) or stop - start < MAX_CELL_CHARS:  # in a tag, or short
            at += step
            continue
        chars = _chars(data[start:stop])
        if end < 0 and stream is not None and chars > MAX_CELL_CHARS:
            while chunk := stream.read(SheetScan.CHUNK):
                stop = chunk.find(b"<")
                chars += _chars(chunk[:stop if stop >= 0 else len(chunk)])
                if stop >= 0:
                    break
        longest = max(longest, chars)
        at = max(stop, at + step)
    return longest if longest > MAX_CELL_CHARS else 0


def text_scan(stream) -> int:
    """longest_text of a whole XML part (sharedStrings.xml, document.xml), read in chunks."""
    carry, longest = b"", 0
    while chunk := stream.read(SheetScan.CHUNK):
        data = carry + chunk
        longest = max(longest, longest_text(data, stream))
        if longest:
            return longest
        at = data.rfind(b">")  # a text cut by the chunk's end is searched again whole
        carry = data[at:] if at >= 0 else b""
    return longest


def _tag_at(data: bytes, name: bytes) -> int:
    """Where the name of data's first tag <name…, </name… or <x:name… is, else -1. Its first
    letter is rare in sheet XML (text is UTF-8 Chinese or escaped; tags are c, row, is, t, v),
    so hopping from one to the next is far quicker than searching for the name: bytes.find of
    more than one byte compares nearly every byte of Chinese text."""
    at = data.find(name[:1])
    while at >= 0:
        if data.startswith(name, at) and data[at - 1:at] in (b"<", b"/", b":"):
            return at
        at = data.find(name[:1], at + 1)
    return -1


class SheetScan:
    """Merged ranges, formula cells without a stored result, and the rows and columns a sheet's
    cells can span, from its XML read in chunks (a sheet of inline strings can be 60 MB)."""

    CHUNK = 1 << 20

    def __init__(self):
        self.merges: list[tuple[int, int, int, int]] = []
        self.formulas: set[tuple[int, int]] = set()
        self.has_formulas = False
        self.last_row = 0  # the highest row number a row states
        self.longest_text = 0  # characters of the longest text past MAX_CELL_CHARS, else 0
        self._column = 0  # the highest column a cell's reference names
        self._rows = self._numbered_rows = 0  # row elements; those that state their number
        # A cell may leave out its reference (it then follows the cell before it): only then
        # are the cells of each row counted, the one way to bound such a sheet's width.
        self._unnamed_cells = False
        self._row_cells = self._widest_row = 0

    @property
    def height(self) -> int:
        """The most rows the cells can span (rows without a number follow the one before)."""
        return self.last_row + (self._rows if self._numbered_rows < self._rows else 0)

    @property
    def width(self) -> int:
        """The most columns the cells can span."""
        return self._column + (self._widest_row if self._unnamed_cells else 0)

    def read(self, stream) -> None:
        carry = b""
        while True:
            chunk = stream.read(self.CHUNK)
            data = carry + chunk
            done = self._scan(data, final=not chunk)
            self.longest_text = longest_text(data, stream)
            if self.longest_text:
                return  # refused: the rest need not be read
            carry = data[done:]
            if not chunk:
                return

    def _scan(self, data: bytes, final: bool) -> int:
        """Scan the complete elements of data; returns where the incomplete rest begins."""
        end = len(data) if final else data.rfind(b"<")
        if end <= 0:
            return 0
        # "f>" ends <f>…</f> (and <x:f>): one quick look per chunk. A shared formula's
        # self-closing <f …/> cells come after their first cell's <f …>…</f>, so once a formula
        # has been seen every later chunk is searched in full.
        if self.has_formulas or _tag_at(data, b"f>") >= 0:
            self.has_formulas = True
            for m in _FORMULA.finditer(data, 0, end):
                start = max(data.rfind(b"<c ", 0, m.start()), data.rfind(b":c ", 0, m.start()))
                cell_end = data.find(b"c>", m.end())
                if cell_end < 0 or cell_end >= end:
                    if not final:
                        end = max(start, 0)  # the cell goes on in the next chunk: scan it there
                        break
                    cell_end = len(data)
                ref = _CELL_REF.search(data, start, m.start()) if start >= 0 else None
                if ref and not _VALUE.search(data, m.start(), cell_end):
                    self.formulas.add((int(ref.group(2)), _column(ref.group(1))))
        merges = _tag_at(data, b"mergeCell")
        if merges >= 0:  # searched from the first tag on, not through a whole sheet's cells
            for m in _MERGE.finditer(data, data.rfind(b"<", 0, merges), end):
                self.merges.append((int(m.group(2)), _column(m.group(1)),
                                    int(m.group(4)), _column(m.group(3))))
        self._measure(data, end)
        last = data.rfind(b"<row ", 0, end)
        last = max(last, data.rfind(b":row ", max(last, 0), end))  # <x:row: only past the last <row
        if last >= 0:
            m = _LAST_ROW.match(data, data.rfind(b"<", 0, last + 1), end)
            if m:
                self.last_row = max(self.last_row, int(m.group(1)))
        return end

    def _measure(self, data: bytes, end: int) -> None:
        cells = len(_CELL_TAG.findall(data, 0, end))
        columns = _CELL_COLUMN.findall(data, 0, end)
        if columns:
            letters = max(map(len, columns))  # AA comes after Z: compare names of one length
            widest = max(columns) if letters == 1 else max(c for c in columns if len(c) == letters)
            self._column = max(self._column, _column(widest))
        self._rows += len(_ROW_TAG.findall(data, 0, end))
        self._numbered_rows += len(_ROW_NUMBER.findall(data, 0, end))
        if self._unnamed_cells or cells > len(columns):
            self._unnamed_cells = True
            at = 0
            for m in _ROW_END.finditer(data, 0, end):  # a row may run on into the next chunk
                self._row_cells += len(_CELL_TAG.findall(data, at, m.start()))
                self._widest_row = max(self._widest_row, self._row_cells)
                self._row_cells, at = 0, m.end()
            self._row_cells += len(_CELL_TAG.findall(data, at, end))
            self._widest_row = max(self._widest_row, self._row_cells)
