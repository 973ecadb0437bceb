"""The warnings list of the overview: what needs the clerk's attention on a date, most urgent first.

Rows are as domain/statistics.py's problem_as_of returns them (the problem as it stood that day).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from .recheck import due_state
from .schedule import ScheduleSettings, assess
from .statistics import as_date
from .vocabulary import FINISHED_STATUSES, Schedule, Status


class WarningKind(StrEnum):
    """The warnings, in the order the list shows them (most urgent first)."""
    OVERDUE = "逾期"
    DUE_SOON = "临近时限"
    NO_REPORT = "本月未调度"
    NOT_APPLIED = "完成未申请销号"
    PUBLICITY_ENDING = "公示本周到期"
    RECHECK_OVERDUE = "回头看复查逾期"
    RECHECK_DUE = "回头看复查将到期"


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

        result = assess(status, row["term"], as_date(row.get("deadline")),
                        as_date(row.get("start_date")), as_of, settings)
        if result.schedule is Schedule.OVERDUE:
            add(WarningKind.OVERDUE, f"已超过整改时限（{result.due.isoformat()}）"
                                     f"{-result.days_left}天，尚未完成。", result.due)
        elif result.days_left is not None and 0 <= result.days_left <= settings.warning_days:
            add(WarningKind.DUE_SOON, f"距整改时限（{result.due.isoformat()}）还有"
                                      f"{result.days_left}天，当前为“{status}”。", result.due)
        if status not in FINISHED_STATUSES:  # 长期坚持 too: 督查 judges it by its 调度
            last = as_date(last_reports.get(pid))
            if last is None or last < month_start:
                since = f"最近一次调度是{last.isoformat()}" if last else "还没有调度记录"
                add(WarningKind.NO_REPORT, f"{as_of.month}月尚未报送进展（{since}）。", last)
        if status is Status.DONE:
            add(WarningKind.NOT_APPLIED, "已完成整改，尚未申请销号。")
        end = as_date(publicity_ends.get(pid))
        if end is not None and monday <= end <= sunday:
            if end < as_of:
                add(WarningKind.PUBLICITY_ENDING, f"公示期已于{end.isoformat()}结束，可办理销号。", end)
            else:
                when = "今天" if end == as_of else f"将于{end.isoformat()}"
                add(WarningKind.PUBLICITY_ENDING, f"公示期{when}结束。", end)
    return ordered(found)


def ordered(found: list[LedgerWarning]) -> list[LedgerWarning]:
    order = list(WarningKind)
    return sorted(found, key=lambda w: (order.index(w.kind), w.day or date.min, w.problem_id))


def recheck_warnings(rechecks, as_of: date) -> list[LedgerWarning]:
    """回头看 rechecks planned and not done: overdue, or due within recheck.DUE_DAYS."""
    found = []
    for row in rechecks:
        state = due_state(row, as_of)
        if state is None:
            continue
        planned = as_date(row["planned_on"])
        if state == "逾期":
            found.append(LedgerWarning(WarningKind.RECHECK_OVERDUE, row["problem_id"],
                                       f"回头看复查计划于{planned.isoformat()}，尚未记录复查结果。", planned))
        else:
            found.append(LedgerWarning(WarningKind.RECHECK_DUE, row["problem_id"],
                                       f"回头看复查计划于{planned.isoformat()}进行。", planned))
    return found
