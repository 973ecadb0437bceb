"""The audit trail: every change recorded in the change's own transaction, hash-chained."""

import getpass
import hashlib
import json
from datetime import datetime

GENESIS = "0" * 64
# meta row holding {"entries": n, "hash": h} of the newest entry: a chain alone cannot show that
# its last rows were deleted, the head written in the same transaction can.
HEAD_KEY = "audit_head"


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment (some service accounts)
        return "未知用户"


# One encoder each, made once: json.dumps with these options builds a new one per call, which
# was a quarter of writing an import's 40,000 audit entries. Output is json.dumps's.
_VALUES = json.JSONEncoder(ensure_ascii=False, default=str)
_PAYLOAD = json.JSONEncoder(ensure_ascii=False)


def _encode(value) -> str | None:
    return None if value is None else _VALUES.encode(value)


def entry_hash(prev_hash: str, at: str, user: str, app_user: str, action: str, entity: str,
               entity_id, field, old_value, new_value) -> str:
    payload = _PAYLOAD.encode([prev_hash, at, user, app_user, action, entity, entity_id, field,
                               old_value, new_value])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(conn, action: str, entity: str, entity_id: int | None, field: str | None = None,
           old=None, new=None, app_user: str = "") -> None:
    """Append one entry; call inside the transaction that makes the change."""
    record_many(conn, [(action, entity, entity_id, field, old, new)], app_user)


def record_many(conn, entries, app_user: str = "") -> None:
    """Append (action, entity, entity_id, field, old, new) entries in order, chained as record()
    would one by one, with one executemany and one head update (a bulk import writes tens of
    thousands); call inside the transaction that makes the changes."""
    entries = list(entries)
    if not entries:
        return
    last = conn.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    digest = last[0] if last else GENESIS
    at = datetime.now().isoformat(timespec="seconds")
    user = os_user()
    rows = []
    for action, entity, entity_id, field, old, new in entries:
        old_value, new_value = _encode(old), _encode(new)
        prev_hash, digest = digest, entry_hash(digest, at, user, app_user, action, entity,
                                               entity_id, field, old_value, new_value)
        rows.append((at, user, app_user, action, entity, entity_id, field, old_value, new_value,
                     prev_hash, digest))
    conn.executemany(
        "INSERT INTO audit_log (at, os_user, app_user, action, entity, entity_id, field,"
        " old_value, new_value, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
    head = read_head(conn)
    count = head[0] + len(rows) if head else conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)"
                 " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                 (HEAD_KEY, json.dumps({"entries": count, "hash": digest})))


def read_head(conn) -> tuple[int, str] | None:
    """(number of entries, hash of the newest) as last recorded; None if never recorded.

    An unreadable head reads as (-1, ""), which matches no chain.
    """
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (HEAD_KEY,)).fetchone()
    if row is None:
        return None
    try:
        data = json.loads(row[0])
        return int(data["entries"]), str(data["hash"])
    except (TypeError, ValueError, KeyError):
        return -1, ""
