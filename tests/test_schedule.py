"""时序进度 rules (domain/schedule.py), one test or more for every rule in its docstring."""

from datetime import date, timedelta

import pytest

from desktop_app.domain.schedule import ScheduleSettings, assess, assess_problem
from desktop_app.domain.vocabulary import Band, Schedule, Status, Term

START = date(2024, 1, 1)
DUE = date(2024, 12, 31)  # 365 days after START
TODAY = date(2024, 6, 1)


def judged(result):
    return result.schedule, result.band


# 1. finished ---------------------------------------------------------------------------------

@pytest.mark.parametrize("status", ["已完成", "销号中", "已销号"])
@pytest.mark.parametrize("term", list(Term))
def test_finished_is_done_and_blue_even_past_the_deadline(status, term):
    result = assess(status, term, DUE, START, DUE + timedelta(100))
    assert judged(result) == (Schedule.DONE, Band.BLUE)
    assert status in result.reason


# 2. ongoing ----------------------------------------------------------------------------------

@pytest.mark.parametrize("status", [Status.NOT_STARTED, Status.IN_PROGRESS])
@pytest.mark.parametrize("deadline", [None, DUE])
def test_ongoing_is_never_late(status, deadline):
    result = assess(status, Term.ONGOING, deadline, START, DUE + timedelta(400))
    assert judged(result) == (Schedule.ONGOING, Band.BLUE)
    assert result.due is None


# 3. the due date -----------------------------------------------------------------------------

def test_immediate_without_a_date_is_due_thirty_days_after_its_start():
    start = date(2024, 3, 1)
    on_time = assess(Status.IN_PROGRESS, Term.IMMEDIATE, None, start, date(2024, 3, 31))
    assert on_time.due == date(2024, 3, 31) and on_time.days_left == 0
    assert judged(on_time) == (Schedule.ON_SCHEDULE, Band.YELLOW)
    late = assess(Status.IN_PROGRESS, Term.IMMEDIATE, None, start, date(2024, 4, 1))
    assert judged(late) == (Schedule.OVERDUE, Band.RED)


def test_immediate_window_comes_from_settings():
    result = assess(Status.IN_PROGRESS, Term.IMMEDIATE, None, date(2024, 3, 1), date(2024, 3, 17),
                    ScheduleSettings(immediate_days=15))
    assert result.due == date(2024, 3, 16)
    assert result.schedule is Schedule.OVERDUE


def test_immediate_with_a_dated_deadline_uses_the_deadline():
    result = assess(Status.IN_PROGRESS, Term.IMMEDIATE, date(2024, 3, 10), date(2024, 3, 1),
                    date(2024, 3, 20))
    assert result.due == date(2024, 3, 10) and result.schedule is Schedule.OVERDUE


@pytest.mark.parametrize("term, start, missing", [
    (Term.FIXED, START, "具体日期"), (Term.FIXED, None, "具体日期"),
    (Term.IMMEDIATE, None, "开始日期")])
def test_without_a_due_date_nothing_is_late_but_the_reason_says_why(term, start, missing):
    result = assess(Status.NOT_STARTED, term, None, start, DUE + timedelta(1000))
    assert judged(result) == (Schedule.ON_SCHEDULE, Band.BLUE)
    assert result.due is None and missing in result.reason


# 4. overdue ----------------------------------------------------------------------------------

@pytest.mark.parametrize("status", [Status.NOT_STARTED, Status.IN_PROGRESS])
def test_the_day_after_the_deadline_is_overdue(status):
    result = assess(status, Term.FIXED, DUE, START, DUE + timedelta(1))
    assert judged(result) == (Schedule.OVERDUE, Band.RED)
    assert result.days_left == -1
    assert "超过整改时限" in result.reason and "1天" in result.reason


def test_the_deadline_itself_is_still_in_time():
    result = assess(Status.IN_PROGRESS, Term.FIXED, DUE, START, DUE)
    assert result.schedule is Schedule.ON_SCHEDULE and result.days_left == 0
    assert "今天" in result.reason


# 5. behind -----------------------------------------------------------------------------------

def test_not_started_past_half_the_time_is_behind():
    half = START + timedelta(183)  # 2 × 183 > 365
    result = assess(Status.NOT_STARTED, Term.FIXED, DUE, START, half)
    assert judged(result) == (Schedule.BEHIND, Band.YELLOW)
    assert "过半" in result.reason


def test_not_started_at_exactly_half_the_time_is_not_yet_behind():
    result = assess(Status.NOT_STARTED, Term.FIXED, DUE, START, START + timedelta(182))
    assert judged(result) == (Schedule.ON_SCHEDULE, Band.BLUE)


def test_under_way_past_half_the_time_keeps_pace():
    result = assess(Status.IN_PROGRESS, Term.FIXED, DUE, START, START + timedelta(300))
    assert judged(result) == (Schedule.ON_SCHEDULE, Band.BLUE)


def test_not_started_close_to_the_deadline_is_behind_even_without_a_start_date():
    result = assess(Status.NOT_STARTED, Term.FIXED, DUE, None, DUE - timedelta(30))
    assert judged(result) == (Schedule.BEHIND, Band.YELLOW)
    assert "30天" in result.reason and "未启动" in result.reason


def test_not_started_without_a_start_date_far_from_the_deadline_is_on_schedule():
    result = assess(Status.NOT_STARTED, Term.FIXED, DUE, None, DUE - timedelta(200))
    assert judged(result) == (Schedule.ON_SCHEDULE, Band.BLUE)


def test_a_start_date_after_the_deadline_does_not_make_it_behind():
    # a typing slip; the half-time rule needs a window to halve
    result = assess(Status.NOT_STARTED, Term.FIXED, DUE, DUE + timedelta(5), DUE - timedelta(100))
    assert judged(result) == (Schedule.ON_SCHEDULE, Band.BLUE)


# 6. near the deadline, under way -------------------------------------------------------------

def test_under_way_within_warning_days_is_on_schedule_but_yellow():
    result = assess(Status.IN_PROGRESS, Term.FIXED, DUE, START, DUE - timedelta(30))
    assert judged(result) == (Schedule.ON_SCHEDULE, Band.YELLOW)
    assert result.days_left == 30 and "抓紧" in result.reason


def test_warning_days_come_from_settings():
    settings = ScheduleSettings(warning_days=10)
    assert assess(Status.IN_PROGRESS, Term.FIXED, DUE, START, DUE - timedelta(11),
                  settings).band is Band.BLUE
    assert assess(Status.IN_PROGRESS, Term.FIXED, DUE, START, DUE - timedelta(10),
                  settings).band is Band.YELLOW
    assert assess(Status.NOT_STARTED, Term.FIXED, DUE, None, DUE - timedelta(20),
                  settings).schedule is Schedule.ON_SCHEDULE


# 7. everything else --------------------------------------------------------------------------

def test_far_from_the_deadline_is_on_schedule_and_blue():
    result = assess(Status.NOT_STARTED, Term.FIXED, DUE, START, TODAY)
    assert judged(result) == (Schedule.ON_SCHEDULE, Band.BLUE)
    assert result.due == DUE and result.days_left == (DUE - TODAY).days
    assert "2024-12-31" in result.reason


def test_words_and_colours_are_the_ledgers_chinese():
    assert [s.value for s in Schedule] == ["已完成", "达到时序进度", "滞后", "逾期", "长期坚持"]
    assert [b.value for b in Band] == ["蓝", "黄", "红"]


def test_unknown_status_is_refused():
    with pytest.raises(ValueError):
        assess("完成了", Term.FIXED, DUE, START, TODAY)


# the store's rows ----------------------------------------------------------------------------

def test_rows_from_the_ledger(sample_ledger):
    category = sample_ledger.db.conn.execute("SELECT id FROM categories LIMIT 1").fetchone()[0]
    sample_ledger.add_problem(category, code="问题编号六", deadline_text="立行立改",
                              start_date="2024-03-01")
    rows = {r["code"]: r for r in sample_ledger.db.query("SELECT * FROM problems")}
    today = date(2022, 7, 1)
    assert judged(assess_problem(rows["问题编号一"], today)) == (Schedule.ONGOING, Band.BLUE)
    assert judged(assess_problem(rows["问题编号二"], today)) == (Schedule.DONE, Band.BLUE)
    # 2021年底前全面完成, 未启动, a year and a half later
    assert judged(assess_problem(rows["问题编号三"], today)) == (Schedule.OVERDUE, Band.RED)
    # 2022年6月30日前: the deadline was yesterday
    assert assess_problem(rows["问题编号四"], today).days_left == -1
    assert judged(assess_problem(rows["问题编号六"], date(2024, 3, 20))) == (
        Schedule.BEHIND, Band.YELLOW)  # 立行立改, not started, 11 days left of its month


def test_rows_with_blank_or_mistyped_dates_do_not_crash():
    row = {"status": "整改中", "term": "限期整改", "deadline": "2024-02-30", "start_date": ""}
    assert assess_problem(row, TODAY).due is None
