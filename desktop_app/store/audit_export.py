"""The audit log as an Excel workbook (修改记录), written whole or not at all.

It sits in store/ beside the audit trail it reads; formats/ may take it over.
"""

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from ..formats.exporting.safe_file import save_workbook  # the writer that never leaves a zip half-closed
from .errors import ExportFailedError, describe_failure
from ..formats.exporting.text_fit import MAX_ROW_LINES, row_height, wrapped_lines
from ..formats.exporting.xlsx_sheets import SheetRows
from .history import audit_entries

HEADERS = ("时间", "电脑用户", "使用人", "操作", "对象", "编号", "字段", "原值", "新值", "哈希")
WIDTHS = (20, 12, 10, 10, 10, 8, 14, 40, 40, 20)
SHEET_TITLE = "修改记录"
CELL_LIMIT = 32767  # Excel refuses longer cells
PROGRESS_EVERY = 500
_KEYS = ("at", "os_user", "app_user", "action_label", "entity_label", "entity_id",  # under HEADERS
         "field_label", "old_text", "new_text", "hash")


def _cell_text(value) -> str:
    text = ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))
    return text if len(text) <= CELL_LIMIT else text[:CELL_LIMIT - 1] + "…"


def export_audit_log_steps(ledger, target: Path) -> Iterator[tuple[int, int]]:
    """Write the log to target, yielding (entries done, total) as it goes.

    The workbook is written to target.part and moved over target only when complete: a full
    disk, a pulled stick or a cancel (closing the generator) leave target as it was.
    """
    target = Path(target)
    partial = target.with_name(target.name + ".part")
    conn = ledger.db.conn
    total = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    try:
        sheet.freeze_panes = "A2"
        # The app's one cell writer: a user name or value starting = + - @ stays text, never a formula.
        rows = SheetRows(sheet, list(WIDTHS))
        cell = rows.styles.cell
        rows.append([cell(title, "header") for title in HEADERS], row_height(1))
        for done, entry in enumerate(audit_entries(conn), start=1):
            values = [_cell_text(entry[key]) for key in _KEYS]
            values[0], values[5] = entry["at"].replace("T", " "), entry["entity_id"]
            lines = max(wrapped_lines(text, width) for text, width in zip(values[7:9], WIDTHS[7:9]))
            rows.append([cell(v, "text") for v in values], row_height(min(lines, MAX_ROW_LINES)))
            if done % PROGRESS_EVERY == 0:
                yield done, total
        save_workbook(workbook, partial)
        os.replace(partial, target)
    except OSError as e:
        _discard(sheet, partial)
        raise ExportFailedError(target, describe_failure(e)) from e
    except BaseException:
        _discard(sheet, partial)
        raise
    yield total, total


def _discard(sheet, partial: Path) -> None:
    """Drop a workbook abandoned half-way, and its temporary file (openpyxl keeps it till exit)."""
    with contextlib.suppress(OSError):
        partial.unlink(missing_ok=True)
    with contextlib.suppress(Exception):
        if not sheet.closed:
            sheet.close()
        if sheet._writer is not None:
            sheet._writer.cleanup()


def export_audit_log(ledger, target: Path) -> int:
    """Write the whole audit log to an .xlsx at target; returns how many entries it holds."""
    done = 0
    for done, _total in export_audit_log_steps(ledger, target):
        pass
    return done
