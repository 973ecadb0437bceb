"""What read-only openpyxl does not give: a sheet's merged ranges and formulas without a stored result.

Found in the sheet's XML bytes, read in chunks without parsing them: merged ranges sit after
the cells, so only a pass over the whole sheet finds them before its rows are interpreted.
"""

import re

_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>\s*[^<\s]")


def _column(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def _formula_tag_in(data: bytes) -> bool:
    """Whether data holds an <f>…</f> element. "f" is rare in sheet XML (text is UTF-8 Chinese
    or escaped), so hopping from one to the next is far quicker than searching for "f>"."""
    at = data.find(b"f")
    while at >= 0:
        if data[at + 1:at + 2] == b">" and data[at - 1:at] in (b"<", b"/", b":"):
            return True
        at = data.find(b"f", at + 1)
    return False


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

    def read(self, stream) -> None:
        carry = b""
        while True:
            chunk = stream.read(self.CHUNK)
            data = carry + chunk
            done = self._scan(data, final=not chunk)
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
        if self.has_formulas or _formula_tag_in(data):
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
        if b"mergeCell" in data:
            for m in _MERGE.finditer(data, 0, end):
                self.merges.append((int(m.group(2)), _column(m.group(1)),
                                    int(m.group(4)), _column(m.group(3))))
        if self.count_rows:
            self.rows += data.count(b"<row ", 0, end)
        return end
