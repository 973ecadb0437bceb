"""Automatic and manual backups of a ledger: make, keep the right ones, list, restore.

A backup is a consistent copy made with SQLite's backup API (connection.copy_database), never
a file copy of a live database. Names and the default folder are in backup_files.py.

What the window does with this (the owner's side):
  start-up   startup_check(path, policy) before Ledger.open; on damage offer
             restore_damaged(path, check.newest_good.path, policy); then
             daily_backup_if_due(ledger, policy)
  import     make_backup(ledger, "导入前", policy) before the import's transaction
  merge      store.merge.merge makes a 汇总前 backup before the merge's transaction
  restore    list_backups(policy, ledger.path), then restore(ledger, chosen.path, policy)

Backups copy the database only; the 佐证材料 files they name stay in the ledger's own store.
evidence.empty_recycle therefore asks evidence_named_by_backups before deleting a file, so a
restored backup never names a file that is gone.
"""

import contextlib
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from . import audit, row_digests
from .backup_files import BackupReason, default_folder, new_backup_path, parse_name
from .connection import _connect, copy_database, migrate, refuse_if_damaged
from .evidence_files import named_objects
from .errors import (BackupFailedError, BackupFolderError, BadBackupError, DamagedLedgerError,
                     LedgerError, NewerVersionError, NotALedgerError, ReadOnlyError,
                     WriteFailedError, describe_failure)
from .integrity import FULL, Finding, verify_file
from .lock import LedgerLock
from .schema import APPLICATION_ID, SCHEMA_VERSION

# Copies taken just before a restore or an upgrade are how a clerk undoes either: never pruned
# while this young, whatever the daily/monthly counts say.
PROTECTED_REASONS = frozenset({BackupReason.BEFORE_RESTORE, BackupReason.BEFORE_UPGRADE})
PROTECTED_DAYS = 30
# A .part older than this is left over from a crash; a younger one may be a backup in progress.
STALE_PART_SECONDS = 3600


@dataclass(frozen=True)
class BackupPolicy:
    """Where backups go and how many are kept (from the settings)."""
    folder: Path | None = None  # None: "<ledger stem>-备份" beside the ledger
    keep_daily: int = 14  # the newest backup of each of the last N days that have one
    keep_monthly: int = 12  # the newest backup of each of the last M months that have one

    def folder_for(self, ledger_path: Path) -> Path:
        return Path(self.folder) if self.folder else default_folder(ledger_path)


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    size: int  # bytes
    reason: BackupReason
    inspections: int | None  # None when unreadable
    problems: int | None
    readable: bool
    title: str = ""
    detail: str = ""  # why it cannot be used, in Chinese; "" when readable


@dataclass(frozen=True)
class StartupCheck:
    """What the window needs before it opens a ledger for writing."""
    findings: list[Finding] = field(default_factory=list)
    newest_good: BackupInfo | None = None  # offered for restoring when damaged
    backup_folder_problem: str = ""  # why backups could not be searched, if they could not

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def damaged(self) -> bool:
        """Do not open for writing: restore newest_good, or open read-only."""
        return any(f.is_damage for f in self.findings)


# -- making -------------------------------------------------------------------------------------

def _ready_folder(policy: BackupPolicy, ledger_path: Path) -> Path:
    """The backup folder, created if its parent exists; never a whole missing path.

    Creating parents would turn a pulled USB stick's E:/备份 (or /media/u盘/备份) into a folder
    on the PC's own disk, and the clerk would think the backups were on the stick.
    """
    folder = policy.folder_for(ledger_path)
    try:
        if not folder.is_dir():
            if not folder.parent.is_dir():
                raise BackupFolderError(folder)
            folder.mkdir()
    except OSError as e:
        raise BackupFolderError(folder, describe_failure(e)) from e
    if not os.access(folder, os.W_OK):
        raise BackupFolderError(folder, "这个文件夹是只读的，写不进去。")
    return folder


def make_backup(ledger, reason: BackupReason | str, policy: BackupPolicy | None = None) -> Path:
    """Write a consistent copy of the open ledger into the backup folder; returns its path.

    Call it outside any transaction. Raises BackupFolderError (folder unreachable) or
    BackupFailedError (disk full …); either way the ledger and older backups are untouched.
    """
    policy = policy or BackupPolicy()
    if ledger.db.conn.in_transaction:
        raise RuntimeError("make_backup inside a transaction would copy uncommitted changes")
    refuse_if_damaged(ledger.db.conn, ledger.path)
    new_folder = not policy.folder_for(ledger.path).is_dir()
    folder = _ready_folder(policy, ledger.path)
    target = new_backup_path(folder, ledger.path.stem, reason)
    try:
        copy_database(ledger.db.conn, target)
    except (sqlite3.Error, OSError) as e:
        if not folder.is_dir():
            raise BackupFolderError(folder) from e
        if new_folder:  # made for this backup only: nothing of the attempt stays behind
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise BackupFailedError(folder, describe_failure(e)) from e
    return target


def backup_to_file(ledger, target: Path) -> Path:
    """A consistent copy of the ledger at exactly target (the command line's --out FILE.db)."""
    target = Path(target)
    if ledger.db.conn.in_transaction:
        raise RuntimeError("a backup inside a transaction would copy uncommitted changes")
    refuse_if_damaged(ledger.db.conn, ledger.path)
    if not target.parent.is_dir():
        raise BackupFolderError(target.parent)
    try:
        copy_database(ledger.db.conn, target)
    except (sqlite3.Error, OSError) as e:
        raise BackupFailedError(target.parent, describe_failure(e)) from e
    return target


def daily_backup_if_due(ledger, policy: BackupPolicy, now: datetime | None = None,
                        for_writer: bool = False) -> Path | None:
    """At the first start of a local day (no backup from today in the folder): back up, prune.

    Not for a ledger opened read-only: it cannot change here, and whoever holds it for writing
    makes its daily backup — unless for_writer: the writer's own background job, copying through
    a read-only connection of its worker thread.
    """
    if ledger.read_only and not for_writer:
        return None
    today = (now or datetime.now()).date()
    folder = policy.folder_for(ledger.path)
    if any(taken.date() == today for _path, taken, _reason in _backups_in(folder, ledger.path.stem)):
        return None
    path = make_backup(ledger, BackupReason.DAILY, policy)
    prune(policy, ledger.path, now)
    return path


def _backups_in(folder: Path, stem: str) -> list[tuple[Path, datetime, BackupReason]]:
    """The backups of one ledger in a folder, newest first (damaged ledgers put aside excluded)."""
    found = []
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    for name in names:
        parsed = parse_name(name)
        if parsed and parsed[0] == stem and parsed[2] != BackupReason.DAMAGED:
            found.append((folder / name, parsed[1], parsed[2]))
    found.sort(key=_newest_first_key, reverse=True)
    return found


def _newest_first_key(item: tuple[Path, datetime, BackupReason]):
    # Names stop at seconds: within one second the file written last is the newer.
    try:
        written = item[0].stat().st_mtime_ns
    except OSError:
        written = 0
    return item[1], written, item[0].name


def prune(policy: BackupPolicy, ledger_path: Path, now: datetime | None = None) -> list[Path]:
    """Delete the backups the policy does not keep; returns what was deleted.

    Kept: the newest of each of the last keep_daily days and keep_monthly months that have
    backups, and every 恢复前/升级前 backup younger than PROTECTED_DAYS. Files we did not name
    are never touched.
    """
    now = now or datetime.now()
    folder = policy.folder_for(ledger_path)
    stem = Path(ledger_path).stem
    backups = _backups_in(folder, stem)
    keep: set[Path] = set()
    for count, key in ((policy.keep_daily, lambda t: t.date()),
                       (policy.keep_monthly, lambda t: (t.year, t.month))):
        periods = set()
        for path, taken, _reason in backups:  # newest first: the first of a period is its newest
            period = key(taken)
            if period not in periods and len(periods) < count:
                periods.add(period)
                keep.add(path)
    deleted = []
    for path, taken, reason in backups:
        protected = reason in PROTECTED_REASONS and now - taken < timedelta(days=PROTECTED_DAYS)
        if path in keep or protected:
            continue
        with contextlib.suppress(OSError):  # a read-only stick: keeping too much is harmless
            path.unlink()
            deleted.append(path)
    _remove_stale_parts(folder, stem)
    return deleted


def _remove_stale_parts(folder: Path, stem: str) -> None:
    with contextlib.suppress(OSError):
        for path in folder.glob(f"{stem}-*.part"):
            parsed = parse_name(path.name[:-len(".part")])
            if parsed and parsed[0] == stem and \
                    time.time() - path.stat().st_mtime > STALE_PART_SECONDS:
                path.unlink()


# -- listing ------------------------------------------------------------------------------------

def list_backups(policy: BackupPolicy, ledger_path: Path) -> list[BackupInfo]:
    """Every backup of this ledger, newest first, with what it holds.

    Also lists the 升级前 copies an upgrade left in the default folder when the policy points
    elsewhere. Raises BackupFolderError if the chosen folder's drive is gone (pulled USB stick).
    """
    return [_describe(path, taken, reason) for path, taken, reason in _restorable(policy, ledger_path)]


def _restorable(policy: BackupPolicy, ledger_path: Path) -> list[tuple[Path, datetime, BackupReason]]:
    """The backups list_backups shows, newest first (BackupFolderError: the folder is gone)."""
    folder = policy.folder_for(ledger_path)
    if not folder.is_dir() and not folder.parent.is_dir():
        raise BackupFolderError(folder)
    stem = Path(ledger_path).stem
    found = _backups_in(folder, stem)
    beside = default_folder(ledger_path)
    if beside.resolve() != folder.resolve():
        found += [b for b in _backups_in(beside, stem) if b[2] == BackupReason.BEFORE_UPGRADE]
        found.sort(key=_newest_first_key, reverse=True)
    return found


def evidence_named_by_backups(policy: BackupPolicy, ledger_path: Path) -> set[str] | None:
    """The SHA-256 of every 佐证材料 file named by a backup a clerk could restore (read-only).

    None when the backup folder cannot be reached (a pulled USB stick): what its backups name is
    then unknown, and no file may be deleted. A backup that cannot be read names nothing: it
    cannot be restored either.
    """
    try:
        found = _restorable(policy, ledger_path)
    except BackupFolderError:
        return None
    named: set[str] = set()
    for path, _taken, _reason in found:
        try:
            with contextlib.closing(_connect(path, read_only=True)) as conn:
                named |= named_objects(conn)
        except (sqlite3.Error, OSError):
            continue
    return named


def _describe(path: Path, taken: datetime, reason: BackupReason) -> BackupInfo:
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    conn = None
    try:
        conn = _connect(path, read_only=True)
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            return BackupInfo(path, taken, size, reason, None, None, False,
                              detail="不是台账文件。")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        inspections = conn.execute("SELECT count(*) FROM inspections").fetchone()[0]
        problems = conn.execute("SELECT count(*) FROM problems").fetchone()[0]
        title = conn.execute("SELECT value FROM meta WHERE key = 'title'").fetchone()
        detail = "由更新版本的本软件保存，需先安装新版本。" if version > SCHEMA_VERSION else ""
        return BackupInfo(path, taken, size, reason, inspections, problems, not detail,
                          title[0] if title else "", detail)
    except (sqlite3.Error, OSError) as e:
        return BackupInfo(path, taken, size, reason, None, None, False, detail=f"文件已损坏（{e}）。")
    finally:
        if conn is not None:
            conn.close()


def newest_good_backup(policy: BackupPolicy, ledger_path: Path) -> BackupInfo | None:
    """The newest backup that passes the full check (integrity, relations, audit chain)."""
    for info in list_backups(policy, ledger_path):
        if not info.readable:
            continue
        try:
            if not verify_file(info.path):
                return info
        except LedgerError:
            continue
    return None


def startup_check(ledger_path: Path, policy: BackupPolicy, audit: bool = True,
                  depth: str = FULL) -> StartupCheck:
    """verify_file before anything writes; on damage, look for a good backup to offer.

    Raises what verify_file raises for a file that cannot be checked (missing, newer version,
    held), except that a file that no longer looks like a ledger counts as damaged.
    """
    try:
        findings = verify_file(ledger_path, audit, depth=depth)
    except (NotALedgerError, DamagedLedgerError) as e:
        findings = [Finding("unreadable", str(e))]
    if not any(f.is_damage for f in findings):
        return StartupCheck(findings)
    try:
        return StartupCheck(findings, newest_good_backup(policy, ledger_path))
    except BackupFolderError as e:
        return StartupCheck(findings, None, str(e))


# -- restoring ----------------------------------------------------------------------------------

def _open_for_restore(backup_path: Path, ledger_path: Path) -> sqlite3.Connection:
    """A read-only connection to a backup that passed every check; BadBackupError otherwise."""
    backup_path = Path(backup_path)
    if backup_path.exists() and backup_path.resolve() == Path(ledger_path).resolve():
        raise BadBackupError(backup_path, "这就是台账文件本身。")
    try:
        findings = verify_file(backup_path)
    except NewerVersionError:
        raise BadBackupError(backup_path, "它由更新版本的本软件保存，请先安装新版本。") from None
    except LedgerError as e:
        raise BadBackupError(backup_path, str(e)) from None
    damage = [f.message for f in findings if f.is_damage]
    if damage:
        raise BadBackupError(backup_path, "备份文件本身已损坏：" + "；".join(damage))
    return _connect(backup_path, read_only=True)


def _restore_note(backup_path: Path, saved_as: Path | None) -> dict:
    note = {"backup": Path(backup_path).name}
    parsed = parse_name(Path(backup_path).name)
    if parsed:
        note["taken_at"] = parsed[1].isoformat(timespec="seconds")
    if saved_as is not None:
        note["saved_before_as"] = saved_as.name
    return note


def restore(ledger, backup_path: Path, policy: BackupPolicy) -> Path:
    """Replace the open ledger's content with a backup's; returns the 恢复前 backup's path.

    The current state is backed up first (恢复前), so a restore can itself be undone. The
    backup is copied into the live connection with the backup API, in one transaction, so the
    WAL stays consistent and a crash half-way leaves the ledger as it was. The audit chain
    continues from the backup's, with one "restore" entry naming the file.
    """
    if ledger.read_only:
        raise ReadOnlyError(ledger.path)
    source = _open_for_restore(backup_path, ledger.path)
    try:
        saved = make_backup(ledger, BackupReason.BEFORE_RESTORE, policy)
        try:
            source.backup(ledger.db.conn)
        except sqlite3.Error as e:
            raise WriteFailedError(ledger.path, describe_failure(e)) from e
    finally:
        source.close()
    version = ledger.db.conn.execute("PRAGMA user_version").fetchone()[0]
    if version < SCHEMA_VERSION:
        try:
            migrate(ledger.db.conn, ledger.path, version)
        except (sqlite3.Error, OSError) as e:
            _copy_back(saved, ledger)  # the app cannot work on the old format: undo the restore
            raise WriteFailedError(ledger.path, "备份是旧版本格式，升级没有成功："
                                   f"{describe_failure(e)}") from e
    ledger.schema_changed()  # the restored file may have been another version's
    with ledger.writing() as conn:
        audit.record(conn, "restore", "ledger", None, "backup", None,
                     _restore_note(backup_path, saved), ledger.app_user)
    return saved


def _copy_back(saved: Path, ledger) -> None:
    source = _connect(saved, read_only=True)
    try:
        source.backup(ledger.db.conn)
    finally:
        source.close()


def restore_damaged(ledger_path: Path, backup_path: Path, policy: BackupPolicy,
                    app_user: str = "") -> Path | None:
    """Put a damaged (or missing) ledger file aside and make the backup the ledger.

    For the start-up check, when the ledger cannot be opened. The damaged file is copied
    as-is (with its -wal) into the backup folder as …-损坏.db and kept; returns that path,
    or None if there was no file. Takes the ledger's lock: refused while another copy of the
    app has it open (LedgerHeldError).
    """
    ledger_path = Path(ledger_path)
    lock = LedgerLock.acquire(ledger_path)
    try:
        source = _open_for_restore(backup_path, ledger_path)
        try:
            aside = _put_aside(ledger_path, policy)
            staging = ledger_path.with_name(ledger_path.name + ".恢复中")
            try:
                copy_database(source, staging)
                _record_restore(staging, _restore_note(backup_path, aside), app_user)
            except (sqlite3.Error, OSError) as e:
                with contextlib.suppress(OSError):
                    staging.unlink(missing_ok=True)
                raise WriteFailedError(ledger_path, describe_failure(e)) from e
        finally:
            source.close()
        try:
            # A stale -wal would be replayed onto the restored file: remove it first.
            for suffix in ("-wal", "-shm", "-journal"):
                ledger_path.with_name(ledger_path.name + suffix).unlink(missing_ok=True)
            os.replace(staging, ledger_path)
        except OSError as e:  # the damaged file and its -wal are safe in the backup folder
            with contextlib.suppress(OSError):
                staging.unlink(missing_ok=True)
            raise WriteFailedError(ledger_path, describe_failure(e)) from e
        return aside
    finally:
        lock.release()


def _put_aside(ledger_path: Path, policy: BackupPolicy) -> Path | None:
    if not ledger_path.exists():
        return None
    folder = _ready_folder(policy, ledger_path)
    aside = new_backup_path(folder, ledger_path.stem, BackupReason.DAMAGED)
    try:
        for suffix in ("", "-wal"):  # a file copy on purpose: SQLite cannot read it consistently
            part = ledger_path.with_name(ledger_path.name + suffix)
            if part.exists() and (suffix == "" or part.stat().st_size):
                shutil.copyfile(part, aside.with_name(aside.name + suffix))
    except OSError as e:
        for suffix in ("", "-wal"):
            with contextlib.suppress(OSError):
                aside.with_name(aside.name + suffix).unlink(missing_ok=True)
        raise BackupFailedError(folder, describe_failure(e)) from e
    return aside


def _record_restore(path: Path, note: dict, app_user: str) -> None:
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        row_digests.install(conn)
        audit.record(conn, "restore", "ledger", None, "backup", None, note, app_user)
        row_digests.seal(conn)
        conn.execute("COMMIT")
    finally:
        conn.close()
