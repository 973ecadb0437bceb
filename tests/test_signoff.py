"""销号: the rules (domain/signoff) and the transitions in the ledger file (store/signoff)."""

from datetime import date

import pytest

from desktop_app.domain import signoff as rules
from desktop_app.domain.notice import Contacts
from desktop_app.domain.signoff import ChecklistItem, SignoffDefaults, SignoffRefused, Stage
from desktop_app.domain.workdays import OFFICIAL_YEARS, WorkCalendar
from desktop_app.store import holidays
from desktop_app.store import signoff as store

# -- rules --------------------------------------------------------------------------------------


def test_forward_one_step_at_a_time():
    assert rules.next_stage(None) == Stage.APPLIED
    assert rules.next_stage(Stage.APPLIED) == Stage.ACCEPTED
    assert rules.next_stage(Stage.ACCEPTED) == Stage.PUBLICITY
    assert rules.next_stage(Stage.PUBLICITY) == Stage.SIGNED_OFF
    assert rules.next_stage(Stage.SIGNED_OFF) is None
    assert rules.next_stage(Stage.RETURNED) == Stage.APPLIED  # apply anew after rework


def test_status_follows_the_stage():
    assert {s: rules.STATUS_OF_STAGE[s] for s in Stage} == {
        Stage.APPLIED: "销号中", Stage.ACCEPTED: "销号中", Stage.PUBLICITY: "销号中",
        Stage.SIGNED_OFF: "已销号", Stage.RETURNED: "整改中"}


def test_can_apply_needs_done_status_and_every_completion():
    measures = [{"text": "a", "completion": "已完成"}, {"text": "b", "completion": "  "},
                {"text": "c", "completion": ""}]
    reasons = rules.can_apply({"status": "整改中"}, measures)
    assert reasons == ["整改状态为“整改中”，改为“已完成”后才能申请销号。",
                       "第2条整改措施还没有填写完成情况。", "第3条整改措施还没有填写完成情况。"]
    assert rules.can_apply({"status": "已完成"}, measures[:1]) == []
    assert rules.can_apply({"status": "已完成", "completion": ""}, []) == [
        "没有整改措施，也没有填写整改落实情况。"]
    assert rules.can_apply({"status": "已完成", "completion": "已办结。"}, []) == []
    assert "不能再次申请销号" in rules.can_apply({"status": "销号中"}, measures[:1])[0]


def test_default_checklist_and_its_json():
    items = rules.default_checklist()
    assert [i.item for i in items] == ["整改措施全部完成", "整改效果达到目标", "佐证材料齐全",
                                       "举一反三、同类问题已排查", "长效机制已建立"]
    assert not any(i.checked for i in items)
    ticked = [ChecklistItem("整改措施全部完成", True), ChecklistItem("自定义标准")]
    assert rules.checklist_from_json(rules.checklist_to_json(ticked)) == ticked
    assert rules.checklist_from_json("不是JSON") == []
    assert rules.checklist_from_json('["只有文字"]') == [ChecklistItem("只有文字")]


def test_defaults_round_trip_and_survive_bad_settings():
    defaults = SignoffDefaults(Contacts(office="县督察整改办", phone="0743-1234567"), 10,
                               "某某规定", ("标准一", "标准二"))
    assert SignoffDefaults.from_json(defaults.to_json()) == defaults
    assert SignoffDefaults.from_json("") == SignoffDefaults()
    assert SignoffDefaults.from_json('{"working_days": -3, "checklist": []}') == SignoffDefaults()
    assert SignoffDefaults.from_json("[1, 2]") == SignoffDefaults()


def test_publicity_period_by_days_or_by_both_ends():
    calendar = WorkCalendar()
    by_days = rules.publicity_period(calendar, date(2023, 10, 13), working_days=10)
    assert (by_days.start, by_days.end, by_days.working_days) == (
        date(2023, 10, 13), date(2023, 10, 26), 10)
    # Seed 002 printed "2023年10月13日至2023年10月24日，共10个工作日": it is 8.
    typed = rules.publicity_period(calendar, date(2023, 10, 13), end=date(2023, 10, 24))
    assert typed.working_days == 8
    # Seed 000: "2023年10月12日-2023年10月17日(共五天)": 4 working days.
    assert rules.publicity_period(calendar, date(2023, 10, 12),
                                  end=date(2023, 10, 17)).working_days == 4
    # Starting in the 国庆 holiday: the period starts on the first working day, 7 Oct (a
    # Saturday worked, 调休), and 8 Oct (Sunday) counts too.
    holiday_start = rules.publicity_period(calendar, date(2023, 10, 2), working_days=5)
    assert (holiday_start.start, holiday_start.end) == (date(2023, 10, 7), date(2023, 10, 11))
    with pytest.raises(ValueError):
        rules.publicity_period(calendar, date(2023, 10, 13))
    with pytest.raises(ValueError):
        rules.publicity_period(calendar, date(2023, 10, 13), 5, date(2023, 10, 20))


# -- the store ----------------------------------------------------------------------------------


@pytest.fixture
def done_problem(sample_ledger):
    """Problem 2 of the sample: 已完成, its one measure given a completion."""
    problem_id = sample_ledger.tree(sample_ledger.inspections()[0]["id"]).problems[1].id
    measure = sample_ledger.measures(problem_id)[0]
    sample_ledger.update("measure", measure["id"], completion="已完成专项督导。")
    return problem_id


def status(ledger, problem_id):
    return ledger.row("problem", problem_id)["status"]


def tick_all(ledger, signoff_id):
    for index in range(len(store.signoff(ledger, signoff_id)["checklist"])):
        store.tick(ledger, signoff_id, index)


def test_apply_refused_with_every_reason(sample_ledger):
    first = sample_ledger.tree(sample_ledger.inspections()[0]["id"]).problems[0].id
    with pytest.raises(SignoffRefused) as refused:
        store.apply(sample_ledger, first, "2023-09-01")
    assert refused.value.reasons == ["整改状态为“整改中”，改为“已完成”后才能申请销号。",
                                     "第2条整改措施还没有填写完成情况。"]
    assert store.current(sample_ledger, first) is None
    assert status(sample_ledger, first) == "整改中"


def test_the_whole_way_to_signed_off(sample_ledger, done_problem):
    contacts = {"office": "县督察整改办", "contact": "李明", "phone": "0743-3506055",
                "fax": "0743-3506056", "issuer": "青山县生态环境保护委员会办公室"}
    step = store.apply(sample_ledger, done_problem, "2023-09-28", contacts=contacts)
    signoff_id = step.signoff_id
    row = store.signoff(sample_ledger, signoff_id)
    assert (row["stage"], row["applied_on"], row["office"]) == ("申请销号", "2023-09-28", "县督察整改办")
    assert [i.item for i in row["checklist"]] == list(rules.DEFAULT_CHECKLIST)
    assert status(sample_ledger, done_problem) == "销号中"

    with pytest.raises(SignoffRefused, match="未勾选"):
        store.advance(sample_ledger, signoff_id, "2023-09-30")
    tick_all(sample_ledger, signoff_id)
    store.advance(sample_ledger, signoff_id, "2023-10-09")
    assert store.signoff(sample_ledger, signoff_id)["accepted_on"] == "2023-10-09"

    with pytest.raises(SignoffRefused, match="公示时间"):
        store.advance(sample_ledger, signoff_id)
    period, _ = store.set_publicity(sample_ledger, signoff_id, "2023-10-13", working_days=5)
    assert (period.end, period.working_days) == (date(2023, 10, 19), 5)
    store.advance(sample_ledger, signoff_id)  # enters 公示 on its first day
    assert store.events(sample_ledger, done_problem)[-1]["on_date"] == "2023-10-13"

    with pytest.raises(SignoffRefused, match="2023年10月19日"):
        store.advance(sample_ledger, signoff_id, "2023-10-19")
    store.advance(sample_ledger, signoff_id, "2023-10-20")
    row = store.signoff(sample_ledger, signoff_id)
    assert (row["stage"], row["signed_off_on"]) == ("已销号", "2023-10-20")
    assert status(sample_ledger, done_problem) == "已销号"
    history = store.events(sample_ledger, done_problem)
    assert [(e["from_stage"], e["to_stage"]) for e in history] == [
        (None, "申请销号"), ("申请销号", "验收"), ("验收", "公示"), ("公示", "已销号")]
    with pytest.raises(SignoffRefused, match="没有下一步"):
        store.advance(sample_ledger, signoff_id, "2023-10-21")
    audited = {r[0] for r in sample_ledger.db.execute(
        "SELECT DISTINCT entity FROM audit_log").fetchall()}
    assert {"signoff", "signoff_event", "problem"} <= audited


def test_objection_upheld_sends_it_back_with_the_reason(sample_ledger, done_problem):
    signoff_id = store.apply(sample_ledger, done_problem, "2023-09-28").signoff_id
    tick_all(sample_ledger, signoff_id)
    store.advance(sample_ledger, signoff_id, "2023-10-09")
    store.set_publicity(sample_ledger, signoff_id, "2023-10-13", working_days=5)
    store.advance(sample_ledger, signoff_id)
    with pytest.raises(SignoffRefused, match="原因"):
        store.send_back(sample_ledger, signoff_id, "  ", "2023-10-16")
    store.send_back(sample_ledger, signoff_id, "群众反映河道仍有垃圾，经核实异议成立。", "2023-10-16")
    assert store.signoff(sample_ledger, signoff_id)["stage"] == "退回"
    assert status(sample_ledger, done_problem) == "整改中"
    last = store.events(sample_ledger, done_problem)[-1]
    assert (last["from_stage"], last["to_stage"], last["reason"]) == (
        "公示", "退回", "群众反映河道仍有垃圾，经核实异议成立。")
    with pytest.raises(SignoffRefused):
        store.send_back(sample_ledger, signoff_id, "再退一次", "2023-10-17")
    with pytest.raises(SignoffRefused):
        store.set_publicity(sample_ledger, signoff_id, "2023-11-01", working_days=5)

    # After more work the unit applies again: a new sign-off, the old one kept as history.
    with pytest.raises(SignoffRefused, match="已完成"):
        store.apply(sample_ledger, done_problem, "2023-11-01")
    sample_ledger.update("problem", done_problem, status="已完成")
    again = store.apply(sample_ledger, done_problem, "2023-11-20")
    assert again.signoff_id != signoff_id
    assert [s["stage"] for s in store.signoffs(sample_ledger, done_problem)] == ["申请销号", "退回"]
    assert not any(i.checked for i in store.signoff(sample_ledger, again.signoff_id)["checklist"])


@pytest.mark.parametrize("stage_steps", [0, 1])
def test_send_back_from_application_or_acceptance(sample_ledger, done_problem, stage_steps):
    signoff_id = store.apply(sample_ledger, done_problem, "2023-09-28").signoff_id
    if stage_steps:
        tick_all(sample_ledger, signoff_id)
        store.advance(sample_ledger, signoff_id, "2023-10-09")
    store.send_back(sample_ledger, signoff_id, "现场核查发现措施未落实。", "2023-10-10")
    assert status(sample_ledger, done_problem) == "整改中"


def test_reopen_a_signed_off_problem(sample_ledger, done_problem):
    signoff_id = store.apply(sample_ledger, done_problem, "2023-09-28").signoff_id
    tick_all(sample_ledger, signoff_id)
    store.advance(sample_ledger, signoff_id, "2023-10-09")
    store.set_publicity(sample_ledger, signoff_id, "2023-10-13", working_days=5)
    store.advance(sample_ledger, signoff_id)
    store.advance(sample_ledger, signoff_id, "2023-10-20")
    store.send_back(sample_ledger, signoff_id, "回头看发现问题反弹，撤销销号。", "2024-05-06")
    assert status(sample_ledger, done_problem) == "整改中"
    assert store.events(sample_ledger, done_problem)[-1]["from_stage"] == "已销号"


def test_only_one_open_signoff(sample_ledger, done_problem):
    store.apply(sample_ledger, done_problem, "2023-09-28")
    sample_ledger.update("problem", done_problem, status="已完成")  # a clerk's hand edit
    with pytest.raises(SignoffRefused, match="已有销号记录"):
        store.apply(sample_ledger, done_problem, "2023-09-29")
    assert len(store.signoffs(sample_ledger, done_problem)) == 1


def test_undo_each_step(sample_ledger, done_problem):
    before_rows = sample_ledger.db.execute("SELECT count(*) FROM signoffs").fetchone()[0]
    applied = store.apply(sample_ledger, done_problem, "2023-09-28")
    undo_apply = sample_ledger.last_change
    with sample_ledger.writing():
        tick_all(sample_ledger, applied.signoff_id)
    undo_ticks = sample_ledger.last_change
    store.advance(sample_ledger, applied.signoff_id, "2023-10-09")
    sample_ledger.revert(sample_ledger.last_change)
    row = store.signoff(sample_ledger, applied.signoff_id)
    assert (row["stage"], row["accepted_on"]) == ("申请销号", None)
    assert status(sample_ledger, done_problem) == "销号中"
    sample_ledger.revert(undo_ticks)
    sample_ledger.revert(undo_apply)
    assert store.current(sample_ledger, done_problem) is None
    assert store.events(sample_ledger, done_problem) == []
    assert status(sample_ledger, done_problem) == "已完成"
    assert sample_ledger.db.execute("SELECT count(*) FROM signoffs").fetchone()[0] == before_rows


def test_checklist_edit_and_tick(sample_ledger, done_problem):
    signoff_id = store.apply(sample_ledger, done_problem, "2023-09-28",
                             checklist=["措施完成", "资料齐全"]).signoff_id
    store.tick(sample_ledger, signoff_id, 1)
    assert store.signoff(sample_ledger, signoff_id)["checklist"] == [
        ChecklistItem("措施完成"), ChecklistItem("资料齐全", True)]
    stored = sample_ledger.db["signoffs"].get(signoff_id)["checklist"]
    assert '"checked": true' in stored and "资料齐全" in stored  # JSON, readable Chinese
    sample_ledger.revert(sample_ledger.last_change)
    assert not any(i.checked for i in store.signoff(sample_ledger, signoff_id)["checklist"])
    store.set_checklist(sample_ledger, signoff_id, [ChecklistItem("只剩一项", True)])
    store.advance(sample_ledger, signoff_id, "2023-10-09")  # the edited list is what counts


def test_empty_checklist_cannot_pass(sample_ledger, done_problem):
    signoff_id = store.apply(sample_ledger, done_problem, "2023-09-28").signoff_id
    store.set_checklist(sample_ledger, signoff_id, [])
    with pytest.raises(SignoffRefused, match="验收清单是空的"):
        store.advance(sample_ledger, signoff_id, "2023-10-09")


def test_publicity_typed_by_both_ends_counts_working_days(sample_ledger, done_problem):
    signoff_id = store.apply(sample_ledger, done_problem, "2023-09-28").signoff_id
    period, _old = store.set_publicity(sample_ledger, signoff_id, "2023-10-13", end="2023-10-24")
    assert period.working_days == 8 and period.warning is None
    row = store.signoff(sample_ledger, signoff_id)
    assert (row["publicity_start"], row["publicity_end"], row["publicity_working_days"]) == (
        "2023-10-13", "2023-10-24", 8)
    sample_ledger.revert(sample_ledger.last_change)
    assert store.signoff(sample_ledger, signoff_id)["publicity_start"] is None


def test_publicity_preview_writes_nothing(sample_ledger):
    before = sample_ledger.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    period = store.preview_publicity(sample_ledger, "2024-02-04", end="2024-02-18")
    assert period.working_days == 7  # 春节 2024 with both 调休 Sundays
    assert sample_ledger.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before


def test_publicity_in_a_year_without_holidays_warns_and_uses_entered_days(sample_ledger,
                                                                           done_problem):
    year = OFFICIAL_YEARS.stop
    signoff_id = store.apply(sample_ledger, done_problem, "2023-09-28").signoff_id
    monday = date(year, 10, 1)
    while monday.weekday():
        monday = date(year, 10, monday.day + 1)
    period, _ = store.set_publicity(sample_ledger, signoff_id, monday, working_days=5)
    assert period.warning and f"{year}年" in period.warning
    assert period.end == date(year, 10, monday.day + 4)
    holidays.set_day(sample_ledger, date(year, 10, monday.day + 1), False, "假日")
    period, _ = store.set_publicity(sample_ledger, signoff_id, monday, working_days=5)
    assert period.warning is None  # a year with entered days counts as known
    assert period.end == date(year, 10, monday.day + 7)


def test_stages_of_an_inspection_in_one_query(sample_ledger, done_problem):
    store.apply(sample_ledger, done_problem, "2023-09-28")
    inspection = sample_ledger.inspections()[0]["id"]
    assert store.stages(sample_ledger, inspection) == {done_problem: "申请销号"}


def test_contacts_and_notice_text_are_kept(sample_ledger, done_problem):
    signoff_id = store.apply(sample_ledger, done_problem, "2023-09-28").signoff_id
    old = store.set_contacts(sample_ledger, signoff_id, office="县委督查室", fax="0743-1")
    assert old == {"office": "", "fax": ""}
    store.set_notice_text(sample_ledger, signoff_id, "关于……的公示\n\n正文")
    row = store.signoff(sample_ledger, signoff_id)
    assert (row["office"], row["fax"], row["notice_text"]) == ("县委督查室", "0743-1",
                                                               "关于……的公示\n\n正文")
    with pytest.raises(ValueError):
        store.set_contacts(sample_ledger, signoff_id, stage="已销号")


def test_apply_with_the_settings_defaults(sample_ledger, done_problem):
    defaults = SignoffDefaults(Contacts(office="县督察办", issuer="县生态环境保护委员会办公室"),
                               checklist=("措施完成", "群众满意"))
    step = store.apply(sample_ledger, done_problem, "2023-09-28",
                       checklist=defaults.checklist, contacts=defaults.contacts)
    row = store.signoff(sample_ledger, step.signoff_id)
    assert (row["office"], row["issuer"], row["phone"]) == ("县督察办", "县生态环境保护委员会办公室", "")
    assert [i.item for i in row["checklist"]] == ["措施完成", "群众满意"]
