"""The cursor and the editor page agree: a key that focuses a field turns to the page holding it."""

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

