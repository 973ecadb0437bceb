"""Schema migrations: MIGRATIONS[n](conn) turns a version-n file into version n + 1.

connection.migrate copies the file first and runs every step in one transaction.
"""

from collections.abc import Callable
import sqlite3

from .identity import new_ledger_id
from .schema import ROW_DIGESTS


def add_row_digests(conn: sqlite3.Connection) -> None:
    """row_digests, for `check` to find rows changed outside the app (filled by
    connection.migrate, which digests every row after the last step)."""
    conn.execute(ROW_DIGESTS)


def _add_merge_tables(conn: sqlite3.Connection) -> None:
    """The tables a county ledger keeps about the 上报包 it merged."""
    from .schema import MERGE_TABLES
    for statement in MERGE_TABLES.split(";"):
        if statement.strip():
            conn.execute(statement)


def add_follow_up_tables(conn: sqlite3.Connection) -> None:
    """The 回头看, link, 督办 and 责任追究 tables (new tables only)."""
    from .schema import FOLLOW_UP_TABLES
    for statement in FOLLOW_UP_TABLES.split(";"):
        if statement.strip():
            conn.execute(statement)


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: new_ledger_id,  # forms and exports name the ledger they came from
    2: _add_merge_tables,
    3: add_row_digests,
    4: add_follow_up_tables,
}
