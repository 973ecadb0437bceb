"""A Word document's tables as worksheets, so a plan whose 任务清单 is a table imports like a workbook.

Word merges cells as Excel does (one 责任单位 over several rows, a category row across the
table); python-docx hands every grid position the cell that covers it, so a merged range is
the block of positions sharing one cell.
"""

from .workbook_source import Sheet


def table_sheets(document) -> list[Sheet]:
    """One Sheet per table of the python-docx document, named 表格1, 表格2 …"""
    return [_sheet(f"表格{n}", table) for n, table in enumerate(document.tables, start=1)]


def _sheet(name: str, table) -> Sheet:
    grid = [[cell for cell in row.cells] for row in table.rows]
    values = [[cell.text for cell in row] for row in grid]
    return Sheet(name, len(values), _merges(grid), lambda: iter(tuple(v) for v in values))


def _merges(grid: list[list]) -> list[tuple[int, int, int, int]]:
    """(min_row, min_col, max_row, max_col), 1-based, of every cell covering more than one position."""
    spans: dict[int, list[int]] = {}  # id of the cell's XML element → [min_row, min_col, max_row, max_col]
    for r, row in enumerate(grid, start=1):
        for c, cell in enumerate(row, start=1):
            key = id(cell._tc)
            span = spans.setdefault(key, [r, c, r, c])
            span[2], span[3] = max(span[2], r), max(span[3], c)
    return [tuple(s) for s in spans.values() if (s[0], s[1]) != (s[2], s[3])]
