"""Is a ledger file sound? SQLite's own checks plus the audit chain, as plain-Chinese findings.

verify_file is the start-up check: it opens read-only, so nothing is written to a file before
we know it is sound. The 佐证材料 files are checked on top of this by store/evidence_check.py,
which knows the evidence store; this module does not.
"""

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..domain.field_names import TABLES
from . import audit, row_digests
from .connection import _connect, check_header, check_identity
from .errors import DamagedLedgerError, LedgerLockedError

# Findings after which the file must not be written: restore a backup instead.
DAMAGE_KINDS = frozenset({"unreadable", "integrity", "foreign_key"})
MAX_DETAILS = 3  # of SQLite's own lines quoted in one finding
# How far verify_file has SQLite check the file: every page, row and index entry; pages and rows.
FULL, QUICK = "full", "quick"


@dataclass(frozen=True)
class Finding:
    """One thing wrong. kind: unreadable, integrity, foreign_key (the file is damaged);
    audit_edited, audit_missing, audit_count, audit_head_missing (history was tampered with);
    row_changed, row_deleted, row_added, digests_changed (rows written outside the app);
    evidence_missing, evidence_altered (a 佐证材料 file is gone or changed), evidence_stray,
    evidence_temp (files no row names, copies a crash cut short)."""
    kind: str
    message: str
    problem_id: int | None = None

    @property
    def is_damage(self) -> bool:
        return self.kind in DAMAGE_KINDS


def verify_file(path: Path, audit: bool = True, depth: str = FULL) -> list[Finding]:
    """Check a ledger file without writing to it (opened read-only); depth: how far SQLite
    checks the file (FULL or QUICK).

    A damaged file gives findings; a file that cannot be checked at all raises LedgerError:
    missing or unreadable (LedgerError), not a ledger (NotALedgerError), from a newer version
    (NewerVersionError), held exclusively by another program (LedgerLockedError).
    """
    path = Path(path)
    check_header(path)
    conn = None
    try:
        conn = _connect(path, read_only=True)
        check_identity(conn, path)
        return check_connection(conn, audit, depth)
    except sqlite3.DatabaseError as e:
        if "locked" in str(e) or "busy" in str(e):
            raise LedgerLockedError(path) from e
        return [Finding("unreadable", str(DamagedLedgerError(path, f"（{e}）")))]
    finally:
        if conn is not None:
            conn.close()


def check_connection(conn: sqlite3.Connection, audit: bool = True,
                     depth: str = FULL) -> list[Finding]:
    """audit=False leaves out the hash chain; depth QUICK checks pages and rows but not that every
    index matches its table (a fifth of the time). The window opens after the quick check and
    runs the full one with the audit chain after start-up, off the UI thread."""
    try:
        findings = _sqlite_checks(conn, depth)
        if not audit or any(f.kind == "integrity" for f in findings):
            return findings  # the audit chain of a broken file would only add noise
        return findings + check_audit_chain(conn)
    except sqlite3.DatabaseError as e:
        return [Finding("unreadable", f"数据库文件已损坏，读到一半读不下去了（{e}）。")]


def _sqlite_checks(conn: sqlite3.Connection, depth: str = FULL) -> list[Finding]:
    findings = []
    pragma = "quick_check" if depth == QUICK else "integrity_check"
    result = [r[0] for r in conn.execute(f"PRAGMA {pragma}").fetchall()]
    if result != ["ok"]:
        lines = [line for r in result for line in r.splitlines()
                 if line.strip() and not line.startswith("***")]
        quoted = "；".join(lines[:MAX_DETAILS]) + ("……" if len(lines) > MAX_DETAILS else "")
        findings.append(Finding("integrity", f"数据库文件内部结构已损坏，SQLite 发现{len(lines)}处问题"
                                f"（{quoted}）。"))
        return findings
    for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check").fetchall():
        findings.append(Finding(
            "foreign_key",
            f"{TABLES.get(table, table)}第{rowid}条所属的{TABLES.get(parent, parent)}已不存在"
            "（数据之间的关联断了）。", _problem_of(conn, table, rowid)))
    return findings


def _problem_of(conn, table: str, rowid) -> int | None:
    if table == "problems":
        return rowid
    columns = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
    if "problem_id" not in columns:
        return None
    row = conn.execute(f"SELECT problem_id FROM {table} WHERE rowid = ?", [rowid]).fetchone()
    return row[0] if row else None


def check_rows(conn: sqlite3.Connection, with_audit_log: bool = True) -> list[Finding]:
    """Rows changed, added or deleted outside the app (store.row_digests), each by its problem.

    with_audit_log=False leaves out the audit log's own rows, for when the chain check already
    named what is wrong with them (it can say more: which link broke).
    """
    return [Finding(kind, message, problem)
            for table, kind, message, problem in row_digests.check(conn)
            if with_audit_log or table != "audit_log"]


def check_audit_chain(conn: sqlite3.Connection) -> list[Finding]:
    """Recompute every entry's hash and link; compare the end with the head kept in meta; and
    every row with its digest (check_rows).

    The rows, the head and the digests are read in one read transaction: a writer committing between the two
    reads (the window, while its background job checks) must not look like tampering.
    """
    if conn.in_transaction:
        return _chain_and_rows(conn)
    conn.execute("BEGIN")
    try:
        return _chain_and_rows(conn)
    finally:
        conn.execute("COMMIT")


def _chain_and_rows(conn: sqlite3.Connection) -> list[Finding]:
    chain = _check_audit_chain(conn)
    return chain + check_rows(conn, with_audit_log=not chain)


def _check_audit_chain(conn: sqlite3.Connection) -> list[Finding]:
    findings = []
    expected_prev, previous_id, count = audit.GENESIS, None, 0
    for (entry_id, at, os_user, app_user, action, entity, entity_id, field, old_value,
         new_value, prev_hash, digest) in conn.execute(
            "SELECT id, at, os_user, app_user, action, entity, entity_id, field, old_value,"
            " new_value, prev_hash, hash FROM audit_log ORDER BY id"):
        count += 1
        problem = entity_id if entity == "problem" else None
        if prev_hash != expected_prev:
            where = (f"第{entry_id}条之前" if previous_id is None
                     else f"第{previous_id}条和第{entry_id}条之间")
            findings.append(Finding("audit_missing", f"修改记录在{where}断开了：中间有记录被删除，"
                                    "或前一条记录被改动过。", problem))
        if audit.entry_hash(prev_hash, at, os_user, app_user, action, entity, entity_id, field,
                            old_value, new_value) != digest:
            findings.append(Finding("audit_edited", f"修改记录第{entry_id}条（{at}，{os_user}）"
                                    "在保存后被改动过：内容与它的校验值对不上。", problem))
        expected_prev, previous_id = digest, entry_id
    head = audit.read_head(conn)
    if head is None:
        if count:
            findings.append(Finding("audit_head_missing", "台账里缺少修改记录的末尾校验值，"
                                    "无法确认最近的修改记录是否完整（下一次修改时会自动补上）。"))
        return findings
    entries, head_hash = head
    last_hash = expected_prev if count else None
    if entries < 0:
        findings.append(Finding("audit_count", "修改记录的末尾校验值已被改乱，无法确认修改记录是否完整。"))
    elif count < entries:
        findings.append(Finding("audit_count", f"修改记录应有{entries}条，现在只有{count}条："
                                "有记录被删除了。"))
    elif count > entries:
        findings.append(Finding("audit_count", f"修改记录应有{entries}条，现在却有{count}条："
                                "有记录不是由本软件写入的。"))
    elif last_hash != head_hash:
        findings.append(Finding("audit_count", "最后一条修改记录与台账里保存的末尾校验值对不上："
                                "最近的记录被改动或替换过。"))
    return findings
