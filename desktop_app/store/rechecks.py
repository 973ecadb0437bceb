"""回头看 rechecks of 已销号 problems: each write one transaction (one change set, one undo step).

A 反弹 result reopens the work: the problem goes back to 整改中 with a progress report giving the
rebound as the reason, while its earlier 销号 rows and notice stay as they were; a new 申请销号
then starts a new sign-off. 衍生新问题 adds a new problem beside it, linked as 同类问题.
"""

from datetime import date

from ..domain.links import LinkKind
from ..domain.recheck import DEFAULT_RECHECK_MONTHS, RecheckResult, planned_dates
from ..domain.vocabulary import Status
from . import progress, signoff
from .dates import clean_row, iso_date, now_text
from .ledger import Ledger
from .links import add_link

ENTITY = "recheck"
FIELDS = ("planned_on", "done_on", "checker", "result", "note")
_DATES = {"planned_on": "计划复查日期", "done_on": "复查日期"}


def recheck(ledger: Ledger, recheck_id: int) -> dict:
    return dict(ledger.db["rechecks"].get(recheck_id))


def rechecks(ledger: Ledger, problem_id: int) -> list[dict]:
    """The problem's rechecks by planned date (unplanned last)."""
    return list(ledger.db.query(
        "SELECT * FROM rechecks WHERE problem_id = ? ORDER BY planned_on IS NULL, planned_on, id",
        [problem_id]))


def _signed_off_on(ledger: Ledger, problem_id: int) -> date:
    row = signoff.current(ledger, problem_id)
    if row is None or row["stage"] != "已销号" or not row["signed_off_on"]:
        raise ValueError("该问题尚未销号，销号以后才能安排回头看复查。")
    return date.fromisoformat(row["signed_off_on"])


def add(ledger: Ledger, problem_id: int, planned_on=None, **fields) -> int:
    """One recheck of a 已销号 problem (planned_on, and when done: done_on, checker, result, note)."""
    values = clean_row({"planned_on": planned_on, **fields}, FIELDS, _DATES, ENTITY)
    if values.get("result"):
        values["result"] = RecheckResult(values["result"]).value
    with ledger.writing():
        _signed_off_on(ledger, problem_id)
        values.update(problem_id=problem_id, created_at=now_text())
        return ledger.db["rechecks"].insert(values).last_pk


def plan(ledger: Ledger, problem_id: int, months=DEFAULT_RECHECK_MONTHS) -> list[int]:
    """The default rechecks: months after the 销号 date, skipping days already planned."""
    with ledger.writing():
        days = planned_dates(_signed_off_on(ledger, problem_id), months)
        have = {r["planned_on"] for r in rechecks(ledger, problem_id)}
        return [add(ledger, problem_id, d) for d in days if d.isoformat() not in have]


def update(ledger: Ledger, recheck_id: int, **fields) -> dict:
    """Change planned_on, checker or note (a result is recorded by record_result); old values."""
    fields = clean_row(fields, ("planned_on", "checker", "note"), _DATES, ENTITY)
    with ledger.writing():
        current = recheck(ledger, recheck_id)
        changed = {k: v for k, v in fields.items() if current[k] != v}
        if changed:
            ledger.db["rechecks"].update(recheck_id, changed)
        return {k: current[k] for k in changed}


def delete(ledger: Ledger, recheck_id: int) -> dict:
    with ledger.writing():
        row = recheck(ledger, recheck_id)
        ledger.db.execute("DELETE FROM rechecks WHERE id = ?", [recheck_id])
        return row


def record_result(ledger: Ledger, recheck_id: int, result: str, done_on, checker: str = "",
                  note: str = "") -> dict:
    """The recheck done: 巩固 keeps the 销号; 反弹 reopens the problem (整改中, the rebound in a
    progress report); 衍生新问题 adds a new problem linked to this one. Returns the recheck row."""
    result = RecheckResult(result)
    done_on = iso_date(done_on, "复查日期", required=True)
    checker, note = checker.strip(), note.strip()
    if result != RecheckResult.HELD and not note:
        raise ValueError(f"复查结果为“{result}”时，请在说明中写明发现的情况。")
    with ledger.writing():
        row = recheck(ledger, recheck_id)
        if row["result"]:
            raise ValueError(f"这次复查已记录结果“{row['result']}”。如需更正，请先撤销。")
        problem = ledger.row("problem", row["problem_id"])
        changes = {"done_on": done_on, "checker": checker, "result": result.value, "note": note}
        if result == RecheckResult.REBOUND:
            if problem["status"] != Status.SIGNED_OFF:
                raise ValueError(f"该问题当前为“{problem['status']}”，已在重新整改，不能再记为反弹。")
            progress.add_report(ledger, problem["id"], done_on, f"回头看复查发现问题反弹：{note}",
                                checker, Status.IN_PROGRESS, update_problem_status=True)
        elif result == RecheckResult.NEW_PROBLEM:
            changes["new_problem_id"] = ledger.add_problem(
                problem["category_id"], index=problem["position"] + 1, description=note,
                lead_unit=problem["lead_unit"], lead_official=problem["lead_official"],
                remarks=f"回头看复查（{done_on}）中由“{problem['code'] or problem['description'][:20]}”衍生",
                status=Status.NOT_STARTED)
            add_link(ledger, problem["id"], changes["new_problem_id"], LinkKind.SIMILAR,
                     "回头看衍生新问题")
        ledger.db["rechecks"].update(recheck_id, changes)
        return recheck(ledger, recheck_id)


def rebound(ledger: Ledger, problem_id: int, done_on, note: str, checker: str = "") -> dict:
    """反弹 found outside a planned recheck: record the recheck and reopen, in one transaction."""
    with ledger.writing():
        recheck_id = add(ledger, problem_id, done_on)
        return record_result(ledger, recheck_id, RecheckResult.REBOUND, done_on, checker, note)


def scope_rows(ledger: Ledger, inspection_id: int | None) -> list[dict]:
    """Every recheck of one inspection (None: all), each with its problem's code and unit."""
    where, params = ("1", []) if inspection_id is None else ("c.inspection_id = ?", [inspection_id])
    return list(ledger.db.query(
        "SELECT r.*, p.code, p.description, p.lead_unit, c.inspection_id FROM rechecks r"
        " JOIN problems p ON p.id = r.problem_id JOIN categories c ON c.id = p.category_id"
        f" WHERE {where} ORDER BY r.planned_on IS NULL, r.planned_on, r.id", params))
