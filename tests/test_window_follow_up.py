"""After 销号 in the real window: 回头看 with 反弹, links both ways with a jump, 督办, the 责任追究
register, the overview's counts and the 整改落实情况报告 — every write one undo step."""

from datetime import date, timedelta

import docx
from PySide6.QtCore import QDate

from desktop_app.store import accountability, links, rechecks, signoff
from desktop_app.store.ledger import Ledger
from desktop_app.ui.follow_up.accountability_dialog import AccountabilityDialog
from follow_up_helpers import sign_off
from window_helpers import in_dialog, read_file


def signed_off_file(sample_ledger_file, index=1):
    """The sample with its problem `index` taken to 已销号; returns (path, problem id)."""
    ledger = Ledger.open(sample_ledger_file)
    try:
        problem_id = ledger.tree(ledger.inspections()[0]["id"]).problems[index].id
        sign_off(ledger, problem_id)
    finally:
        ledger.close()
    return sample_ledger_file, problem_id


def open_on(open_window, path, problem_id):
    window = open_window(path)
    window.ledger_view.select("problem", problem_id)
    assert window.editor.problem.problem_id == problem_id
    return window, window.editor.problem.follow_up


def status(path, problem_id):
    return read_file(path, lambda l: l.row("problem", problem_id)["status"])


def test_recheck_then_rebound_then_a_new_signoff(qtbot, open_window, sample_ledger_file):
    path, pid = signed_off_file(sample_ledger_file)
    window, panel = open_on(open_window, path, pid)
    assert panel.plan_button.isEnabled() and panel.rebound_button.isEnabled()
    panel.plan_button.click()
    assert [r["planned_on"] for r in panel.rechecks.rows] == ["2024-01-20", "2024-10-20"]
    window.document.undo()
    assert panel.rechecks.rows == []
    window.document.redo()
    assert len(panel.rechecks.rows) == 2

    def found_back(dialog):
        assert dialog.result.currentData() == "反弹"
        dialog.day.setDate(QDate(2024, 1, 22))
        dialog.checker.setText("王五")
        dialog.note.setPlainText("河道又见垃圾堆放")
    in_dialog(panel.rebound_button.click, found_back)
    assert status(path, pid) == "整改中"
    assert panel.rechecks.rows[0]["result"] == "反弹" and panel.recheck_state.text() == "曾反弹1次"
    row = window.editor.problem.signoff
    assert "回头看发现反弹" in row.label.text() and "2023-10-20" in row.label.text()
    assert not panel.rebound_button.isEnabled()
    assert window.editor.problem.progress.model.rows[0]["text"].startswith("回头看复查发现问题反弹")
    window.document.undo()
    assert status(path, pid) == "已销号" and panel.rechecks.rows[0]["result"] is None
    window.document.redo()
    assert status(path, pid) == "整改中"
    # the work done again: a second 销号, the first kept
    ledger = window.document.ledger
    ledger.update("problem", pid, status="已完成")
    assert signoff.blocking_reasons(ledger, pid) == []
    signoff.apply(ledger, pid, "2024-03-01")
    assert [s["stage"] for s in signoff.signoffs(ledger, pid)] == ["申请销号", "已销号"]


def test_recheck_result_recorded(qtbot, open_window, sample_ledger_file):
    path, pid = signed_off_file(sample_ledger_file)
    window, panel = open_on(open_window, path, pid)
    panel.plan_button.click()

    def held(dialog):
        dialog.checker.setText("王五")
    in_dialog(panel.result_button.click, held)
    first = read_file(path, lambda l: rechecks.rechecks(l, pid))[0]
    assert (first["result"], first["checker"]) == ("巩固", "王五")
    assert status(path, pid) == "已销号"
    audited = read_file(path, lambda l: l.db.execute(
        "SELECT count(*) FROM audit_log WHERE entity = 'recheck'").fetchone()[0])
    assert audited


def test_links_both_ways_and_the_jump(qtbot, open_window, sample_ledger_file):
    ledger = Ledger.open(sample_ledger_file)
    try:
        sewage = ledger.tree(ledger.inspections()[0]["id"]).problems[3].id
        second = ledger.add_inspection("第二轮省生态环境保护督察", "省级")
        again = ledger.add_problem(ledger.add_category(second, "突出生态环境问题"),
                                   description="城区污水处理厂超负荷运行，污水直排青山河。",
                                   lead_unit="县住房和城乡建设局")
    finally:
        ledger.close()
    window, panel = open_on(open_window, sample_ledger_file, sewage)

    def choose_first(dialog):
        assert dialog.candidates.count() == 1
        assert "第二轮省生态环境保护督察" in dialog.candidates.item(0).text()
        dialog.kind.setCurrentIndex(dialog.kind.findData("同一问题"))
    in_dialog(panel.link_button.click, choose_first)
    assert [(r["other"], r["kind"]) for r in panel.links.rows] == [(again, "同一问题")]
    panel.link_table.selectRow(0)
    panel.jump_button.click()
    assert window.ledger_view.current_key() == ("problem", again)
    back = window.editor.problem.follow_up
    assert [r["other"] for r in back.links.rows] == [sewage]
    window.document.undo()
    assert read_file(sample_ledger_file, lambda l: links.links_of(l, sewage)) == []


def test_supervision_on_a_problem(qtbot, open_window, sample_ledger_file):
    window = open_window(sample_ledger_file)
    pid = window.ledger_view.model.tree.problems[4].id
    window.ledger_view.select("problem", pid)
    panel = window.editor.problem.follow_up
    assert not panel.plan_button.isEnabled()  # not 销号: nothing to recheck

    def listed(dialog):
        assert dialog.target_unit.text() == "县农业农村局"
        dialog.kind.setCurrentIndex(dialog.kind.findData("挂牌督办"))
        dialog.issued_by.setText("县督察整改办")
    in_dialog(panel.supervise_button.click, listed)
    assert [(r["kind"], r["issued_by"]) for r in panel.supervisions.rows] == [("挂牌督办", "县督察整改办")]
    window.document.undo()
    assert panel.supervisions.rows == []


def test_accountability_register(qtbot, open_window, sample_ledger_file):
    window = open_window(sample_ledger_file)
    assert window.tools.accountability_action.isEnabled()
    dialog = AccountabilityDialog(window, window.document, window.settings)
    qtbot.addWidget(dialog)
    assert dialog.summary.text() == "还没有责任追究记录。"

    def fill(form):
        form.title.setText("养殖污染问题整改不力追责")
        form.units.setPlainText("县农业农村局党组\n某某镇党委")
        for name, level, outcome in (("赵六", "处级", "诫勉谈话"), ("钱七", "科级及以下", "通报批评")):
            form.name.setText(name)
            form.level.setCurrentIndex(form.level.findData(level))
            form.outcome.setEditText(outcome)
            form.add_person()
        assert form.person_list.count() == 2
    in_dialog(lambda: dialog.add_case(), fill)
    assert dialog.summary.text() == ("对2个党组织、2名责任人员（处级干部1人、科级及以下干部1人）进行责任追究。"
                                     "被处理人员中，诫勉谈话1人、通报批评1人。")
    assert "通报批评" in window.settings.accountability_outcomes  # the list grew
    stored = read_file(sample_ledger_file, lambda l: accountability.cases(l))
    assert [p["name"] for p in stored[0]["persons"]] == ["赵六", "钱七"]
    window.document.undo()
    assert dialog.model.rows == [] and dialog.summary.text() == "还没有责任追究记录。"


def test_overview_counts_and_the_report(qtbot, open_window, sample_ledger_file, tmp_path):
    path, pid = signed_off_file(sample_ledger_file)
    ledger = Ledger.open(path)
    try:
        overdue = rechecks.add(ledger, pid, date.today() - timedelta(days=3))
        rechecks.add(ledger, pid, date.today() + timedelta(days=10))
        accountability.add_case(ledger, "追责", ledger.inspections()[0]["id"], units=["某党组"],
                                persons=[{"level": "处级", "outcome": "诫勉谈话"}])
    finally:
        ledger.close()
    window = open_window(path)
    page = window.overview.page
    window.resize(790, 590)
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        window.overview.overview_action.trigger()
    tiles = page.follow_up.tiles
    assert (tiles["recheck_overdue"].count, tiles["recheck_due"].count, tiles["people"].count) == (1, 1, 1)
    kinds = [w.kind.value for w in page.view.warnings]
    assert "回头看复查逾期" in kinds and "回头看复查将到期" in kinds
    tiles["recheck_overdue"].click()
    assert window.ledger_view.restriction == frozenset({pid})
    assert overdue

    target = tmp_path / "整改落实情况报告.docx"
    window.overview.overview_action.trigger()
    job = window.overview.write_rectification_report(target)
    from window_helpers import click_button, answer_next_dialog
    answer_next_dialog(click_button("关闭"))
    with qtbot.waitSignal(job.done, timeout=20_000):
        pass
    texts = [p.text for p in docx.Document(str(target)).paragraphs if p.text.strip()]
    assert page.view.summary_text in texts
    assert "对1个党组织、1名责任人员（处级干部1人）进行责任追究。被处理人员中，诫勉谈话1人。" in texts
