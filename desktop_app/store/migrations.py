"""Schema migrations: MIGRATIONS[n](conn) turns a version-n file into version n + 1.

connection.migrate copies the file first and runs every step in one transaction.
"""

from collections.abc import Callable
import sqlite3

MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {}


def _add_merge_tables(conn: sqlite3.Connection) -> None:
    """Version 2: the tables a county ledger keeps about the 上报包 it merged."""
    from .schema import MERGE_TABLES
    for statement in MERGE_TABLES.split(";"):
        if statement.strip():
            conn.execute(statement)


MIGRATIONS[1] = _add_merge_tables
