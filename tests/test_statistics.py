"""Statistics as of a date: the seeds' figures from ledgers built to match them, history, warnings."""

from datetime import date

from desktop_app.domain import statistics as rules
from desktop_app.domain.ledger_warnings import WarningKind
from desktop_app.store import petitions, progress, signoff
from desktop_app.store import statistics as store

from report_ledgers import (SEED_003_DATE, SEED_004_CATEGORIES, SEED_004_DATE, build_003,
                            build_004)

D004, D003 = date.fromisoformat(SEED_004_DATE), date.fromisoformat(SEED_003_DATE)


# -- the seeds' figures ---------------------------------------------------------------------------

def test_seed_004_figures(ledger):
    inspection = build_004(ledger)
    stats = store.statistics(ledger, inspection, D004)
    assert stats.problems == 42 and stats.categories == 7
    assert [(c.title, c.problems) for c in stats.by_category] == SEED_004_CATEGORIES
    assert stats.finished == 30
    assert stats.by_schedule == {"已完成": 30, "达到时序进度": 12, "滞后": 0, "逾期": 0}
    assert [c.finished for c in stats.by_category] == [8, 11, 6, 4, 1, 0, 0]
    assert stats.by_status == {"未启动": 0, "整改中": 12, "已完成": 10, "销号中": 10, "已销号": 10}
    assert stats.by_term == {"限期整改": 36, "长期坚持": 6, "立行立改": 0}
    assert sum(u.problems for u in stats.by_unit) == 42


def test_seed_003_figures(ledger):
    inspection = build_003(ledger)
    stats = store.statistics(ledger, inspection, D003)
    assert stats.by_term == {"限期整改": 64, "长期坚持": 35, "立行立改": 0}
    assert stats.finished_of("限期整改") == 50
    assert stats.by_term_status["限期整改"]["已销号"] == 46
    assert stats.by_term_status["限期整改"]["销号中"] == 4
    assert stats.by_schedule["达到时序进度"] == 49  # 14 限期整改 + 35 长期坚持, 均达时序进展
    assert stats.petitions == rules.PetitionCount(received=102, concluded=102, signed_off=101)
    assert [(u.unit, u.problems) for u in stats.by_unit] == [
        ("县林业局", 35), ("县住建局", 32), ("县生态环境局", 32)]


def test_all_inspections_together(ledger):
    build_004(ledger)
    build_003(ledger)
    stats = store.statistics(ledger, None, D003)
    assert stats.problems == 141 and stats.categories == 9
    assert stats.petitions.received == 102


# -- as of a date ---------------------------------------------------------------------------------

def test_status_as_of_rules():
    events = [("2024-03-01", "整改中"), ("2024-05-01", "已完成")]
    assert rules.status_as_of("已完成", events, date(2024, 6, 1)) == "已完成"
    assert rules.status_as_of("已完成", events, date(2024, 4, 1)) == "整改中"
    assert rules.status_as_of("已完成", events, date(2024, 1, 1)) == "未启动"
    # a status typed without a dated record holds since the last record
    assert rules.status_as_of("销号中", events, date(2024, 6, 1)) == "销号中"


def test_deadline_as_of_undoes_later_changes():
    changes = [("2024-03-01", "2024年3月底前"), ("2024-06-01", "2024年6月底前")]
    assert rules.deadline_text_as_of("2024年12月底前", changes, date(2024, 2, 1)) == "2024年3月底前"
    assert rules.deadline_text_as_of("2024年12月底前", changes, date(2024, 4, 1)) == "2024年6月底前"
    assert rules.deadline_text_as_of("2024年12月底前", changes, date(2024, 7, 1)) == "2024年12月底前"


def test_history_in_the_ledger(ledger):
    inspection = ledger.add_inspection("专项督察", "专项")
    category = ledger.add_category(inspection, "大类")
    pid = ledger.add_problem(category, deadline_text="2024年3月底前", status="整改中",
                              measures=[{"text": "清理河道。", "completion": "已清理完毕。"}])
    progress.add_report(ledger, pid, "2024-02-10", "已启动清理。", status="整改中")
    progress.change_deadline(ledger, pid, "2024年6月底前", "汛期施工受阻", "2024-04-05")
    progress.add_report(ledger, pid, "2024-05-20", "清理完毕。", status="已完成",
                        update_problem_status=True)
    step = signoff.apply(ledger, pid, "2024-06-03")
    signoff.set_checklist(ledger, step.signoff_id,
                          [signoff.ChecklistItem(i.item, True)
                           for i in signoff.signoff(ledger, step.signoff_id)["checklist"]])
    signoff.advance(ledger, step.signoff_id, "2024-06-05")
    signoff.set_publicity(ledger, step.signoff_id, "2024-06-11", 4)
    signoff.advance(ledger, step.signoff_id)
    signoff.advance(ledger, step.signoff_id, "2024-06-20")
    assert ledger.row("problem", pid)["status"] == "已销号"

    def status(day):
        return {s: n for s, n in store.statistics(ledger, inspection, date.fromisoformat(day))
                .by_status.items() if n}

    assert status("2024-01-15") == {"未启动": 1}
    assert status("2024-03-15") == {"整改中": 1}
    assert status("2024-05-25") == {"已完成": 1}
    assert status("2024-06-12") == {"销号中": 1}
    assert status("2024-07-01") == {"已销号": 1}
    # on 2024-04-02 the 时限 was still 3月底: overdue then, although 6月底 now
    assert store.statistics(ledger, inspection, date(2024, 4, 2)).by_schedule["逾期"] == 1
    assert store.statistics(ledger, inspection, date(2024, 4, 6)).by_schedule["逾期"] == 0
    # the publicity ran 2024-06-11 .. 2024-06-14 (4 working days): it ends in that week
    def publicity(day):
        return [w.message for w in store.warnings(ledger, inspection, day)
                if w.kind is WarningKind.PUBLICITY_ENDING]

    assert publicity(date(2024, 6, 13)) == ["公示期将于2024-06-14结束。"]
    assert publicity(date(2024, 6, 14)) == ["公示期今天结束。"]
    assert publicity(date(2024, 6, 16)) == ["公示期已于2024-06-14结束，可办理销号。"]
    assert publicity(date(2024, 6, 10)) == []  # before 公示 began
    assert WarningKind.PUBLICITY_ENDING not in {
        w.kind for w in store.warnings(ledger, inspection, date(2024, 7, 1))}


def test_petitions_as_of(ledger):
    inspection = build_003(ledger)
    petitions.add(ledger, inspection, received_on="2024-05-10", content="新交办")
    counts = store.statistics(ledger, inspection, date(2021, 10, 1)).petitions
    assert counts == rules.PetitionCount(102, 0, 0)
    assert store.statistics(ledger, inspection, date(2022, 1, 1)).petitions == \
        rules.PetitionCount(102, 102, 0)
    assert store.statistics(ledger, inspection, date(2024, 6, 1)).petitions == \
        rules.PetitionCount(103, 102, 101)


def test_empty_ledger(ledger):
    stats = store.statistics(ledger, None, date(2024, 1, 1))
    assert stats.problems == 0 and stats.categories == 0 and stats.by_category == []
    assert set(stats.by_schedule.values()) == {0}
    assert store.warnings(ledger, None, date(2024, 1, 1)) == []


# -- warnings -------------------------------------------------------------------------------------

def test_warnings(ledger):
    inspection = ledger.add_inspection("省级督察", "省级")
    category = ledger.add_category(inspection, "大类")
    overdue = ledger.add_problem(category, deadline_text="2024年3月底前", status="整改中")
    soon = ledger.add_problem(category, deadline_text="2024年6月底前", status="整改中")
    reported = ledger.add_problem(category, deadline_text="2025年6月底前", status="整改中")
    done = ledger.add_problem(category, deadline_text="2024年3月底前", status="已完成")
    progress.add_report(ledger, reported, "2024-06-03", "按计划推进。")
    progress.add_report(ledger, soon, "2024-05-28", "按计划推进。")
    found = store.warnings(ledger, inspection, date(2024, 6, 10))
    by_kind = {}
    for w in found:
        by_kind.setdefault(w.kind, []).append(w.problem_id)
    assert by_kind == {WarningKind.OVERDUE: [overdue], WarningKind.DUE_SOON: [soon],
                       WarningKind.NO_REPORT: [overdue, soon],
                       WarningKind.NOT_APPLIED: [done]}
    assert [w.kind for w in found] == sorted((w.kind for w in found), key=list(WarningKind).index)
    soon_warning = next(w for w in found if w.kind is WarningKind.DUE_SOON)
    assert soon_warning.message == "距整改时限（2024-06-30）还有20天，当前为“整改中”。"
    no_report = next(w for w in found if w.problem_id == soon and w.kind is WarningKind.NO_REPORT)
    assert no_report.message == "6月尚未报送进展（最近一次调度是2024-05-28）。"


def test_overview_numbers_problems(ledger):
    inspection = build_004(ledger)
    view = store.overview(ledger, inspection, D004, subject="贵州省")
    assert sorted(p["number"] for p in view.problems.values()) == list(range(1, 43))
    assert view.summary_text.startswith("截至2020年8月31日，贵州省梳理形成的42项问题")


# -- the problems behind each count ------------------------------------------------------------

def test_every_count_is_its_problems(ledger):
    """The overview's links list exactly the problems each count counts (one set of facets)."""
    build_004(ledger)
    inspection = build_003(ledger)
    petitions.add(ledger, inspection, received_on="2024-01-02")
    for stats in (store.statistics(ledger, None, D003), store.statistics(ledger, None, D004)):
        checks = [(stats.problems, {}), (stats.finished, {"finished": True})]
        checks += [(n, {"term": t}) for t, n in stats.by_term.items()]
        checks += [(n, {"status": s}) for s, n in stats.by_status.items()]
        checks += [(n, {"schedule": k}) for k, n in stats.by_schedule.items()]
        checks += [(n, {"term": t, "status": s}) for t, row in stats.by_term_status.items()
                   for s, n in row.items()]
        for c in stats.by_category:
            checks += [(c.problems, {"category": c.category_id}),
                       (c.finished, {"category": c.category_id, "finished": True})]
        for u in stats.by_unit:
            checks += [(u.problems, {"unit": u.unit}), (u.finished, {"unit": u.unit, "finished": True}),
                       (u.behind, {"unit": u.unit, "schedule": "滞后"}),
                       (u.overdue, {"unit": u.unit, "schedule": "逾期"})]
        for count, where in checks:
            assert len(stats.problem_ids(**where)) == count, where
        assert len(checks) > 60
    assert stats.tally("category", "status")[stats.by_category[0].category_id, "已销号"] == 2


def test_problem_ids_in_document_order(ledger):
    inspection = build_004(ledger)
    view = store.overview(ledger, inspection, D004)
    ids = view.statistics.problem_ids(finished=False)
    assert [view.problems[i]["number"] for i in ids] == list(range(31, 43))


# -- progress over time ---------------------------------------------------------------------------

def test_month_ends():
    assert rules.month_ends(date(2024, 3, 15), 4) == [date(2023, 12, 31), date(2024, 1, 31),
                                                      date(2024, 2, 29), date(2024, 3, 15)]


def test_finished_over_time_agrees_with_each_day(ledger):
    inspection = ledger.add_inspection("专项督察", "专项")
    category = ledger.add_category(inspection, "大类")
    first = ledger.add_problem(category, deadline_text="2024年6月底前", status="整改中")
    second = ledger.add_problem(category, deadline_text="2024年6月底前", status="整改中")
    ledger.add_problem(category, deadline_text="长期坚持", status="已完成")  # no dated record
    progress.add_report(ledger, first, "2024-02-10", "完成。", status="已完成",
                        update_problem_status=True)
    progress.add_report(ledger, second, "2024-04-20", "完成。", status="已完成",
                        update_problem_status=True)
    with ledger.writing() as conn:  # signed off on 2024-03-20 (the sign-off steps: test_signoff)
        conn.execute("INSERT INTO signoffs (id, problem_id, stage, created_at)"
                     " VALUES (1, ?, '已销号', 'x')", [first])
        conn.execute("INSERT INTO signoff_events (signoff_id, from_stage, to_stage, on_date)"
                     " VALUES (1, '公示', '已销号', '2024-03-20')")
        ledger.update("problem", first, status="已销号")
    days = rules.month_ends(date(2024, 5, 10), 5)
    series = store.finished_over_time(ledger, inspection, days)
    assert series == [(date(2024, 1, 31), 1, 0), (date(2024, 2, 29), 2, 0),
                      (date(2024, 3, 31), 2, 1), (date(2024, 4, 30), 3, 1), (date(2024, 5, 10), 3, 1)]
    for day, finished, signed_off in series:  # the same rule as the counts of that day
        stats = store.statistics(ledger, inspection, day)
        assert (stats.finished, stats.by_status["已销号"]) == (finished, signed_off)


def test_latest_progress_as_of(ledger):
    inspection = ledger.add_inspection("专项督察", "专项")
    pid = ledger.add_problem(ledger.add_category(inspection, "大类"))
    progress.add_report(ledger, pid, "2024-03-10", "三月进展。")
    progress.add_report(ledger, pid, "2024-05-10", "五月进展。")
    assert store.latest_progress(ledger, None, date(2024, 4, 30))[pid]["text"] == "三月进展。"
    assert store.latest_progress(ledger, inspection, date(2024, 5, 31))[pid]["report_date"] == "2024-05-10"
    assert store.latest_progress(ledger, inspection, date(2024, 1, 1)) == {}
