"""回头看 rechecks after 销号: their results, planned dates and counts (rules only, no storage)."""

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

# The rechecks planned for a problem when it is 销号: so many months after the 销号 date.
DEFAULT_RECHECK_MONTHS = (3, 12)
DUE_DAYS = 30  # a planned recheck this close is 即将到期 on the overview
MAX_RECHECK_MONTHS = 120


def parse_months(text: str) -> tuple[int, ...]:
    """"3、12" (or 3,12 / 3，12 / 3 12) as (3, 12); ValueError in Chinese naming what is wrong."""
    parts = [p for p in re.split(r"[\s,，、;；]+", text.strip()) if p]
    if not parts:
        raise ValueError("请填写销号后第几个月安排回头看复查，例如“3、12”。")
    months = []
    for part in parts:
        if not part.isdigit() or not 0 < int(part) <= MAX_RECHECK_MONTHS:
            raise ValueError(f"“{part}”不是 1 到 {MAX_RECHECK_MONTHS} 之间的月数。"
                             "请只填数字，用顿号隔开，例如“3、12”。")
        months.append(int(part))
    return tuple(sorted(set(months)))


def months_text(months) -> str:
    return "、".join(str(m) for m in months)


class RecheckResult(StrEnum):
    HELD = "巩固"
    REBOUND = "反弹"
    NEW_PROBLEM = "衍生新问题"


def months_after(day: date, months: int) -> date:
    """The same day so many months later (the month's last day when it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def planned_dates(signed_off_on: date, months=DEFAULT_RECHECK_MONTHS) -> list[date]:
    return [months_after(signed_off_on, m) for m in sorted(set(months))]


@dataclass(frozen=True)
class RecheckCount:
    planned: int = 0  # every recheck on record (done or not)
    done: int = 0
    held: int = 0  # 巩固
    rebound: int = 0  # 反弹
    new_problem: int = 0  # 衍生新问题
    due: int = 0  # not done, planned within DUE_DAYS
    overdue: int = 0  # not done, planned day passed

    def to_json(self) -> dict:
        return {"planned": self.planned, "done": self.done, RecheckResult.HELD.value: self.held,
                RecheckResult.REBOUND.value: self.rebound,
                RecheckResult.NEW_PROBLEM.value: self.new_problem,
                "due": self.due, "overdue": self.overdue}


def _day(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def is_done(row: dict, as_of: date) -> bool:
    done = _day(row.get("done_on"))
    return done is not None and done <= as_of and bool(row.get("result"))


def due_state(row: dict, as_of: date) -> str | None:
    """"逾期", "即将到期" or None for a recheck row on as_of."""
    planned = _day(row.get("planned_on"))
    if is_done(row, as_of) or planned is None:
        return None
    if planned < as_of:
        return "逾期"
    if planned <= as_of + timedelta(days=DUE_DAYS):
        return "即将到期"
    return None


def count_rechecks(rows, as_of: date) -> RecheckCount:
    """Counts on as_of of recheck rows (planned_on, done_on, result as text)."""
    rows = [r for r in rows]
    done = [r for r in rows if is_done(r, as_of)]
    states = [due_state(r, as_of) for r in rows]
    return RecheckCount(
        planned=len(rows), done=len(done),
        held=sum(r["result"] == RecheckResult.HELD for r in done),
        rebound=sum(r["result"] == RecheckResult.REBOUND for r in done),
        new_problem=sum(r["result"] == RecheckResult.NEW_PROBLEM for r in done),
        due=states.count("即将到期"), overdue=states.count("逾期"))
