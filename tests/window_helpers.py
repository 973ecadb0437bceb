"""Driving the real window in tests: answering its modal dialogs and reading what it shows."""

import os
import subprocess
import sys

from PySide6.QtCore import QModelIndex, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app.ui.ledger.model import KEY_ROLE


def answer_next_dialog(handler, attempts: int = 200) -> None:
    """Call handler(dialog) on the next modal dialog, once it is open."""
    def poll(left=attempts):
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            if left:
                QTimer.singleShot(10, lambda: poll(left - 1))
            return
        handler(dialog)
    QTimer.singleShot(0, poll)


def type_and_accept(text: str):
    def handler(dialog):
        dialog.setTextValue(text)
        dialog.accept()
    return handler


def click_button(label: str):
    def handler(box: QMessageBox):
        for button in box.buttons():
            if button.text() == label:
                button.click()
                return
        raise AssertionError(f"no button {label!r} in {[b.text() for b in box.buttons()]}")
    return handler


def visible_rows(view) -> list[tuple[str, str, str]]:
    """The ledger tree (or the flat search results) as the clerk sees it: (kind, 序号 column,
    反馈问题 column) in order."""
    proxy, rows = view.shown_view().model(), []

    def walk(parent):
        for row in range(proxy.rowCount(parent)):
            index = proxy.index(row, 0, parent)
            kind = index.data(KEY_ROLE)[0]
            rows.append((kind, index.data(), proxy.index(row, 1, parent).data() or ""))
            walk(index)
    walk(QModelIndex())
    return rows


def type_chinese(widget, text: str) -> None:
    """Type as a Chinese input method does: the composed text arrives as one commit."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def in_dialog(trigger, drive) -> None:
    """Open a modal dialog with trigger() and drive(dialog) inside it; the dialog is accepted
    even when drive fails, and the failure is raised here (not lost in the event loop)."""
    errors, ran = [], []

    def handler(dialog):
        ran.append(dialog)
        try:
            drive(dialog)
        except BaseException as e:  # noqa: BLE001 — re-raised below, once the dialog is closed
            errors.append(e)
        finally:
            dialog.accept()
    answer_next_dialog(handler)
    trigger()
    assert ran, "the dialog did not open"
    if errors:
        raise errors[0]


def read_file(path, work):
    """work(ledger) on a second, read-only connection: what the file holds."""
    from desktop_app.store.ledger import Ledger
    ledger = Ledger.open(path, read_only=True)
    try:
        return work(ledger)
    finally:
        ledger.close()


class Clerk:
    """Answers the import's modal dialogs in turn, each picked by a test; failures are kept to raise."""

    def __init__(self, qtbot):
        self.qtbot, self.errors, self.messages = qtbot, [], []

    def when(self, matches, handler, attempts=1000):
        def poll(left=attempts):
            dialog = QApplication.activeModalWidget()
            if dialog is None or not matches(dialog):
                if left:
                    QTimer.singleShot(10, lambda: poll(left - 1))
                else:
                    self.errors.append(AssertionError("expected dialog never opened"))
                return
            try:
                handler(dialog)
            except BaseException as e:  # noqa: BLE001 — raised by check(), once the dialog is closed
                self.errors.append(e)
                dialog.reject()
        QTimer.singleShot(0, poll)

    def acknowledge(self, title=None):
        """The next message box: its text is kept, its only button pressed."""
        def handler(box):
            self.messages.append((box.windowTitle(), box.text()))
            box.buttons()[0].click()
        self.when(lambda d: isinstance(d, QMessageBox) and (title is None or d.windowTitle() == title), handler)

    def check(self):
        if self.errors:
            raise self.errors[0]


def run_command(name: str, *args, cwd, config):
    """`python -m desktop_app NAME …` as a script runs it: no display, the settings in config."""
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY",
                                                            "WAYLAND_DISPLAY")}
    env["XDG_CONFIG_HOME"] = str(config)  # the settings the CLI reads: not the user's
    return subprocess.run([sys.executable, "-m", "desktop_app", name, *args], cwd=cwd,
                          env=env, capture_output=True, timeout=180)
