"""Where a ledger's backups live and how they are named: <stem>-YYYYMMDD-HHMMSS-<reason>.db.

Kept apart from backups.py so that connection.migrate can name its copy the same way.
"""

import re
from datetime import datetime
from enum import StrEnum
from pathlib import Path

STAMP = "%Y%m%d-%H%M%S"
SUFFIX = ".db"


class BackupReason(StrEnum):
    DAILY = "每日"
    BEFORE_IMPORT = "导入前"
    BEFORE_MERGE = "汇总前"
    BEFORE_UPGRADE = "升级前"
    BEFORE_RESTORE = "恢复前"
    MANUAL = "手动"
    # A damaged ledger put aside before a backup replaced it: kept as evidence, never offered
    # for restoring and never pruned.
    DAMAGED = "损坏"


_NAME = re.compile(r"(.+)-(\d{8}-\d{6})-(" + "|".join(r.value for r in BackupReason)
                   + r")(?:-\d+)?" + re.escape(SUFFIX))


def default_folder(ledger_path: Path) -> Path:
    """Beside the ledger, so that a ledger's folder on a USB stick carries its own backups."""
    ledger_path = Path(ledger_path)
    return ledger_path.parent / f"{ledger_path.stem}-备份"


def new_backup_path(folder: Path, stem: str, reason: BackupReason | str,
                    now: datetime | None = None) -> Path:
    """A name not used yet in folder: two backups in one second get -2, -3 …"""
    reason = BackupReason(reason)
    base = f"{stem}-{(now or datetime.now()).strftime(STAMP)}-{reason.value}"
    path = Path(folder) / f"{base}{SUFFIX}"
    number = 2
    while path.exists():
        path = Path(folder) / f"{base}-{number}{SUFFIX}"
        number += 1
    return path


def parse_name(name: str) -> tuple[str, datetime, BackupReason] | None:
    """(ledger stem, taken at, reason) of a backup's file name; None for any other file."""
    match = _NAME.fullmatch(name)
    if match is None:
        return None
    try:
        return match.group(1), datetime.strptime(match.group(2), STAMP), BackupReason(match.group(3))
    except ValueError:
        return None
