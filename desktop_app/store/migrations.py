"""Schema migrations: MIGRATIONS[n](conn) turns a version-n file into version n + 1.

connection.migrate copies the file first and runs every step in one transaction.
"""

from collections.abc import Callable
import sqlite3

from .schema import ROW_DIGESTS


def add_row_digests(conn: sqlite3.Connection) -> None:
    """Version 2: row_digests, for `check` to find rows changed outside the app (filled by
    connection.migrate, which digests every row after the last step)."""
    conn.execute(ROW_DIGESTS)


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: add_row_digests}
