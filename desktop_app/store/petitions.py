"""The 信访件 register (petitions table): each write one audited transaction.

Writes return what an undo command needs: the id of a new petition (delete it to undo), the old
values of an update, the deleted row of a delete (restore puts it back with its id).
"""

from .dates import iso_date as _iso
from .ledger import Ledger

FIELDS = ("inspection_id", "code", "received_on", "source", "content", "lead_unit",
          "concluded_on", "signed_off_on", "remarks")
_DATES = {"received_on": "收件日期", "concluded_on": "办结日期", "signed_off_on": "销号日期"}


def _clean(fields: dict) -> dict:
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"petition has no fields {sorted(unknown)}")
    cleaned = {}
    for name, value in fields.items():
        if name in _DATES:
            cleaned[name] = _iso(value, _DATES[name])
        elif name == "inspection_id":
            cleaned[name] = value
        else:
            cleaned[name] = (value or "").strip()
    return cleaned


def _check(row: dict) -> None:
    """Dates in order: received ≤ 办结 ≤ 销号, and no 销号 before 办结."""
    received, concluded, signed = row.get("received_on"), row.get("concluded_on"), row.get("signed_off_on")
    if signed and not concluded:
        raise ValueError("信访件尚未办结，不能填写销号日期。")
    if received and concluded and concluded < received:
        raise ValueError(f"办结日期（{concluded}）早于收件日期（{received}）。")
    if concluded and signed and signed < concluded:
        raise ValueError(f"销号日期（{signed}）早于办结日期（{concluded}）。")


def add(ledger: Ledger, inspection_id: int | None = None, **fields) -> int:
    """Register a petition (code, received_on, source, content, lead_unit, concluded_on,
    signed_off_on, remarks); returns its id."""
    values = {name: "" for name in FIELDS if name not in _DATES and name != "inspection_id"}
    values.update({name: None for name in _DATES})
    values.update(_clean({**fields, "inspection_id": inspection_id}))
    _check(values)
    with ledger.writing():
        petition_id = ledger.db["petitions"].insert(values).last_pk
        return petition_id


def update(ledger: Ledger, petition_id: int, **fields) -> dict:
    """Change fields of a petition; returns their old values (update again with them to undo)."""
    fields = _clean(fields)
    with ledger.writing():
        current = petition(ledger, petition_id)
        _check({**current, **fields})
        changed = {k: v for k, v in fields.items() if current[k] != v}
        if changed:
            ledger.db["petitions"].update(petition_id, changed)
        return {k: current[k] for k in changed}


def delete(ledger: Ledger, petition_id: int) -> dict:
    """Delete a petition; returns the deleted row (restore puts it back)."""
    with ledger.writing():
        row = petition(ledger, petition_id)
        ledger.db.execute("DELETE FROM petitions WHERE id = ?", [petition_id])
        return row


def petition(ledger: Ledger, petition_id: int) -> dict:
    return dict(ledger.db["petitions"].get(petition_id))


def petitions(ledger: Ledger, inspection_id: int | None = None) -> list[dict]:
    """The register (of one inspection, or all petitions), by received date; undated last."""
    sql, params = "SELECT * FROM petitions", []
    if inspection_id is not None:
        sql, params = sql + " WHERE inspection_id = ?", [inspection_id]
    return list(ledger.db.query(sql + " ORDER BY received_on IS NULL, received_on, id", params))

