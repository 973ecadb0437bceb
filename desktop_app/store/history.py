"""Reading the audit trail back for people: a problem's history, the whole log for export."""

import json
from datetime import datetime

from ..domain.field_names import ACTIONS, ENTITIES, field_label
from ..domain.notice import chinese_date
from ..domain.signoff import checklist_from_json
from .audit import RANGE_FIELD

# The field that names a row when the entry is about the whole row (created, deleted, restored).
_NAMING_FIELD = {"inspection": "name", "category": "title", "problem": "description",
                 "measure": "text", "progress_report": "text", "deadline_change": "new_text",
                 "signoff": "stage", "signoff_event": "to_stage", "holiday": "day"}
_COLUMNS = ("id", "at", "os_user", "app_user", "action", "entity", "entity_id", "field",
            "old_value", "new_value", "hash")


def _decode(value):
    if value is None:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return value


def _row_name(entity: str, row) -> str:
    if isinstance(row, dict):
        return str(row.get(_NAMING_FIELD.get(entity, ""), "") or "")
    return ""


# What a move's "parent" is, by the column the move changed, and the column that names it.
_PARENTS = {"category_id": ("categories", "title"), "parent_id": ("categories", "title"),
            "problem_id": ("problems", "code")}


def _parent_name(conn, column: str | None, parent_id) -> str:
    table, name = _PARENTS.get(column or "", (None, None))
    if table is None or parent_id is None:
        return ""
    row = conn.execute(f"SELECT {name} FROM {table} WHERE id = ?", [parent_id]).fetchone()
    return f"“{row[0]}”" if row and row[0] else f"编号{parent_id}"


def _move_texts(conn, entry: dict) -> tuple[str, str]:
    old, new = entry["old"], entry["new"]
    if not (isinstance(old, dict) and isinstance(new, dict)):
        return "", ""
    if old.get("parent") == new.get("parent"):
        return f"第{int(old.get('index', 0)) + 1}位", f"第{int(new.get('index', 0)) + 1}位"
    return tuple(f"{_parent_name(conn, entry['field'], side.get('parent'))}第{int(side.get('index', 0)) + 1}位"
                 for side in (old, new))


def _text(entry: dict, value) -> str:
    """What a clerk reads in the 原值/新值 column."""
    action, entity = entry["action"], entry["entity"]
    if value is None:
        return ""
    if entity == "ledger" and isinstance(value, dict) and "backup" in value:
        return f"备份“{value['backup']}”"
    if entity == "report_package" and isinstance(value, dict):
        return (f"{value.get('org', '')}（截至{value.get('period', '')}，{value.get('file', '')}）："
                f"新增{value.get('added', 0)}个，更新{value.get('updated', 0)}个，移除{value.get('removed', 0)}个")
    if entry["field"] == RANGE_FIELD and isinstance(value, dict):
        return f"共{value.get('count', 0)}条（编号{value.get('from')}至{value.get('to')}）"
    if action in ("create", "delete", "restore"):
        if isinstance(value, list) and value and isinstance(value[0], list) and len(value[0]) == 2:
            value = value[0][1]  # [[table, row], …]: the row itself, then what cascaded with it
        if isinstance(value, dict):
            return _row_name(entity, value)
    if entity == "signoff" and entry["field"] == "checklist":
        return _checklist_text(value)
    if isinstance(value, dict):
        return "；".join(f"{field_label(entity, key)}：{_plain(item)}" for key, item in value.items()
                        if item not in (None, ""))
    if isinstance(value, list):
        return "；".join(_plain(item) for item in value)
    return str(value)


def _plain(value) -> str:
    if isinstance(value, dict):
        return "，".join(_plain(item) for item in value.values() if item not in (None, ""))
    if isinstance(value, list):
        return "、".join(_plain(item) for item in value)
    return {True: "是", False: "否"}.get(value, str(value)) if isinstance(value, bool) else str(value)


def _checklist_text(value) -> str:
    """The 验收清单 as ticked boxes (it is stored as JSON text)."""
    items = checklist_from_json(value) if isinstance(value, str) else []
    if not items and value:
        return str(value)
    return "；".join(("☑" if item.checked else "☐") + item.item for item in items)


def clerk_time(stamp: str) -> str:
    """2026-11-03T14:05:09 as a clerk reads it: 2026年11月3日 14:05."""
    try:
        moment = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return stamp or ""
    return f"{chinese_date(moment.date())} {moment:%H:%M}"


def _entry(conn, row: tuple) -> dict:
    entry = dict(zip(_COLUMNS, row))
    entry["at_text"] = clerk_time(entry["at"])
    entry["old"], entry["new"] = _decode(entry.pop("old_value")), _decode(entry.pop("new_value"))
    entry["action_label"] = ("从备份恢复" if entry["entity"] == "ledger" and entry["action"] == "restore"
                             else ACTIONS.get(entry["action"], entry["action"]))
    entry["entity_label"] = ENTITIES.get(entry["entity"], entry["entity"])
    entry["field_label"] = field_label(entry["entity"], entry["field"])
    if entry["action"] in ("move", "renumber"):
        entry["old_text"], entry["new_text"] = _move_texts(conn, entry)
    else:
        entry["old_text"], entry["new_text"] = _text(entry, entry["old"]), _text(entry, entry["new"])
    return entry


def audit_entries(conn, newest_first: bool = False):
    """Every audit entry as a display dict (see problem_history), oldest first by default."""
    order = "DESC" if newest_first else "ASC"
    for row in conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM audit_log ORDER BY id {order}"):
        yield _entry(conn, row)


# Entries whose row names the problem it belongs to: created, deleted or restored under it
# ({…} or [[table, {…}], …]), or a measure moved to or from it.
_NAMES_THE_PROBLEM = """
    json_extract(new_value, '$.problem_id') = :p OR json_extract(old_value, '$.problem_id') = :p
    OR json_extract(new_value, '$[0][1].problem_id') = :p
    OR json_extract(old_value, '$[0][1].problem_id') = :p
    OR (entity = 'measure' AND action = 'move' AND (json_extract(new_value, '$.parent') = :p
                                                    OR json_extract(old_value, '$.parent') = :p))"""


# An entry about problems written in bulk whose range holds problem :p.
_IN_RANGE = """(entity_id IS NULL AND field = :rows AND :p BETWEEN
    json_extract(coalesce(new_value, old_value), '$.from')
    AND json_extract(coalesce(new_value, old_value), '$.to'))"""


def problem_history(ledger, problem_id: int) -> list[dict]:
    """The entries about one problem and what belongs to it — measures (those deleted or moved
    away included), progress reports, deadline changes, sign-offs and their steps — newest first.

    Each dict: id, at (and at_text, as a clerk reads it), os_user, app_user, action, entity, entity_id, field, old, new (decoded
    JSON), hash, and for display action_label (修改…), entity_label (反馈问题/整改措施 …),
    field_label (反馈问题, 整改目标 …), old_text, new_text.
    """
    conn = ledger.db.conn
    # Ids are reused after the newest row is deleted: this problem's life starts at its creation,
    # alone or in bulk (an import, a merge: an entry naming a range of ids).
    params = {"p": problem_id, "rows": RANGE_FIELD}
    params["start"] = conn.execute(
        "SELECT max(id) FROM audit_log WHERE entity = 'problem' AND action = 'create'"
        f" AND (entity_id = :p OR {_IN_RANGE})", params).fetchone()[0] or 0
    owned = "SELECT DISTINCT entity, entity_id FROM audit_log WHERE id >= :start AND entity NOT IN" \
            f" ('problem', 'ledger', 'inspection', 'category') AND ({_NAMES_THE_PROBLEM})"
    # A sign-off's steps name their sign-off, not the problem.
    steps = "SELECT 'signoff_event', entity_id FROM audit_log WHERE id >= :start" \
            " AND entity = 'signoff_event' AND json_extract(coalesce(new_value, old_value)," \
            " '$.signoff_id') IN (SELECT entity_id FROM audit_log WHERE entity = 'signoff'" \
            f" AND id >= :start AND ({_NAMES_THE_PROBLEM}))"
    rows = conn.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM audit_log WHERE id >= :start AND ("
        f" (entity = 'problem' AND (entity_id = :p OR {_IN_RANGE}))"
        f" OR (entity, entity_id) IN ({owned} UNION {steps})) ORDER BY id", params).fetchall()
    history, owner = [], {}  # (entity, id) → the problem it belonged to at that point
    for row in rows:
        entry = _entry(conn, row)
        if entry["action"] == "renumber":  # a sibling came, went or moved: not this row's story
            continue
        if entry["entity"] == "problem" or _belongs(entry, owner, problem_id):
            history.append(entry)
    history.reverse()
    return history


def _named_problem(value):
    """The problem_id a row in an entry names: {…} or [[table, {…}], …]."""
    if isinstance(value, list) and value and isinstance(value[0], list) and len(value[0]) == 2:
        value = value[0][1]
    return value.get("problem_id", ...) if isinstance(value, dict) else ...


def _belongs(entry: dict, owner: dict, problem_id: int) -> bool:
    """Follow each row's owner through the log: ids are reused and measures move."""
    key, action = (entry["entity"], entry["entity_id"]), entry["action"]
    if action == "move" and isinstance(entry["new"], dict):
        was = entry["old"].get("parent") if isinstance(entry["old"], dict) else owner.get(key)
        owner[key] = entry["new"].get("parent")
        return problem_id in (was, owner[key])
    named = _named_problem(entry["new"] if action in ("create", "restore") else entry["old"])
    if named is not ... and (action in ("create", "restore") or key not in owner):
        owner[key] = named
    elif key not in owner and entry["entity"] == "signoff_event":
        value = entry["new"] if isinstance(entry["new"], dict) else entry["old"]
        signoff = value.get("signoff_id") if isinstance(value, dict) else None
        owner[key] = owner.get(("signoff", signoff))
    return owner.get(key) == problem_id
