"""Exporting the ledger as the 整改任务清单 workbook superiors ask for every month.

Call `export_ledger` from a worker thread (with a Ledger opened in that thread): it is a plain
generator that yields `Step` and returns an `ExportResult`; `export_ledger_file` drains it.
Closing the generator early (cancel) leaves nothing behind. The target is written under a
temporary name beside it and renamed when complete, so it is either the whole new workbook or
exactly what it was before.
"""

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Generator

from openpyxl import Workbook

from ... import APP_NAME, collector
from ...store.merge import is_merged
from .errors import ExportError
from ...jobs import Step, finish
from .ledger_sheet import (COLUMNS, DEFAULT_COLUMNS, FLEXIBLE_COLUMNS, fill_template,
                           sheet_content, template_values)
from ...store.identity import ledger_id
from .safe_file import check_target, replacing, save_workbook
from .workbook_identity import IDENTITY_SHEET, KIND_LEDGER, write_identity
from .xlsx_layout import PAPER_SIZES, fit_widths, sheet_names
from .follow_up_sheets import write_follow_up_sheets
from .xlsx_sheets import LedgerSheetWriter, write_org_summary, write_statistics

__all__ = ["COLUMNS", "DEFAULT_COLUMNS", "ExportOptions", "Step", "ExportResult",
           "ExportError", "export_ledger", "export_ledger_file"]

SINGLE_SHEET_NAME = "整改任务清单"
STATISTICS_SHEET_NAME = "统计"
ORG_SUMMARY_SHEET_NAME = "汇总"
_PROGRESS_EVERY = 200  # problems between two progress reports


@dataclass
class ExportOptions:
    """What the export dialog lets a clerk choose; to_dict()/from_dict() keep it as JSON."""
    inspection_ids: list[int] | None = None  # None: every inspection, in ledger order
    columns: list[str] = field(default_factory=lambda: list(DEFAULT_COLUMNS))
    only_unfinished: bool = False  # leave out 已完成, 销号中 and 已销号 problems
    paper: str = "A4"  # "A4" or "A3", always landscape
    title_template: str = "{org}{name}反馈意见整改任务清单"
    summary_template: str = "共{categories}大类{problems}项"

    def validate(self) -> None:
        unknown = [c for c in self.columns if c not in COLUMNS]
        if unknown:
            raise ValueError(f"unknown export columns: {unknown}")
        if not self.columns:
            raise ExportError("没有选择要导出的列。请至少选择一列。")
        if len(set(self.columns)) != len(self.columns):
            raise ValueError(f"export columns repeated: {self.columns}")
        if self.paper not in PAPER_SIZES:
            raise ValueError(f"paper must be one of {sorted(PAPER_SIZES)}, got {self.paper!r}")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "ExportOptions":
        """Options remembered by an older or newer version: unknown keys and columns are dropped."""
        default = cls()
        values = {k: v for k, v in (data or {}).items() if k in default.__dataclass_fields__}
        options = cls(**values)
        options.columns = list(dict.fromkeys(c for c in options.columns if c in COLUMNS))
        if not options.columns:
            options.columns = list(DEFAULT_COLUMNS)
        if options.paper not in PAPER_SIZES:
            options.paper = default.paper
        if options.inspection_ids is not None:
            options.inspection_ids = [int(i) for i in options.inspection_ids]
        return options


@dataclass
class ExportResult:
    path: Path
    summaries: list[str]  # per exported inspection (sheet), e.g. "2大类5项"
    warnings: list[str]  # things the clerk should know (text cut at Excel's cell limit …)
    inspections: list[str] = field(default_factory=list)  # names, in the order of summaries
    sheets: list[str] = field(default_factory=list)  # the sheet of each inspection


def _chosen_inspections(ledger, ids: list[int] | None) -> list[dict]:
    inspections = ledger.inspections()
    if not inspections:
        raise ExportError("台账里还没有督察批次，没有可以导出的内容。")
    if ids is None:
        return inspections
    known = {i["id"] for i in inspections}
    missing = [i for i in ids if i not in known]
    if missing:
        raise ExportError("要导出的督察批次已不在台账中（可能刚被删除）。请重新选择后再导出。")
    if not ids:
        raise ExportError("没有选择要导出的督察批次。请至少选择一个。")
    return [i for i in inspections if i["id"] in set(ids)]


def export_ledger(ledger, target: Path, options: ExportOptions | None = None
                  ) -> Generator[Step, None, ExportResult]:
    """Write the chosen inspections to target (.xlsx): one sheet each, then the 统计 sheet.
    A merged ledger's inspections (several orgs) go one sheet per org, after a 汇总 sheet.

    Raises ExportError (a plain-Chinese message) if the folder is missing, the target is open
    in Excel/WPS, or the disk is full; the target is then untouched and no temporary file stays.
    """
    # The rows read and the spans are ~100,000 objects kept until the end, and the cells made
    # meanwhile start one full collection after another that rescans them: 8 % of a big export.
    with collector.paused():
        return (yield from _export(ledger, target, options))


def _export(ledger, target: Path, options: ExportOptions | None
            ) -> Generator[Step, None, ExportResult]:
    options = options or ExportOptions()
    options.validate()
    target = Path(target)
    check_target(target, ".xlsx")  # before the work, not after it
    inspections = _chosen_inspections(ledger, options.inspection_ids)
    contents = [sheet_content(ledger, i, options.only_unfinished) for i in inspections]
    problems = sum(c.problem_count for c in contents)
    save_steps = problems // 2 + 1  # saving (XML and zip) takes about as long as half the rows
    total = problems + save_steps
    yield Step(0, total, "正在准备导出…")

    widths = fit_widths({k: COLUMNS[k][1] for k in options.columns}, FLEXIBLE_COLUMNS,
                        options.paper)
    # A county's merged ledger (several 乡镇/单位): one sheet per org, after a 汇总 sheet.
    groups: dict[str, list] = {}
    for content in contents:
        groups.setdefault(content.inspection["org"], []).append(content)
    by_org = len(groups) > 1 and is_merged(ledger)
    reserved = {STATISTICS_SHEET_NAME, ORG_SUMMARY_SHEET_NAME, IDENTITY_SHEET}
    if by_org:
        sheets = sheet_names(list(groups), reserved)
        sheet_of = {org: name for org, name in zip(groups, sheets)}
        names = [sheet_of[c.inspection["org"]] for c in contents]
    else:
        sheets = names = ([SINGLE_SHEET_NAME] if len(contents) == 1 else
                          sheet_names([i["name"] for i in inspections], reserved))
    sheet_contents = list(groups.values()) if by_org else [[c] for c in contents]
    # Write-only: rows stream to temporary files as they are made, styled from shared styles;
    # that is what keeps a 10,000-problem export near the speed of a bare openpyxl dump.
    workbook = Workbook(write_only=True)
    workbook.properties.creator = APP_NAME
    workbook.properties.title = ledger.title or "整改任务清单"
    warnings: list[str] = []
    spans = []  # the rows of each problem, so that an import of this file puts them together
    done = 0
    saved = False
    try:
        if by_org:
            write_org_summary(workbook.create_sheet(ORG_SUMMARY_SHEET_NAME), list(groups.items()),
                              sheets, options.paper)
        for group, name in zip(sheet_contents, sheets):
            writer = LedgerSheetWriter(workbook.create_sheet(name), options.columns, widths,
                                       options.paper, warnings)
            first = group[0]
            values = template_values(ledger.title, first.inspection, first)
            if len(group) == 1:
                writer.write_top(fill_template(options.title_template, values),
                                 fill_template(options.summary_template, values))
            else:
                count = sum(c.problem_count for c in group)
                writer.write_top(f"{first.inspection['org']}督察反馈意见整改任务清单",
                                 f"共{len(group)}个督察批次{count}项")
            for content in group:
                if len(group) > 1:
                    writer.write_inspection_heading(f"{content.inspection['name']}（{content.summary}）")
                for written in writer.write_body(content, every=_PROGRESS_EVERY,
                                                 closes_sheet=content is group[-1]):
                    done += written
                    yield Step(done, total,
                                   f"正在导出“{content.inspection['name']}”（{done}/{problems}项）")
            spans += [("span", name, *span) for span in writer.spans]
        write_statistics(workbook.create_sheet(STATISTICS_SHEET_NAME), contents, names,
                         options.paper)
        write_follow_up_sheets(workbook, ledger, inspections)
        write_identity(workbook, KIND_LEDGER, ledger_id(ledger), {}, spans)
        yield Step(problems, total, "正在保存文件…")
        with replacing(target) as partial:
            save_workbook(workbook, partial)
        saved = True
    finally:
        if not saved:  # cancelled or failed: drop the sheets' temporary files
            discard_workbook(workbook)
    yield Step(total, total, "导出完成")
    return ExportResult(target, [c.summary for c in contents], warnings,
                        [c.inspection["name"] for c in contents], names)


def discard_workbook(workbook) -> None:
    """Remove the temporary files of a write-only workbook that will not be saved.

    openpyxl would remove them only when the process exits; the window may run for days.
    """
    for ws in workbook.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        try:
            ws.close()  # ends the XML stream, so the file can go
        except Exception:  # noqa: BLE001 — half-written XML is being thrown away anyway
            pass
        try:
            writer.cleanup()
        except (OSError, ValueError):
            pass


def export_ledger_file(ledger, target: Path, options: ExportOptions | None = None,
                       on_step: Callable[[Step], None] | None = None) -> ExportResult:
    """Run export_ledger to the end (command line, tests, benchmarks)."""
    return finish(export_ledger(ledger, target, options), on_step)
