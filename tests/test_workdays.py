"""Working days for 公示期: official 放假安排 with 调休, the clerk's own entries, unknown years.

Every dated fact below was checked against the chinese_calendar package's data (and agrees with
the State Council's notices for that year); the tests pin our reading of that data.
"""

import random
import subprocess
import sys
from datetime import date, timedelta

import chinese_calendar
import pytest

from desktop_app.domain.workdays import (OFFICIAL_YEARS, WorkCalendar, official_entries,
                                         unknown_years_warning)
from desktop_app.store import holidays

CAL = WorkCalendar()
# The first year the package has no 放假安排 for (2027 with chinesecalendar 1.11). Computed, so an
# upgrade that brings that year's data moves these tests on instead of breaking them.
UNKNOWN = OFFICIAL_YEARS.stop


def days(first: str, last: str) -> list[date]:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return [start + timedelta(n) for n in range((end - start).days + 1)]


def d(text: str) -> date:
    return date.fromisoformat(text)


# -- the official data -------------------------------------------------------------------------

def test_official_years_cover_the_second_round_of_inspections():
    assert OFFICIAL_YEARS.start <= 2019 and OFFICIAL_YEARS.stop - 1 >= 2026


@pytest.mark.parametrize("first, last, festival", [
    ("2019-02-04", "2019-02-10", "春节"),
    ("2020-01-24", "2020-02-02", "春节"),  # extended to 2 February in 2020 (epidemic notice)
    ("2021-02-11", "2021-02-17", "春节"),
    ("2022-01-31", "2022-02-06", "春节"),
    ("2023-01-21", "2023-01-27", "春节"),
    ("2024-02-10", "2024-02-17", "春节"),
    ("2025-01-28", "2025-02-04", "春节"),
    ("2026-02-15", "2026-02-23", "春节"),
    ("2019-04-05", "2019-04-07", "清明"),
    ("2022-04-03", "2022-04-05", "清明"),
    ("2023-04-05", "2023-04-05", "清明"),
    ("2024-04-04", "2024-04-06", "清明"),
    ("2019-05-01", "2019-05-04", "劳动节"),
    ("2022-04-30", "2022-05-04", "劳动节"),
    ("2023-04-29", "2023-05-03", "劳动节"),
    ("2025-05-01", "2025-05-05", "劳动节"),
    ("2019-09-13", "2019-09-15", "中秋"),
    ("2021-09-19", "2021-09-21", "中秋"),
    ("2024-09-15", "2024-09-17", "中秋"),
    ("2019-10-01", "2019-10-07", "国庆节"),
    ("2020-10-01", "2020-10-08", "国庆节"),  # 国庆 and 中秋 together
    ("2023-09-29", "2023-10-06", "国庆节"),  # 中秋 on 29 September, then 国庆
    ("2025-10-01", "2025-10-08", "国庆节"),
    ("2026-10-01", "2026-10-07", "国庆节"),
])
def test_days_off(first, last, festival):
    for day in days(first, last):
        assert not CAL.is_workday(day), day
    names = {name for day, is_workday, name in official_entries(int(first[:4]))
             if not is_workday and d(first) <= day <= d(last)}
    assert festival in names


@pytest.mark.parametrize("day", [
    "2019-02-02", "2019-02-03", "2019-04-28", "2019-09-29", "2019-10-12",  # Sat/Sun made working days
    "2020-01-19", "2020-05-09", "2020-09-27", "2020-10-10",
    "2021-02-07", "2021-02-20", "2021-09-18", "2021-10-09",
    "2022-01-29", "2022-01-30", "2022-04-02", "2022-10-08", "2022-10-09",
    "2023-01-28", "2023-01-29", "2023-04-23", "2023-05-06", "2023-10-07", "2023-10-08",
    "2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14",
    "2024-09-29", "2024-10-12",
    "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
    "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
])
def test_tiaoxiu_weekends_are_working_days(day):
    assert d(day).weekday() >= 5  # a Saturday or a Sunday …
    assert CAL.is_workday(d(day))  # … that the notice made a working day


def test_ordinary_days():
    assert CAL.is_workday(d("2024-02-05"))  # a Monday
    assert not CAL.is_workday(d("2024-02-24"))  # a Saturday with no 调休


def test_agrees_with_the_package_on_every_official_day():
    day, last = date(OFFICIAL_YEARS.start, 1, 1), date(OFFICIAL_YEARS.stop - 1, 12, 31)
    while day <= last:
        assert CAL.is_workday(day) == chinese_calendar.is_workday(day), day
        day += timedelta(1)


# -- periods across holidays -------------------------------------------------------------------

def test_seed_000_five_days_are_four_working_days():
    # 凤凰县: 公示时间：2023年10月12日-2023年10月17日（共五天）— Thu, Fri, (weekend), Mon, Tue.
    period = CAL.count_working_days(d("2023-10-12"), d("2023-10-17"))
    assert period.working_days == 4
    assert period.warning is None
    assert CAL.add_working_days(d("2023-10-12"), 5).end == d("2023-10-18")


def test_seed_002_ten_working_days_are_really_eight():
    # 岳阳楼区: 公示时间：2023年10月13日至2023年10月24日，共10个工作日 — two weekends inside,
    # the 国庆/中秋 break (9月29日–10月6日, 10月7–8日 worked) is already over.
    assert CAL.count_working_days(d("2023-10-13"), d("2023-10-24")).working_days == 8
    assert CAL.add_working_days(d("2023-10-13"), 10).end == d("2023-10-26")


def test_a_period_across_spring_festival_2024():
    # Fri 2 Feb, Sun 4 Feb (调休), Mon 5 … Fri 9 Feb: 7; then 10–17 Feb off; Sun 18 Feb (调休),
    # Mon 19, Tue 20: 10.
    period = CAL.add_working_days(d("2024-02-02"), 10)
    assert period.end == d("2024-02-20")
    assert CAL.count_working_days(d("2024-02-09"), d("2024-02-18")).working_days == 2


def test_a_period_across_national_day_2023():
    # Thu 28 Sep works; 29 Sep–6 Oct off; Sat 7 and Sun 8 Oct are working days.
    assert CAL.add_working_days(d("2023-09-28"), 3).end == d("2023-10-08")
    assert CAL.count_working_days(d("2023-09-25"), d("2023-10-08")).working_days == 6


def test_a_period_across_labour_day_and_qingming_2024():
    # 4–6 Apr off, Sun 7 Apr works; Sun 28 Apr works, 1–5 May off, Sat 11 May works.
    assert CAL.count_working_days(d("2024-04-01"), d("2024-04-07")).working_days == 4
    assert CAL.count_working_days(d("2024-04-28"), d("2024-05-11")).working_days == 9


def test_a_start_on_a_day_off_begins_on_the_next_working_day():
    # Signed during 国庆 2024 (1–7 Oct off): the 公示 starts on Tue 8 October.
    period = CAL.add_working_days(d("2024-10-03"), 5)
    assert period.start == d("2024-10-08")
    assert period.end == d("2024-10-12")  # Sat 12 Oct is a 调休 working day
    saturday = CAL.add_working_days(d("2024-03-02"), 1)
    assert (saturday.start, saturday.end) == (d("2024-03-04"), d("2024-03-04"))


def test_a_start_on_a_working_day_is_day_one():
    period = CAL.add_working_days(d("2024-03-04"), 1)
    assert (period.start, period.end, period.working_days) == (d("2024-03-04"), d("2024-03-04"), 1)


def test_bad_arguments():
    with pytest.raises(ValueError, match="至少为1天"):
        CAL.add_working_days(d("2024-03-04"), 0)
    with pytest.raises(ValueError, match="早于开始日期"):
        CAL.count_working_days(d("2024-03-04"), d("2024-03-01"))
    assert CAL.count_working_days(d("2024-03-02"), d("2024-03-03")).working_days == 0


def test_add_and_count_are_inverse():
    rng = random.Random(6)
    first = date(2018, 12, 1).toordinal()
    last = date(UNKNOWN, 12, 31).toordinal()
    for _ in range(600):
        start = date.fromordinal(rng.randint(first, last))
        n = rng.randint(1, 40)
        period = CAL.add_working_days(start, n)
        assert CAL.is_workday(period.start) and CAL.is_workday(period.end)
        assert CAL.count_working_days(start, period.end).working_days == n
        assert CAL.count_working_days(period.start, period.end).working_days == n
        # and back: the working days up to a working day give that day again
        again = CAL.add_working_days(start, CAL.count_working_days(start, period.end).working_days)
        assert again.end == period.end


# -- years without data ------------------------------------------------------------------------

def first_weekday(year, month, weekday):
    day = date(year, month, 1)
    return day + timedelta((weekday - day.weekday()) % 7)


def test_an_unknown_year_counts_monday_to_friday_and_warns():
    monday = first_weekday(UNKNOWN, 2, 0)
    period = CAL.add_working_days(monday, 10)
    assert period.end == monday + timedelta(11)  # the Friday of the next week
    assert period.unknown_years == {UNKNOWN}
    assert period.warning == (f"{UNKNOWN}年的法定节假日安排还没有录入，已按周一至周五计算；"
                              "请在“设置→节假日安排”中录入当年的放假安排。")
    assert not CAL.is_workday(monday + timedelta(5)) and CAL.is_workday(monday + timedelta(4))


def test_a_period_into_an_unknown_year_warns_for_that_year_only():
    period = CAL.count_working_days(date(UNKNOWN - 1, 12, 20), date(UNKNOWN, 1, 10))
    assert period.unknown_years == {UNKNOWN}
    assert CAL.count_working_days(date(UNKNOWN - 1, 12, 1), date(UNKNOWN - 1, 12, 20)).warning is None


def test_warning_names_every_unknown_year():
    assert unknown_years_warning([UNKNOWN + 1, UNKNOWN]).startswith(
        f"{UNKNOWN}年、{UNKNOWN + 1}年的法定节假日安排还没有录入")
    assert unknown_years_warning([]) is None


def test_clerk_entries_make_a_year_known_and_change_the_count():
    monday = first_weekday(UNKNOWN, 2, 0)
    entered = {monday + timedelta(n): False for n in range(3)}  # Mon–Wed off
    entered[monday - timedelta(1)] = True  # the Sunday before is a 调休 working day
    cal = WorkCalendar(entered)
    period = cal.add_working_days(monday - timedelta(1), 10)
    assert period.end == monday + timedelta(15)  # Sun, Thu, Fri, the 2nd week, Mon–Tue of the 3rd
    assert period.unknown_years == set() and period.warning is None
    assert cal.count_working_days(monday, monday + timedelta(6)).working_days == 2


def test_clerk_entries_win_over_official_data():
    assert not CAL.is_workday(d("2024-10-01"))
    cal = WorkCalendar({d("2024-10-01"): True, d("2024-10-08"): False})
    assert cal.is_workday(d("2024-10-01")) and not cal.is_workday(d("2024-10-08"))
    assert cal.is_workday(d("2024-10-02")) is False  # the rest still official


# -- the clerk's entries in the ledger ---------------------------------------------------------

def audit_rows(ledger):
    return ledger.db.conn.execute(
        "SELECT action, entity, old_value, new_value FROM audit_log WHERE entity = 'holiday'"
        " ORDER BY id").fetchall()


def test_entries_are_stored_and_audited(ledger):
    monday = first_weekday(UNKNOWN, 2, 0)
    assert holidays.set_day(ledger, monday, False, "春节") is None
    assert holidays.set_day(ledger, monday.isoformat(), False, "春节") == {
        "day": monday, "is_workday": False, "note": "春节"}  # unchanged: no new audit entry
    before = holidays.set_day(ledger, monday, True, "调休上班")
    assert before["is_workday"] is False
    rows = ledger.db.conn.execute("SELECT day, is_workday, note FROM holidays").fetchall()
    assert rows == [(monday.isoformat(), 1, "调休上班")]
    assert [r[0] for r in audit_rows(ledger)] == ["create", "update", "update"]  # 2 columns
    assert holidays.remove(ledger, monday)["note"] == "调休上班"
    assert holidays.remove(ledger, monday) is None
    assert ledger.db.conn.execute("SELECT count(*) FROM holidays").fetchone()[0] == 0
    assert [r[0] for r in audit_rows(ledger)] == ["create", "update", "update", "delete"]


def test_a_years_schedule_is_one_transaction(ledger):
    year = UNKNOWN
    holidays.set_days(ledger, [(date(year, 1, 1), False, "元旦"), (date(year + 1, 1, 1), False, "元旦")])
    assert holidays.years(ledger) == [year, year + 1]
    assert [e["day"] for e in holidays.entries(ledger, year)] == [date(year, 1, 1)]
    with pytest.raises(ValueError, match="不是有效日期"):
        holidays.set_days(ledger, [(date(year, 5, 1), False, "劳动节"), ("2027-02-30", False, "")])
    assert len(holidays.entries(ledger)) == 2  # nothing of the failed batch was written


def test_a_failed_write_leaves_nothing(ledger):
    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        with ledger.writing():
            holidays.set_day(ledger, date(UNKNOWN, 5, 3), False)
            raise Boom
    assert holidays.entries(ledger) == []
    assert audit_rows(ledger) == []


def test_the_ledgers_calendar_uses_its_entries(ledger):
    monday = first_weekday(UNKNOWN, 5, 0)
    assert holidays.calendar(ledger).add_working_days(monday, 1).unknown_years == {UNKNOWN}
    holidays.set_day(ledger, monday, False, "劳动节")
    cal = holidays.calendar(ledger)
    period = cal.add_working_days(monday, 1)
    assert period.end == monday + timedelta(1) and period.warning is None


def test_the_rules_load_without_qt():
    # domain/ never imports Qt (STYLE.md): run the import in a clean interpreter and look.
    code = ("import sys, desktop_app.domain.workdays, desktop_app.domain.schedule;"
            "print(sorted(m for m in sys.modules if m.startswith('PySide6')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stderr
