"""Bulk writes: the many rows an import or a merge creates, kept as ranges of ids, not row by row.

A merge of 200 townships creates 488,000 rows. Logged one by one (store.changes), each became a
JSON text, a decoded dict, an audit entry with its hash and a digest, in Python: 22 of a 25 s
merge, and a gigabyte held for undo. After Ledger.capture_in_bulk(tables), the rows a listed
table gains above its highest rowid are not logged; when the change closes they become one
RowRange per table: digested in one INSERT … SELECT (store.row_digests), one audit entry (store.audit),
undone by deleting the range, whose rows wait in a temp table of the connection for a redo.
Updates and deletes of those rows in the same change are part of the range as it stands.
"""

import itertools
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from . import changes, row_digests
from .changes import BULK, RowChange, RowRange

_ALL = 2**63 - 1  # "and every rowid above": a range being written
_kept_names = itertools.count(1)


def begin(conn: sqlite3.Connection, tables, columns: dict[str, list[str]]) -> None:
    """Capture what these tables gain from now to the end of the open change as ranges. Name
    parents first: a range is undone after the ranges named after it. columns: the tracked
    tables' (changes.install)."""
    for table in tables:
        if conn.execute(f"SELECT 1 FROM {BULK} WHERE tbl = ? AND created", [table]).fetchone():
            continue
        (low,) = conn.execute(f'SELECT coalesce(max(rowid), 0) + 1 FROM main."{table}"').fetchone()
        conn.execute(f"INSERT INTO {BULK} (tbl, low, high, created) VALUES (?, ?, ?, 1)",
                     [table, low, _ALL])
        changes.log_inserts_below(conn, table, columns[table], low)


def low(conn: sqlite3.Connection, table: str) -> int:
    """The first rowid of the range table is gaining in the open change (begin captured it)."""
    return conn.execute(f"SELECT low FROM {BULK} WHERE tbl = ? AND created", [table]).fetchone()[0]


@contextmanager
def unlogged_inserts(conn: sqlite3.Connection, table: str, columns: list[str]) -> Iterator[int]:
    """Around statements that insert into table only rows its open range covers: ids given,
    each at or above the range's low (yielded; the statement keeps to it, WHERE id >= low).
    Not for rowids SQLite picks: after a delete of the top rows it reuses ids below low. The
    insert trigger is away meanwhile, as it would log none of those rows (a merge's 488,000:
    0.4 s of per-row trigger work)."""
    first = low(conn, table)
    changes.stop_logging_inserts(conn, table)
    try:
        yield first
    finally:
        changes.log_inserts_below(conn, table, columns, first)


def close(conn: sqlite3.Connection, columns: dict[str, list[str]]) -> list[RowRange]:
    """The ranges the open change created, digested; and the capture ends. Inside the transaction."""
    opened = conn.execute(f"SELECT tbl, low FROM {BULK} WHERE created ORDER BY seq").fetchall()
    ranges = []
    for table, low in opened:
        changes.log_every_insert(conn, table, columns[table])
        count, high = conn.execute(f'SELECT count(*), max(rowid) FROM main."{table}" WHERE rowid >= ?',
                                   [low]).fetchone()
        if count:
            ranges.append(RowRange(table, "insert", low, high, count,
                                   row_digests.seal_range(conn, table, low, high)))
    conn.execute(f"DELETE FROM {BULK}")  # (a change that fails rolls its ranges back with it)
    return ranges


def replay(conn: sqlite3.Connection, rows: list[RowChange | RowRange],
           columns: dict[str, list[str]], forward: bool) -> list[RowRange]:
    """Apply a change set forward (redo) or its inverse in reverse order (undo), inside the
    caller's transaction; returns the ranges this wrote (the replay's own change set needs
    them). Raises ReplayConflictError, for the caller to roll back, if the ledger moved on."""
    conn.execute("PRAGMA defer_foreign_keys = ON")  # cascaded rows come back in any order
    done = []
    for change in (rows if forward else reversed(rows)):
        if isinstance(change, RowRange):
            if change.table not in columns:
                raise changes.conflict(change.table, _span(change), "台账的结构已经改变，不能再撤销或重做")
            put_back = (change.op == "insert") == forward
            done.append(_restore(conn, change, columns[change.table]) if put_back
                        else _remove(conn, change))
        else:
            changes.replay_row(conn, change, columns, forward)
    return done


def _span(r: RowRange) -> str:
    return f"{r.low}–{r.high}，共{r.count}条"


def _remove(conn: sqlite3.Connection, r: RowRange) -> RowRange:
    """Delete the range's rows, if they are still as the change left them; kept for putting back."""
    (present,) = conn.execute(f'SELECT count(*) FROM main."{r.table}" WHERE rowid BETWEEN ? AND ?',
                              [r.low, r.high]).fetchone()
    digests = row_digests.range_sum(conn, r.table, r.low, r.high)
    if present != r.count or digests not in (None, (r.count, r.digest)):
        raise changes.conflict(r.table, _span(r), "这一步之后台账又有了改动，不能再撤销或重做")
    r.kept = f"kept_rows_{next(_kept_names)}"
    conn.execute(f'CREATE TEMP TABLE "{r.kept}" AS SELECT rowid AS kept_rowid, *'
                 f' FROM main."{r.table}" WHERE rowid BETWEEN ? AND ?', [r.low, r.high])
    conn.execute(f"INSERT INTO {BULK} (tbl, low, high, created) VALUES (?, ?, ?, 0)",
                 [r.table, r.low, r.high])
    conn.execute(f'DELETE FROM main."{r.table}" WHERE rowid BETWEEN ? AND ?', [r.low, r.high])
    row_digests.drop_range(conn, r.table, r.low, r.high, digests)
    return RowRange(r.table, "delete", r.low, r.high, r.count, r.digest)


def _restore(conn: sqlite3.Connection, r: RowRange, columns: list[str]) -> RowRange:
    """Put back the rows _remove kept (redo after undo), where no row has taken their ids since."""
    kept = r.kept and conn.execute("SELECT 1 FROM temp.sqlite_master WHERE type = 'table' AND name = ?",
                                   [r.kept]).fetchone()
    taken = conn.execute(f'SELECT 1 FROM main."{r.table}" WHERE rowid BETWEEN ? AND ? LIMIT 1',
                         [r.low, r.high]).fetchone()
    if not kept or taken:
        raise changes.conflict(r.table, _span(r), "这一步之后台账又有了改动，不能再撤销或重做")
    names = ", ".join(f'"{c}"' for c in columns)
    conn.execute(f"INSERT INTO {BULK} (tbl, low, high, created) VALUES (?, ?, ?, 0)",
                 [r.table, r.low, r.high])
    conn.execute(f'INSERT INTO main."{r.table}" (rowid, {names}) SELECT kept_rowid, {names}'
                 f' FROM temp."{r.kept}"')
    conn.execute(f'DROP TABLE temp."{r.kept}"')
    return RowRange(r.table, "insert", r.low, r.high, r.count,
                    row_digests.seal_range(conn, r.table, r.low, r.high))
