"""The real main window, driven as a clerk would: through its actions, dialogs and editor."""

import json
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from desktop_app.store.ledger import Ledger
from desktop_app.ui.editor.field_binding import SAVE_DELAY_MS
from window_helpers import (answer_next_dialog, click_button, type_and_accept, type_chinese,
                            visible_rows)


def add_inspection(qtbot, window, name):
    def fill(dialog):
        dialog.name.setText(name)
        dialog.org.setText("某某镇")
        dialog.accept()
    answer_next_dialog(fill)
    window.inspections.add_button.click()
    qtbot.waitUntil(lambda: window.inspections.current_id() is not None)


def add_category(qtbot, window, title):
    answer_next_dialog(type_and_accept(title))
    window.structure.add_category_action.trigger()


def add_subcategory(qtbot, window, title):
    answer_next_dialog(type_and_accept(title))
    window.structure.add_subcategory_action.trigger()


def add_problem(qtbot, window, description):
    window.structure.add_problem_action.trigger()
    editor = window.editor.problem
    editor.description.setPlainText(description)
    editor.binder.flush()


def stored(path, problem_id):
    """The problem as the file holds it, read through a second connection."""
    ledger = Ledger.open(path, read_only=True)
    try:
        return ledger.row("problem", problem_id)
    finally:
        ledger.close()


def select(window, kind, row_id):
    window.ledger_view.select(kind, row_id)


def problem_ids(window):
    return [p.id for p in window.ledger_view.model.tree.problems]


def build_ledger(qtbot, window):
    """一、水 (problems 1, 2; （一）管网 with 3), 二、气 (problems 4, 5)."""
    add_inspection(qtbot, window, "第二轮中央生态环境保护督察")
    add_category(qtbot, window, "水污染防治")
    add_problem(qtbot, window, "污水直排问题")
    add_problem(qtbot, window, "黑臭水体问题")
    add_subcategory(qtbot, window, "管网建设")
    add_problem(qtbot, window, "雨污分流不到位")
    tree = window.ledger_view.model.tree
    select(window, "category", tree.categories[0].id)
    add_category(qtbot, window, "大气污染防治")
    add_problem(qtbot, window, "扬尘管控不力")
    add_problem(qtbot, window, "散煤燃烧")


def test_build_reorder_undo_and_reopen(qtbot, open_window, tmp_path):
    path = tmp_path / "台账.db"
    window = open_window(path)
    build_ledger(qtbot, window)
    view = window.ledger_view
    assert view.title.text().endswith("共2大类5项")
    rows = visible_rows(view)
    assert [r[1] for r in rows] == ["一、水污染防治（3项）", "1", "2", "（一）管网建设（1项）", "3",
                                    "二、大气污染防治（2项）", "4", "5"]
    assert [r[2] for r in rows if r[0] == "problem"] == [
        "污水直排问题", "黑臭水体问题", "雨污分流不到位", "扬尘管控不力", "散煤燃烧"]

    # Move 散煤燃烧 up: it becomes 4 and 扬尘管控不力 5.
    select(window, "problem", problem_ids(window)[4])
    window.structure.move_up_action.trigger()
    assert [r[2] for r in visible_rows(view) if r[0] == "problem"][3:] == ["散煤燃烧", "扬尘管控不力"]
    assert view.current_key()[0] == "problem" and view.current_node().number == 4

    # Move the second category above the first: numbering follows document order.
    select(window, "category", view.model.tree.categories[1].id)
    window.structure.move_up_action.trigger()
    rows = visible_rows(view)
    assert rows[0][1] == "一、大气污染防治（2项）" and rows[3][1] == "二、水污染防治（3项）"
    assert [r[1] for r in rows if r[0] == "problem"] == ["1", "2", "3", "4", "5"]
    assert [r[2] for r in rows if r[0] == "problem"] == [
        "散煤燃烧", "扬尘管控不力", "污水直排问题", "黑臭水体问题", "雨污分流不到位"]

    # Delete problem 3 (confirming), then undo the delete.
    select(window, "problem", problem_ids(window)[2])
    answer_next_dialog(click_button("删除"))
    window.structure.delete_action.trigger()
    assert view.title.text().endswith("共2大类4项")
    assert "污水直排问题" not in [r[2] for r in visible_rows(view)]
    window.undo_action.trigger()
    assert view.title.text().endswith("共2大类5项")
    assert [r[2] for r in visible_rows(view) if r[0] == "problem"][2] == "污水直排问题"
    window.redo_action.trigger()
    assert view.title.text().endswith("共2大类4项")
    window.undo_action.trigger()

    shown = [r[1:] for r in visible_rows(view)]
    window.close()

    reopened = open_window(path)
    assert reopened.inspections.model.rows[0]["name"] == "第二轮中央生态环境保护督察"
    assert [r[1:] for r in visible_rows(reopened.ledger_view)] == shown
    assert reopened.ledger_view.title.text().endswith("共2大类5项")


def test_drag_and_drop_moves_problem_to_another_category(qtbot, open_window, tmp_path):
    window = open_window(tmp_path / "l.db")
    build_ledger(qtbot, window)
    model = window.ledger_view.model
    tree = model.tree
    dragged = tree.problems[0]  # 污水直排问题, in 一、
    target = model.index_for("category", tree.categories[1].id)  # 二、大气污染防治
    mime = model.mimeData([model.index_for("problem", dragged.id)])
    assert model.canDropMimeData(mime, Qt.MoveAction, 0, 0, target)
    model.dropMimeData(mime, Qt.MoveAction, 0, 0, target)
    rows = visible_rows(window.ledger_view)
    assert [r[2] for r in rows if r[0] == "problem"] == [
        "黑臭水体问题", "雨污分流不到位", "污水直排问题", "扬尘管控不力", "散煤燃烧"]
    assert rows[0][1] == "一、水污染防治（2项）" and rows[4][1] == "二、大气污染防治（3项）"
    # A problem cannot be dropped between top-level categories.
    assert not model.canDropMimeData(mime, Qt.MoveAction, 0, 0, model.index(-1, -1))
    window.undo_action.trigger()
    assert [r[2] for r in visible_rows(window.ledger_view) if r[0] == "problem"][0] == "污水直排问题"


def test_editor_saves_while_typing_and_undo_restores(qtbot, open_window, tmp_path):
    path = tmp_path / "l.db"
    window = open_window(path)
    build_ledger(qtbot, window)
    first = problem_ids(window)[0]
    select(window, "problem", first)
    editor = window.editor.problem
    type_chinese(editor.lead_unit, "县生态环境分局")
    # No save button: the change reaches the file after a short pause.
    qtbot.waitUntil(lambda: stored(path, first)["lead_unit"] == "县生态环境分局",
                    timeout=SAVE_DELAY_MS * 5)
    type_chinese(editor.deadline_text, "2025年6月底前")
    editor.deadline_text.editingFinished.emit()  # leaving the field saves at once
    assert "2025年6月30日" in editor.deadline_hint.text()
    assert window.document.ledger.row("problem", first)["deadline"] == "2025-06-30"
    window.undo_action.trigger()
    assert window.document.ledger.row("problem", first)["deadline_text"] == ""
    window.undo_action.trigger()
    assert window.document.ledger.row("problem", first)["lead_unit"] == ""
    assert editor.lead_unit.text() == ""


def test_measures_are_numbered_and_reordered(qtbot, open_window, tmp_path):
    window = open_window(tmp_path / "l.db")
    build_ledger(qtbot, window)
    select(window, "problem", problem_ids(window)[0])
    measures = window.editor.problem.measures
    for text in ("排查排污口", "建设截污管网", "建立长效机制"):
        measures.add_button.click()
        measures.text.setPlainText(text)
        measures.binder.flush()
    assert [(r[0], r[1]) for r in ((measures.model.index(i, 0).data(), measures.model.index(i, 1).data())
                                   for i in range(3))] == [("1.", "排查排污口"), ("2.", "建设截污管网"),
                                                           ("3.", "建立长效机制")]
    measures.table.selectRow(2)
    measures.up_button.click()
    assert [measures.model.index(i, 1).data() for i in range(3)] == ["排查排污口", "建立长效机制", "建设截污管网"]
    window.undo_action.trigger()
    assert [measures.model.index(i, 1).data() for i in range(3)] == ["排查排污口", "建设截污管网", "建立长效机制"]
    # Measures are searchable from the ledger.
    window.ledger_view.search.setText("截污")
    assert [r[2] for r in visible_rows(window.ledger_view) if r[0] == "problem"] == ["污水直排问题"]


@pytest.mark.parametrize("query, expected", [
    ("煤", ["散煤燃烧"]),  # one character
    ("水", ["污水直排问题", "黑臭水体问题", "雨污分流不到位"]),  # 一、水污染防治 shows all of its problems
    ("散煤", ["散煤燃烧"]),  # two characters
    ("管网", ["雨污分流不到位"]),  # a subcategory title shows its problems
    ("不存在的词", []),
])
def test_search_filters_as_you_type(qtbot, open_window, tmp_path, query, expected):
    window = open_window(tmp_path / "l.db")
    build_ledger(qtbot, window)
    view = window.ledger_view
    view.search.setText(query)
    assert [r[2] for r in visible_rows(view) if r[0] == "problem"] == expected
    view.search.clear()
    assert len([r for r in visible_rows(view) if r[0] == "problem"]) == 5


def test_status_and_unit_filters(qtbot, open_window, tmp_path):
    window = open_window(tmp_path / "l.db")
    build_ledger(qtbot, window)
    ids = problem_ids(window)
    window.document.edit("problem", ids[1], status="整改中", lead_unit="县水利局、县住建局")
    window.document.edit("problem", ids[4], lead_unit="县住建局")
    view = window.ledger_view
    view.reload()
    view.status_filter.setCurrentIndex(view.status_filter.findData("整改中"))
    assert [r[2] for r in visible_rows(view) if r[0] == "problem"] == ["黑臭水体问题"]
    view.status_filter.setCurrentIndex(0)
    view.unit_filter.setCurrentIndex(view.unit_filter.findData("县住建局"))
    assert [r[2] for r in visible_rows(view) if r[0] == "problem"] == ["黑臭水体问题", "散煤燃烧"]
    assert "筛选出 2 项" in view.title.text()


def test_a_long_title_does_not_widen_the_window_and_stays_whole_in_its_tooltip(
        qtbot, open_window, sample_ledger_file):
    """The title line changes with every keystroke (筛选出 N 项): it must not re-lay out the window
    nor make it wider than the screen; cut at the edge, it is whole in its tooltip."""
    ledger = Ledger.open(sample_ledger_file)
    name = "第二轮中央生态环境保护督察反馈意见及省级督察反馈问题整改" * 4
    ledger.update("inspection", ledger.inspections()[0]["id"], name=name)
    ledger.close()
    view = open_window(sample_ledger_file).ledger_view
    metrics = view.title.fontMetrics()
    assert view.minimumSizeHint().width() < metrics.horizontalAdvance(view.title.text())
    view.search.setText("污水")
    assert view.title.toolTip() == view.title.text()
    assert view.title.toolTip().startswith(name) and "筛选出" in view.title.toolTip()


def test_restriction_bar_limits_the_ledger_until_cleared(qtbot, open_window, tmp_path):
    window = open_window(tmp_path / "l.db")
    build_ledger(qtbot, window)
    ids = problem_ids(window)
    view = window.ledger_view
    view.restrict_to({ids[1], ids[4]}, "总览：逾期（2项）")
    assert view.restriction_bar.isVisible()
    assert view.restriction_label.text() == "总览：逾期（2项）"
    assert [r[2] for r in visible_rows(view) if r[0] == "problem"] == ["黑臭水体问题", "散煤燃烧"]
    view.search.setText("散煤")  # the search narrows within the restriction
    assert [r[2] for r in visible_rows(view) if r[0] == "problem"] == ["散煤燃烧"]
    view.search.clear()
    view.reload()  # an edit elsewhere rebuilds the tree; the restriction stays
    assert len([r for r in visible_rows(view) if r[0] == "problem"]) == 2
    view.restriction_bar.findChild(QPushButton, "clearRestriction").click()
    assert not view.restriction_bar.isVisible() and view.restriction is None
    assert len([r for r in visible_rows(view) if r[0] == "problem"]) == 5


def test_summary_json_matches_the_window(qtbot, open_window, tmp_path):
    path = tmp_path / "l.db"
    window = open_window(path)
    build_ledger(qtbot, window)
    view = window.ledger_view
    shown_categories = [r[1] for r in visible_rows(view) if r[0] == "category" and "、" in r[1][:3]]
    header = view.title.text()
    window.close()
    result = subprocess.run([sys.executable, "-m", "desktop_app", "summary", "--db", str(path), "--json"],
                            capture_output=True, text=True, encoding="utf-8", check=True)
    inspection = json.loads(result.stdout)["inspections"][0]
    assert header.endswith(f"共{inspection['categories']}大类{inspection['problems']}项")
    assert [f"{c['label']}{c['title']}（{c['problems']}项）" for c in inspection["by_category"]] \
        == shown_categories


def test_window_remembers_size_splitters_and_last_file(qtbot, open_window, settings, tmp_path):
    path = tmp_path / "l.db"
    window = open_window(path)
    window.resize(760, 560)  # inside the offscreen platform's 800 × 600 screen
    window.splitter.setSizes([700, 400])
    sizes = window.splitter.sizes()
    window.close()
    assert settings.last_file == str(path)
    assert settings.recent_files[0] == str(path)
    again = open_window(None)  # no --db: the last file comes back
    assert again.document.ledger.path == path
    assert (again.size().width(), again.size().height()) == (760, 560)
    assert again.splitter.sizes() == sizes


def test_read_only_file_opens_for_viewing(qtbot, open_window, tmp_path, monkeypatch):
    path = tmp_path / "l.db"
    Ledger.create(path).close()
    monkeypatch.setattr("desktop_app.store.ledger.is_writable", lambda _path: True and False)
    answer_next_dialog(click_button("知道了"))
    window = open_window(path)
    assert window.document.read_only
    assert window.banner.isVisibleTo(window) and "只读" in window.banner.text()
    assert "[只读]" in window.windowTitle()
    assert not window.inspections.add_button.isEnabled()
    assert not window.structure.add_category_action.isEnabled()


def test_not_a_ledger_is_explained_and_the_window_falls_back(qtbot, open_window, tmp_path, monkeypatch):
    bogus = tmp_path / "报表.db"
    bogus.write_text("这不是数据库", encoding="utf-8")
    default = tmp_path / "default" / "整改台账.db"
    monkeypatch.setattr("desktop_app.ui.app.default_ledger_path", lambda: default)
    messages = []
    answer_next_dialog(lambda box: (messages.append(box.text()), click_button("知道了")(box)))
    window = open_window(bogus)
    assert "不是督察整改台账文件" in messages[0]
    # The user's own ledger opened instead, filled with the demo ledger on first start.
    assert window.document.ledger.path == default
    assert "示例" in window.document.ledger.title
    assert len(window.inspections.model.rows) == 3


def test_inspections_add_edit_delete_with_undo(qtbot, open_window, tmp_path):
    window = open_window(tmp_path / "l.db")
    add_inspection(qtbot, window, "省级生态环境保护督察")
    add_inspection(qtbot, window, "长江经济带生态环境警示片")
    panel = window.inspections
    assert [r["name"] for r in panel.model.rows] == ["省级生态环境保护督察", "长江经济带生态环境警示片"]

    def rename(dialog):
        dialog.name.setText("2024年长江经济带生态环境警示片")
        dialog.kind.setCurrentIndex(dialog.kind.findData("警示片"))
        dialog.accept()
    answer_next_dialog(rename)
    panel.edit_button.click()
    assert panel.model.rows[1]["name"] == "2024年长江经济带生态环境警示片"
    assert panel.model.index(1, 1).data() == "警示片"

    add_category(qtbot, window, "水生态保护")
    add_problem(qtbot, window, "岸线违规占用")
    answer_next_dialog(click_button("删除"))
    panel.delete_button.click()
    assert [r["name"] for r in panel.model.rows] == ["省级生态环境保护督察"]
    window.undo_action.trigger()
    assert [r["name"] for r in panel.model.rows] == ["省级生态环境保护督察", "2024年长江经济带生态环境警示片"]
    panel.view.selectRow(1)
    assert window.ledger_view.title.text().endswith("共1大类1项")
    for _ in range(4):  # the problem's description, the problem, the category, the rename
        window.undo_action.trigger()
    assert panel.model.rows[1]["name"] == "长江经济带生态环境警示片"
    assert window.ledger_view.title.text().endswith("共0大类0项")


def test_undo_in_another_inspection_shows_where_it_happened(qtbot, open_window, tmp_path):
    window = open_window(tmp_path / "l.db")
    build_ledger(qtbot, window)
    first_inspection = window.inspections.current_id()
    add_inspection(qtbot, window, "省级督察")
    assert window.ledger_view.inspection_id != first_inspection
    window.undo_action.trigger()  # undo adding 省级督察
    window.inspections.view.selectRow(0)
    window.inspections.view.selectRow(1) if window.inspections.model.rowCount() > 1 else None
    window.undo_action.trigger()  # undo typing 散煤燃烧's description, in the first inspection
    assert window.ledger_view.inspection_id == first_inspection
    assert window.ledger_view.current_node().number == 5
    assert window.editor.problem.description.toPlainText() == ""
    window.undo_action.trigger()  # undo adding that problem
    assert window.ledger_view.title.text().endswith("共2大类4项")


def test_locked_ledger_can_be_opened_read_only(qtbot, open_window, tmp_path, monkeypatch):
    import sqlite3
    path = tmp_path / "l.db"
    Ledger.create(path).close()
    monkeypatch.setattr("desktop_app.store.connection.BUSY_TIMEOUT_MS", 100)
    holder = sqlite3.connect(str(path))
    holder.execute("BEGIN IMMEDIATE")  # another program is writing
    messages = []
    answer_next_dialog(lambda box: (messages.append(box.text()), click_button("以只读方式打开")(box)))
    window = open_window(path)
    holder.rollback()
    holder.close()
    assert "正被其他程序占用" in messages[0]
    assert window.document.read_only and window.document.ledger.path == path


def test_second_instance_is_told_who_holds_the_ledger(qtbot, open_window, tmp_path):
    path = tmp_path / "l.db"
    holder = Ledger.create(path)  # the first copy of the app
    messages = []
    answer_next_dialog(lambda box: (messages.append(box.text()), click_button("以只读方式打开")(box)))
    window = open_window(path)
    holder.close()
    assert "打开着" in messages[0]
    assert window.document.read_only


def test_export_from_the_window_writes_the_workbook_off_the_ui_thread(qtbot, open_window, tmp_path,
                                                                      monkeypatch, settings):
    from openpyxl import load_workbook
    from PySide6.QtWidgets import QFileDialog
    window = open_window(tmp_path / "l.db")
    build_ledger(qtbot, window)
    target = tmp_path / "上报" / "台账.xlsx"
    target.parent.mkdir()
    # The operating system's save dialog is the one thing not driven here.
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))

    def choose_a3(dialog):
        dialog.a3.setChecked(True)
        dialog.accept()
    answer_next_dialog(choose_a3)
    results = []
    window.export_action.trigger()
    answer_next_dialog(lambda box: (results.append(box.text()), click_button("关闭")(box)))
    qtbot.waitUntil(lambda: bool(results), timeout=20000)
    assert str(target) in results[0] and "2大类5项" in results[0]
    sheet = load_workbook(target)["整改任务清单"]
    assert sheet["A1"].value == "某某镇第二轮中央生态环境保护督察反馈意见整改任务清单"
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A3)
    assert '"paper": "A3"' in settings.export_options  # the dialog remembers


def test_problem_history_shows_who_changed_what(qtbot, open_window, tmp_path):
    window = open_window(tmp_path / "l.db")
    build_ledger(qtbot, window)
    select(window, "problem", problem_ids(window)[0])
    editor = window.editor.problem
    type_chinese(editor.lead_unit, "县水利局")
    editor.binder.flush()
    shown = []

    def read(dialog):
        model = dialog.model
        shown.extend(model.index(r, c).data() for r in range(model.rowCount()) for c in range(model.columnCount()))
        dialog.accept()
    answer_next_dialog(read)
    editor.history_button.click()
    assert "责任单位" in shown and "县水利局" in shown and "污水直排问题" in shown


def test_backup_now_and_restore_from_the_dialog(qtbot, open_window, tmp_path):
    window = open_window(tmp_path / "l.db")
    build_ledger(qtbot, window)

    def back_up(dialog):
        dialog.back_up_now()
        assert dialog.model.rowCount() >= 1
        dialog.accept()
    answer_next_dialog(back_up)
    window.safety.backups_action.trigger()
    # A change after the backup, then restore: the change is gone, and undo no longer applies.
    select(window, "problem", problem_ids(window)[0])
    answer_next_dialog(click_button("删除"))
    window.structure.delete_action.trigger()
    assert window.ledger_view.title.text().endswith("共2大类4项")

    def restore(dialog):
        manual = next(i for i, b in enumerate(dialog.model.backups) if str(b.reason) == "手动")
        dialog.view.selectRow(manual)
        answer_next_dialog(click_button("恢复"))
        dialog.restore_selected()
        dialog.accept()
    answer_next_dialog(restore)
    window.safety.backups_action.trigger()
    assert window.ledger_view.title.text().endswith("共2大类5项")
    assert not window.document.undo_stack.canUndo()


def test_damaged_ledger_offers_the_newest_good_backup(qtbot, open_window, tmp_path):
    from desktop_app.store.backups import BackupPolicy, make_backup
    from desktop_app.store.seeds import fill_demo
    path = tmp_path / "l.db"
    ledger = Ledger.create(path)
    fill_demo(ledger)
    make_backup(ledger, "每日", BackupPolicy())
    ledger.close()
    with open(path, "r+b") as f:  # a power cut tore a page in the middle of the file
        f.seek(8192)
        f.write(b"\x00" * 4096)
    messages = []
    answer_next_dialog(lambda box: (messages.append(box.text()), click_button("用这份备份恢复")(box)))
    window = open_window(path)
    assert "最近一份完好的备份" in messages[0]
    assert window.document.ledger.path == path and not window.document.read_only
    assert len(window.inspections.model.rows) == 3


def test_missing_evidence_file_is_reported_on_opening(qtbot, open_window, tmp_path, monkeypatch):
    import threading


    from desktop_app.jobs import finish
    from desktop_app.store.evidence_check import find_unmatched
    from desktop_app.ui.safety import actions as safety
    from desktop_app.store.evidence import file_path
    from desktop_app.store.evidence_attach import attach_files
    from desktop_app.store.seeds import fill_demo
    path = tmp_path / "l.db"
    ledger = Ledger.create(path)
    fill_demo(ledger)
    photo = tmp_path / "整改前现场照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + b"photo" * 100)
    problem = ledger.tree(ledger.inspections()[0]["id"]).problems[0].id
    [evidence_id] = finish(attach_files(ledger, problem, [photo], caption="整改前"))
    file_path(ledger, evidence_id).unlink()  # someone deleted it in Explorer
    ledger.close()
    walked_in = []
    monkeypatch.setattr(safety, "find_unmatched", lambda *args: (
        walked_in.append(threading.current_thread()), find_unmatched(*args))[1])
    window = open_window(path)
    qtbot.waitUntil(lambda: bool(window.safety.notices.buttons))
    assert walked_in and walked_in[0] is not threading.main_thread()  # not while the window opens
    assert QApplication.activeModalWidget() is None  # waits in the status bar, no dialog pops up
    [button] = window.safety.notices.buttons
    assert button.text() == "1 个佐证材料的文件找不到了（点击查看）"
    lines = []

    def read(dialog):
        tree = dialog.tree
        for top in range(tree.topLevelItemCount()):
            item = tree.topLevelItem(top)
            lines.extend(item.child(row).text(1) for row in range(item.childCount()))
        dialog.accept()
    answer_next_dialog(read)
    button.click()
    assert len(lines) == 1 and "找不到" in lines[0] and "整改前现场照片.jpg" in lines[0]
    assert window.safety.notices.buttons == []  # looked at: gone


def test_first_opening_of_the_day_backs_the_ledger_up(qtbot, open_window, tmp_path):
    from PySide6.QtCore import QThreadPool

    from desktop_app.store.backups import BackupPolicy, list_backups
    path = tmp_path / "l.db"
    Ledger.create(path).close()
    open_window(path)
    # after the quick check, which runs off the UI thread after opening
    qtbot.waitUntil(lambda: [str(b.reason) for b in list_backups(BackupPolicy(), path)] == ["每日"],
                    timeout=20000)
    assert QThreadPool.globalInstance().waitForDone(20000)
    assert [str(b.reason) for b in list_backups(BackupPolicy(), path)] == ["每日"]


def test_save_copy_takes_the_evidence_along_off_the_ui_thread(qtbot, open_window, sample_ledger_file, tmp_path):
    from desktop_app.jobs import finish
    from desktop_app.store.evidence_attach import attach_files
    window = open_window(sample_ledger_file)
    ledger = window.document.ledger
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8photo" * 1000)
    problem_id = ledger.tree(ledger.inspections()[0]["id"]).problems[0].id
    finish(attach_files(ledger, problem_id, [photo], kind="现场照片"))
    target = tmp_path / "拷到U盘" / "副本.db"
    target.parent.mkdir()
    window._ask_path = lambda *args, **kwargs: target
    window.save_copy_action.trigger()
    qtbot.waitUntil(lambda: "副本已保存" in window.statusBar().currentMessage(), timeout=10000)
    copy = Ledger.open(target, read_only=True)
    try:
        assert copy.db["evidence"].count == 1
        stored = list((tmp_path / "拷到U盘" / "副本-佐证材料").rglob("*"))
        assert any(p.is_file() and p.read_bytes() == photo.read_bytes() for p in stored)
    finally:
        copy.close()


def test_an_index_out_of_step_is_reported_after_opening(qtbot, open_window, sample_ledger_file):
    """Opening runs SQLite's quick check; the full check after opening finds an index out of step
    with its table and says so in the status bar, with no daily backup."""
    import sqlite3
    conn = sqlite3.connect(sample_ledger_file)  # the index's definition no longer matches it
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = replace(sql, '(category_id, position)',"
                 " '(position, category_id)') WHERE name = 'problems_category'")
    conn.commit()
    conn.close()
    window = open_window(sample_ledger_file)
    assert QApplication.activeModalWidget() is None  # no box at start-up
    qtbot.waitUntil(lambda: bool(window.safety.notices.buttons))
    [button] = window.safety.notices.buttons
    assert button.text() == "台账文件有损坏（点击查看）"
    seen = []
    answer_next_dialog(lambda box: (seen.append(box.text()), box.accept()))
    button.click()
    assert "已损坏" in seen[0] and "今天没有自动备份" in seen[0]
    backups = sample_ledger_file.parent / f"{sample_ledger_file.stem}-备份"
    assert not backups.exists() or not any(backups.iterdir())


def test_a_reload_keeps_what_the_clerk_collapsed_and_expands_the_rest(qtbot, open_window,
                                                                      sample_ledger_file):
    window = open_window(sample_ledger_file)
    view = window.ledger_view
    tree = view.tree
    first, second = [view._tree_index(key) for key in view.model.category_keys()[:2]]
    assert tree.isExpanded(first) and tree.isExpanded(second)  # opened: everything expanded
    tree.collapse(first)
    view.reload()
    first, second = [view._tree_index(key) for key in view.model.category_keys()[:2]]
    assert not tree.isExpanded(first) and tree.isExpanded(second)
    assert tree.isFirstColumnSpanned(first.row(), first.parent())
