"""整改进展 and 时限调整 in the real window: typed as a clerk types, seen in the ledger, undone."""

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication

from desktop_app.store import progress
from desktop_app.store.ledger import Ledger
from desktop_app.ui.ledger.model import COL_DEADLINE, COL_PROGRESS, COL_STATUS
from window_helpers import answer_next_dialog, click_button, type_chinese
from window_helpers import read_file as read


def first_problems(window):
    return [p.id for p in window.ledger_view.model.tree.problems]


def cell(window, problem_id, column, role=Qt.DisplayRole):
    model = window.ledger_view.model
    return model.index_for("problem", problem_id).siblingAtColumn(column).data(role)


def add_by_keyboard(qtbot, panel, day, text):
    panel.day.setDate(QDate(*day))
    type_chinese(panel.text, text)
    qtbot.keyClick(panel.text, Qt.Key_Return, Qt.ControlModifier)


def test_progress_report_by_keyboard_shows_in_the_ledger_and_undoes(qtbot, open_window, settings,
                                                                    sample_ledger_file):
    window = open_window(sample_ledger_file)
    problem_id = first_problems(window)[0]  # 问题编号一, 整改中
    window.ledger_view.select("problem", problem_id)
    panel = window.editor.problem.progress
    assert cell(window, problem_id, COL_PROGRESS) == ""
    assert window.ledger_view.model.headerData(COL_PROGRESS, Qt.Horizontal) == "整改进展"

    type_chinese(panel.reporter, "县委办 王五")
    add_by_keyboard(qtbot, panel, (2024, 3, 5), "已召开专题会议2次，责任清单已起草。")
    assert cell(window, problem_id, COL_PROGRESS) == "已召开专题会议2次，责任清单已起草。"
    assert "2024-03-05" in cell(window, problem_id, COL_PROGRESS, Qt.ToolTipRole)
    assert "王五" in cell(window, problem_id, COL_PROGRESS, Qt.ToolTipRole)
    assert panel.text.toPlainText() == "" and panel.model.rowCount() == 1
    assert settings.reporter == "县委办 王五"  # remembered for the next report
    stored = read(sample_ledger_file, lambda l: progress.reports(l, problem_id))
    assert [(r["report_date"], r["reporter"], r["status"]) for r in stored] == [
        ("2024-03-05", "县委办 王五", "整改中")]

    # An older report goes below; the column keeps showing the newest.
    add_by_keyboard(qtbot, panel, (2024, 1, 10), "完成问题摸底排查。")
    assert [panel.model.index(r, 0).data() for r in range(2)] == ["2024-03-05", "2024-01-10"]
    assert cell(window, problem_id, COL_PROGRESS) == "已召开专题会议2次，责任清单已起草。"

    # A report that also changes the status: one step, undone as one.
    panel.set_status.setChecked(True)
    panel.new_status.setCurrentIndex(panel.new_status.findData("已完成"))
    add_by_keyboard(qtbot, panel, (2024, 4, 20), "责任清单已印发，整改完成。")
    assert cell(window, problem_id, COL_PROGRESS) == "责任清单已印发，整改完成。"
    assert cell(window, problem_id, COL_STATUS) == "已完成"
    assert window.editor.problem.status.currentData() == "已完成"

    window.undo_action.trigger()
    assert cell(window, problem_id, COL_STATUS) == "整改中"
    assert cell(window, problem_id, COL_PROGRESS) == "已召开专题会议2次，责任清单已起草。"
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert cell(window, problem_id, COL_PROGRESS) == ""
    assert panel.model.rowCount() == 0
    assert read(sample_ledger_file, lambda l: progress.reports(l, problem_id)) == []
    window.redo_action.trigger()
    assert cell(window, problem_id, COL_PROGRESS) == "已召开专题会议2次，责任清单已起草。"
    assert panel.model.rowCount() == 1


def test_an_empty_report_is_not_added(qtbot, open_window, sample_ledger_file):
    window = open_window(sample_ledger_file)
    window.ledger_view.select("problem", first_problems(window)[0])
    panel = window.editor.problem.progress
    qtbot.keyClick(panel.text, Qt.Key_Return, Qt.ControlModifier)
    assert panel.model.rowCount() == 0 and not window.document.undo_stack.canUndo()


def test_edit_and_delete_a_report_with_confirmation(qtbot, open_window, sample_ledger_file):
    window = open_window(sample_ledger_file)
    problem_id = first_problems(window)[1]
    window.ledger_view.select("problem", problem_id)
    panel = window.editor.problem.progress
    add_by_keyboard(qtbot, panel, (2024, 5, 6), "督导乡镇3个。")
    panel.table.selectRow(0)

    def change(dialog):
        dialog.text.setPlainText("督导乡镇5个，通报2个。")
        dialog.day.setDate(QDate(2024, 5, 8))
        dialog.accept()
    answer_next_dialog(change)
    panel.edit_button.click()
    assert cell(window, problem_id, COL_PROGRESS) == "督导乡镇5个，通报2个。"
    assert panel.model.index(0, 0).data() == "2024-05-08"

    panel.table.selectRow(0)
    answer_next_dialog(click_button("取消"))
    panel.delete_button.click()
    assert panel.model.rowCount() == 1  # not confirmed: kept
    answer_next_dialog(click_button("删除"))
    panel.delete_button.click()
    assert panel.model.rowCount() == 0 and cell(window, problem_id, COL_PROGRESS) == ""
    window.undo_action.trigger()  # the delete
    assert cell(window, problem_id, COL_PROGRESS) == "督导乡镇5个，通报2个。"
    window.undo_action.trigger()  # the edit
    assert cell(window, problem_id, COL_PROGRESS) == "督导乡镇3个。"


def change_deadline(qtbot, editor, text, answer):
    editor.deadline_text.selectAll()
    type_chinese(editor.deadline_text, text)
    answer_next_dialog(answer)
    editor.deadline_text.editingFinished.emit()


def test_changing_a_deadline_asks_the_reason_and_keeps_the_history(qtbot, open_window,
                                                                   sample_ledger_file):
    window = open_window(sample_ledger_file)
    problem_id = first_problems(window)[3]  # 问题编号四: 2022年6月30日前
    window.ledger_view.select("problem", problem_id)
    editor = window.editor.problem
    assert not editor.deadline_history_button.isEnabled()
    deadline = lambda: read(sample_ledger_file, lambda l: l.row("problem", problem_id))  # noqa: E731

    def give_reason(dialog):
        assert dialog.old_label.text() == "2022年6月30日前"
        assert dialog.new_label.text() == "2023年6月30日前"
        dialog.reason_box.setEditText("二期工程用地报批延后，经县督察整改办批准延期")
        dialog.day.setDate(QDate(2022, 6, 20))
        dialog.ok_button.click()
    change_deadline(qtbot, editor, "2023年6月30日前", give_reason)
    qtbot.waitUntil(lambda: deadline()["deadline_text"] == "2023年6月30日前")
    assert deadline()["deadline"] == "2023-06-30"
    assert cell(window, problem_id, COL_DEADLINE) == "2023年6月30日前"
    assert editor.deadline_history_button.text() == "时限调整记录（1）"

    shown = []

    def read_history(dialog):
        model = dialog.model
        shown.extend(tuple(model.index(r, c).data() for c in range(4)) for r in range(model.rowCount()))
        dialog.reject()
    answer_next_dialog(read_history)
    editor.deadline_history_button.click()
    assert shown == [("2022-06-20", "2022年6月30日前", "2023年6月30日前",
                      "二期工程用地报批延后，经县督察整改办批准延期")]

    # Cancelled: the box shows the deadline the file holds again, nothing is recorded.
    change_deadline(qtbot, editor, "2024年底前", lambda dialog: dialog.reject())
    qtbot.waitUntil(lambda: editor.deadline_text.text() == "2023年6月30日前")
    assert len(read(sample_ledger_file, lambda l: progress.deadline_history(l, problem_id))) == 1

    # No reason, no change: the dialog stays open and says why.
    def without_reason(dialog):
        answer_next_dialog(click_button("知道了"))
        dialog.ok_button.click()
        assert dialog.isVisible()
        dialog.reject()
    change_deadline(qtbot, editor, "2024年底前", without_reason)
    qtbot.waitUntil(lambda: editor.deadline_text.text() == "2023年6月30日前")

    window.undo_action.trigger()
    assert deadline()["deadline_text"] == "2022年6月30日前"
    assert read(sample_ledger_file, lambda l: progress.deadline_history(l, problem_id)) == []
    assert editor.deadline_text.text() == "2022年6月30日前"
    assert not editor.deadline_history_button.isEnabled()
    window.redo_action.trigger()
    assert deadline()["deadline_text"] == "2023年6月30日前"
    assert editor.deadline_history_button.text() == "时限调整记录（1）"


def test_the_first_deadline_needs_no_reason(qtbot, open_window, sample_ledger_file):
    window = open_window(sample_ledger_file)
    window.structure.add_problem_action.trigger()
    editor = window.editor.problem
    problem_id = editor.problem_id
    type_chinese(editor.deadline_text, "2025年6月底前")
    editor.deadline_text.editingFinished.emit()
    qtbot.wait(50)
    assert QApplication.activeModalWidget() is None
    assert window.document.ledger.row("problem", problem_id)["deadline"] == "2025-06-30"
    assert window.document.ledger.row("problem", problem_id)["deadline_text"] == "2025年6月底前"
    assert read(window.document.ledger.path, lambda l: progress.deadline_history(l, problem_id)) == []


def test_a_read_only_ledger_shows_reports_but_takes_none(qtbot, open_window, sample_ledger_file,
                                                         monkeypatch):
    ledger = Ledger.open(sample_ledger_file)
    problem_id = ledger.tree(ledger.inspections()[0]["id"]).problems[0].id
    progress.add_report(ledger, problem_id, "2024-03-05", "已召开专题会议。")
    ledger.close()
    monkeypatch.setattr("desktop_app.store.ledger.is_writable", lambda _path: False)
    answer_next_dialog(click_button("知道了"))
    window = open_window(sample_ledger_file)
    window.ledger_view.select("problem", problem_id)
    editor = window.editor.problem
    assert cell(window, problem_id, COL_PROGRESS) == "已召开专题会议。"
    assert editor.progress.model.rowCount() == 1
    for widget in (editor.progress.text, editor.progress.add_button, editor.progress.set_status):
        assert not widget.isEnabled()
    assert editor.deadline_text.isReadOnly()
    assert not editor.signoff.button.isEnabled()


def test_a_header_saved_before_the_progress_column_gives_it_its_width(qtbot, open_window, settings,
                                                                       sample_ledger_file):
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QTreeView
    old = QTreeView()  # the ledger of the last version: eight columns
    old.setModel(QStandardItemModel(1, 8))
    old.header().resizeSection(1, 333)
    settings.ledger_header_state = old.header().saveState()
    window = open_window(sample_ledger_file)
    header = window.ledger_view.tree.header()
    assert header.sectionSize(1) == 333  # the clerk's width is kept
    assert header.sectionSize(COL_PROGRESS) == 220
