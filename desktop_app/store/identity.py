"""Which ledger a file is: a random id kept in the meta table, carried by every workbook we export.

A form or an export that comes back names its ledger by this id, so that one from another
ledger is told apart from one of this ledger (a copy or backup of a ledger keeps its id).
"""

import sqlite3
import uuid

LEDGER_ID_KEY = "ledger_id"


def new_ledger_id(conn: sqlite3.Connection) -> None:
    """Give a ledger file its id (at creation, and for files made before ids existed)."""
    conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)",
                 (LEDGER_ID_KEY, uuid.uuid4().hex))


def ledger_id(ledger) -> str:
    row = ledger.db.execute("SELECT value FROM meta WHERE key = ?", [LEDGER_ID_KEY]).fetchone()
    return row[0] if row else ""
