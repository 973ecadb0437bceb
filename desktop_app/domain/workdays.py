"""Working days as Chinese offices count them (公示期): 法定节假日 off, 调休 weekends on.

Where the days come from, for any one date:
1. a day the clerk entered in the ledger (设置→节假日安排) — it wins, so a clerk can also
   correct or add to the official data;
2. the State Council's yearly 放假安排, as the `chinese_calendar` package carries it
   (OFFICIAL_YEARS);
3. otherwise Monday to Friday. A year that has neither official data nor any day the clerk
   entered is "unknown": every result that touched it says so (unknown_years, warning), so
   nobody prints a notice whose 公示期 silently ignores a 春节.

How a period is counted, as clerks mean "公示N个工作日":
- the start day is day 1 when it is a working day; when it is not (a notice signed on a
  Saturday, or during 国庆), the period starts on the next working day;
- the end is the day the N-th working day falls on; holidays inside the period lengthen it.
- "2023年10月13日至2023年10月24日" is counted inclusive of both days.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

# The official 放假安排 with 调休 days, kept as plain data in a pure-Python package: we must not
# hand-write them. Its public functions raise NotImplementedError outside these years, so we read
# the data itself and decide for the other years here.
from chinese_calendar.constants import Holiday
from chinese_calendar.constants import holidays as _OFFICIAL_DAYS_OFF
from chinese_calendar.constants import workdays as _OFFICIAL_DAYS_ON

OFFICIAL_YEARS = range(min(d.year for d in _OFFICIAL_DAYS_OFF),
                       max(d.year for d in _OFFICIAL_DAYS_OFF) + 1)
_ONE_DAY = timedelta(days=1)


def unknown_years_warning(years: Iterable[int]) -> str | None:
    """The plain-Chinese warning for years counted Monday to Friday, or None when there are none."""
    years = sorted(set(years))
    if not years:
        return None
    named = "、".join(f"{year}年" for year in years)
    return (f"{named}的法定节假日安排还没有录入，已按周一至周五计算；"
            "请在“设置→节假日安排”中录入当年的放假安排。")


@dataclass(frozen=True)
class WorkingPeriod:
    """A span of days and the working days in it, with the years that had to be guessed."""
    start: date  # the first day of the period (a working day, when made by add_working_days)
    end: date  # its last day, inclusive
    working_days: int
    unknown_years: frozenset[int] = frozenset()

    @property
    def warning(self) -> str | None:
        return unknown_years_warning(self.unknown_years)


def _holiday_name(english: str) -> str:
    try:
        return Holiday(english).chinese
    except ValueError:  # a name a newer package version added
        return english


def official_entries(year: int) -> list[tuple[date, bool, str]]:
    """The official 放假安排 of one year: (day, is_workday, 节日), days off and 调休 days, by date."""
    entries = [(d, False, _holiday_name(n)) for d, n in _OFFICIAL_DAYS_OFF.items() if d.year == year]
    entries += [(d, True, _holiday_name(n)) for d, n in _OFFICIAL_DAYS_ON.items() if d.year == year]
    return sorted(entries)


class WorkCalendar:
    """Which days are working days: clerk-entered days, then official data, then Monday–Friday."""

    def __init__(self, entered: Mapping[date, bool] | None = None):
        self._entered = {day: bool(is_workday) for day, is_workday in (entered or {}).items()}
        self._entered_years = frozenset(day.year for day in self._entered)

    def is_known_year(self, year: int) -> bool:
        return year in OFFICIAL_YEARS or year in self._entered_years

    def unknown_years(self, start: date, end: date) -> frozenset[int]:
        """The years from start to end (inclusive) that are counted Monday to Friday."""
        first, last = sorted((start.year, end.year))
        return frozenset(y for y in range(first, last + 1) if not self.is_known_year(y))

    def is_workday(self, day: date) -> bool:
        if day in self._entered:
            return self._entered[day]
        if day.year in OFFICIAL_YEARS:
            if day in _OFFICIAL_DAYS_ON:
                return True
            if day in _OFFICIAL_DAYS_OFF:
                return False
        return day.weekday() < 5

    def first_workday(self, day: date) -> date:
        """day itself when it is a working day, else the next working day."""
        while not self.is_workday(day):
            day += _ONE_DAY
        return day

    def add_working_days(self, start: date, days: int) -> WorkingPeriod:
        """The period of `days` working days starting on start (see the module for the rules)."""
        if days < 1:
            raise ValueError(f"工作日天数至少为1天，现在是{days}天。")
        first = day = self.first_workday(start)
        for _ in range(days - 1):
            day = self.first_workday(day + _ONE_DAY)
        return WorkingPeriod(first, day, days, self.unknown_years(start, day))

    def count_working_days(self, start: date, end: date) -> WorkingPeriod:
        """The working days from start to end, both included."""
        if end < start:
            raise ValueError(f"结束日期{end.isoformat()}早于开始日期{start.isoformat()}。")
        count, day = 0, start
        while day <= end:
            count += self.is_workday(day)
            day += _ONE_DAY
        return WorkingPeriod(start, end, count, self.unknown_years(start, end))
