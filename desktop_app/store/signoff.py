"""销号 in the ledger file: each step one audited transaction (signoffs + signoff_events + status).

The rules are domain/signoff.py's; here they meet the rows. A step returns a Step (what it
did), a field change the old values; undo is the change set's (store/changes.py).

A sign-off row's checklist column holds the reviewer's ticks as JSON
[{"item": "整改措施全部完成", "checked": true}, …]; notice_text holds the notice as the clerk
edited it (empty: composed afresh from the ledger each time).
"""

from dataclasses import asdict, dataclass
from datetime import date

from ..domain import signoff as rules
from ..domain.notice import Contacts
from ..domain.signoff import ChecklistItem, SignoffRefused, Stage
from ..domain.workdays import WorkingPeriod
from .dates import now_text
from .holidays import calendar
from .ledger import Ledger

ENTITY = "signoff"
EVENT = "signoff_event"
CONTACT_FIELDS = ("office", "contact", "phone", "fax", "address", "issuer")


@dataclass(frozen=True)
class Step:
    """One transition as made."""
    signoff_id: int
    event_id: int
    stage: Stage
    created: bool  # the step created the sign-off row (申请销号)
    before: dict  # the signoffs row before the step (empty when created)
    problem_id: int
    status_before: str


def _day(value: date | str | None, what: str) -> date:
    if value is None:
        return date.today()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{what}“{value}”不是有效日期，请按 YYYY-MM-DD 填写，例如 2023-10-13。") from None


def _decoded(row: dict) -> dict:
    row = dict(row)
    row["checklist"] = rules.checklist_from_json(row["checklist"])
    return row


# -- reading ------------------------------------------------------------------------------------

def signoff(ledger: Ledger, signoff_id: int) -> dict:
    """A signoffs row, its checklist as a list of ChecklistItem."""
    return _decoded(ledger.db["signoffs"].get(signoff_id))


def current(ledger: Ledger, problem_id: int) -> dict | None:
    """The problem's newest sign-off (open, closed or returned), or None if it never applied."""
    row = ledger.db.execute("SELECT max(id) FROM signoffs WHERE problem_id = ?",
                            [problem_id]).fetchone()[0]
    return None if row is None else signoff(ledger, row)


def signoffs(ledger: Ledger, problem_id: int) -> list[dict]:
    """Every sign-off of the problem, newest first (earlier ones were returned)."""
    return [_decoded(r) for r in ledger.db.query(
        "SELECT * FROM signoffs WHERE problem_id = ? ORDER BY id DESC", [problem_id])]


def events(ledger: Ledger, problem_id: int) -> list[dict]:
    """The problem's sign-off history across all its sign-offs, oldest first."""
    return list(ledger.db.query(
        "SELECT e.* FROM signoff_events e JOIN signoffs s ON s.id = e.signoff_id"
        " WHERE s.problem_id = ? ORDER BY e.id", [problem_id]))


def stages(ledger: Ledger, inspection_id: int) -> dict[int, str]:
    """{problem_id: stage of its newest sign-off} for an inspection, in one query."""
    rows = ledger.db.execute(
        "SELECT s.problem_id, s.stage FROM signoffs s JOIN problems p ON p.id = s.problem_id"
        " JOIN categories c ON c.id = p.category_id WHERE c.inspection_id = ? AND s.id ="
        " (SELECT max(id) FROM signoffs WHERE problem_id = s.problem_id)", [inspection_id])
    return {problem_id: stage for problem_id, stage in rows.fetchall()}


def blocking_reasons(ledger: Ledger, problem_id: int) -> list[str]:
    """Why the problem cannot apply for 销号 now (empty: it can)."""
    problem = ledger.row("problem", problem_id)
    return rules.can_apply(problem, ledger.measures(problem_id))


# -- steps --------------------------------------------------------------------------------------

def _record_step(ledger: Ledger, signoff_id: int, from_stage, to_stage: Stage, on_date: date,
                 reason: str, changes: dict, created: bool, before: dict) -> Step:
    problem_id = (before or changes)["problem_id"]
    if not created:
        ledger.db["signoffs"].update(signoff_id, changes)
    event = {"signoff_id": signoff_id, "from_stage": from_stage, "to_stage": to_stage.value,
             "on_date": on_date.isoformat(), "reason": reason}
    event_id = ledger.db["signoff_events"].insert(event).last_pk
    status_before = ledger.row("problem", problem_id)["status"]
    ledger.update("problem", problem_id, status=rules.STATUS_OF_STAGE[to_stage])
    return Step(signoff_id, event_id, to_stage, created, before, problem_id, status_before)


def apply(ledger: Ledger, problem_id: int, on_date: date | str | None = None,
          checklist=None, contacts: "Contacts | dict | None" = None) -> Step:
    """申请销号: open a new sign-off for a finished problem.

    checklist: the criteria texts (default: those of the problem's last returned sign-off, or
    DEFAULT_CHECKLIST); contacts: office, contact, phone, fax, address, issuer to start from
    (a Contacts or a dict; empty fields fall back to the last returned sign-off's). The window
    passes checklist=defaults.checklist, contacts=defaults.contacts from 设置. Refused (SignoffRefused) with every reason when
    a measure lacks its completion, the status is not 已完成, or a sign-off is already open.
    """
    on_date = _day(on_date, "申请日期")
    with ledger.writing():
        reasons = blocking_reasons(ledger, problem_id)
        previous = current(ledger, problem_id)
        # A 已销号 sign-off of a problem reopened since (回头看 found it back) does not block a
        # new one: the status rule (已完成) already refuses a problem still closed.
        if previous is not None and previous["stage"] not in (Stage.RETURNED, Stage.SIGNED_OFF):
            reasons.insert(0, f"该问题已有销号记录，当前为“{previous['stage']}”。")
        if reasons:
            raise SignoffRefused(reasons)
        if checklist is None:
            checklist = ([i.item for i in previous["checklist"]] if previous
                         else list(rules.DEFAULT_CHECKLIST))
        if isinstance(contacts, Contacts):
            contacts = asdict(contacts)
        values = {name: (contacts or {}).get(name) or (previous or {}).get(name) or ""
                  for name in CONTACT_FIELDS}
        values.update(problem_id=problem_id, stage=Stage.APPLIED.value,
                      applied_on=on_date.isoformat(), created_at=now_text(),
                      checklist=rules.checklist_to_json(
                          [i if isinstance(i, ChecklistItem) else ChecklistItem(str(i))
                           for i in checklist]))
        signoff_id = ledger.db["signoffs"].insert(values).last_pk
        return _record_step(ledger, signoff_id, None, Stage.APPLIED, on_date, "", values,
                            created=True, before={})


def advance(ledger: Ledger, signoff_id: int, on_date: date | str | None = None) -> Step:
    """One stage forward: 申请销号 → 验收 → 公示 → 已销号 (see domain/signoff for the rules).

    验收 needs every checklist item ticked; 公示 needs the publicity period set; 已销号 needs
    the period over (on_date after its last day). on_date defaults to today, except that
    entering 公示 defaults to the period's first day.
    """
    with ledger.writing():
        row = signoff(ledger, signoff_id)
        to_stage = rules.next_stage(row["stage"])
        if row["stage"] == Stage.RETURNED or to_stage is None:
            raise SignoffRefused([f"当前为“{row['stage']}”，没有下一步。"])
        if on_date is None and to_stage == Stage.PUBLICITY and row["publicity_start"]:
            on_date = row["publicity_start"]
        on_date = _day(on_date, "日期")
        reasons = rules.check_forward(row, to_stage, on_date)
        if reasons:
            raise SignoffRefused(reasons)
        changes = {"stage": to_stage.value}
        if to_stage == Stage.ACCEPTED:
            changes["accepted_on"] = on_date.isoformat()
        elif to_stage == Stage.SIGNED_OFF:
            changes["signed_off_on"] = on_date.isoformat()
        before = dict(ledger.db["signoffs"].get(signoff_id))
        return _record_step(ledger, signoff_id, row["stage"], to_stage, on_date, "", changes,
                            created=False, before=before)


def send_back(ledger: Ledger, signoff_id: int, reason: str,
              on_date: date | str | None = None) -> Step:
    """退回: from 申请销号, 验收 or 公示 (check failed, objection upheld) back to 整改中.

    Also 撤销销号 of a 已销号 problem (a 回头看 found it back). The reason is required and kept
    in the sign-off's history.
    """
    on_date = _day(on_date, "日期")
    with ledger.writing():
        row = signoff(ledger, signoff_id)
        reasons = rules.check_back(row, reason)
        if reasons:
            raise SignoffRefused(reasons)
        before = dict(ledger.db["signoffs"].get(signoff_id))
        return _record_step(ledger, signoff_id, row["stage"], Stage.RETURNED, on_date,
                            reason.strip(), {"stage": Stage.RETURNED.value},
                            created=False, before=before)


# -- the sign-off's own fields ------------------------------------------------------------------

def _set(ledger: Ledger, signoff_id: int, changes: dict) -> dict:
    with ledger.writing():
        row = dict(ledger.db["signoffs"].get(signoff_id))
        changed = {k: v for k, v in changes.items() if row[k] != v}
        if changed:
            ledger.db["signoffs"].update(signoff_id, changed)
        return {k: row[k] for k in changed}


def set_checklist(ledger: Ledger, signoff_id: int, items) -> dict:
    """Replace the checklist (texts and ticks: ChecklistItem, or plain texts = unticked).

    Returns the old values ({"checklist": json}); restore_fields puts them back.
    """
    items = [i if isinstance(i, ChecklistItem) else ChecklistItem(str(i)) for i in items]
    return _set(ledger, signoff_id, {"checklist": rules.checklist_to_json(items)})


def tick(ledger: Ledger, signoff_id: int, index: int, checked: bool = True) -> dict:
    """Tick (or untick) one checklist item by its position."""
    items = signoff(ledger, signoff_id)["checklist"]
    items[index] = ChecklistItem(items[index].item, bool(checked))
    return set_checklist(ledger, signoff_id, items)


def set_contacts(ledger: Ledger, signoff_id: int, **fields) -> dict:
    """Change office (受理单位), contact, phone, fax, address, issuer; returns old values."""
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise ValueError(f"signoff has no contact fields {sorted(unknown)}")
    return _set(ledger, signoff_id, {k: (v or "").strip() for k, v in fields.items()})


def set_notice_text(ledger: Ledger, signoff_id: int, text: str) -> dict:
    """Keep the notice as the clerk edited it ("" goes back to composing it afresh)."""
    return _set(ledger, signoff_id, {"notice_text": text})


def preview_publicity(ledger: Ledger, start: date | str, working_days: int | None = None,
                      end: date | str | None = None) -> WorkingPeriod:
    """The 公示期 as it would be set, without writing: for the dialog to show as the clerk types.

    Its warning names the years counted Monday to Friday for want of a 放假安排.
    """
    return rules.publicity_period(calendar(ledger), _day(start, "公示开始日期"), working_days,
                                  None if end is None else _day(end, "公示结束日期"))


def set_publicity(ledger: Ledger, signoff_id: int, start: date | str,
                  working_days: int | None = None, end: date | str | None = None
                  ) -> tuple[WorkingPeriod, dict]:
    """Set the 公示期 by start and working days (end computed) or by both ends (days counted).

    Returns (the period, old values for restore_fields). period.start may be later than start
    when start is not a working day; period.warning is set for a year without 放假安排.
    """
    period = preview_publicity(ledger, start, working_days, end)
    with ledger.writing():
        stage = Stage(ledger.db["signoffs"].get(signoff_id)["stage"])
        if stage in (Stage.SIGNED_OFF, Stage.RETURNED):
            raise SignoffRefused([f"当前为“{stage}”，不能再修改公示时间。"])
        old = _set(ledger, signoff_id, {"publicity_start": period.start.isoformat(),
                                        "publicity_end": period.end.isoformat(),
                                        "publicity_working_days": period.working_days})
    return period, old


__all__ = ["Step", "SignoffRefused", "signoff", "current", "signoffs", "events", "stages",
           "blocking_reasons", "apply", "advance", "send_back", "set_checklist",
           "tick", "set_contacts", "set_notice_text", "preview_publicity",
           "set_publicity"]
