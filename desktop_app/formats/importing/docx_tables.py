"""A Word document's tables as worksheets, so a plan whose 任务清单 is a table imports like a workbook.

Word merges cells as Excel does (one 责任单位 over several rows, a category row across the
table). The grid is built here in one pass over the rows, each position given the <w:tc> that
covers it, so a merged range is the block of positions sharing one: python-docx's row.cells
walks every vertically merged cell up to its first row again (recursively: a long merge takes
minutes, then overflows the stack).
"""

from docx.table import _Cell

from ..reading.workbook_source import Sheet


def table_sheets(document) -> list[Sheet]:
    """One Sheet per table of the python-docx document, named 表格1, 表格2 …"""
    return [_sheet(f"表格{n}", table) for n, table in enumerate(document.tables, start=1)]


def _sheet(name: str, table) -> Sheet:
    grid = _grid(table)
    texts = {id(tc): _Cell(tc, table).text for row in grid for tc in row}
    values = [[texts[id(tc)] for tc in row] for row in grid]
    return Sheet(name, len(values), _merges(grid), lambda: iter(tuple(v) for v in values))


def _grid(table) -> list[list]:
    """Each row's grid positions, each the <w:tc> element covering it (a vertically merged cell
    continues the one at the same position in the row above)."""
    grid, above = [], []
    for tr in table._tbl.tr_lst:
        row = [None] * tr.grid_before  # positions a row leaves out before its first cell
        for tc in tr.tc_lst:
            at, span = len(row), tc.grid_span
            if tc.vMerge == "continue" and at < len(above) and above[at] is not None:
                tc = above[at]
            row.extend([tc] * span)
        grid.append(row)
        above = row
    return [[tc for tc in row if tc is not None] for row in grid]


def _merges(grid: list[list]) -> list[tuple[int, int, int, int]]:
    """(min_row, min_col, max_row, max_col), 1-based, of every cell covering more than one position."""
    spans: dict[int, list[int]] = {}  # id of the cell's XML element → [min_row, min_col, max_row, max_col]
    for r, row in enumerate(grid, start=1):
        for c, tc in enumerate(row, start=1):
            key = id(tc)
            span = spans.setdefault(key, [r, c, r, c])
            span[2], span[3] = max(span[2], r), max(span[3], c)
    return [tuple(s) for s in spans.values() if (s[0], s[1]) != (s[2], s[3])]
