"""Opening and creating ledger files: recognise them, refuse what we cannot safely write, migrate."""

import contextlib
import os
import sqlite3
from pathlib import Path

from .backup_files import BackupReason, default_folder, new_backup_path
from .errors import (DISK_FULL, DamagedLedgerError, FailsQuickCheckError, LedgerError,
                     LedgerLockedError, NewerVersionError, NotALedgerError, OpenForWritingError,
                     as_disk_full, nearly_full)
from . import row_digests
from .migrations import MIGRATIONS
from .identity import new_ledger_id
from .schema import APPLICATION_ID, SCHEMA_VERSION, TABLES

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 3000
SHM_SIZE = 32 * 1024  # a -shm a writer has set up is at least this big


def _connect(path: Path, read_only: bool) -> sqlite3.Connection:
    uri = Path(path).resolve().as_uri()
    if not read_only:
        return _sqlite_connect(uri)
    # A WAL file on read-only media has no -shm to open; immutable lets SQLite read it anyway.
    if not os.access(Path(path).resolve().parent, os.W_OK):
        return _sqlite_connect(uri + "?mode=ro&immutable=1")
    existed = _existing_companions(path)
    conn = _sqlite_connect(uri + "?mode=ro")
    try:
        conn.execute("PRAGMA schema_version")  # the first read of a WAL file creates its -shm
        return conn
    except sqlite3.OperationalError:
        conn.close()
        if not nearly_full(path):
            raise
    # A healthy ledger on a disk with no room for its -shm (32 KB) is not a damaged file. With
    # no -shm no writer has the file open, so immutable (no -shm) reads it exactly, unless a
    # crash left changes in its -wal, which immutable would not see: then say the disk is full.
    _remove_new_companions(path, existed)
    shm, wal = _companions(path)
    if shm in existed or (wal.exists() and wal.stat().st_size > 0):
        raise LedgerError(f"读不了台账文件“{path}”：{DISK_FULL}\n台账文件本身没有损坏，也没有改动。")
    return _sqlite_connect(uri + "?mode=ro&immutable=1")


def _companions(path: Path) -> tuple[Path, Path]:
    return tuple(Path(path).with_name(Path(path).name + suffix) for suffix in ("-shm", "-wal"))


def _existing_companions(path: Path) -> set[Path]:
    return {companion for companion in _companions(path) if companion.exists()}


def _remove_new_companions(path: Path, existed: set[Path]) -> None:
    """What a failed first open on a full disk left: a half-grown -shm, an empty -wal."""
    for companion, too_small in zip(_companions(path), (SHM_SIZE, 1)):
        with contextlib.suppress(OSError):
            if companion not in existed and companion.stat().st_size < too_small:
                companion.unlink()


def _sqlite_connect(uri: str) -> sqlite3.Connection:
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def dict_rows(conn: sqlite3.Connection, sql: str, params=()) -> list[dict]:
    """A SELECT's rows as dicts by column name, as sqlite_utils' query gives them; for what the
    window reads while it opens, before sqlite_utils (0.1 s to import) is needed for a write."""
    cursor = conn.execute(sql, params)
    keys = [d[0] for d in cursor.description]
    return [dict(zip(keys, row)) for row in cursor]


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
        row_digests.rebuild(conn)  # the id row, written before any change set could seal it
    return conn


def needs_upgrade(path: Path) -> bool:
    """Whether a ledger file we may write is of an older schema, so that opening it upgrades it
    (store.ledger.upgrade: a backup, then every row digested). False for whatever cannot be
    read so: opening it says why."""
    try:
        check_header(path)
        conn = _sqlite_connect(f"{Path(path).resolve().as_uri()}?mode=ro")
        try:
            version = check_identity(conn, path)
        finally:
            conn.close()
    except (LedgerError, sqlite3.Error, OSError):
        return False
    return version < SCHEMA_VERSION and is_writable(path)


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


def open_file(path: Path, read_only: bool = False, quick_check: bool = True) -> sqlite3.Connection:
    """Open an existing ledger file, checking what it is before anything is written to it.

    quick_check=False leaves SQLite's check of every page to the caller (store.deferred_check),
    which must hold every write until it passes; a file that needs upgrading is checked here.
    """
    path = Path(path)
    check_header(path)
    existed = _existing_companions(path)
    conn = None
    try:
        conn = _connect(path, read_only)
        version = check_identity(conn, path)
    except LedgerError:
        if conn is not None:
            conn.close()
        raise
    except sqlite3.DatabaseError as e:
        if conn is not None:
            conn.close()
        if "locked" in str(e):
            raise LedgerLockedError(path) from e
        _refuse_on_a_full_disk(path, existed, e)
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
        _refuse_on_a_full_disk(path, existed, e)
        raise
    try:
        if quick_check or version < SCHEMA_VERSION:
            refuse_if_damaged(conn, path)
    except LedgerError:
        conn.close()
        raise
    if version < SCHEMA_VERSION:
        try:
            migrate(conn, path, version)
        except (sqlite3.Error, OSError) as e:
            conn.close()
            raise LedgerError(f"台账文件“{path}”需要升级到新格式，但升级没有成功：{e}\n"
                              "文件保持原样，没有改动。请确认磁盘有空间、文件没有被占用后再试。") from e
    return conn


_COMPANIONS = ("-wal", "-shm", "-journal")


def refuse_if_damaged(conn: sqlite3.Connection, path: Path) -> None:
    """FailsQuickCheckError unless SQLite's quick_check passes: before writing into a file or
    backing it up (a page overwritten by a crash still opens, and its copy would prune good ones)."""
    try:
        result = [r[0] for r in conn.execute("PRAGMA quick_check(3)")]
    except sqlite3.DatabaseError as e:
        raise FailsQuickCheckError(path, f"：{e}") from e
    if result != ["ok"]:
        raise FailsQuickCheckError(path, "：" + "；".join(result))


def _refuse_on_a_full_disk(path: Path, existed: set[Path], error: sqlite3.Error) -> None:
    """A file that cannot be opened because the disk is full is named so, never damaged."""
    if as_disk_full(error, path) is not error:
        _remove_new_companions(path, existed)
        raise OpenForWritingError(path, DISK_FULL) from error


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
    except BaseException as e:
        # A full disk or a pulled stick: no half copy left behind, and target as it was. The
        # copy of a WAL ledger starts in WAL mode, so it may have grown a -wal and -shm too.
        if dest is not None:
            dest.close()
        for leftover in (partial, *(partial.with_name(partial.name + s) for s in _COMPANIONS)):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
        if isinstance(e, (sqlite3.Error, OSError)):
            raise as_disk_full(e, target.parent)
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
        row_digests.rebuild(conn)  # any step may add tables or columns: digest what is there now
        conn.execute(f"PRAGMA user_version = {version}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
