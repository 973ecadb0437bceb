"""Findings that arrive from the background while the clerk works, kept in the status bar as
buttons until looked at: a dialog popping up would take the keys of someone typing."""

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QStyle


class StatusNotices:
    def __init__(self, window):
        self.window = window
        self.buttons: list[QPushButton] = []

    def add(self, text: str, tip: str, show: Callable[[], None]) -> QPushButton:
        """A warning button reading text; a click removes it and calls show() for the details."""
        button = QPushButton(self.window.style().standardIcon(QStyle.SP_MessageBoxWarning), text)
        button.setFlat(True)
        button.setToolTip(tip)
        button.setFocusPolicy(Qt.NoFocus)  # never takes the keyboard from the editor

        def clicked():
            self._remove(button)
            show()
        button.clicked.connect(clicked)
        self.window.statusBar().addPermanentWidget(button)
        self.buttons.append(button)
        return button

    def clear(self) -> None:
        """Another ledger opened: what was found about the last one no longer applies."""
        for button in list(self.buttons):
            self._remove(button)

    def _remove(self, button: QPushButton) -> None:
        self.buttons.remove(button)
        self.window.statusBar().removeWidget(button)
        button.deleteLater()
