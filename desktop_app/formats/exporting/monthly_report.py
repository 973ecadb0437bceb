"""The 月调度表 workbook: title, 情况概述, the statistics tables, then the unfinished problems.

One landscape sheet, fitted to the paper's width, page numbers in the footer. The statistics
fill the first page; the list of unfinished problems starts on a page of its own, its header row
repeated on every printed page. Run `write_monthly_report` in a worker thread with a Ledger
opened there: a generator yielding Step and returning the path; the target is written whole
or not at all (safe_file).
"""

from pathlib import Path
from typing import Generator

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from ... import APP_NAME
from ...domain.schedule import ScheduleSettings
from ...jobs import Step
from .ledger_xlsx import discard_workbook
from .monthly_content import (CATEGORY_HEADER, CENTRED_COLUMNS, FLEXIBLE_COLUMNS, LABEL_COLUMNS,
                              ORG_HEADER, PROBLEM_COLUMNS, PROBLEM_HEADER, TERM_HEADER, Filing,
                              MonthlyReport, build)
from .safe_file import check_target, replacing, save_workbook
from .pagination import Pages
from .text_fit import MAX_ROW_LINES, row_height, split_over_rows, text_height, wrapped_lines
from .xlsx_layout import (EXCEL_CELL_LIMIT, FONT_SCALE, LINE_PT_BY_STYLE, fit_widths, page_body_pt,
                          print_scale, setup_page)
from .xlsx_sheets import SheetRows

SHEET_NAME = "月调度表"
_PROGRESS_EVERY = 200
HEADER_PT = 24.0


class _ReportSheet(SheetRows):
    """Rows of the report, with their printed pages estimated so that a heading and a table's
    header row stay with the row after them (pagination.Pages)."""

    def __init__(self, ws, widths: list[float], paper: str):
        super().__init__(ws, widths)
        self.pages = Pages(page_body_pt(paper, print_scale(widths, paper)), HEADER_PT)
        self.keep_with_next = False

    def append(self, cells: list, height: float) -> float:
        height = super().append(cells, height)
        if self.keep_with_next:
            self.pages.heading(self.row, height)
        else:
            self.pages.add_after_headings(height, self.row)
        return height

    def heading(self, text: str, style: str = "category") -> None:
        line = LINE_PT_BY_STYLE[style]
        self.keep_with_next = style != "title16"
        self.merged(text, style, style != "title16",
                    min(text_height(text, sum(self.widths) / FONT_SCALE[style], line), 409))
        self.keep_with_next = False

    def paragraph(self, text: str) -> None:
        self.merged(text, "text", True, min(text_height(text, sum(self.widths)), 409))

    def counts(self, values: list, header: bool = False) -> None:
        """A statistics row: its label across the first LABEL_COLUMNS, then the counts."""
        label_style = "header" if header else "text"
        self.ws.merged_cells.add(f"A{self.row + 1}:{get_column_letter(LABEL_COLUMNS)}{self.row + 1}")
        label = [self.styles.cell(values[0], label_style)] + \
            [self.styles.cell(None, label_style) for _ in range(LABEL_COLUMNS - 1)]
        height = text_height(str(values[0]), sum(self.widths[:LABEL_COLUMNS]))
        self.keep_with_next = header
        self.append(label + [self.styles.cell(v, label_style if header else "count")
                             for v in values[1:]], max(height, HEADER_PT) if header else height)
        self.keep_with_next = False

    def problem(self, values: list) -> None:
        """One problem's row; a tall one runs on in the rows below, cut where the pages end."""
        values = [v[:EXCEL_CELL_LIMIT] if isinstance(v, str) else v for v in values]
        styles = ["number" if key in CENTRED_COLUMNS else "text" for key, _, _ in PROBLEM_COLUMNS]
        column_lines = [wrapped_lines(v, w) if isinstance(v, str) and v else 1
                        for v, w in zip(values, self.widths)]
        lines = max(column_lines)
        if lines <= MAX_ROW_LINES:
            self.append([self.styles.cell(v, style) for v, style in zip(values, styles)],
                        row_height(lines))
            return
        texts = [v if isinstance(v, str) else "" for v in values]
        parts, heights = split_over_rows(texts, self.widths, self.pages.plan_parts(lines), column_lines)
        for part in parts:  # the 序号 on every part: a page never starts with an unnumbered row
            part[0] = values[0]
        for index, (cells, part_lines) in enumerate(zip(parts, heights)):
            # No line between the parts: they read as one cell, boxed by the first and last.
            edge = "first" if index == 0 else "last" if index == len(parts) - 1 else "middle"
            self.append([self.styles.cell(v if v != "" else None, style, edge)
                         for v, style in zip(cells, styles)], row_height(part_lines))


def write_report(ws, report: MonthlyReport, paper: str) -> Generator[int, None, None]:
    """Fill an empty write-only worksheet; yields how many problem rows were written, now and then."""
    widths = fit_widths({key: width for key, _, width in PROBLEM_COLUMNS}, FLEXIBLE_COLUMNS, paper)
    sheet = _ReportSheet(ws, list(widths.values()), paper)
    petitions = report.petitions.received > 0
    setup_page(ws, paper, landscape=True, title_rows=None, freeze=None)
    sheet.heading(report.title, "title16")
    sheet.merged(report.filing, "text", False, text_height(report.filing, sum(widths.values())))
    sheet.paragraph("　　" + report.summary)
    sheet.heading("一、按整改类型和整改状态统计")
    sheet.counts(list(TERM_HEADER), header=True)
    for row in report.terms:
        sheet.counts(row)
    numbers = iter("二三四五")
    if petitions:
        p = report.petitions
        sheet.heading(f"{next(numbers)}、信访件办理情况")
        sheet.paragraph(f"交办信访件{p.received}件，已办结{p.concluded}件，已销号{p.signed_off}件。")
    sheet.heading(f"{next(numbers)}、按大类统计")
    sheet.counts(list(CATEGORY_HEADER), header=True)
    for group in report.categories:
        if group.heading:
            sheet.heading(group.heading, "subcategory")
        for row in group.rows:
            sheet.counts(row)
    if report.orgs:
        sheet.heading(f"{next(numbers)}、按乡镇/单位统计")
        sheet.counts(list(ORG_HEADER), header=True)
        for row in report.orgs:
            sheet.counts(row)
    sheet.heading(f"{next(numbers)}、未完成问题整改进展（{report.unfinished}项）")
    sheet.keep_with_next = True
    sheet.append([sheet.styles.cell(h, "header") for h in PROBLEM_HEADER], HEADER_PT)
    sheet.keep_with_next = False
    ws.print_title_rows = f"{sheet.row}:{sheet.row}"  # repeated on every page of the list
    if not report.unfinished:
        sheet.paragraph("截至统计日期，全部问题均已完成整改。")
    pending = 0
    for group in report.problems:
        if group.heading:
            sheet.heading(group.heading, "subcategory")
        for problem in group.rows:
            sheet.problem(problem.cells())
            pending += 1
            if pending == _PROGRESS_EVERY:
                yield pending
                pending = 0
    sheet.break_pages(sheet.pages)
    yield pending


def write_monthly_report(ledger, target: Path, inspection_id: int | None, as_of,
                         settings: ScheduleSettings = ScheduleSettings(), paper: str = "A4",
                         filing: Filing = Filing()) -> Generator[Step, None, Path]:
    """Write the 月调度表 of one inspection (None: all) as of a date to target (.xlsx)."""
    target = Path(target)
    check_target(target, ".xlsx")
    yield Step(0, 0, "正在汇总统计数字…")
    report = build(ledger, inspection_id, as_of, settings, filing)
    total = report.unfinished + report.unfinished // 2 + 1  # saving takes about half the rows
    workbook = Workbook(write_only=True)
    workbook.properties.creator = APP_NAME
    workbook.properties.title = report.title
    saved = False
    try:
        done = 0
        for written in write_report(workbook.create_sheet(SHEET_NAME), report, paper):
            done += written
            yield Step(done, total, f"正在写入未完成问题（{done}/{report.unfinished}项）")
        yield Step(report.unfinished, total, "正在保存文件…")
        with replacing(target) as partial:
            save_workbook(workbook, partial)
        saved = True
    finally:
        if not saved:
            discard_workbook(workbook)
    yield Step(total, total, "月调度表已生成")
    return target
