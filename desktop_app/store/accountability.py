"""责任追究 cases, with the units and persons held accountable: each write one transaction."""

from ..domain.accountability import Level, UnitKind
from .dates import clean_row
from .ledger import Ledger

ENTITY = "accountability"
CASE_FIELDS = ("title", "decided_on", "note", "problem_id", "inspection_id")
_DATES = {"decided_on": "处理日期"}


def add_case(ledger: Ledger, title: str, inspection_id: int | None = None,
             problem_id: int | None = None, decided_on=None, note: str = "",
             units=(), persons=()) -> int:
    """A case with its units ((name, kind) or names) and persons (dicts: name, post, level,
    outcome), all in one transaction; returns the case id."""
    values = clean_row({"title": title, "decided_on": decided_on, "note": note}, CASE_FIELDS,
                       _DATES, ENTITY)
    if not values["title"]:
        raise ValueError("请填写责任追究案件的名称，例如“某某问题责任追究”。")
    with ledger.writing():
        if problem_id is not None:
            inspection_id = ledger.inspection_of("problem", problem_id)
        values.update(inspection_id=inspection_id, problem_id=problem_id)
        case_id = ledger.db["accountability_cases"].insert(values).last_pk
        for unit in units:
            name, kind = (unit, UnitKind.PARTY) if isinstance(unit, str) else unit
            add_unit(ledger, case_id, name, kind)
        for person in persons:
            add_person(ledger, case_id, **person)
        return case_id


def add_unit(ledger: Ledger, case_id: int, name: str, kind: str = UnitKind.PARTY) -> int:
    name = name.strip()
    if not name:
        raise ValueError("请填写被追责的党组织或单位名称。")
    with ledger.writing():
        return ledger.db["accountable_units"].insert(
            {"case_id": case_id, "name": name, "kind": UnitKind(kind).value}).last_pk


def add_person(ledger: Ledger, case_id: int, name: str = "", post: str = "",
               level: str = Level.OTHER, outcome: str = "") -> int:
    outcome = outcome.strip()
    if not outcome:
        raise ValueError("请填写处理方式，例如“党纪政务处分”。")
    with ledger.writing():
        return ledger.db["accountable_persons"].insert(
            {"case_id": case_id, "name": name.strip(), "post": post.strip(),
             "level": Level(level).value, "outcome": outcome}).last_pk


def delete_case(ledger: Ledger, case_id: int) -> dict:
    """Delete a case, its units and persons (cascade); returns the case row."""
    with ledger.writing():
        row = dict(ledger.db["accountability_cases"].get(case_id))
        ledger.db.execute("DELETE FROM accountability_cases WHERE id = ?", [case_id])
        return row


def cases(ledger: Ledger, inspection_id: int | None = None, as_of=None) -> list[dict]:
    """The cases (of one inspection, or all; decided on or before as_of, undated counted), each
    with its "units" and "persons"."""
    sql, params = "SELECT * FROM accountability_cases WHERE 1", []
    if inspection_id is not None:
        sql, params = sql + " AND inspection_id = ?", [inspection_id]
    if as_of is not None:
        sql, params = sql + " AND (decided_on IS NULL OR decided_on <= ?)", [*params, as_of.isoformat()]
    found = list(ledger.db.query(sql + " ORDER BY decided_on IS NULL, decided_on, id", params))
    for case in found:
        case["units"] = list(ledger.db.query(
            "SELECT * FROM accountable_units WHERE case_id = ? ORDER BY id", [case["id"]]))
        case["persons"] = list(ledger.db.query(
            "SELECT * FROM accountable_persons WHERE case_id = ? ORDER BY id", [case["id"]]))
    return found
