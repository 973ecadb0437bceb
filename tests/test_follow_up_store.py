"""回头看 rechecks, links, 督办 and 责任追究 in the store: each one undoable change set."""

from datetime import date

import pytest

from desktop_app.domain.accountability import accountability_sentence, count_accountability
from desktop_app.domain.recheck import months_after
from desktop_app.domain.supervision import supervision_sentence
from desktop_app.store import accountability, links, progress, rechecks, signoff, supervision
from desktop_app.store.statistics import statistics
from follow_up_helpers import fill_004, sign_off


def problem_ids(ledger):
    return [p.id for p in ledger.tree(ledger.inspections()[0]["id"]).problems]


def undo(ledger):
    ledger.revert(ledger.last_change)


def test_months_after_keeps_the_day_or_the_month_end():
    assert months_after(date(2023, 10, 20), 3) == date(2024, 1, 20)
    assert months_after(date(2023, 11, 30), 3) == date(2024, 2, 29)
    assert months_after(date(2023, 10, 20), 12) == date(2024, 10, 20)


def test_rechecks_only_after_signoff_and_planned_by_default(sample_ledger):
    first = problem_ids(sample_ledger)[1]
    with pytest.raises(ValueError, match="尚未销号"):
        rechecks.plan(sample_ledger, first)
    sign_off(sample_ledger, first)
    ids = rechecks.plan(sample_ledger, first)
    assert [r["planned_on"] for r in rechecks.rechecks(sample_ledger, first)] == [
        "2024-01-20", "2024-10-20"]
    assert rechecks.plan(sample_ledger, first) == []  # already planned: nothing twice
    assert len(ids) == 2
    rechecks.record_result(sample_ledger, ids[0], "巩固", "2024-01-22", "王五")
    assert rechecks.recheck(sample_ledger, ids[0])["result"] == "巩固"
    undo(sample_ledger)
    assert rechecks.recheck(sample_ledger, ids[0])["result"] is None
    audited = {r[0] for r in sample_ledger.db.execute("SELECT DISTINCT entity FROM audit_log")}
    assert "recheck" in audited


def test_rebound_round_trip_keeps_the_history(sample_ledger):
    pid = problem_ids(sample_ledger)[1]
    first_signoff = sign_off(sample_ledger, pid)
    first_row = signoff.signoff(sample_ledger, first_signoff)
    recheck_id = rechecks.plan(sample_ledger, pid)[0]
    with pytest.raises(ValueError, match="写明"):
        rechecks.record_result(sample_ledger, recheck_id, "反弹", "2024-01-22")
    rechecks.record_result(sample_ledger, recheck_id, "反弹", "2024-01-22", "王五",
                           "河道又见垃圾堆放")
    assert sample_ledger.row("problem", pid)["status"] == "整改中"
    report = progress.reports(sample_ledger, pid)[0]
    assert (report["report_date"], report["status"]) == ("2024-01-22", "整改中")
    assert "河道又见垃圾堆放" in report["text"]
    assert signoff.signoff(sample_ledger, first_signoff) == first_row  # 销号 untouched
    # the statistics see it closed before the rebound and open after
    iid = sample_ledger.inspections()[0]["id"]
    assert statistics(sample_ledger, iid, date(2023, 12, 1)).by_status["已销号"] == 1
    assert statistics(sample_ledger, iid, date(2024, 2, 1)).by_status["已销号"] == 0

    second = sign_off(sample_ledger, pid, "2024-03-01", "2024-03-20")
    assert second != first_signoff
    assert sample_ledger.row("problem", pid)["status"] == "已销号"
    assert [s["id"] for s in signoff.signoffs(sample_ledger, pid)] == [second, first_signoff]
    assert [e["to_stage"] for e in signoff.events(sample_ledger, pid)] == [
        "申请销号", "验收", "公示", "已销号"] * 2
    assert rechecks.recheck(sample_ledger, recheck_id)["result"] == "反弹"


def test_rebound_is_one_undo_step(sample_ledger):
    pid = problem_ids(sample_ledger)[1]
    sign_off(sample_ledger, pid)
    rechecks.rebound(sample_ledger, pid, "2024-01-05", "复查发现整改不到位")
    assert sample_ledger.row("problem", pid)["status"] == "整改中"
    undo(sample_ledger)
    assert sample_ledger.row("problem", pid)["status"] == "已销号"
    assert rechecks.rechecks(sample_ledger, pid) == []
    assert progress.reports(sample_ledger, pid) == []


def test_new_problem_from_a_recheck_is_linked(sample_ledger):
    pid = problem_ids(sample_ledger)[1]
    sign_off(sample_ledger, pid)
    recheck_id = rechecks.plan(sample_ledger, pid)[0]
    row = rechecks.record_result(sample_ledger, recheck_id, "衍生新问题", "2024-01-22", "王五",
                                 "周边新发现一处非法采砂点")
    new = sample_ledger.row("problem", row["new_problem_id"])
    assert new["description"] == "周边新发现一处非法采砂点"
    assert problem_ids(sample_ledger).index(new["id"]) == problem_ids(sample_ledger).index(pid) + 1
    assert [(l["other"], l["kind"]) for l in links.links_of(sample_ledger, pid)] == [
        (new["id"], "同类问题")]
    assert [l["other"] for l in links.links_of(sample_ledger, new["id"])] == [pid]
    undo(sample_ledger)
    assert not sample_ledger.exists("problem", new["id"])


def test_links_both_ways_count_distinct_problems(sample_ledger):
    first = sample_ledger.inspections()[0]["id"]
    second = sample_ledger.add_inspection("第二轮省生态环境保护督察", "省级")
    category = sample_ledger.add_category(second, "突出生态环境问题")
    again = sample_ledger.add_problem(category, description="城区污水处理厂超负荷运行，污水直排青山河。",
                                      lead_unit="县住房和城乡建设局")
    other = sample_ledger.add_problem(category, description="矿山生态修复滞后。")
    sewage = problem_ids(sample_ledger)[3]
    best = links.suggestions(sample_ledger, again)[0][1]
    assert best["id"] == sewage
    link_id = links.add_link(sample_ledger, sewage, again, "同一问题")
    with pytest.raises(ValueError, match="已关联"):
        links.add_link(sample_ledger, again, sewage)
    assert [l["other"] for l in links.links_of(sample_ledger, again)] == [sewage]
    total = statistics(sample_ledger).links
    assert (total.fed_back, total.distinct) == (7, 6)
    assert statistics(sample_ledger, first).links.distinct == 5
    links.delete_link(sample_ledger, link_id)
    undo(sample_ledger)
    assert len(links.links_of(sample_ledger, sewage)) == 1
    assert other


def test_supervision_and_accountability_reproduce_004(sample_ledger):
    iid = sample_ledger.inspections()[0]["id"]
    fill_004(sample_ledger, iid)
    stats = statistics(sample_ledger, iid, date(2019, 12, 31))
    assert supervision_sentence(stats.supervision) == "向有关地方和部门致函14次、约谈3次、通报2次。"
    assert accountability_sentence(stats.accountability) == (
        "对19个党组织、81名责任人员（厅级干部11人、处级干部37人、科级及以下干部33人）进行责任追究。"
        "被处理人员中，党纪政务处分48人、党纪政务处分并组织处理9人、组织处理2人、诫勉谈话17人、"
        "书面检查1人、约谈3人、批评教育1人。")
    before = statistics(sample_ledger, iid, date(2019, 7, 31))
    assert before.accountability.people == 0 and sum(before.supervision.values()) == 0


def test_each_record_kind_is_undoable(sample_ledger):
    iid = sample_ledger.inspections()[0]["id"]
    pid = problem_ids(sample_ledger)[0]
    sid = supervision.add(sample_ledger, "挂牌督办", pid, issued_on="2023-05-01", issued_by="县政府")
    assert supervision.of_problem(sample_ledger, pid)[0]["target_unit"] == "县委办公室"
    undo(sample_ledger)
    assert supervision.of_problem(sample_ledger, pid) == []
    assert sid
    with pytest.raises(ValueError, match="被督办单位"):
        supervision.add(sample_ledger, "函告", inspection_id=iid)
    case = accountability.add_case(sample_ledger, "养殖污染问题追责", problem_id=pid,
                                   units=["县农业农村局党组"],
                                   persons=[{"name": "赵六", "level": "科级及以下",
                                             "outcome": "诫勉谈话"}])
    assert accountability.cases(sample_ledger, iid)[0]["persons"][0]["name"] == "赵六"
    undo(sample_ledger)  # the case, its unit and person: one step
    assert accountability.cases(sample_ledger) == []
    assert sample_ledger.db.execute("SELECT count(*) FROM accountable_persons").fetchone()[0] == 0
    with pytest.raises(ValueError, match="处理方式"):
        accountability.add_case(sample_ledger, "x", iid, persons=[{"name": "某"}])
    assert accountability.cases(sample_ledger) == []
    assert case


def test_counts_without_records_are_empty():
    empty = count_accountability([], [])
    assert accountability_sentence(empty) == "" and supervision_sentence({}) == ""
