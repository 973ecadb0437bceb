"""The kinds of sheet in an exported workbook: the 整改任务清单 of one inspection (or of one org's
inspections, in a merged ledger), 统计, and a merged ledger's 汇总 by org.

Sheets are write-only (streamed row by row): everything about a row (its height, a merge, a
page break) is decided before it is appended, and page setup before the first row.
"""

from openpyxl.compat import safe_string
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.pagebreak import RowBreak
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import Element, SubElement, xmlfile

from .ledger_sheet import COLUMNS, STATUSES, Section, SheetContent, cell_values, status_counts
from .pagination import Pages
from .text_fit import (LINE_PT, MAX_ROW_LINES, NOT_XML, ROW_PADDING_PT, row_height,
                       split_over_rows, text_height, wrapped_lines)
from .xlsx_layout import (EXCEL_CELL_LIMIT, FONT_SCALE, LINE_PT_BY_STYLE, Styles, page_body_pt,
                          print_scale, setup_page)

_TRUNCATED = "……（以下内容超出 Excel 单元格字数上限，未能导出）"

def _escaped(text: str) -> str:
    """Text as libxml2 escapes it (xmlEscapeContent); the quotes stay as they are."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", "&#13;"))


def _row_xml(cells: list, r: str, height: float | None) -> bytes:
    """One <row> (r its number, with a custom height unless None) of cells (value, style index
    or None, cell type) or None, byte for byte as openpyxl 3.1's write-only sheet writes Cells
    through lxml (WorksheetWriter.write_row, lxml_write_cell: ASCII, the rest as &#…;), made as
    one string instead of element by element in lxml: that spares half a second of the 2.8 s
    a 10,000-problem export took."""
    parts = [f'<row r="{r}">' if height is None else
             f'<row r="{r}" ht="{height}" customHeight="1">']
    for column, cell in enumerate(cells, start=1):
        if cell is None:
            continue
        value, style, kind = cell
        head = (f'<c r="{get_column_letter(column)}{r}" t="{kind}">' if style is None else
                f'<c r="{get_column_letter(column)}{r}" s="{style}" t="{kind}">')
        if value is None or value == "":
            parts.append(head + "</c>")
        elif kind == "n":
            parts.append(f"{head}<v>{safe_string(value)}</v></c>")
        elif value != value.strip():  # lxml_write_cell's Element("t") keeps the edge spaces
            parts.append(f'{head}<is><t xml:space="preserve">{_escaped(value)}</t></is></c>')
        else:
            parts.append(f"{head}<is><t>{_escaped(value)}</t></is></c>")
    parts.append("</row>")
    xml = "".join(parts)
    if NOT_XML.search(xml):  # as lxml refuses it
        raise ValueError("All strings must be XML compatible: Unicode or ASCII, no NULL bytes or "
                         "control characters")
    return xml.encode("ascii", "xmlcharrefreplace")


class _SheetWriter(WorksheetWriter):
    """openpyxl's writer of a write-only sheet, its lxml stream going into a file held here, so
    that the rows (_row_xml) can be written to that file between the parts lxml writes."""

    def get_stream(self):  # WorksheetWriter.get_stream, into self.file instead of the path
        with open(self.out, "wb") as self.file, xmlfile(self.file) as xf:
            with xf.element("worksheet", xmlns=SHEET_MAIN_NS):
                try:
                    while True:
                        el = (yield)
                        if el is True:
                            yield xf
                        elif el is not None:
                            xf.write(el)
                except GeneratorExit:
                    pass


def _sheet_data(ws):
    """WriteOnlyWorksheet._write_rows, each row sent as (cells, r, height) for _row_xml."""
    writer = ws._writer = _SheetWriter(ws)  # WriteOnlyWorksheet._get_writer, with ours
    writer.write_top()  # the sheet's top: page setup and columns are set by now
    xf = writer.xf.send(True)
    write = writer.file.write
    with xf.element("sheetData"):
        xf.flush()  # <sheetData> is in the file: the rows follow it there
        try:
            while True:
                write(_row_xml(*(yield)))
        except GeneratorExit:
            pass
    writer.xf.send(None)


def _open_sheet_data(ws):
    """The row stream of an empty write-only sheet (no row appended, nothing written yet)."""
    stream = ws._rows = _sheet_data(ws)  # ws.close() ends it as it ends openpyxl's own
    next(stream)
    return stream


def write_values(ws, rows) -> None:
    """Rows of text and numbers (None: no cell) into an empty write-only sheet, unstyled, as
    ws.append writes them, except that text is never taken for a formula: at SheetRows' speed
    (the identity sheet of a big export has 10,000 rows)."""
    stream = _open_sheet_data(ws)
    for index, values in enumerate(rows, start=1):
        stream.send(([None if v is None else (v, None, "inlineStr" if isinstance(v, str) else "n")
                      for v in values], str(index), None))


class _PageBreaks(RowBreak):
    """A sheet's manual page breaks, after the given rows, written as openpyxl writes a RowBreak
    of Breaks, without a validated Break per row and its generic serialiser: a big export has
    one every two or three rows (16,000 in 10,000 problems)."""

    def __init__(self, rows: list[int]):
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        return bool(self.rows)

    def to_tree(self, tagname=None, idx=None, namespace=None):
        count = str(len(self.rows))
        tree = Element("rowBreaks", {"count": count, "manualBreakCount": count})
        for row in self.rows:
            SubElement(tree, "brk", {"id": str(row), "min": "0", "max": "16383", "man": "1"})
        return tree


class SheetRows:
    """Appends rows to a write-only sheet, keeping count and setting each row's height first."""

    def __init__(self, ws, widths: list[float]):
        self.ws, self.widths = ws, widths
        self.styles = Styles(ws)
        self._stream = None  # the <sheetData> stream, from the first row on
        self.row = 0
        self.last_column = get_column_letter(len(widths))
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width

    def append(self, cells: list, height: float) -> float:
        self.row += 1
        height = round(height, 1)
        if self._stream is None:
            self._stream = _open_sheet_data(self.ws)
        self._stream.send((cells, str(self.row), height))
        return height

    def break_pages(self, pages) -> None:
        """Close the page estimate (pagination.Pages) and make its page breaks the sheet's."""
        pages.finish()
        # Not RowBreak.append: it re-validates every break already there, which made a big
        # export quadratic (16,000 breaks in 10,000 problems: three quarters of its time).
        self.ws.row_breaks = _PageBreaks(pages.breaks)

    def merged(self, text: str, style: str, bordered: bool, height: float) -> float:
        """One cell across all columns (its neighbours styled too, so the borders run along)."""
        rest = [self.styles.cell(None, style) if bordered else None for _ in self.widths[1:]]
        if rest:
            self.ws.merged_cells.add(f"A{self.row + 1}:{self.last_column}{self.row + 1}")
        return self.append([self.styles.cell(text, style)] + rest, height)


class LedgerSheetWriter(SheetRows):
    """Writes one inspection's 整改任务清单 into an empty write-only worksheet."""

    def __init__(self, ws, columns: list[str], widths: dict[str, float], paper: str,
                 warnings: list[str]):
        super().__init__(ws, [widths[key] for key in columns])
        self.columns, self.paper, self.warnings = list(columns), paper, warnings
        self.number_at = columns.index("number") if "number" in columns else None
        self.cell_styles = ["number" if key == "number" else "text" for key in self.columns]
        self.pages: Pages | None = None
        self.spans: list[tuple[int, int, int]] = []  # (first row, last row, problem id)

    def _heading(self, text: str, style: str) -> float:
        line = LINE_PT_BY_STYLE.get(style, LINE_PT)
        height = text_height(text, sum(self.widths) / FONT_SCALE[style], line)
        return self.merged(text, style, style not in ("title", "title16", "title14", "summary"),
                           min(height, 409))

    def _title_style(self, title: str) -> str:
        """18 pt, or smaller where that keeps a long title on one line (as a clerk would)."""
        for style in ("title", "title16", "title14"):
            if wrapped_lines(title, sum(self.widths) / FONT_SCALE[style]) == 1:
                return style
        return "title"

    def write_top(self, title: str, summary: str) -> None:
        """Title, summary and the header row (frozen on screen, repeated on every printed page)."""
        header_row = 3 if summary else 2
        setup_page(self.ws, self.paper, landscape=True, title_rows=f"{header_row}:{header_row}",
                   freeze=f"A{header_row + 1}")
        top_pt = self._heading(title, self._title_style(title))
        if summary:
            top_pt += self._heading(summary, "summary")
        headers = [COLUMNS[key][0] for key in self.columns]
        height = max(text_height(h, w / FONT_SCALE["header"], LINE_PT_BY_STYLE["header"])
                     for h, w in zip(headers, self.widths))
        header_pt = self.append([self.styles.cell(h, "header") for h in headers], max(height, 24.0))
        scale = print_scale(self.widths, self.paper)
        self.pages = Pages(page_body_pt(self.paper, scale), header_pt, top_pt + header_pt)

    def write_inspection_heading(self, text: str) -> None:
        """A merged ledger's org sheet holds several inspections: each opens with its name."""
        self.pages.heading(self.row + 1, self._heading(text, "category"))

    def write_body(self, content: SheetContent, every: int, closes_sheet: bool = True):
        """Write every section and problem; yields how many problems were written, now and then.
        closes_sheet: nothing follows on this sheet (the page estimate ends, the last row closes)."""
        pending = 0
        last = content.problem_count if closes_sheet else -1
        for section in content.sections:
            for heading, problems in self._parts(section):
                style = "category" if heading is section else "subcategory"
                self.pages.heading(self.row + 1, self._heading(heading.label + heading.title, style))
                for problem in problems:
                    number = content.numbers[problem.id]
                    self._problem(problem, number, content, closes_sheet=number == last)
                    pending += 1
                    if pending == every:
                        yield pending
                        pending = 0
        if closes_sheet:
            self.break_pages(self.pages)
        yield pending

    @staticmethod
    def _parts(section: Section):
        yield section, section.problems
        for child in section.children:
            yield child, child.problems

    def _problem(self, problem, number: int, content: SheetContent, closes_sheet: bool) -> None:
        first = self.row + 1
        self._problem_rows(problem, number, content, closes_sheet)
        self.spans.append((first, self.row, problem.id))

    def _problem_rows(self, problem, number: int, content: SheetContent, closes_sheet: bool) -> None:
        values = cell_values(problem, number, self.columns, content.progress)
        column_lines = [1] * len(values)
        for index, (key, value) in enumerate(zip(self.columns, values)):
            if key == "number":
                continue
            if len(value) > EXCEL_CELL_LIMIT:
                value = values[index] = self._truncated(value, key, number, problem.row["code"])
            if value:
                column_lines[index] = wrapped_lines(value, self.widths[index])
        lines = max(column_lines)
        if lines <= MAX_ROW_LINES:
            cell = self.styles.cell
            cells = [cell(v, style) for v, style in zip(values, self.cell_styles)]
            self.pages.add_after_headings(self.append(cells, row_height(lines)), self.row)
            return
        # Too tall for one row (Excel's 409 pt): the text runs on in the rows below, with no line
        # between them, cut where the printed pages end. Each row keeps the 序号, so that a page
        # never starts with an unnumbered row and filtering by 序号 keeps all of the problem.
        texts = ["" if key == "number" else value for key, value in zip(self.columns, values)]
        rows, row_lines = split_over_rows(texts, self.widths, self.pages.plan_parts(lines),
                                          column_lines)
        for offset, (texts, lines) in enumerate(zip(rows, row_lines)):
            if self.number_at is not None:
                texts[self.number_at] = number
            edge = ("first" if offset == 0 else
                    "last" if closes_sheet and offset == len(rows) - 1 else "middle")
            height = self.append(self._continued_cells(texts, edge), row_height(lines))
            (self.pages.add if offset else self.pages.add_after_headings)(height, self.row)

    def _continued_cells(self, values: list, edge: str) -> list:
        """The cells of one row of a tall problem. A "middle" row leaves an empty cell out where a
        neighbour already draws the vertical line: there are many such rows in a big ledger."""
        styles, cell = self.cell_styles, self.styles.cell
        cells = [cell(v, s, edge) if v else None for v, s in zip(values, styles)]
        middle = edge == "middle"
        for index, found in enumerate(cells):
            if found is None and (not middle or index == 0 or cells[index - 1] is None):
                cells[index] = cell(None, styles[index], edge)
        if cells[-1] is None:  # the table's right-hand edge
            cells[-1] = cell(None, styles[-1], edge)
        return cells

    def _truncated(self, value: str, key: str, number: int, code: str) -> str:
        which = f"第{number}项" + (f"（{code}）" if code else "")
        self.warnings.append(
            f"“{self.ws.title}”{which}的“{COLUMNS[key][0]}”有{len(value)}字，超过 Excel 单元格"
            f"最多 {EXCEL_CELL_LIMIT} 字的限制，导出时只保留了前面部分；完整内容请在本软件中查看。")
        return value[:EXCEL_CELL_LIMIT - len(_TRUNCATED)] + _TRUNCATED


_STAT_WIDTHS = [46, 9] + [9] * len(STATUSES)


def write_statistics(ws, contents: list[SheetContent], sheet_names: list[str], paper: str) -> None:
    """统计: for each exported inspection, problems per category and per status, with totals."""
    setup_page(ws, paper, landscape=False, title_rows=None, freeze=None)
    rows = SheetRows(ws, _STAT_WIDTHS)
    cell = rows.styles.cell

    def counts(label: str, style: str, problems: list) -> None:
        values = [len(problems), *status_counts(problems)]
        rows.append([cell(label, style)] + [cell(v, "count") for v in values],
                    text_height(label, _STAT_WIDTHS[0]))

    rows.merged("整改任务统计", "title", False, LINE_PT_BY_STYLE["title"] + ROW_PADDING_PT)
    for content, sheet in zip(contents, sheet_names):
        rows.append([], LINE_PT)
        name = f"{content.inspection['name']}（{content.summary}，见“{sheet}”表）"
        # a long batch name wraps in its row instead of being cut at the table's edge
        rows.merged(name, "category", True, text_height(
            name, sum(_STAT_WIDTHS) / FONT_SCALE["category"], LINE_PT_BY_STYLE["category"]))
        rows.append([cell(h, "header") for h in ["类别", "问题数", *STATUSES]], 24)
        for section in content.sections:
            counts(section.label + section.title, "text", section.all_problems())
        counts("合计", "subcategory",
               [p for section in content.sections for p in section.all_problems()])


def write_org_summary(ws, groups: list[tuple[str, list[SheetContent]]], sheet_names: list[str],
                      paper: str) -> None:
    """汇总: a merged (county) ledger's problems per 乡镇/单位 and per status, with a total row."""
    widths = [30, 9, 9] + [9] * len(STATUSES) + [24]
    setup_page(ws, paper, landscape=False, title_rows="3:3", freeze="A4")
    rows = SheetRows(ws, widths)
    cell = rows.styles.cell
    rows.merged("各乡镇/单位整改情况汇总", "title", False, LINE_PT_BY_STYLE["title"] + ROW_PADDING_PT)
    rows.append([], LINE_PT)
    rows.append([cell(h, "header") for h in ["乡镇/单位", "督察批次", "问题数", *STATUSES, "明细"]], 24)
    every = []
    for (org, contents), sheet in zip(groups, sheet_names):
        problems = [p for c in contents for section in c.sections for p in section.all_problems()]
        every.extend(problems)
        rows.append([cell(org or "（未填写单位）", "text"), cell(len(contents), "count"),
                     cell(len(problems), "count"), *[cell(v, "count") for v in status_counts(problems)],
                     cell(f"见“{sheet}”表", "text")], text_height(org, widths[0]))
    rows.append([cell("合计", "subcategory"), cell(sum(len(c) for _, c in groups), "count"),
                 cell(len(every), "count"), *[cell(v, "count") for v in status_counts(every)],
                 cell(None, "text")], LINE_PT + ROW_PADDING_PT)
