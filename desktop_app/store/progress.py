"""Progress reports (调度/进展) and deadline changes of a problem: each write one audited transaction.

Writes return the old values of an update, the deleted row of a delete, the id of a new row;
undo is the change set's (store/changes.py).
"""

from datetime import date

from ..domain.vocabulary import Status
from .dates import now_text
from .ledger import Ledger

REPORT = "progress_report"
DEADLINE_CHANGE = "deadline_change"
_REPORT_FIELDS = ("report_date", "text", "reporter", "status")


def _iso(value: date | str, what: str) -> str:
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ValueError(f"{what}“{value}”不是有效日期，请按 YYYY-MM-DD 填写，例如 2023-10-13。") from None


# -- progress reports ---------------------------------------------------------------------------

def add_report(ledger: Ledger, problem_id: int, report_date: date | str, text: str,
               reporter: str = "", status: str | None = None,
               update_problem_status: bool = False) -> int:
    """Add a dated report; returns its id.

    status is the problem's status at the time of the report (default: its status now). With
    update_problem_status the problem takes that status too, in the same transaction.
    """
    values = {"problem_id": problem_id, "report_date": _iso(report_date, "进展日期"),
              "text": text.strip(), "reporter": reporter.strip(), "created_at": now_text()}
    if not values["text"]:
        raise ValueError("进展情况不能为空。")
    with ledger.writing():
        problem = ledger.row("problem", problem_id)
        values["status"] = Status(status or problem["status"]).value
        report_id = ledger.db["progress_reports"].insert(values).last_pk
        if update_problem_status:
            ledger.update("problem", problem_id, status=values["status"])
        return report_id


def add_reports(ledger: Ledger, reports) -> int:
    """add_report for many (problem_id, report_date, text) in one executemany, each report with its
    problem's status now; returns how many were added. An import's 3,761 status cells cost 0.8 s
    one insert at a time."""
    now = now_text()
    rows = [(_iso(report_date, "进展日期"), text.strip(), now, problem_id)
            for problem_id, report_date, text in reports]
    if not rows:
        return 0
    if not all(text for _d, text, _n, _p in rows):
        raise ValueError("进展情况不能为空。")
    with ledger.writing() as conn:
        added = conn.executemany(
            "INSERT INTO progress_reports (problem_id, report_date, text, reporter, status, created_at)"
            " SELECT id, ?, ?, '', status, ? FROM problems WHERE id = ?", rows).rowcount
        if added != len(rows):
            raise ValueError("有进展情况对应的问题已不在台账里，没有添加。")
    return added


def update_report(ledger: Ledger, report_id: int, **fields) -> dict:
    """Change report_date, text, reporter or status of a report; returns their old values."""
    unknown = set(fields) - set(_REPORT_FIELDS)
    if unknown:
        raise ValueError(f"progress report has no editable fields {sorted(unknown)}")
    if "report_date" in fields:
        fields["report_date"] = _iso(fields["report_date"], "进展日期")
    if "status" in fields and fields["status"] is not None:
        fields["status"] = Status(fields["status"]).value
    if "text" in fields and not str(fields["text"]).strip():
        raise ValueError("进展情况不能为空。")
    with ledger.writing():
        current = report(ledger, report_id)
        changed = {k: v for k, v in fields.items() if current[k] != v}
        if changed:
            ledger.db["progress_reports"].update(report_id, changed)
        return {k: current[k] for k in changed}


def delete_report(ledger: Ledger, report_id: int) -> dict:
    """Delete a report; returns the deleted row (restore_report puts it back)."""
    with ledger.writing():
        row = report(ledger, report_id)
        ledger.db.execute("DELETE FROM progress_reports WHERE id = ?", [report_id])
        return row


def report(ledger: Ledger, report_id: int) -> dict:
    return dict(ledger.db["progress_reports"].get(report_id))


def reports(ledger: Ledger, problem_id: int) -> list[dict]:
    """The problem's reports, newest first (same day: the one entered last first)."""
    return list(ledger.db.query(
        "SELECT * FROM progress_reports WHERE problem_id = ? ORDER BY report_date DESC, id DESC",
        [problem_id]))


def latest_reports(ledger: Ledger, inspection_id: int) -> dict[int, dict]:
    """{problem_id: newest report} for every problem of an inspection that has one: one query."""
    # Driven from the inspection's problems, each finding its newest report through the
    # (problem_id, report_date) index: 10,000 problems with 12 reports each in well under 0.1 s.
    rows = ledger.conn.execute(
        "SELECT r.* FROM problems p JOIN categories c ON c.id = p.category_id"
        " JOIN progress_reports r ON r.id = (SELECT id FROM progress_reports"
        " WHERE problem_id = p.id ORDER BY report_date DESC, id DESC LIMIT 1)"
        " WHERE c.inspection_id = ?", [inspection_id])
    columns = [d[0] for d in rows.description]
    found = (dict(zip(columns, row)) for row in rows.fetchall())
    return {row["problem_id"]: row for row in found}


# -- deadline changes ---------------------------------------------------------------------------

def change_deadline(ledger: Ledger, problem_id: int, new_text: str, reason: str,
                    changed_on: date | str) -> int:
    """Change the problem's 整改时限 and keep the change with its date and reason; returns its id.

    The deadline date is re-parsed from the new text (Ledger.update), in the same transaction.
    """
    new_text, reason = new_text.strip(), reason.strip()
    if not reason:
        raise ValueError("调整整改时限必须写明原因。")
    changed_on = _iso(changed_on, "调整日期")
    with ledger.writing():
        old_text = ledger.row("problem", problem_id)["deadline_text"]
        if old_text == new_text:
            raise ValueError(f"新的整改时限与原时限“{old_text}”相同。")
        ledger.update("problem", problem_id, deadline_text=new_text)
        values = {"problem_id": problem_id, "changed_on": changed_on, "old_text": old_text,
                  "new_text": new_text, "reason": reason}
        change_id = ledger.db["deadline_changes"].insert(values).last_pk
        return change_id


def deadline_history(ledger: Ledger, problem_id: int) -> list[dict]:
    """The problem's deadline changes, oldest first: the first old_text is the original 时限."""
    return list(ledger.db.query(
        "SELECT * FROM deadline_changes WHERE problem_id = ? ORDER BY changed_on, id",
        [problem_id]))
