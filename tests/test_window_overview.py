"""The 总览 page in the real window: counts that filter the ledger, warnings that open a problem,
the 情况概述 kept in the ledger, and the 信访件 register counted."""

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest

from desktop_app.store import petitions
from desktop_app.store.ledger import Ledger

from report_ledgers import SEED_004_DATE, build_003, build_004
from window_helpers import answer_next_dialog, in_dialog, read_file, visible_rows

D004 = date.fromisoformat(SEED_004_DATE)


def ledger_file(tmp_path, *builders):
    path = tmp_path / "台账.db"
    ledger = Ledger.create(path)
    try:
        for build in builders:
            build(ledger)
    finally:
        ledger.close()
    return path


def show_overview(qtbot, window, day: date | None = None):
    """Switch to 总览 and wait for its figures (worked out in the background)."""
    page = window.overview.page
    window.resize(790, 590)  # clicks land only inside the offscreen platform's 800 × 600 screen
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        window.overview.overview_action.trigger()
    if day is not None and page.day != day:
        with qtbot.waitSignal(page.refreshed, timeout=10_000):
            page.as_of.setDate(QDate(day))
    return page


def show_overview_again(window):
    """Back on 总览 (nothing changed, so no new figures to wait for)."""
    window.overview.overview_action.trigger()
    assert window.overview.pages.currentIndex() == 1


def shown_numbers(window) -> list[int]:
    return [int(number) for kind, number, _ in visible_rows(window.ledger_view) if kind == "problem"]


def click_cell(qtbot, table, model, row: int, column: int, double=False) -> None:
    index = table.model().mapFromSource(model.index(row, column))
    table.scrollTo(index)
    where = table.visualRect(index).center()
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=where)
    if double:  # QTest sends the double click alone; a real one comes after a press
        qtbot.mouseDClick(table.viewport(), Qt.LeftButton, pos=where)


def test_pages_switch_with_ctrl_1_and_2(qtbot, open_window, tmp_path):
    window = open_window(ledger_file(tmp_path, build_004))
    overview = window.overview
    assert overview.overview_action.shortcut() == QKeySequence("Ctrl+2")
    assert overview.ledger_action.shortcut() == QKeySequence("Ctrl+1")
    show_overview(qtbot, window)
    assert overview.pages.currentWidget() is overview.page
    assert not window.editor_host.isVisible()  # the overview takes the editor's room
    overview.ledger_action.trigger()
    assert overview.pages.currentIndex() == 0 and window.editor_host.isVisible()


def test_a_count_shows_exactly_its_problems(qtbot, open_window, tmp_path):
    window = open_window(ledger_file(tmp_path, build_004))
    page = show_overview(qtbot, window, D004)
    assert page.totals.tiles["all"].count == 42
    assert page.totals.tiles["finished"].count == 30
    assert page.schedules.tiles["达到时序进度"].count == 12
    assert not page.statuses.tiles["未启动"].isEnabled()  # 0: nothing to list
    assert page.summary.editor.toPlainText().startswith(
        "截至2020年8月31日，贵州省梳理形成的42项问题，30项已完成整改，12项达到时序进度要求。")

    qtbot.mouseClick(page.schedules.tiles["达到时序进度"], Qt.LeftButton)
    assert window.overview.pages.currentIndex() == 0
    assert window.ledger_view.restriction_label.text() == "总览：时序进度：达到时序进度（12项）"
    assert shown_numbers(window) == list(range(31, 43))

    show_overview_again(window)
    qtbot.mouseClick(page.statuses.tiles["销号中"], Qt.LeftButton)
    assert shown_numbers(window) == [2, 5, 8, 11, 14, 17, 20, 23, 26, 29]


def test_table_and_chart_counts_filter_the_ledger(qtbot, open_window, tmp_path):
    window = open_window(ledger_file(tmp_path, build_004))
    page = show_overview(qtbot, window, date(2021, 6, 30))  # the 2020年12月底前 six are overdue
    units = page.tables.units
    row = next(i for i, r in enumerate(units.rows) if r["unit"] == "单位2")
    overdue = next(i for i, (_, key) in enumerate(units.columns) if key == "overdue")
    assert units.rows[row]["overdue"] == 2
    page.tables.setCurrentWidget(page.tables.unit_view)
    click_cell(qtbot, page.tables.unit_view, units, row, overdue)
    assert window.ledger_view.restriction_label.text() == "总览：单位2·逾期（2项）"
    assert shown_numbers(window) == [31, 35]

    show_overview_again(window)
    chart = page.by_category
    rect = next(rect for rect, key, status, n, _ in chart._pieces()
                if key == "环境生态类问题" and status == "整改中")
    qtbot.mouseClick(chart, Qt.LeftButton, pos=rect.center().toPoint())
    assert window.ledger_view.restriction_label.text() == "总览：环境生态类问题·整改中（4项）"
    assert shown_numbers(window) == [31, 32, 33, 34]


def test_counts_across_inspections_pick_one_that_holds_them(qtbot, open_window, tmp_path):
    window = open_window(ledger_file(tmp_path, build_004, build_003))
    page = show_overview(qtbot, window, date(2025, 6, 30))
    assert page.scope.currentData() is None  # 全部督察批次
    assert page.schedules.tiles["逾期"].count == 6 + 14
    window.inspections.select(window.document.ledger.inspections()[1]["id"])
    show_overview_again(window)
    qtbot.mouseClick(page.schedules.tiles["逾期"], Qt.LeftButton)
    label = window.ledger_view.restriction_label.text()
    assert label == "总览：时序进度：逾期（20项，分布在2个督察批次，可在上方切换督察批次查看）"
    assert len(shown_numbers(window)) == 14  # the inspection shown already holds some: it stays
    window.inspections.select(window.document.ledger.inspections()[0]["id"])
    assert shown_numbers(window) == [31, 32, 33, 34, 35, 36]


def test_a_warning_opens_its_problem(qtbot, open_window, tmp_path):
    window = open_window(ledger_file(tmp_path, build_004))
    view = window.ledger_view
    first = window.ledger_view.model.tree.problems[0].id
    view.restrict_to({first}, "总览：别的问题（1项）")
    view.search.setText("问题1")  # hides 第35项 too
    page = show_overview(qtbot, window, date(2021, 6, 30))
    warnings = page.tables.warnings
    row = next(i for i, r in enumerate(warnings.rows) if r["kind"] == "逾期" and r["number"] == 35)
    target = warnings.rows[row]["id"]
    click_cell(qtbot, page.tables.warnings_view, warnings, row, 3, double=True)
    assert window.overview.pages.currentIndex() == 0
    assert view.current_key() == ("problem", target)
    assert view.restriction is None and view.search.text() == ""
    assert window.editor.problem.problem_id == target

    show_overview_again(window)  # Enter opens the selected warning too
    table = page.tables.warnings_view
    other = next(i for i, r in enumerate(warnings.rows) if r["number"] == 36)
    table.setCurrentIndex(table.model().mapFromSource(warnings.index(other, 0)))
    QTest.keyClick(table, Qt.Key_Return)
    assert view.current_key() == ("problem", warnings.rows[other]["id"])


def test_the_summary_is_kept_and_undoable(qtbot, open_window, tmp_path):
    path = ledger_file(tmp_path, build_004)
    window = open_window(path)
    box = show_overview(qtbot, window, D004).summary
    generated = box.editor.toPlainText()
    edited = generated + "另有2项问题已完成整改，正在组织验收。"
    box.editor.setPlainText(edited)
    box.flush()
    assert box.note.text() == "已保存您修改后的文字。"
    window.undo()
    assert box.editor.toPlainText() == generated
    window.redo()
    assert box.editor.toPlainText() == edited
    window.close()

    window = open_window(path)
    page = show_overview(qtbot, window, D004)
    assert page.summary.editor.toPlainText() == edited
    assert "统计数字已有变化" not in page.summary.note.text()
    problem = window.ledger_view.model.tree.problems[35].id  # 整改中 → 已完成: the figures change
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        window.document.edit("problem", problem, status="已完成")
    assert page.summary.editor.toPlainText() == edited  # the clerk's words stay …
    assert "统计数字已有变化" in page.summary.note.text()  # … and they are told
    assert "31项已完成整改" in page.summary.note.text()
    with qtbot.waitSignal(window.document.changed):
        page.summary.reset_button.click()
    assert page.summary.editor.toPlainText().startswith(
        "截至2020年8月31日，贵州省梳理形成的42项问题，31项已完成整改")
    assert read_file(path, lambda ledger: ledger.db.execute(
        "SELECT count(*) FROM meta WHERE key LIKE 'summary_text/%'").fetchone()[0]) == 0


def test_petitions_added_and_edited_are_counted(qtbot, open_window, tmp_path):
    path = ledger_file(tmp_path, build_004)
    window = open_window(path)
    page = show_overview(qtbot, window)
    assert page.petitions.tiles["received"].count == 0

    def fill(form):
        form.code.setText("D2024-001")
        form.content.setPlainText("某砂场夜间生产噪声扰民")
        form.lead_unit.setText("县生态环境局")
        form.accept()

    def conclude(form):
        form.concluded.check.setChecked(True)
        form.concluded.day.setDate(QDate.currentDate())
        form.accept()

    def drive(dialog):
        assert not dialog.undo_button.isEnabled()  # no petition step yet: nothing of the ledger's
        answer_next_dialog(fill)
        dialog.add_button.click()
        assert dialog.model.rows[0]["code"] == "D2024-001"
        assert dialog.undo_button.isEnabled() and "信访件" in dialog.undo_button.toolTip()
        assert dialog.undo_button.text() == "撤销"
        assert dialog.counts.text() == "共1件，已办结0件，已销号0件"
        dialog.view.selectRow(0)
        answer_next_dialog(conclude)
        dialog.edit_button.click()
        assert dialog.counts.text() == "共1件，已办结1件，已销号0件"

    in_dialog(window.overview.petitions_action.trigger, drive)
    qtbot.waitUntil(lambda: page.petitions.tiles["concluded"].count == 1, timeout=10_000)
    assert page.petitions.tiles["received"].count == 1
    assert "交办信访件共1件，已办结1件。" in page.summary.editor.toPlainText()
    rows = read_file(path, lambda ledger: petitions.petitions(ledger))
    assert [(r["code"], r["lead_unit"], r["concluded_on"]) for r in rows] == [
        ("D2024-001", "县生态环境局", date.today().isoformat())]

    window.undo()  # 办结 taken back, then the petition itself
    window.undo()
    qtbot.waitUntil(lambda: page.petitions.tiles["received"].count == 0, timeout=10_000)
    assert read_file(path, lambda ledger: petitions.petitions(ledger)) == []


def test_a_refused_petition_keeps_the_form_open(qtbot, open_window, tmp_path):
    window = open_window(ledger_file(tmp_path, build_004))
    show_overview(qtbot, window)
    warnings_seen = []

    def refuse(form):
        form.signed_off.check.setChecked(True)  # 销号 without 办结: the store refuses
        answer_next_dialog(lambda box: (warnings_seen.append(box.text()), box.accept()))
        form.accept()
        assert form.isVisible()  # the clerk can correct it
        form.reject()

    in_dialog(window.overview.petitions_action.trigger,
              lambda dialog: (answer_next_dialog(refuse), dialog.add_button.click()))
    assert warnings_seen == ["信访件尚未办结，不能填写销号日期。"]
