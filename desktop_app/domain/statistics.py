"""The counts a township's report opens with, and the warnings list, from plain rows as of a date.

"As of a date" (D) uses the dates the ledger keeps, and nothing else:

- Every problem of the inspection counts, whenever it was typed in: created_at is the day of
  data entry, not of the finding, and clerks import old ledgers.
- A problem's status on D is its current status, unless a dated record after D shows that it
  changed since: a progress report carrying a status, or a 销号 step (申请/验收/公示 → 销号中,
  已销号, 退回 → 整改中). Then it is the status of the newest such record on or before D, and
  未启动 when there is none. (A status typed straight into the ledger has no date; it is taken
  to have held since the last dated record.)
- The 整改时限 on D is the one in force then: a deadline change made after D is undone.
- 时序进度 is domain/schedule.py's judgement on D with that status and 时限. 长期坚持 problems
  count as 达到时序进度, as the reports do ("长期坚持问题……均达时序进展").
- A petition counts as received, 办结 and 销号 once the date is on or before D. A petition
  without a received date counts as received (it is in the register); without a 办结 or 销号
  date it is not 办结 or 销号.

'Finished' is 已完成, 销号中 or 已销号 (vocabulary.FINISHED_STATUSES).
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from .deadlines import parse_deadline
from .schedule import ScheduleSettings, assess
from .vocabulary import FINISHED_STATUSES, Schedule, Status, Term

NO_UNIT = "（未填写责任单位）"

# by_schedule's keys: every problem lands in exactly one.
SCHEDULE_KEYS = (Schedule.DONE, Schedule.ON_SCHEDULE, Schedule.BEHIND, Schedule.OVERDUE)


def _date(value) -> date | None:
    if isinstance(value, date) or value is None:
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


# -- a problem as it stood on a date ----------------------------------------------------------

def status_as_of(current: str, events, as_of: date) -> str:
    """The status on as_of, from the current one and dated (day, status) records (any order)."""
    dated = sorted((d, i, s) for i, (d, s) in enumerate(events) if _date(d) is not None)
    if not any(_date(d) > as_of for d, _, _ in dated):
        return current
    before = [s for d, _, s in dated if _date(d) <= as_of]
    return before[-1] if before else Status.NOT_STARTED.value


def deadline_text_as_of(current: str, changes, as_of: date) -> str:
    """The 整改时限 text in force on as_of; changes are (changed_on, old_text) of the problem."""
    later = sorted((d, i, old) for i, (d, old) in enumerate(changes)
                   if _date(d) is not None and _date(d) > as_of)
    return later[0][2] if later else current


def problem_as_of(row: dict, events, deadline_changes, as_of: date) -> dict:
    """A copy of a problems row with status, deadline_text and deadline as they were on as_of."""
    row = dict(row)
    row["status"] = status_as_of(row["status"], events, as_of)
    text = deadline_text_as_of(row.get("deadline_text", ""), deadline_changes, as_of)
    if text != row.get("deadline_text", ""):
        parsed = parse_deadline(text)
        row["deadline_text"], row["deadline"] = text, parsed.isoformat() if parsed else None
    return row


# -- counts -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class CategoryCount:
    title: str
    problems: int
    finished: int


@dataclass(frozen=True)
class UnitCount:
    unit: str
    problems: int
    finished: int
    behind: int
    overdue: int


@dataclass(frozen=True)
class PetitionCount:
    received: int = 0
    concluded: int = 0  # 办结
    signed_off: int = 0  # 销号


@dataclass(frozen=True)
class Statistics:
    as_of: date
    problems: int
    categories: int  # 大类
    by_term: dict[str, int]  # every Term, zeros included
    by_status: dict[str, int]  # every Status
    by_schedule: dict[str, int]  # SCHEDULE_KEYS
    by_category: list[CategoryCount]  # the 大类 in document order
    by_unit: list[UnitCount]  # most problems first
    by_term_status: dict[str, dict[str, int]]  # term → status → count
    petitions: PetitionCount = field(default_factory=PetitionCount)

    @property
    def finished(self) -> int:
        return sum(self.by_status[s] for s in FINISHED_STATUSES)

    def finished_of(self, term: str) -> int:
        return sum(self.by_term_status[term][s] for s in FINISHED_STATUSES)

    def to_json(self, summary_text: str = "") -> dict:
        """The `stats --json` contract."""
        return {
            "problems": self.problems,
            "categories": self.categories,
            "by_term": dict(self.by_term),
            "by_status": dict(self.by_status),
            "by_schedule": dict(self.by_schedule),
            "by_category": [{"title": c.title, "problems": c.problems, "finished": c.finished}
                            for c in self.by_category],
            "petitions": {"received": self.petitions.received,
                          "concluded": self.petitions.concluded,
                          "signed_off": self.petitions.signed_off},
            "summary_text": summary_text,
        }


def schedule_key(schedule: Schedule) -> Schedule:
    """The by_schedule key of a 时序进度: 长期坚持 counts as 达到时序进度."""
    return Schedule.ON_SCHEDULE if schedule is Schedule.ONGOING else schedule


def count_petitions(rows, as_of: date) -> PetitionCount:
    """Received, 办结 and 销号 petitions on as_of (rows: petitions rows, dates as text)."""
    def by(value) -> bool:
        day = _date(value)
        return day is not None and day <= as_of

    received = [r for r in rows if not r.get("received_on") or by(r["received_on"])]
    return PetitionCount(len(received),
                         sum(1 for r in received if by(r.get("concluded_on"))),
                         sum(1 for r in received if by(r.get("signed_off_on"))))


def count(problems, categories, as_of: date, petitions=(),
          settings: ScheduleSettings = ScheduleSettings()) -> Statistics:
    """The counts on as_of.

    problems: rows as problem_as_of returns them, each with "top_category_id" (its 大类);
    categories: the 大类 as (id, title) in document order; petitions: petitions rows.
    """
    by_term, by_status, by_schedule = Counter(), Counter(), Counter()
    by_term_status = {t.value: Counter() for t in Term}
    per_category: dict[int, list[int]] = {cid: [0, 0] for cid, _ in categories}
    per_unit: dict[str, list[int]] = {}
    for row in problems:
        term, status = Term(row["term"]).value, Status(row["status"]).value
        finished = status in FINISHED_STATUSES
        key = schedule_key(assess(status, term, _date(row.get("deadline")),
                                  _date(row.get("start_date")), as_of, settings).schedule)
        by_term[term] += 1
        by_status[status] += 1
        by_schedule[key.value] += 1
        by_term_status[term][status] += 1
        tally = per_category.setdefault(row["top_category_id"], [0, 0])
        tally[0] += 1
        tally[1] += finished
        unit = per_unit.setdefault((row.get("lead_unit") or "").strip() or NO_UNIT, [0, 0, 0, 0])
        unit[0] += 1
        unit[1] += finished
        unit[2] += key is Schedule.BEHIND
        unit[3] += key is Schedule.OVERDUE
    titles = dict(categories)
    return Statistics(
        as_of=as_of,
        problems=sum(by_term.values()),
        categories=len(categories),
        by_term={t.value: by_term[t.value] for t in Term},
        by_status={s.value: by_status[s.value] for s in Status},
        by_schedule={k.value: by_schedule[k.value] for k in SCHEDULE_KEYS},
        by_category=[CategoryCount(titles[cid], *per_category[cid]) for cid, _ in categories],
        by_unit=sorted((UnitCount(u, *n) for u, n in per_unit.items()),
                       key=lambda u: (-u.problems, u.unit)),
        by_term_status={t: {s.value: c[s.value] for s in Status} for t, c in by_term_status.items()},
        petitions=count_petitions(list(petitions), as_of),
    )


# -- warnings ---------------------------------------------------------------------------------

class WarningKind(StrEnum):
    """The warnings, in the order the list shows them (most urgent first)."""
    OVERDUE = "逾期"
    DUE_SOON = "临近时限"
    NO_REPORT = "本月未调度"
    NOT_APPLIED = "完成未申请销号"
    PUBLICITY_ENDING = "公示本周到期"


@dataclass(frozen=True)
class LedgerWarning:
    kind: WarningKind
    problem_id: int
    message: str  # one plain-Chinese sentence
    day: date | None = None  # the date it is about: due date, last report, publicity end


def week_of(day: date) -> tuple[date, date]:
    """Monday and Sunday of the week of day."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def warnings(problems, as_of: date, last_reports: dict[int, str | None],
             publicity_ends: dict[int, str], settings: ScheduleSettings = ScheduleSettings()
             ) -> list[LedgerWarning]:
    """The warnings list on as_of.

    problems: rows as of as_of (problem_as_of); last_reports: {problem id: date of its newest
    progress report on or before as_of}; publicity_ends: {problem id: last day of the 公示 it was
    in on as_of}. A problem may carry more than one warning (overdue and unreported, say).
    """
    found: list[LedgerWarning] = []
    month_start = as_of.replace(day=1)
    monday, sunday = week_of(as_of)
    for row in problems:
        pid, status = row["id"], Status(row["status"])

        def add(kind: WarningKind, message: str, day: date | None = None) -> None:
            found.append(LedgerWarning(kind, pid, message, day))

        result = assess(status, row["term"], _date(row.get("deadline")),
                        _date(row.get("start_date")), as_of, settings)
        if result.schedule is Schedule.OVERDUE:
            add(WarningKind.OVERDUE, f"已超过整改时限（{result.due.isoformat()}）"
                                     f"{-result.days_left}天，尚未完成。", result.due)
        elif result.days_left is not None and 0 <= result.days_left <= settings.warning_days:
            add(WarningKind.DUE_SOON, f"距整改时限（{result.due.isoformat()}）还有"
                                      f"{result.days_left}天，当前为“{status}”。", result.due)
        if status not in FINISHED_STATUSES:  # 长期坚持 too: 督查 judges it by its 调度
            last = _date(last_reports.get(pid))
            if last is None or last < month_start:
                since = f"最近一次调度是{last.isoformat()}" if last else "还没有调度记录"
                add(WarningKind.NO_REPORT, f"{as_of.month}月尚未报送进展（{since}）。", last)
        if status is Status.DONE:
            add(WarningKind.NOT_APPLIED, "已完成整改，尚未申请销号。")
        end = _date(publicity_ends.get(pid))
        if end is not None and monday <= end <= sunday:
            if end < as_of:
                add(WarningKind.PUBLICITY_ENDING, f"公示期已于{end.isoformat()}结束，可办理销号。", end)
            else:
                when = "今天" if end == as_of else f"将于{end.isoformat()}"
                add(WarningKind.PUBLICITY_ENDING, f"公示期{when}结束。", end)
    order = list(WarningKind)
    return sorted(found, key=lambda w: (order.index(w.kind), w.day or date.min, w.problem_id))
