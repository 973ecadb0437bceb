"""What read-only openpyxl does not give: a sheet's merged ranges and formulas without a stored result.

Found in the sheet's XML bytes, read in chunks without parsing them: merged ranges sit after
the cells, so only a pass over the whole sheet finds them before its rows are interpreted.
"""

import re

from .limits import MAX_CELL_CHARS

_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>\s*[^<\s]")
_LAST_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d+)"')
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
    """Merged ranges, formula cells without a stored result, and the row count of a sheet's XML,
    read in chunks (a sheet of inline strings can be 60 MB) without parsing it."""

    CHUNK = 1 << 20

    def __init__(self, count_rows: bool = True):
        self.merges: list[tuple[int, int, int, int]] = []
        self.formulas: set[tuple[int, int]] = set()
        self.rows = 0
        self.count_rows = count_rows  # only when the sheet does not state its size
        self.has_formulas = False
        self.last_row = 0  # the highest row number, what openpyxl yields rows up to
        self.longest_text = 0  # characters of the longest text past MAX_CELL_CHARS, else 0

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

    def read_bytes(self, xml: bytes) -> None:
        """read, of a sheet's XML already in memory."""
        self._scan(xml, final=True)
        self.longest_text = longest_text(xml)

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
        if self.count_rows:
            self.rows += data.count(b"<row ", 0, end)
        last = data.rfind(b"<row ", 0, end)
        last = max(last, data.rfind(b":row ", max(last, 0), end))  # <x:row: only past the last <row
        if last >= 0:
            m = _LAST_ROW.match(data, data.rfind(b"<", 0, last + 1), end)
            if m:
                self.last_row = max(self.last_row, int(m.group(1)))
        return end
