"""Message boxes as a clerk meets them: the icon says what happened, Enter never deletes."""

from PySide6.QtWidgets import QMessageBox

from window_helpers import answer_next_dialog


def _seen(qtbot, trigger) -> dict:
    seen = {}

    def handler(box):
        default = box.defaultButton()
        seen.update(icon=box.icon(), title=box.windowTitle(), default=default and default.text())
        box.reject()
    answer_next_dialog(handler)
    trigger()
    qtbot.waitUntil(lambda: bool(seen), timeout=3000)
    return seen


def test_a_passed_check_shows_the_information_icon(qtbot, open_window, sample_ledger_file):
    window = open_window(sample_ledger_file)
    seen = _seen(qtbot, window.safety.check_action.trigger)
    assert seen["title"] == "检查通过" and seen["icon"] == QMessageBox.Information


def test_a_delete_confirmation_defaults_to_cancel(qtbot, open_window, sample_ledger_file):
    window = open_window(sample_ledger_file)
    problems = window.ledger_view.model.tree.problems
    window.ledger_view.select("problem", problems[0].id)
    seen = _seen(qtbot, window.structure.delete_action.trigger)
    assert seen["default"] == "取消" and seen["icon"] == QMessageBox.Question
    assert len(window.ledger_view.model.tree.problems) == len(problems)  # rejected: nothing deleted
