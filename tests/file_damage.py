"""Damaging ledger files the way power cuts and pulled sticks do, and reading files back."""

import io
import sqlite3
import zipfile
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


# -- damaged import files: what a half-downloaded attachment or a bad USB stick hands a clerk ------

def truncations(data: bytes, count: int = 24):
    """(label, bytes): data cut short at count offsets spread over the whole file."""
    for at in sorted({max(1, len(data) * i // count) for i in range(count)}):
        yield f"截断于{at}", data[:at]


def flips(data: bytes, count: int = 40):
    """(label, bytes): one byte inverted at count offsets spread over the whole file."""
    for at in sorted({len(data) * i // count for i in range(count)}):
        damaged = bytearray(data)
        damaged[at] ^= 0xFF
        yield f"翻转{at}", bytes(damaged)


def zip_members(data: bytes) -> list[zipfile.ZipInfo]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.infolist()


def bad_crcs(data: bytes):
    """(label, bytes): for each member of a zip, its CRC-32 changed in the local and central
    headers (the content left as it is), as a bit flipped in transit looks to zipfile."""
    for info in zip_members(data):
        damaged = bytearray(data)
        wrong = (info.CRC ^ 0x5A5A5A5A).to_bytes(4, "little")
        damaged[info.header_offset + 14:info.header_offset + 18] = wrong
        at = _central_entry(data, info)
        damaged[at + 16:at + 20] = wrong
        yield f"{info.filename}校验码错", bytes(damaged)


def _central_entry(data: bytes, info: zipfile.ZipInfo) -> int:
    """Where info's entry in the central directory starts."""
    name = info.filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437")
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = int.from_bytes(data[at + 28:at + 30], "little")
        if data[at + 46:at + 46 + length] == name:
            return at
        at = data.find(b"PK\x01\x02", at + 4)
    raise KeyError(info.filename)


def member_replaced(data: bytes, member: str, content: bytes) -> bytes:
    """The zip with one member's content replaced (a well-formed zip holding a wrong part)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, content if info.filename == member else source.read(info))
    return out.getvalue()
