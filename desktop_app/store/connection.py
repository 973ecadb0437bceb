"""Opening and creating ledger files: recognise them, refuse what we cannot safely write, migrate."""

import contextlib
import os
import sqlite3
from pathlib import Path

from .backup_files import BackupReason, default_folder, new_backup_path
from .errors import (DamagedLedgerError, LedgerError, LedgerLockedError, NewerVersionError,
                     NotALedgerError)
from .migrations import MIGRATIONS
from .identity import new_ledger_id
from .schema import APPLICATION_ID, SCHEMA_VERSION, TABLES

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 3000


def _connect(path: Path, read_only: bool) -> sqlite3.Connection:
    uri = Path(path).resolve().as_uri()
    if read_only:
        # A WAL file on read-only media has no -shm to open; immutable lets SQLite read it anyway.
        writable_dir = os.access(Path(path).resolve().parent, os.W_OK)
        uri += "?mode=ro" if writable_dir else "?mode=ro&immutable=1"
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def is_writable(path: Path) -> bool:
    """Whether we may write the file and create its -wal/-shm companions beside it."""
    path = Path(path).resolve()
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def create_file(path: Path) -> sqlite3.Connection:
    """Create a new, empty ledger file at path (which must not exist yet)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = WAL")
    with conn:
        conn.executescript(
            "BEGIN;" + TABLES
            + f"PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {SCHEMA_VERSION};"
            + "COMMIT;")
        new_ledger_id(conn)
    return conn


def check_header(path: Path) -> None:
    """Refuse, in plain Chinese, a path that is missing, unreadable or not a SQLite file."""
    try:
        with open(path, "rb") as f:
            header = f.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        raise LedgerError(f"找不到台账文件“{path}”。它可能已被移动、改名，或在拔出的U盘上。") from None
    except IsADirectoryError:
        raise LedgerError(f"“{path}”是一个文件夹，不是台账文件。请选择文件夹里的台账文件（.db）。") from None
    except PermissionError:
        raise LedgerError(f"没有权限读取台账文件“{path}”。请检查文件权限，或把文件复制到“我的文档”后再打开。") from None
    except OSError as e:
        raise LedgerError(f"读不了台账文件“{path}”：{e.strerror or e}。如果文件在U盘上，请确认U盘插好了。") from None
    if header != SQLITE_HEADER:
        raise NotALedgerError(path)


def check_identity(conn: sqlite3.Connection, path: Path) -> int:
    """The file's schema version, after refusing another program's database or a newer ledger."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if app_id != APPLICATION_ID:
        raise NotALedgerError(path)
    if version > SCHEMA_VERSION:
        raise NewerVersionError(path, version, SCHEMA_VERSION)
    return version


def open_file(path: Path, read_only: bool = False) -> sqlite3.Connection:
    """Open an existing ledger file, checking what it is before anything is written to it."""
    path = Path(path)
    check_header(path)
    conn = None
    try:
        conn = _connect(path, read_only)
        version = check_identity(conn, path)
    except LedgerError:
        conn.close()
        raise
    except sqlite3.DatabaseError as e:
        if conn is not None:
            conn.close()
        if "locked" in str(e):
            raise LedgerLockedError(path) from e
        raise DamagedLedgerError(path) from e
    if read_only:
        if version < SCHEMA_VERSION:
            conn.close()
            raise LedgerError(f"台账文件“{path}”是旧版本格式，需要升级后才能打开，但它是只读的。\n"
                              "请把文件复制到电脑硬盘上再打开，本软件会自动升级（并先留一份备份）。")
        return conn
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        # Take and release the write lock once, so a file held by another writer is reported now
        # rather than at the clerk's first edit.
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
    except sqlite3.OperationalError as e:
        conn.close()
        if "locked" in str(e) or "busy" in str(e):
            raise LedgerLockedError(path) from e
        raise
    if version < SCHEMA_VERSION:
        try:
            migrate(conn, path, version)
        except (sqlite3.Error, OSError) as e:
            conn.close()
            raise LedgerError(f"台账文件“{path}”需要升级到新格式，但升级没有成功：{e}\n"
                              "文件保持原样，没有改动。请确认磁盘有空间、文件没有被占用后再试。") from e
    return conn


def copy_database(conn: sqlite3.Connection, target: Path) -> None:
    """A consistent copy of a live database (SQLite backup API, never a file copy)."""
    target = Path(target)
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    dest = None
    try:
        dest = sqlite3.connect(str(partial))
        conn.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")  # a copy is one self-contained file
        dest.close()
        dest = None
        os.replace(partial, target)
    except BaseException:
        # A full disk or a pulled stick: no half copy left behind, and target as it was.
        if dest is not None:
            dest.close()
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise


def migrate(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Bring a file from an older schema up to SCHEMA_VERSION, after copying it aside."""
    folder = default_folder(path)
    folder.mkdir(exist_ok=True)
    copy_database(conn, new_backup_path(folder, path.stem, BackupReason.BEFORE_UPGRADE))
    conn.execute("BEGIN IMMEDIATE")
    try:
        while version < SCHEMA_VERSION:
            MIGRATIONS[version](conn)
            version += 1
        conn.execute(f"PRAGMA user_version = {version}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
