"""Damaging ledger files the way power cuts and pulled sticks do, and reading files back."""

import sqlite3
from pathlib import Path


def rows(path, sql, params=()):
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def dump(path, without_audit_head=True):
    """Every row of every table of a file, as plain SQL reads them; without_audit_head leaves out
    the audit head and the row digests too (bookkeeping that follows every audit entry)."""
    tables = [r[0] for r in rows(path, "SELECT name FROM sqlite_master WHERE type = 'table'"
                                       " ORDER BY name")]
    content = {t: rows(path, f"SELECT * FROM {t} ORDER BY rowid") for t in tables}
    if without_audit_head:
        content.pop("row_digests", None)
        content["meta"] = [r for r in content["meta"] if r[0] not in ("audit_head", "row_digests")]
    return content


def scramble_page(path, name):
    """Point every cell of the b-tree page of table or index `name` past its page's end.

    An index page so damaged gives integrity_check lines; a table page makes reading it fail.
    """
    conn = sqlite3.connect(path)
    try:
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [name]).fetchone()[0]
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    data = bytearray(Path(path).read_bytes())
    start = (root - 1) * page_size
    header = 12 if data[start] in (2, 5) else 8  # interior pages carry a right-child pointer
    cells = int.from_bytes(data[start + 3:start + 5], "big")
    for i in range(cells):
        at = start + header + 2 * i
        data[at:at + 2] = (page_size - 3).to_bytes(2, "big")
    Path(path).write_bytes(bytes(data))


def truncate(path, keep_bytes=8192):
    """What a copy cut short by a pulled USB stick looks like."""
    data = Path(path).read_bytes()
    Path(path).write_bytes(data[:keep_bytes])
