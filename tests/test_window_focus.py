"""The cursor and the editor page agree: a key that focuses a field turns to the page holding it."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from window_helpers import type_chinese


def test_new_problem_from_the_progress_page_types_into_a_visible_box(qtbot, open_window,
                                                                     sample_ledger_file):
    window = open_window(sample_ledger_file)
    window.activateWindow()
    problems = window.ledger_view.model.tree.problems
    window.ledger_view.select("problem", problems[0].id)
    editor = window.editor.problem
    window.tools.progress_action.trigger()  # Ctrl+R: the 进展 page, cursor in its text box
    assert editor.pages.currentIndex() == 1
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.progress.text, timeout=2000)

    window.structure.add_problem_action.trigger()  # Ctrl+N
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.description, timeout=2000)
    focused = editor.description
    assert editor.pages.currentIndex() == 0 and focused.isVisible()
    type_chinese(focused, "新发现的问题")
    assert editor.description.toPlainText() == "新发现的问题"



def test_escape_clears_the_search_and_closes_the_help(qtbot, open_window, sample_ledger_file):
    window = open_window(sample_ledger_file)
    window.activateWindow()
    search = window.ledger_view.search
    window.find_action.trigger()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is search, timeout=2000)
    type_chinese(search, "污水")
    qtbot.keyClick(search, Qt.Key_Escape)
    assert search.text() == ""
    window.help.show_help()
    help_window = window.help.help_window
    qtbot.waitExposed(help_window)
    qtbot.keyClick(help_window.browser, Qt.Key_Escape)
    assert not help_window.isVisible()


def test_ctrl_z_in_an_untouched_box_undoes_the_last_ledger_change(qtbot, open_window, sample_ledger_file):
    window = open_window(sample_ledger_file)
    window.activateWindow()
    problem = window.ledger_view.model.tree.problems[0]
    window.ledger_view.select("problem", problem.id)
    editor = window.editor.problem
    before = editor.lead_unit.text()
    type_chinese(editor.lead_unit, "县水利局")
    editor.binder.flush()
    window.ledger_view.select("problem", window.ledger_view.model.tree.problems[1].id)
    window.ledger_view.select("problem", problem.id)  # reloaded: the box has nothing to take back
    assert not editor.lead_unit.isUndoAvailable()
    editor.focus_field(editor.code)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.code, timeout=2000)
    qtbot.keyClick(editor.code, Qt.Key_Z, Qt.ControlModifier)
    assert editor.lead_unit.text() == before
