"""The 月调度表 as a Word document (landscape 公文 page): the content the workbook and PDF show."""

from pathlib import Path

from . import gongwen_docx as gw
from ..exporting.monthly_content import (CATEGORY_HEADER, ORG_HEADER, PROBLEM_COLUMNS,
                                         PROBLEM_HEADER, TERM_HEADER, MonthlyReport)

TABLE_MM = 257.0  # landscape A4 less 20 mm each side
TABLE_PT = 10.5  # 五号: a table of nine columns across the page


def _widths(units: list[float]) -> list[float]:
    total = sum(units)
    return [TABLE_MM * u / total for u in units]


def _counts(rows: list[list]) -> list[list[str]]:
    return [["" if v is None else str(v) for v in row] for row in rows]


def write_monthly_docx(report: MonthlyReport, path: Path) -> Path:
    """Write the report; the problem table's header repeats on every page, rows never split."""
    document = gw.new_document(landscape=True)
    gw.add_title(document, report.title)
    if report.filing:
        gw.add_paragraph(document, report.filing, align_left=True).paragraph_format \
            .first_line_indent = None
    gw.add_paragraph(document, report.summary)
    numbers = iter("一二三四五")
    count_widths = _widths([3] + [1] * (len(TERM_HEADER) - 1))
    gw.add_heading(document, f"{next(numbers)}、按整改类型和整改状态统计", 1)
    gw.add_table(document, TERM_HEADER, _counts(report.terms), count_widths, TABLE_PT)
    p = report.petitions
    if p.received:
        gw.add_heading(document, f"{next(numbers)}、信访件办理情况", 1)
        gw.add_paragraph(document, f"交办信访件{p.received}件，已办结{p.concluded}件，"
                                   f"已销号{p.signed_off}件。")
    gw.add_heading(document, f"{next(numbers)}、按大类统计", 1)
    rows = []
    for group in report.categories:
        if group.heading:
            rows.append(group.heading)
        rows.extend(_counts(group.rows))
    gw.add_table(document, CATEGORY_HEADER, rows, _widths([3] + [1] * (len(CATEGORY_HEADER) - 1)),
                 TABLE_PT)
    if report.orgs:
        gw.add_heading(document, f"{next(numbers)}、按乡镇/单位统计", 1)
        gw.add_table(document, ORG_HEADER, _counts(report.orgs),
                     _widths([3] + [1] * (len(ORG_HEADER) - 2) + [2]), TABLE_PT)
    gw.add_heading(document, f"{next(numbers)}、未完成问题整改进展（{report.unfinished}项）", 1)
    if not report.unfinished:
        gw.add_paragraph(document, "截至统计日期，全部问题均已完成整改。")
    else:
        rows = []
        for group in report.problems:
            if group.heading:
                rows.append(group.heading)
            rows.extend(_counts([problem.cells() for problem in group.rows]))
        gw.add_table(document, PROBLEM_HEADER, rows,
                     _widths([width for _, _, width in PROBLEM_COLUMNS]), TABLE_PT)
    return gw.save(document, path)


__all__ = ["write_monthly_docx"]
