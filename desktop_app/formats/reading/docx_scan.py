"""What a Word document asks python-docx to build, counted in its document.xml bytes before it is parsed.

python-docx gives every grid position of a table the cell covering it, walking a vertically
merged cell up to its first row: a 1 KB file with gridSpan="50000000" or ten thousand vMerge
cells would run for minutes and take gigabytes.
"""

import re

from . import limits
from .sheet_xml_scan import SheetScan, longest_text

_GRID_SPAN = re.compile(rb'<w:gridSpan\b[^>]*?\bw:val="(\d+)"')


class DocumentScan:
    """Paragraphs, table rows, vertical merges, the widest span and the longest text."""

    def __init__(self):
        self.paragraphs = self.table_rows = self.vertical_merges = self.widest_span = 0
        self.longest_text = 0

    def read(self, stream) -> "DocumentScan":
        carry = b""
        while chunk := stream.read(SheetScan.CHUNK):
            data = carry + chunk
            end = data.rfind(b"<")  # the element cut by the chunk's end is counted next time
            self._count(data, end)
            self.longest_text = longest_text(data, stream)
            if self.longest_text:
                return self
            carry = data[end:]
        self._count(carry, len(carry))
        return self

    def _count(self, data: bytes, end: int) -> None:
        self.paragraphs += data.count(b"<w:p>", 0, end) + data.count(b"<w:p ", 0, end)
        self.table_rows += data.count(b"<w:tr>", 0, end) + data.count(b"<w:tr ", 0, end)
        self.vertical_merges += data.count(b"<w:vMerge", 0, end)
        for m in _GRID_SPAN.finditer(data, 0, end):
            self.widest_span = max(self.widest_span, int(m.group(1)))

    def check(self, path) -> None:
        limits.check(path, "最长的一段文字的字数", self.longest_text, limits.MAX_CELL_CHARS)
        limits.check(path, "段落数", self.paragraphs, limits.MAX_PARAGRAPHS)
        limits.check(path, "表格的总行数", self.table_rows, limits.MAX_TABLE_ROWS)
        limits.check(path, "表格里一个单元格横跨的列数", self.widest_span, limits.MAX_COLUMNS)
        limits.check(path, "表格里上下合并的单元格个数", self.vertical_merges,
                     limits.MAX_VERTICAL_MERGES)
