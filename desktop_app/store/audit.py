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


def _encode(value) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)


def entry_hash(prev_hash: str, at: str, user: str, app_user: str, action: str, entity: str,
               entity_id, field, old_value, new_value) -> str:
    payload = json.dumps([prev_hash, at, user, app_user, action, entity, entity_id, field,
                          old_value, new_value], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(conn, action: str, entity: str, entity_id: int | None, field: str | None = None,
           old=None, new=None, app_user: str = "") -> None:
    """Append one entry; call inside the transaction that makes the change."""
    last = conn.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    prev_hash = last[0] if last else GENESIS
    at = datetime.now().isoformat(timespec="seconds")
    user = os_user()
    old_value, new_value = _encode(old), _encode(new)
    digest = entry_hash(prev_hash, at, user, app_user, action, entity, entity_id, field,
                        old_value, new_value)
    conn.execute(
        "INSERT INTO audit_log (at, os_user, app_user, action, entity, entity_id, field,"
        " old_value, new_value, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (at, user, app_user, action, entity, entity_id, field, old_value, new_value,
         prev_hash, digest))
    head = read_head(conn)
    entries = head[0] + 1 if head else conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)"
                 " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                 (HEAD_KEY, json.dumps({"entries": entries, "hash": digest})))


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
