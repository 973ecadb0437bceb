"""The parts of the 销号 dialog: the stage strip, its history, the 验收清单 and the contacts."""

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPushButton, QVBoxLayout, QWidget)

from ...domain.signoff import FORWARD, ChecklistItem, Stage
from ..ledger.table_models import RowsModel

# Translated where shown (ContactsBox.tr); QT_TRANSLATE_NOOP marks them for lupdate.
CONTACT_LABELS = (
    ("office", QT_TRANSLATE_NOOP("ContactsBox", "受理单位")),
    ("contact", QT_TRANSLATE_NOOP("ContactsBox", "联系人")),
    ("phone", QT_TRANSLATE_NOOP("ContactsBox", "联系电话")),
    ("fax", QT_TRANSLATE_NOOP("ContactsBox", "传真")),
    ("address", QT_TRANSLATE_NOOP("ContactsBox", "通讯地址")),
    ("issuer", QT_TRANSLATE_NOOP("ContactsBox", "发布单位")),
)


def step_label(event: dict) -> str:
    """How the history names a step: the stage reached, or what a 退回 came from."""
    if event["to_stage"] != Stage.RETURNED:
        return event["to_stage"]
    if event["from_stage"] == Stage.SIGNED_OFF:
        return QCoreApplication.translate("EventsModel", "撤销销号")
    return QCoreApplication.translate("EventsModel", "退回（%1阶段）").replace("%1", event["from_stage"])


class EventsModel(RowsModel):
    def __init__(self, parent=None):
        super().__init__([(self.tr("日期"), "on_date"), (self.tr("环节"), "step"),
                          (self.tr("原因"), "reason")], parent)

    def set_events(self, events: list[dict]) -> None:
        self.set_rows([{**e, "step": step_label(e)} for e in events])


class StageStrip(QWidget):
    """申请销号 → 验收 → 公示 → 已销号, the passed ones ticked and the current one marked."""

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.labels = {}
        for index, stage in enumerate(FORWARD):
            if index:
                arrow = QLabel("→")
                arrow.setStyleSheet("color: #888;")
                layout.addWidget(arrow)
            self.labels[stage] = QLabel(stage.value)
            layout.addWidget(self.labels[stage])
        self.returned = QLabel(self.tr("已退回"))
        self.returned.setStyleSheet("color: white; background: #c62828; padding: 3px 8px;"
                                    " border-radius: 3px;")
        layout.addWidget(self.returned)
        layout.addStretch()

    def set_stage(self, stage: Stage | None) -> None:
        reached = FORWARD.index(stage) if stage in FORWARD else -1
        for index, (name, label) in enumerate(self.labels.items()):
            if index == reached:
                label.setText(name.value)
                style = "color: white; background: #1f5fa8; font-weight: bold;"
            elif index < reached:
                label.setText("✓ " + name.value)
                style = "color: #2e7d32;"
            else:
                label.setText(name.value)
                style = "color: #888;"
            label.setStyleSheet(style + " padding: 3px 8px; border-radius: 3px;")
        self.returned.setVisible(stage == Stage.RETURNED)


class ChecklistBox(QGroupBox):
    """The criteria to tick; while editable, their texts can be changed, added and removed."""

    changed = Signal(list)  # [ChecklistItem] after the clerk ticked, edited, added or removed one

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTitle(self.tr("验收清单（全部勾选才能验收通过；双击可修改文字）"))
        self.list = QListWidget()
        self.list.setObjectName("checklist")
        # Saving reloads the list: not from inside the item's own change signal.
        self.list.itemChanged.connect(lambda _item: QTimer.singleShot(0, self._emit))
        self.add_button = QPushButton(self.tr("添加标准"))
        self.remove_button = QPushButton(self.tr("删除标准"))
        self.add_button.clicked.connect(self.add_item)
        self.remove_button.clicked.connect(self.remove_item)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555;")
        self.editable = False
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        layout.addWidget(self.note)

    def show_items(self, items: list[ChecklistItem], editable: bool, note: str = "") -> None:
        self.editable = editable
        self.list.blockSignals(True)
        self.list.clear()
        for entry in items:
            self._append(entry.item, entry.checked)
        self.list.blockSignals(False)
        self.add_button.setEnabled(editable)
        self.remove_button.setEnabled(editable)
        self.note.setText(note)
        self.note.setVisible(bool(note))

    def _append(self, text: str, checked: bool) -> QListWidgetItem:
        item = QListWidgetItem(text)
        flags = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        if self.editable:
            flags |= Qt.ItemIsUserCheckable | Qt.ItemIsEditable
        item.setFlags(flags)
        item.setCheckState(Qt.Checked if checked else Qt.Unchecked)
        self.list.addItem(item)
        return item

    def items(self) -> list[ChecklistItem]:
        found = []
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.text().strip():
                found.append(ChecklistItem(item.text().strip(), item.checkState() == Qt.Checked))
        return found

    def _emit(self) -> None:
        if self.editable:
            self.changed.emit(self.items())

    def add_item(self) -> None:
        self.list.blockSignals(True)
        self._append(self.tr("新的验收标准"), False)
        self.list.blockSignals(False)
        self._emit()
        new = self.list.item(self.list.count() - 1)
        self.list.setCurrentItem(new)
        self.list.editItem(new)

    def remove_item(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.blockSignals(True)
            self.list.takeItem(row)
            self.list.blockSignals(False)
            self._emit()


class ContactsBox(QGroupBox):
    """受理单位, 联系人, 联系电话, 传真, 通讯地址, 发布单位: printed on the notice."""

    edited = Signal(str, str)  # field, value: the clerk finished changing a field

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTitle(self.tr("受理单位及联系方式（印在公示上）"))
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout(self)
        for field, label in CONTACT_LABELS:
            edit = QLineEdit()
            edit.editingFinished.connect(lambda f=field: self._finished(f))
            self.fields[field] = edit
            form.addRow(self.tr(label), edit)

    def show_values(self, values: dict, enabled: bool) -> None:
        """Each field's value, except where the clerk is typing."""
        for field, edit in self.fields.items():
            if not (edit.isModified() and edit.isEnabled()):
                edit.setText(values.get(field) or "")
                edit.setModified(False)
            edit.setEnabled(enabled)

    def _finished(self, field: str) -> None:
        edit = self.fields[field]
        if edit.isModified():
            edit.setModified(False)
            self.edited.emit(field, edit.text())

    def flush(self) -> None:
        for field in self.fields:
            self._finished(field)
