"""Schema migrations: MIGRATIONS[n](conn) turns a version-n file into version n + 1.

connection.migrate copies the file first and runs every step in one transaction.
"""

from collections.abc import Callable
import sqlite3

MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {}
