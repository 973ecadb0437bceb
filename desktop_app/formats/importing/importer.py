"""One entry point for every importable file: a workbook or a plan, told by its content.

    plan = finish(read_source(path))              # or drive the generator in a worker
    result = apply_plan(ledger, plan, ...)        # after the preview (and a backup)
"""

import zipfile
from pathlib import Path
from typing import Generator

from .errors import FileLocked
from .plan import ImportPlan
from .plan_file import TEXT_SUFFIXES, read_plan_file
from ...jobs import Step
from ..reading.guard import guarded
from .workbook_reader import read_workbook
from ..reading.workbook_source import ZIP_MAGIC, check_file

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".ett", ".xltx")
PLAN_SUFFIXES = (".docx",) + TEXT_SUFFIXES  # with WORKBOOK_SUFFIXES: a file dialog's filter


def read_source(path, mapping_override: dict[int, str | None] | None = None
                ) -> Generator[Step, None, ImportPlan]:
    """Read a workbook (progress per rows) or a plan file (.docx/.txt) into an ImportPlan."""
    path = Path(path)
    if not is_plan_file(path):
        return (yield from guarded(path, read_workbook(path, mapping_override), "workbook"))
    kind = "text" if path.suffix.lower() in TEXT_SUFFIXES else "document"
    return (yield from guarded(path, _read_plan(path, mapping_override), kind))


def _read_plan(path: Path, mapping_override) -> Generator[Step, None, ImportPlan]:
    yield Step(0, 0, f"正在读取“{path.name}”…")
    plan = read_plan_file(path, mapping_override)
    yield Step(1, 1, "读取完成")
    return plan


def is_plan_file(path: Path) -> bool:
    """A .txt, or a zip holding a Word document (whatever its name says)."""
    if path.suffix.lower() in TEXT_SUFFIXES:
        return True
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        return False
    magic = check_file(path)
    if magic.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(path) as archive:
                return "word/document.xml" in archive.namelist()
        except PermissionError:
            raise FileLocked(path) from None
        except Exception:  # noqa: BLE001 — any damage: the workbook reader says what is wrong
            return False
    return not magic.startswith(bytes.fromhex("D0CF11E0"))
