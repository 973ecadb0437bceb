"""情况概述 on the overview: the generated paragraph, editable, copyable; the clerk's wording kept.

Typing is saved after a pause (or on leaving the box) through the document, so Ctrl+Z undoes
it; the 月调度表 of the same scope and date uses it. When the figures change after the clerk
rewrote the paragraph, the box says so and shows the new generated text beside theirs.
"""

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QGroupBox, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton,
                               QVBoxLayout)

from ...store import summary_texts
from ...store.summary_texts import KeptSummary
from ..editor.field_binding import SAVE_DELAY_MS


class SummaryBox(QGroupBox):
    def __init__(self, parent=None):
        super().__init__(self.tr("情况概述（可修改，用于月调度表）"), parent)
        self.document = None
        self.scope: tuple | None = None  # (inspection id or None, date)
        self.auto_text = ""
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("summaryText")
        self.editor.setTabChangesFocus(True)
        self.editor.setMinimumHeight(96)
        self.editor.textChanged.connect(self._edited)
        self.editor.installEventFilter(self)
        self.note = QLabel()
        self.note.setObjectName("summaryNote")
        self.note.setWordWrap(True)
        self.copy_button = QPushButton(self.tr("复制"))
        self.copy_button.setToolTip(self.tr("把这段文字复制到剪贴板，粘贴到汇报材料中"))
        self.copy_button.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(self.editor.toPlainText()))
        self.reset_button = QPushButton(self.tr("恢复自动生成"))
        self.reset_button.setToolTip(self.tr("放弃修改，改用按当前统计数字自动生成的文字"))
        self.reset_button.clicked.connect(self.reset)
        self._timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self._loading = False
        buttons = QHBoxLayout()
        buttons.addWidget(self.note, 1)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.reset_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.editor)
        layout.addLayout(buttons)

    def show_summary(self, document, inspection_id: int | None, as_of, auto_text: str) -> None:
        """Show the clerk's text for this scope and date, or the generated one."""
        if self.scope != (inspection_id, as_of):
            self.flush()
        self.document, self.scope, self.auto_text = document, (inspection_id, as_of), auto_text
        kept = summary_texts.kept(document.ledger, inspection_id, as_of)
        text = kept.text if kept else auto_text
        if self.editor.toPlainText() != text and not self._timer.isActive():
            self._loading = True
            self.editor.setPlainText(text)
            self._loading = False
        self.editor.setReadOnly(document.read_only)
        self._show_note(kept)

    def _show_note(self, kept: KeptSummary | None) -> None:
        if kept is None:
            self.note.setText(self.tr("按统计数字自动生成。"))
            self.note.setStyleSheet("color: #555;")
        elif kept.auto_text == self.auto_text:
            self.note.setText(self.tr("已保存您修改后的文字。"))
            self.note.setStyleSheet("color: #2e7d32;")
        else:
            self.note.setText(self.tr("统计数字已有变化，按新数字自动生成的文字是：\n%1")
                              .replace("%1", self.auto_text))
            self.note.setStyleSheet("color: #8a5a00; background: #fff4c2; padding: 4px;")
        self.reset_button.setEnabled(kept is not None and not self.document.read_only)

    def _edited(self) -> None:
        if not self._loading and self.document is not None:
            self._timer.start()

    def eventFilter(self, watched, event):
        if event.type() == QEvent.FocusOut:
            self.flush()
        return False

    def flush(self) -> None:
        """Keep what the clerk typed (the generated text itself is not kept: it follows the figures)."""
        if not self._timer.isActive() or self.document is None:
            return
        self._timer.stop()
        text = self.editor.toPlainText()
        kept = None if text.strip() == self.auto_text.strip() else KeptSummary(text, self.auto_text)
        self.document.keep_summary(*self.scope, kept)
        self._show_note(summary_texts.kept(self.document.ledger, *self.scope))

    def reset(self) -> None:
        self._timer.stop()
        self.document.keep_summary(*self.scope, None)
        self.show_summary(self.document, *self.scope, self.auto_text)
