"""A digest of every row, kept in the writing transaction, so `check` can tell rows changed outside
the app (a problem edited in a SQLite browser, an evidence row deleted, the audit trail's tail cut).

row_digests holds one hash per row of every table (with the row's problem, so a finding can
name it even after the row is gone); meta[TOTALS_KEY] holds per table the count and the sum of
those hashes (a multiset hash: a row's old hash is subtracted, its new one added), so a row
removed together with its digest still shows. Nothing here is keyed: whoever rewrites the rows,
their digests and the totals together cannot be caught (README, 数据安全).

How changes reach it: a Ledger knows what each transaction wrote (its change set, and the audit
entries after it) and passes those rows to seal_change() before it commits; the change set holds
each row's final values, so they are hashed without being read again. A raw connection that
writes (a restore's audit entry) uses install(): TEMP triggers that note (table, rowid) of every
row written, then seal() re-reads and re-hashes just those rows.
"""

import hashlib
import json
import sqlite3
from collections.abc import Iterable

from ..domain.field_names import TABLES as TABLE_NAMES

TABLE = "row_digests"
TOTALS_KEY = "row_digests"
_MODULUS = 1 << 128
MAX_LISTED = 20
_AUDIT_COLUMNS = ("id", "entity", "entity_id", "prev_hash", "hash")  # an entry's digested part  # rows named per table and kind of change; more are counted


def _tables(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " AND name != ? ORDER BY name", [TABLE])]


def _rows_sql(table: str) -> str:
    """SELECT rowid, … of the rows of table that are digested (all but the totals).

    An audit entry's own hash already covers its content (store.audit), so its digest needs
    only that hash and its link: the big old/new values are not read again.
    """
    if table == "audit_log":
        return f"SELECT rowid, {', '.join(_AUDIT_COLUMNS)} FROM main.audit_log WHERE 1"
    sql = f'SELECT rowid, * FROM main."{table}" WHERE '
    return sql + (f"key IS NOT '{TOTALS_KEY}'" if table == "meta" else "1")


def _has_table(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = ?",
                        [TABLE]).fetchone() is not None


def install(conn: sqlite3.Connection) -> None:
    """Note every row this connection writes, for seal(). Once per connection (TEMP triggers)."""
    _note_table(conn)
    for table in _tables(conn):
        # The totals themselves are not a row to digest.
        when = f"WHEN {{row}}.key IS NOT '{TOTALS_KEY}'" if table == "meta" else ""
        note = "INSERT INTO changed_rows VALUES ('{table}', {row}.rowid);"
        for event, rows in (("INSERT", ["NEW"]), ("UPDATE", ["OLD", "NEW"]), ("DELETE", ["OLD"])):
            conn.execute(
                f'CREATE TEMP TRIGGER IF NOT EXISTS "digest_{table}_{event.lower()}"'
                f' AFTER {event} ON main."{table}" {when.format(row=rows[-1])} BEGIN '
                + "".join(note.format(table=table, row=row) for row in rows) + " END")


def seal(conn: sqlite3.Connection) -> None:
    """Re-hash the rows noted since the last seal; call inside the transaction that wrote them."""
    try:
        changed = conn.execute("SELECT DISTINCT tbl FROM temp.changed_rows").fetchall()
    except sqlite3.OperationalError:
        return  # not installed on this connection: it writes nothing we digest
    if not changed:
        return
    if _has_table(conn):  # an old-format file digests all its rows when it is upgraded
        totals = _read_totals(conn)
        for (table,) in changed:
            totals[table] = _reseal_table(conn, table, totals.get(table, [0, 0]))
        _write_totals(conn, totals)
    conn.execute("DELETE FROM temp.changed_rows")


def _note_table(conn: sqlite3.Connection) -> None:
    # No key: an upsert's own conflict rule would override a trigger's OR IGNORE. seal() reads
    # it with IN (…), so a row noted twice is hashed once.
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS changed_rows (tbl TEXT NOT NULL, rid INTEGER NOT NULL)")


def seal_rows(conn: sqlite3.Connection, written: Iterable[tuple[str, int]]) -> None:
    """Digest the rows a transaction wrote, as (table, rowid); they are re-read, so they must be
    written already (deleted ones lose their digest)."""
    _note_table(conn)
    conn.executemany("INSERT INTO temp.changed_rows VALUES (?, ?)", written)
    seal(conn)


def seal_change(conn: sqlite3.Connection, rows, audit_from: int, head_key: str) -> None:
    """Digest what a change set wrote: its rows (RowChange: table, rowid, new, rounded) from
    the values it holds, which are the stored ones unless rounded, and the audit entries after
    id audit_from with the meta row head_key, read back. Call inside the transaction, after
    the audit entries."""
    final = {}
    for row in rows:
        final[(row.table, row.rowid)] = row
    known, reread = {}, []
    for (table, rowid), row in final.items():
        if row.rounded:
            reread.append((table, rowid))  # its REAL may differ from the stored one
        else:
            known.setdefault(table, []).append(
                (rowid, None if row.new is None else (rowid, *row.new.values())))
    audited = conn.execute(_rows_sql("audit_log") + " AND id > ?", [audit_from]).fetchall()
    if audited:
        known.setdefault("audit_log", []).extend((row[0], row) for row in audited)
        reread += [("meta", r) for (r,) in conn.execute(
            "SELECT rowid FROM meta WHERE key = ?", [head_key])]
    if not known and not reread:
        return
    if not _has_table(conn):
        return  # an old-format file digests all its rows when it is upgraded
    totals = _read_totals(conn)
    for table, found in known.items():
        totals[table] = _seal_known(conn, table, found, totals.get(table, [0, 0]))
    _write_totals(conn, totals)
    if reread:
        seal_rows(conn, reread)


def seal_range(conn: sqlite3.Connection, table: str, low: int, high: int) -> int:
    """Digest the rows of table with rowid low..high (a bulk write's, store.bulk) in one
    INSERT … SELECT, hashed as _hashed hashes them; returns the sum of their digests (0 in a
    file without digests). Call inside the transaction that wrote them."""
    if not _has_table(conn):
        return 0
    drop_range(conn, table, low, high)  # none, unless the file was edited outside the app
    summed = 0

    def digest(*row):
        nonlocal summed
        value = _row_hash(table, row).digest()
        summed += int.from_bytes(value, "big")  # = int(value.hex(), 16), without the text
        return value.hex()
    columns = [c[1] for c in conn.execute(f'PRAGMA main.table_info("{table}")')]
    # as _problem_column finds it (not for the audit log: bulk rows are content rows)
    problem_sql = "rowid" if table == "problems" else "problem_id" if "problem_id" in columns else "NULL"
    names = ", ".join(f'"{c}"' for c in columns)
    conn.create_function("row_digest", -1, digest)
    try:
        count = conn.execute(
            f"INSERT INTO {TABLE} (tbl, rid, digest, problem_id) SELECT ?, rowid,"
            f' row_digest(rowid, {names}), {problem_sql} FROM main."{table}"'
            " WHERE rowid BETWEEN ? AND ?", [table, low, high]).rowcount
    finally:
        conn.create_function("row_digest", -1, None)
    _move_totals(conn, table, count, summed)
    return summed % _MODULUS


def drop_range(conn: sqlite3.Connection, table: str, low: int, high: int,
               found: tuple[int, int] | None = None) -> None:
    """Remove the digests of table's rows low..high (rows a bulk undo removed); found: their
    (count, sum) as range_sum gave it, when the caller has it already."""
    found = found or range_sum(conn, table, low, high)
    if found and found[0]:
        conn.execute(f"DELETE FROM {TABLE} WHERE tbl = ? AND rid BETWEEN ? AND ?", [table, low, high])
        _move_totals(conn, table, -found[0], -found[1])


def range_sum(conn: sqlite3.Connection, table: str, low: int, high: int) -> tuple[int, int] | None:
    """(count, sum mod 2^128) of the digests stored for table's rows low..high; None in a file
    without digests."""
    if not _has_table(conn):
        return None
    digests = [d for (d,) in conn.execute(
        f"SELECT digest FROM {TABLE} WHERE tbl = ? AND rid BETWEEN ? AND ?", [table, low, high])]
    return len(digests), sum(int(d, 16) for d in digests) % _MODULUS


def _move_totals(conn, table: str, count: int, summed: int) -> None:
    totals = _read_totals(conn)
    before_count, before_sum = totals.get(table, [0, 0])
    totals[table] = [before_count + count, (before_sum + summed) % _MODULUS]
    _write_totals(conn, totals)


def _seal_known(conn, table: str, found: list[tuple[int, tuple | None]], total: list[int]) -> list[int]:
    """Digest rows given as (rowid, the row as _rows_sql selects it, or None when deleted)."""
    rids = [rid for rid, _values in found]
    (highest,) = conn.execute(f"SELECT max(rid) FROM {TABLE} WHERE tbl = ?", [table]).fetchone()
    old = {}
    if highest is not None and min(rids) <= highest:  # new rows past the last digest have none
        wanted = set(rids)
        old = {rid: digest for rid, digest in conn.execute(
            f"SELECT rid, digest FROM {TABLE} WHERE tbl = ? AND rid BETWEEN ? AND ?",
            [table, min(rids), max(rids)]) if rid in wanted}
    present = [values for _rid, values in found if values is not None]
    columns = [] if not present else ["rowid", *(_AUDIT_COLUMNS if table == "audit_log" else (
        c[1] for c in conn.execute(f'PRAGMA main.table_info("{table}")')))]
    return _store(conn, table, total, old, _hashed(table, columns, present))


def rebuild(conn: sqlite3.Connection) -> None:
    """Digest every row from scratch (a new or upgraded file: its content is taken as it is)."""
    conn.execute(f"DELETE FROM {TABLE}")
    totals = {}
    for table in _tables(conn):
        digests = _digests(conn, table, _rows_sql(table))
        conn.executemany(f"INSERT INTO {TABLE} (tbl, rid, digest, problem_id) VALUES (?,?,?,?)",
                         [(table, rid, digest, problem) for rid, digest, problem in digests])
        totals[table] = [len(digests), sum(int(d, 16) for _r, d, _p in digests) % _MODULUS]
    _write_totals(conn, totals)


def _reseal_table(conn, table: str, total: list[int]) -> list[int]:
    old = {rid: digest for rid, digest in conn.execute(
        f"SELECT rid, digest FROM {TABLE} WHERE tbl = ? AND rid IN"
        " (SELECT rid FROM temp.changed_rows WHERE tbl = ?)", [table, table])}
    exists = conn.execute("SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = ?",
                          [table]).fetchone()
    new = [] if not exists else _digests(
        conn, table, _rows_sql(table) + " AND rowid IN"
        " (SELECT rid FROM temp.changed_rows WHERE tbl = ?)", [table])
    return _store(conn, table, total, old, new)


def _store(conn, table: str, total: list[int], old: dict[int, str],
           new: list[tuple[int, str, int | None]]) -> list[int]:
    """Replace the old digests (rid → digest) of rows by the new (rid, digest, problem_id), rows
    absent from new having gone; returns the table's [count, sum] moved on from total."""
    count, summed = total
    count += len(new) - len(old)
    summed += sum(int(d, 16) for _r, d, _p in new) - sum(int(d, 16) for d in old.values())
    kept = {rid for rid, _d, _p in new}
    conn.executemany(f"DELETE FROM {TABLE} WHERE tbl = ? AND rid = ?",
                     [(table, rid) for rid in old if rid not in kept])
    conn.executemany(f"INSERT INTO {TABLE} (tbl, rid, digest, problem_id) VALUES (?,?,?,?)"
                     " ON CONFLICT (tbl, rid) DO UPDATE SET digest = excluded.digest,"
                     " problem_id = excluded.problem_id", [(table, *row) for row in new])
    return [count, summed % _MODULUS]


def _digests(conn, table: str, sql: str, params=()):
    """(rowid, digest, problem_id) of the rows sql selects as (rowid, …)."""
    cursor = conn.execute(sql, params)
    return _hashed(table, [d[0] for d in cursor.description], cursor)


def _hashed(table: str, columns: list[str], rows) -> list[tuple[int, str, int | None]]:
    """(rowid, digest, problem_id) of rows of table given as (rowid, …) in the named columns."""
    problem = _problem_column(table, columns)
    return [(row[0], _row_hash(table, row).hexdigest(),
             problem(row)) for row in rows]


def _row_hash(table: str, row: tuple):
    """The hash of one row given as (rowid, …): the digest's one definition."""
    return hashlib.blake2b(repr((table, row)).encode("utf-8"), digest_size=16)


def _problem_column(table: str, columns: list[str]):
    if table == "problems":
        return lambda row: row[0]
    if "problem_id" in columns:
        index = columns.index("problem_id")
        return lambda row: row[index]
    if table == "audit_log":
        entity, entity_id = columns.index("entity"), columns.index("entity_id")
        return lambda row: row[entity_id] if row[entity] == "problem" else None
    return lambda row: None


def _read_totals(conn) -> dict[str, list[int]]:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", [TOTALS_KEY]).fetchone()
    try:
        return {table: [int(count), int(summed, 16)]
                for table, (count, summed) in json.loads(row[0]).items()}
    except (TypeError, ValueError, AttributeError):
        return {}


def _write_totals(conn, totals: dict[str, list[int]]) -> None:
    value = json.dumps({t: [c, f"{s:032x}"] for t, (c, s) in sorted(totals.items())})
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)"
                 " ON CONFLICT(key) DO UPDATE SET value = excluded.value", [TOTALS_KEY, value])


# -- checking ----------------------------------------------------------------------------------

def check(conn: sqlite3.Connection) -> list[tuple[str, str, str, int | None]]:
    """(table, kind, Chinese message, problem_id) for every row that differs from its digest: kinds
    row_changed, row_deleted, row_added, digests_changed. Nothing for a file without digests."""
    if not _has_table(conn):
        return []
    stored: dict[str, dict[int, tuple[str, int | None]]] = {}
    for table, rid, digest, problem in conn.execute(
            f"SELECT tbl, rid, digest, problem_id FROM {TABLE}"):
        stored.setdefault(table, {})[rid] = (digest, problem)
    totals = _read_totals(conn)
    findings = []
    tables = _tables(conn)
    for table in sorted(set(tables) | set(stored) | set(totals)):
        kept = stored.get(table, {})
        name = TABLE_NAMES.get(table, table)
        summed = sum(int(d, 16) for d, _p in kept.values()) % _MODULUS
        if totals.get(table, [0, 0]) != [len(kept), summed]:
            findings.append((table, "digests_changed", f"“{name}”的校验值表在本软件之外被改动过"
                             "（有校验值被删除或改写），这张表的改动无法逐条确认。", None))
        actual = {} if table not in tables else {
            rid: (digest, problem) for rid, digest, problem in _digests(conn, table, _rows_sql(table))}
        changed = [r for r in actual if r in kept and kept[r][0] != actual[r][0]]
        deleted = [r for r in kept if r not in actual]
        added = [r for r in actual if r not in kept]
        for kind, rids, what, source in (
                ("row_changed", changed, "在本软件之外被改动过（内容与保存时的校验值对不上）", actual),
                ("row_deleted", deleted, "在本软件之外被删除了", kept),
                ("row_added", added, "不是由本软件写入的（没有保存时的校验值）", actual)):
            for rid in sorted(rids)[:MAX_LISTED]:
                findings.append((table, kind, f"{name}第{rid}条{what}。", source[rid][1]))
            if len(rids) > MAX_LISTED:
                findings.append((table, kind, f"{name}另有{len(rids) - MAX_LISTED}条{what}。", None))
    return findings

