"""The 月调度表 printed: landscape A4, the workbook's content as ruled tables, 第 N 页 共 M 页.

Rows are laid out in lines first and put on pages (a heading and a table's header row stay with
the row after them; a tall problem is split between lines rather than leaving half a page
empty; the problem list's header row is repeated on every page it runs over), then painted, so
that every page knows how many there are.
"""

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (QColor, QFont, QFontMetricsF, QPagedPaintDevice, QPainter, QPen,
                           QTextLayout, QTextLine)

from ...formats.exporting.monthly_content import (CATEGORY_HEADER, CENTRED_COLUMNS, LABEL_COLUMNS,
                                                  ORG_HEADER, PROBLEM_COLUMNS, PROBLEM_HEADER,
                                                  TERM_HEADER, MonthlyReport)
from ..signoff.form_print import text_layout as text_lines
from ..print_support import (BODY_FAMILIES, HEADING_FAMILIES, PAGE_NUMBER_FAMILIES, Geometry,
                            make_font, paint_document, preview_dialog, title_font, translate, write_pdf)

# Landscape A4: 2.5 cm binding edge on the left, as the workbook's page setup.
TOP_MM, LEFT_MM, WIDTH_MM, HEIGHT_MM = 18.0, 25.0, 257.0, 172.0
FOOTER_GAP_MM = 6.0
TITLE_PT, BODY_PT, LEADING, PADDING_MM, RULE_PT = 16.0, 10.0, 1.35, 1.2, 0.5
MIN_LINES = 3  # fewer lines of a tall row than this at the foot of a page: it starts on the next
_HEADER_FILL, _SECTION_FILL = QColor("#d9d9d9"), QColor("#f2f2f2")


@dataclass
class _Cell:
    x: float
    width: float
    layout: QTextLayout
    lines: list[QTextLine]
    centred: bool  # vertically, in the row (or in the first piece of a row split over pages)


@dataclass(eq=False)
class _Row:
    cells: list[_Cell]
    leading: float
    pad: float
    fill: QColor | None = None
    ruled: bool = True
    keep_with_next: bool = False

    @property
    def lines(self) -> int:
        return max(len(c.lines) for c in self.cells)

    def height(self, lines: int | None = None) -> float:
        return (self.lines if lines is None else lines) * self.leading + 2 * self.pad


class _Builder:
    """Turns the report into rows of laid-out lines for one device."""

    def __init__(self, device, page: Geometry):
        self.device, self.page = device, page
        self.pad = page.mm(PADDING_MM)
        self.body = make_font(BODY_FAMILIES, BODY_PT)
        self.bold = make_font(HEADING_FAMILIES, BODY_PT)
        units = [width for _, _, width in PROBLEM_COLUMNS]
        scale = page.width / sum(units)
        self.edges = [sum(units[:i]) * scale for i in range(len(units) + 1)]
        self.rows: list[_Row] = []

    def add(self, cells: list[tuple], font: QFont, points: float = BODY_PT, **row) -> _Row:
        """cells: (x, width, text, centred); the row's lines are laid out now."""
        leading = self.page.pt(points * LEADING)
        laid = []
        for x, width, text, centred in cells:
            layout, lines = text_lines(text, font, self.device, width - 2 * self.pad, leading,
                                       Qt.AlignHCenter if centred else Qt.AlignLeft)
            laid.append(_Cell(x, width, layout, lines, centred))
        added = _Row(laid, leading, self.pad, **row)
        self.rows.append(added)
        return added

    def across(self, text: str, font: QFont | None = None, **row) -> _Row:
        return self.add([(0, self.page.width, text, False)], font or self.body, **row)

    def columns(self, values: list, first: int = 0, header: bool = False, centred=None) -> _Row:
        """values[0] across the columns up to `first`, the rest one column each."""
        edges = [0.0] + self.edges[first:] if first else self.edges
        cells = [(edges[i], edges[i + 1] - edges[i], "" if v is None else str(v),
                  header or (centred(i) if centred else i > 0)) for i, v in enumerate(values)]
        return self.add(cells, self.bold if header else self.body,
                        fill=_HEADER_FILL if header else None, keep_with_next=header)


def _rows(report: MonthlyReport, device, page: Geometry) -> tuple[list[_Row], _Row]:
    """The report's rows, and the problem list's header row (repeated on later pages)."""
    b = _Builder(device, page)
    b.add([(0, page.width, report.title, True)], title_font(TITLE_PT), TITLE_PT * 1.3, ruled=False)
    if report.filing:
        b.across(report.filing, ruled=False)
    b.across("　　" + report.summary)
    numbers = iter("一二三四五")

    def section(text: str) -> None:
        b.across(text, b.bold, fill=_SECTION_FILL, keep_with_next=True)

    section(f"{next(numbers)}、按整改类型和整改状态统计")
    b.columns(list(TERM_HEADER), LABEL_COLUMNS, header=True)
    for row in report.terms:
        b.columns(row, LABEL_COLUMNS)
    p = report.petitions
    if p.received:
        section(f"{next(numbers)}、信访件办理情况")
        b.across(f"交办信访件{p.received}件，已办结{p.concluded}件，已销号{p.signed_off}件。")
    section(f"{next(numbers)}、按大类统计")
    b.columns(list(CATEGORY_HEADER), LABEL_COLUMNS, header=True)
    for group in report.categories:
        if group.heading:
            b.across(group.heading, b.bold, keep_with_next=True)
        for row in group.rows:
            b.columns(row, LABEL_COLUMNS)
    if report.orgs:
        section(f"{next(numbers)}、按乡镇/单位统计")
        b.columns(list(ORG_HEADER), LABEL_COLUMNS, header=True)
        for row in report.orgs:
            b.columns(row, LABEL_COLUMNS)
    section(f"{next(numbers)}、未完成问题整改进展（{report.unfinished}项）")
    header = b.columns(list(PROBLEM_HEADER), header=True)
    if not report.unfinished:
        b.across(translate("monthly_report_print", "截至统计日期，全部问题均已完成整改。"))
    centred = {i for i, (key, _, _) in enumerate(PROBLEM_COLUMNS) if key in CENTRED_COLUMNS}
    for group in report.problems:
        if group.heading:
            b.across(group.heading, b.bold, keep_with_next=True)
        for problem in group.rows:
            b.columns(problem.cells(), centred=centred.__contains__)
    return b.rows, header


def _paginate(rows: list[_Row], header: _Row, page: Geometry) -> list[list[tuple[_Row, int, int]]]:
    """Pieces (row, first line, lines) on pages. Rows kept with the next move with it; a tall
    row that does not fit is split between lines, the rest under the repeated header row."""
    pages: list[list] = [[]]
    used, repeat = 0.0, False

    def put(row: _Row, start: int, count: int) -> None:
        nonlocal used, repeat
        pages[-1].append((row, start, count))
        used += row.height(count)
        repeat = repeat or row is header

    def new_page() -> None:
        nonlocal used
        pages.append([])
        used = 0.0
        if repeat:
            put(header, 0, header.lines)

    index = 0
    while index < len(rows):
        end = index
        while end < len(rows) - 1 and rows[end].keep_with_next:
            end += 1
        block, last = rows[index:end + 1], rows[end]
        bare = used <= (header.height() if repeat else 0.0) + 0.5  # nothing of its own yet
        room = page.height - used - sum(r.height() for r in block[:-1])
        fits = int((room - 2 * last.pad) // last.leading)
        if last.height() <= room:
            for row in block:
                put(row, 0, row.lines)
        elif not bare and (fits < MIN_LINES or last.height() < page.height / 4):
            new_page()
            continue
        else:
            for row in block[:-1]:
                put(row, 0, row.lines)
            start = 0
            while True:
                fits = max(1, int((page.height - used - 2 * last.pad) // last.leading))
                if last.lines - start <= fits:
                    put(last, start, last.lines - start)
                    break
                put(last, start, fits)
                start += fits
                new_page()
        index = end + 1
    return pages


def _paint_piece(painter: QPainter, piece: tuple[_Row, int, int], top: float, page: Geometry) -> float:
    """Rule and fill one piece of a row and draw its lines; returns its height."""
    row, start, count = piece
    height = row.height(count)
    for cell in row.cells:
        rect = QRectF(page.left + cell.x, top, cell.width, height)
        if row.fill is not None:
            painter.fillRect(rect, row.fill)
        if row.ruled:
            painter.setPen(QPen(Qt.black, page.pt(RULE_PT)))
            painter.drawRect(rect)
        shown = cell.lines[start:start + count]
        offset = (height - len(shown) * row.leading) / 2 if cell.centred else row.pad
        for number, line in enumerate(shown):
            line.draw(painter, QPointF(page.left + cell.x + row.pad,
                                       top + offset + number * row.leading - line.position().y()))
    return height


def render_monthly_report(report: MonthlyReport, printer: QPagedPaintDevice) -> int:
    """Paint the report on a printer or PDF writer; returns the page count."""
    def paint_all(painter: QPainter) -> int:
        page = Geometry(printer, TOP_MM, LEFT_MM, WIDTH_MM, HEIGHT_MM)
        rows, header = _rows(report, printer, page)
        pages = _paginate(rows, header, page)
        footer = make_font(PAGE_NUMBER_FAMILIES, 10.5)
        for number, pieces in enumerate(pages, start=1):
            if number > 1:
                printer.newPage()
            top = page.top
            for piece in pieces:
                top += _paint_piece(painter, piece, top, page)
            painter.setFont(footer)
            text = translate("monthly_report_print", "第 %1 页 共 %2 页").replace("%1", str(number)).replace(
                "%2", str(len(pages)))
            metrics = QFontMetricsF(footer, printer)
            painter.drawText(QPointF(page.left + (page.width - metrics.horizontalAdvance(text)) / 2,
                                     page.bottom + page.mm(FOOTER_GAP_MM) + metrics.ascent()), text)
        return len(pages)

    return paint_document(printer, paint_all, landscape=True)


def monthly_report_pdf(report: MonthlyReport, path: Path) -> int:
    """Write the report as a PDF (temporary file, then renamed over path); returns pages."""
    return write_pdf(path, report.title, lambda writer: render_monthly_report(report, writer))


def show_monthly_report_preview(parent, report: MonthlyReport) -> int:
    """The print preview of the report; from it, print or save as PDF."""
    dialog = preview_dialog(parent, lambda printer: render_monthly_report(report, printer),
                            report.title, landscape=True)
    return dialog.exec()
