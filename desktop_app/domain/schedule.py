"""时序进度: whether a problem is on schedule, behind or overdue, computed from its dates, never typed.

The rules, as a county 督查 office reads a ledger. The first that applies wins; "today" is the
day of judging, and days are calendar days (时限 are written as dates, not working days).

1. 已完成, 蓝 — status 已完成, 销号中 or 已销号. Finished is finished, whenever it finished.
2. 长期坚持, 蓝 — term 长期坚持. An ongoing task has no end to be late against; 督查 judges it
   by its 调度 reports, not by the calendar. The term the clerk chose wins over any date.
3. The due date is the deadline parsed from 整改时限. A 立行立改 problem without one is due
   immediate_days (30) after its start_date: 立行立改 is customarily done within a month.
   Without a due date nothing can be late: 达到时序进度, 蓝, and the reason says the date is
   missing so that the clerk can fill it in.
4. 逾期, 红 — today is after the due date and the problem is not finished. The due date itself is
   still in time: "6月底前" includes 30 June.
5. 滞后, 黄 — still 未启动 although more than half the time from start_date to the due date has
   passed, or although the due date is at most warning_days away. 滞后 means the work lags the
   time already used; the ledger has no percentage of progress, so "not started" is the one lag
   we can see without guessing. 整改中 counts as keeping pace.
6. 达到时序进度, 黄 — due within warning_days and under way (整改中): on schedule, but the
   deadline is near (临近时限预警). The colour warns; the word does not accuse.
7. 达到时序进度, 蓝 — everything else.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from .vocabulary import FINISHED_STATUSES, Band, Schedule, Status, Term


@dataclass(frozen=True)
class ScheduleSettings:
    warning_days: int = 30  # a deadline this close (calendar days) turns the band yellow
    immediate_days: int = 30  # 立行立改 without a dated 时限: due this long after start_date


@dataclass(frozen=True)
class ScheduleResult:
    schedule: Schedule
    band: Band
    reason: str  # one plain-Chinese sentence, for a tooltip or a printed note
    due: date | None = None  # the date the judgement used
    days_left: int | None = None  # from today to due; negative once overdue


def assess(status: str, term: str, deadline: date | None, start_date: date | None, today: date,
           settings: ScheduleSettings = ScheduleSettings()) -> ScheduleResult:
    """The 时序进度 of one problem on `today` (see the module for the rules)."""
    status, term = Status(status), Term(term)
    if status in FINISHED_STATUSES:
        return ScheduleResult(Schedule.DONE, Band.BLUE, f"整改状态为“{status}”。")
    if term is Term.ONGOING:
        return ScheduleResult(Schedule.ONGOING, Band.BLUE, "长期坚持的问题按调度情况推进，不计时限。")
    due = deadline
    if due is None and term is Term.IMMEDIATE and start_date is not None:
        due = start_date + timedelta(days=settings.immediate_days)
    if due is None:
        missing = "开始日期" if term is Term.IMMEDIATE else "具体日期"
        return ScheduleResult(Schedule.ON_SCHEDULE, Band.BLUE,
                              f"整改时限没有{missing}，无法判断是否滞后或逾期。")
    left = (due - today).days
    if left < 0:
        return ScheduleResult(Schedule.OVERDUE, Band.RED,
                              f"已超过整改时限（{due.isoformat()}）{-left}天，尚未完成。", due, left)
    if status is Status.NOT_STARTED:
        if left <= settings.warning_days:
            return ScheduleResult(Schedule.BEHIND, Band.YELLOW,
                                  f"{_time_left(due, left)}，整改仍未启动。", due, left)
        if start_date is not None and (due - start_date).days > 0 \
                and 2 * (today - start_date).days > (due - start_date).days:
            return ScheduleResult(Schedule.BEHIND, Band.YELLOW,
                                  "整改期限已过半，整改仍未启动。", due, left)
    if left <= settings.warning_days:
        return ScheduleResult(Schedule.ON_SCHEDULE, Band.YELLOW,
                              f"{_time_left(due, left)}，请抓紧推进。", due, left)
    return ScheduleResult(Schedule.ON_SCHEDULE, Band.BLUE,
                          f"{_time_left(due, left)}。", due, left)


def _time_left(due: date, left: int) -> str:
    if left == 0:
        return f"今天（{due.isoformat()}）是整改时限"
    return f"距整改时限（{due.isoformat()}）还有{left}天"


def _date(value) -> date | None:
    if isinstance(value, date) or value is None:
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):  # '' or a hand-edited cell: no date, not a crash
        return None


def assess_problem(row: dict, today: date,
                   settings: ScheduleSettings = ScheduleSettings()) -> ScheduleResult:
    """assess() for a problems row as the store returns it (dates as 'YYYY-MM-DD' text)."""
    return assess(row["status"], row["term"], _date(row.get("deadline")),
                  _date(row.get("start_date")), today, settings)
