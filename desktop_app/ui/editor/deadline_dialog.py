"""整改时限 in the editor: a deadline once written changes only with a reason (时限调整), kept as history.

The first time a clerk fills an empty 整改时限 it is just an edit. Changing a written one is a
时限调整: the reason and the day of the change are asked and kept (store.progress.change_deadline),
so the ledger shows what the deadline was and why it moved instead of silently overwriting it.
"""

from datetime import date

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, QTimer
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
                               QHeaderView, QLabel, QTableView, QVBoxLayout)

from ...store import progress
from ..messages import warn
from ..date_edit import date_edit
from ..ledger.table_models import RowsModel

COMMON_REASONS = (QT_TRANSLATE_NOOP("DeadlineChangeDialog", "经批准延期"),  # translated where shown
                  QT_TRANSLATE_NOOP("DeadlineChangeDialog", "整改方案调整"),
                  QT_TRANSLATE_NOOP("DeadlineChangeDialog", "更正录入错误"))


class DeadlineField(QObject):
    """Watches the editor's 整改时限 box; saves it on Enter or on leaving the box."""

    def __init__(self, document, line_edit, parent=None):
        super().__init__(parent)
        self.document, self.edit = document, line_edit
        self.problem_id: int | None = None
        self._asking = False
        line_edit.editingFinished.connect(self.commit)

    def commit(self, ask: bool = True) -> None:
        """Save the typed 时限. Without ask (the ledger is closing) a change that needs a reason
        is dropped: the file keeps the deadline it had."""
        if self.problem_id is None or self._asking or not self.edit.isModified():
            return
        self.edit.setModified(False)
        problem_id, new, ledger = self.problem_id, self.edit.text().strip(), self.document.ledger
        if not ledger.exists("problem", problem_id):
            return  # deleted while the clerk was typing its 时限
        old = ledger.row("problem", problem_id)["deadline_text"]
        if new == old:
            return
        if not old.strip():
            self.document.edit("problem", problem_id, deadline_text=new)
            return
        if ask:  # not from inside the focus change that ended the edit: a dialog there eats the click
            QTimer.singleShot(0, lambda: self._ask(problem_id, old, new))

    def _ask(self, problem_id: int, old: str, new: str) -> None:
        self._asking = True
        dialog = DeadlineChangeDialog(self.edit.window(), old, new)
        try:
            if dialog.exec() == QDialog.Accepted and self.document.change_deadline(
                    problem_id, new, dialog.reason(), dialog.changed_on()):
                return
        finally:
            self._asking = False
            dialog.deleteLater()
        if self.problem_id == problem_id:  # cancelled: show what the file holds
            self.edit.setText(self.document.ledger.row("problem", problem_id)["deadline_text"])
            self.edit.setModified(False)


class DeadlineChangeDialog(QDialog):
    """Asks why the deadline changes and since when."""

    def __init__(self, parent, old: str, new: str):
        super().__init__(parent)
        self.setWindowTitle(self.tr("调整整改时限"))
        intro = QLabel(self.tr("整改时限已经填写过，修改属于时限调整，需要写明原因，"
                               "会记入“时限调整记录”。"))
        intro.setWordWrap(True)
        self.old_label = QLabel(old)
        self.new_label = QLabel(new or self.tr("（清空）"))
        for label in (self.old_label, self.new_label):
            label.setWordWrap(True)
        self.new_label.setStyleSheet("font-weight: bold;")
        self.reason_box = QComboBox()
        self.reason_box.setEditable(True)
        self.reason_box.addItems([self.tr(r) for r in COMMON_REASONS])
        self.reason_box.setCurrentIndex(-1)
        self.reason_box.lineEdit().setPlaceholderText(self.tr("如：经县督察整改办批准延期"))
        self.reason_box.setMinimumWidth(320)
        self.day = date_edit()
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(self.tr("确认调整"), QDialogButtonBox.AcceptRole)
        self.buttons.addButton(self.tr("取消"), QDialogButtonBox.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("原时限"), self.old_label)
        form.addRow(self.tr("调整为"), self.new_label)
        form.addRow(self.tr("调整原因"), self.reason_box)
        form.addRow(self.tr("调整日期"), self.day)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(480, self.sizeHint().height())

    def reason(self) -> str:
        return self.reason_box.currentText().strip()

    def changed_on(self) -> date:
        return self.day.date().toPython()

    def accept(self) -> None:
        if not self.reason():
            warn(self, self.tr("请写明原因"), self.tr("调整整改时限必须写明原因。"))
            self.reason_box.setFocus()
            return
        super().accept()


class DeadlineHistoryModel(RowsModel):
    def __init__(self, parent=None):
        super().__init__([(self.tr("调整日期"), "changed_on"), (self.tr("原时限"), "old_text"),
                          (self.tr("调整为"), "new_text"), (self.tr("原因"), "reason")], parent)


class DeadlineHistoryDialog(QDialog):
    def __init__(self, parent, ledger, problem_id: int, number: int):
        super().__init__(parent)
        self.setWindowTitle(self.tr("第 %1 项的时限调整记录").replace("%1", str(number)))
        rows = progress.deadline_history(ledger, problem_id)
        self.model = DeadlineHistoryModel(self)
        self.model.set_rows(rows)
        view = QTableView()
        view.setModel(self.model)
        view.setSelectionBehavior(QAbstractItemView.SelectRows)
        view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        view.verticalHeader().hide()
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.Stretch)
        now = ledger.row("problem", problem_id)["deadline_text"]
        first = rows[0]["old_text"] if rows else now
        note = QLabel(self.tr("原定时限：%1\n现在的时限：%2\n共调整 %3 次，最早的在最上面。")
                      .replace("%1", first or self.tr("（未填写）"))
                      .replace("%2", now or self.tr("（未填写）")).replace("%3", str(len(rows))))
        note.setWordWrap(True)
        buttons = QDialogButtonBox()
        buttons.addButton(self.tr("关闭"), QDialogButtonBox.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(view)
        layout.addWidget(buttons)
        self.resize(720, 360)
