"""The audit trail: every change set recorded in its own transaction, hash-chained.

Each change set gives one header entry (action "change": its label and where it came from) and
then one entry per row it wrote: "create" with the new row, "delete" with the old one, "update"
per changed column, "move" where a row changed place in the tree; rows written in bulk (an
import's, a merge's: store.bulk) one entry per table, field "rows", naming their ids.
"""

import getpass
import hashlib
import json
from collections.abc import Iterable, Iterator
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
    append(conn, [(action, entity, entity_id, field, old, new)], app_user)


def append(conn, entries: Iterable[tuple], app_user: str = "") -> None:
    """Append (action, entity, entity_id, field, old, new) entries, chained, and move the head.
    The entries are hashed as SQLite takes them: a merge's half a million are never all held."""
    last = conn.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    digest, written = (last[0] if last else GENESIS), 0
    at, user = datetime.now().isoformat(timespec="seconds"), os_user()

    def rows():
        nonlocal digest, written
        for action, entity, entity_id, field, old, new in entries:
            old_value, new_value = _encode(old), _encode(new)
            prev_hash, digest = digest, entry_hash(digest, at, user, app_user, action, entity,
                                                   entity_id, field, old_value, new_value)
            written += 1
            yield (at, user, app_user, action, entity, entity_id, field, old_value, new_value,
                   prev_hash, digest)
    conn.executemany(
        "INSERT INTO audit_log (at, os_user, app_user, action, entity, entity_id, field,"
        " old_value, new_value, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows())
    if not written:
        return
    head = read_head(conn)
    count = (head[0] + written if head
             else conn.execute("SELECT count(*) FROM audit_log").fetchone()[0])
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)"
                 " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                 (HEAD_KEY, json.dumps({"entries": count, "hash": digest})))


# The field of an entry about rows written in bulk: its value is {"from", "to", "count"}.
RANGE_FIELD = "rows"

# Columns whose change is a row moving in the tree, by table: (its parent column or None).
_PLACE = {"inspections": None, "categories": "parent_id", "problems": "category_id",
          "measures": "problem_id"}
_BOOKKEEPING = {"updated_at"}


def _filled(row: dict) -> dict:
    return {k: v for k, v in row.items() if v not in (None, "")}


def _meta_entity(key: str) -> tuple[str, int | None, str]:
    """Settings kept in the meta table, named as the clerk knows them: (entity, id, field)."""
    if key.startswith("summary_text/"):
        scope = key.split("/")[1]
        return "summary_text", None if scope == "all" else int(scope), key
    return {"title": ("ledger", None, "title"),
            "evidence_kinds": ("evidence", None, "evidence_kinds")}.get(key, ("meta", None, key))


def _net(rows) -> list[list]:
    """Each row written once, as [table, rowid, before or None, after or None, writes], in the
    order first written: a move's passing steps and an insert's later fill-ins are no history."""
    net: dict[tuple, list] = {}
    for row in rows:
        key = (row.table, row.rowid)
        if key in net:
            net[key][3] = row.new
            net[key][4] += 1
        else:
            net[key] = [row.table, row.rowid, row.old, row.new, 1]
    return [v for v in net.values() if v[2] != v[3]]


def _shifted(net: list[list]) -> set[tuple]:
    """Rows that only moved up or down one place because a sibling came, went or moved
    (Ledger.move parks the moved row first, so it is written twice): recorded as
    "renumber", which a problem's history leaves out."""
    cause = {t for t, _r, old, new, writes in net if old is None or new is None or writes > 1
             or (t in _PLACE and _PLACE[t] and old[_PLACE[t]] != new[_PLACE[t]])}
    shifted = set()
    for table, rowid, old, new, writes in net:
        if table in cause and old and new and writes == 1:
            changed = {c for c in new if old.get(c) != new[c]} - _BOOKKEEPING
            if changed == {"position"} and abs(new["position"] - old["position"]) == 1:
                shifted.add((table, rowid))
    return shifted


def change_entries(change_set) -> Iterator[tuple]:
    """(action, entity, entity_id, field, old, new) for each entry a change set records."""
    from .changes import ENTITIES, RowRange  # the audit trail reads change sets; they never read it
    yield ("change", "change_set", change_set.row_count, change_set.label, None,
           {"source": change_set.source} if change_set.source else None)
    created = "restore" if change_set.replay else "create"
    ranges = [r for r in change_set.rows if isinstance(r, RowRange)]
    net = _net(r for r in change_set.rows if not isinstance(r, RowRange))
    shifted = _shifted(net)
    for table, rowid, old, new, _writes in net:
        entity = ENTITIES.get(table, table)
        if table == "meta":
            entity, entity_id, key = _meta_entity((new or old)["key"])
            yield ("update", entity, entity_id, key, old and old["value"], new and new["value"])
        elif old is None:
            yield (created, entity, rowid, None, None, _filled(new))
        elif new is None:
            yield ("delete", entity, rowid, None, _filled(old), None)
        else:
            changed = [c for c in new if old.get(c) != new[c] and c not in _BOOKKEEPING]
            if table in _PLACE and ("position" in changed or _PLACE[table] in changed):
                parent = _PLACE[table]
                action = "renumber" if (table, rowid) in shifted else "move"
                yield (action, entity, rowid, parent or "position",
                       {"parent": old.get(parent), "index": old["position"]},
                       {"parent": new.get(parent), "index": new["position"]})
                changed = [c for c in changed if c not in ("position", parent)]
            for c in changed:
                yield ("update", entity, rowid, c, old[c], new[c])
    # Rows written in bulk (store.bulk): one entry a table, naming the ids; the rows' digests
    # keep their content as written.
    for r in ranges:
        span = {"from": r.low, "to": r.high, "count": r.count}
        entity = ENTITIES.get(r.table, r.table)
        yield ((created, entity, None, RANGE_FIELD, None, span) if r.op == "insert"
               else ("delete", entity, None, RANGE_FIELD, span, None))


def record_change_set(conn, change_set, app_user: str = "") -> None:
    """Append a change set's entries; call inside the transaction that made it."""
    append(conn, change_entries(change_set), app_user)


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
