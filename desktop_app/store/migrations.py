"""Schema migrations: MIGRATIONS[n](conn) turns a version-n file into version n + 1.

connection.migrate copies the file first and runs every step in one transaction.
"""

from collections.abc import Callable
import sqlite3

MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {}


def add_follow_up_tables(conn: sqlite3.Connection) -> None:
    """Version 1 → 2: the 回头看, link, 督办 and 责任追究 tables (new tables only)."""
    from .schema import FOLLOW_UP_TABLES
    for statement in FOLLOW_UP_TABLES.split(";"):
        if statement.strip():
            conn.execute(statement)


MIGRATIONS[1] = add_follow_up_tables
