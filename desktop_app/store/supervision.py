"""督办 actions on a problem or a unit: each write one transaction (one change set)."""

from ..domain.supervision import SupervisionKind
from .dates import clean_row
from .ledger import Ledger

ENTITY = "supervision"
FIELDS = ("kind", "issued_on", "issued_by", "target_unit", "note", "document")
_DATES = {"issued_on": "督办日期"}


def add(ledger: Ledger, kind: str, problem_id: int | None = None,
        inspection_id: int | None = None, **fields) -> int:
    """One 督办 (kind, issued_on, issued_by, target_unit, note, document) on a problem, or on a
    unit (target_unit) within an inspection; a problem's inspection is taken from it."""
    values = clean_row({"kind": SupervisionKind(kind).value, **fields}, FIELDS, _DATES, ENTITY)
    with ledger.writing():
        if problem_id is not None:
            inspection_id = ledger.inspection_of("problem", problem_id)
            if not values.get("target_unit"):
                values["target_unit"] = ledger.row("problem", problem_id)["lead_unit"]
        if problem_id is None and not values.get("target_unit"):
            raise ValueError("督办要么针对一个问题，要么写明被督办单位。")
        values.update(problem_id=problem_id, inspection_id=inspection_id)
        return ledger.db["supervisions"].insert(values).last_pk


def update(ledger: Ledger, supervision_id: int, **fields) -> dict:
    fields = clean_row(fields, FIELDS, _DATES, ENTITY)
    if "kind" in fields:
        fields["kind"] = SupervisionKind(fields["kind"]).value
    with ledger.writing():
        current = dict(ledger.db["supervisions"].get(supervision_id))
        changed = {k: v for k, v in fields.items() if current[k] != v}
        if changed:
            ledger.db["supervisions"].update(supervision_id, changed)
        return {k: current[k] for k in changed}


def delete(ledger: Ledger, supervision_id: int) -> dict:
    with ledger.writing():
        row = dict(ledger.db["supervisions"].get(supervision_id))
        ledger.db.execute("DELETE FROM supervisions WHERE id = ?", [supervision_id])
        return row


def of_problem(ledger: Ledger, problem_id: int) -> list[dict]:
    return list(ledger.db.query("SELECT * FROM supervisions WHERE problem_id = ?"
                                " ORDER BY issued_on IS NULL, issued_on, id", [problem_id]))


def scope_rows(ledger: Ledger, inspection_id: int | None, as_of=None) -> list[dict]:
    """The 督办 of one inspection (None: all), issued on or before as_of (undated: counted)."""
    sql, params = "SELECT * FROM supervisions WHERE 1", []
    if inspection_id is not None:
        sql, params = sql + " AND inspection_id = ?", [inspection_id]
    if as_of is not None:
        sql, params = sql + " AND (issued_on IS NULL OR issued_on <= ?)", [*params, as_of.isoformat()]
    return list(ledger.db.query(sql + " ORDER BY issued_on IS NULL, issued_on, id", params))
