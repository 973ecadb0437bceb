"""信访件登记: the register of handed-down complaints, with add, edit and delete (undoable)."""

from datetime import date

from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox,
                               QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPlainTextEdit, QPushButton, QTableView, QVBoxLayout,
                               QWidget)

from ...store import petitions
from ..date_edit import date_edit
from ..messages import confirm
from ..ledger.table_models import ROW_ID_ROLE, RowsModel


class PetitionsModel(RowsModel):
    INSPECTION = 1

    def __init__(self, parent=None):
        super().__init__([(self.tr("编号"), "code"), (self.tr("督察批次"), "inspection"),
                          (self.tr("收件日期"), "received_on"), (self.tr("来源"), "source"),
                          (self.tr("内容"), "content"), (self.tr("责任单位"), "lead_unit"),
                          (self.tr("办结日期"), "concluded_on"), (self.tr("销号日期"), "signed_off_on"),
                          (self.tr("备注"), "remarks")], parent)


class OptionalDate(QWidget):
    """A date that may not have happened yet: a box to tick, then the day."""

    def __init__(self, text: str, day: str | None, parent=None):
        super().__init__(parent)
        self.check = QCheckBox(text)
        self.day = date_edit(date.fromisoformat(day) if day else None)
        self.check.toggled.connect(self.day.setEnabled)
        self.check.setChecked(bool(day))
        self.day.setEnabled(bool(day))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.day)
        layout.addStretch()

    def value(self) -> str | None:
        return self.day.date().toPython().isoformat() if self.check.isChecked() else None


class PetitionForm(QDialog):
    """One petition's fields; save(values) stores them and says whether that worked."""

    def __init__(self, parent, inspections: list[dict], row: dict, save):
        super().__init__(parent)
        self.save = save
        self.setWindowTitle(self.tr("修改信访件") if row.get("id") else self.tr("新增信访件"))
        self.inspection = QComboBox()
        self.inspection.addItem(self.tr("（不归入督察批次）"), None)
        for inspection in inspections:
            self.inspection.addItem(inspection["name"], inspection["id"])
        self.inspection.setCurrentIndex(max(0, self.inspection.findData(row.get("inspection_id"))))
        self.code = QLineEdit(row.get("code", ""))
        self.code.setPlaceholderText(self.tr("交办编号，例如 D2021-015"))
        self.received = OptionalDate(self.tr("已收件"), row.get("received_on"))
        self.source = QLineEdit(row.get("source", ""))
        self.source.setPlaceholderText(self.tr("例如：中央第五生态环境保护督察组交办"))
        self.content = QPlainTextEdit(row.get("content", ""))
        self.content.setTabChangesFocus(True)
        self.content.setMinimumHeight(self.content.fontMetrics().lineSpacing() * 6 + 12)
        self.lead_unit = QLineEdit(row.get("lead_unit", ""))
        self.concluded = OptionalDate(self.tr("已办结"), row.get("concluded_on"))
        self.signed_off = OptionalDate(self.tr("已销号"), row.get("signed_off_on"))
        self.remarks = QLineEdit(row.get("remarks", ""))
        form = QFormLayout()
        for label, widget in ((self.tr("督察批次"), self.inspection), (self.tr("编号"), self.code),
                              (self.tr("收件日期"), self.received), (self.tr("来源"), self.source),
                              (self.tr("反映内容"), self.content), (self.tr("责任单位"), self.lead_unit),
                              (self.tr("办结日期"), self.concluded), (self.tr("销号日期"), self.signed_off),
                              (self.tr("备注"), self.remarks)):
            form.addRow(label, widget)
        buttons = QDialogButtonBox()
        buttons.addButton(self.tr("保存"), QDialogButtonBox.AcceptRole)
        buttons.addButton(self.tr("取消"), QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(8)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(680, 560)

    def values(self) -> dict:
        return {"inspection_id": self.inspection.currentData(), "code": self.code.text(),
                "received_on": self.received.value(), "source": self.source.text(),
                "content": self.content.toPlainText(), "lead_unit": self.lead_unit.text(),
                "concluded_on": self.concluded.value(), "signed_off_on": self.signed_off.value(),
                "remarks": self.remarks.text()}

    def accept(self):
        if self.save(self.values()):  # a refusal (dates out of order …) is shown; the form stays
            super().accept()


class PetitionsDialog(QDialog):
    def __init__(self, parent, document, inspection_id: int | None):
        super().__init__(parent)
        self.document = document
        self.setWindowTitle(self.tr("信访件登记"))
        self.scope = QComboBox()
        self.scope.addItem(self.tr("全部信访件"), None)
        for inspection in document.ledger.inspections():
            self.scope.addItem(inspection["name"], inspection["id"])
        self.scope.setCurrentIndex(max(0, self.scope.findData(inspection_id)))
        self.scope.currentIndexChanged.connect(self.reload)
        self.counts = QLabel()
        self.counts.setObjectName("petitionCounts")
        self.model = PetitionsModel(self)
        self.view = QTableView()
        self.view.setObjectName("petitionsView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.activated.connect(lambda _index: self.edit_current())
        self.add_button = QPushButton(self.tr("新增…"))
        self.edit_button = QPushButton(self.tr("修改…"))
        self.delete_button = QPushButton(self.tr("删除"))
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit_current)
        self.delete_button.clicked.connect(self.delete_current)
        # Only the petitions' own last step: the ledger's (开始公示 …) is not undone from here.
        self.undo_button = undo = QPushButton(self.tr("撤销"))
        undo.clicked.connect(document.undo_stack.undo)
        document.undo_stack.indexChanged.connect(self._update_undo)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("督察批次")))
        top.addWidget(self.scope)
        top.addStretch()
        top.addWidget(self.counts)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.delete_button, undo):
            buttons.addWidget(button)
        buttons.addStretch()
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view)
        layout.addLayout(buttons)
        document.changed.connect(self._changed)
        self.resize(980, 560)
        self.reload()
        self._update_undo()

    def _update_undo(self, _index=None) -> None:
        stack = self.document.undo_stack
        ours = stack.canUndo() and "信访件" in stack.undoText()
        self.undo_button.setEnabled(ours)
        self.undo_button.setToolTip(self.tr("撤销：%1").replace("%1", stack.undoText()) if ours else "")

    def _changed(self, changes) -> None:
        if changes.touches("petitions"):
            touched = changes.ids("petition")
            self.reload(select=touched[0] if touched else None)

    def reload(self, *_args, select: int | None = None) -> None:
        ledger, scope = self.document.ledger, self.scope.currentData()
        names = {row["id"]: row["name"] for row in ledger.inspections()}
        rows = [{**row, "inspection": names.get(row["inspection_id"], "")}
                for row in petitions.petitions(ledger, scope)]
        self.model.set_rows(rows)
        self.view.setColumnHidden(PetitionsModel.INSPECTION, scope is not None)
        self.view.resizeColumnsToContents()
        for column in range(self.model.columnCount()):
            self.view.setColumnWidth(column, min(self.view.columnWidth(column), 280))
        concluded = sum(1 for r in rows if r["concluded_on"])
        signed_off = sum(1 for r in rows if r["signed_off_on"])
        self.counts.setText(self.tr("共%1件，已办结%2件，已销号%3件").replace("%1", str(len(rows)))
                            .replace("%2", str(concluded)).replace("%3", str(signed_off)))
        row = self.model.row_of(select) if select is not None else -1
        if row >= 0:
            self.view.selectRow(row)
        editable = not self.document.read_only
        self.add_button.setEnabled(editable)
        self.edit_button.setEnabled(editable and bool(rows))
        self.delete_button.setEnabled(editable and bool(rows))

    def current_id(self) -> int | None:
        index = self.view.currentIndex()
        return index.data(ROW_ID_ROLE) if index.isValid() else None

    def _form(self, row: dict, save) -> None:
        form = PetitionForm(self, self.document.ledger.inspections(), row, save)
        form.exec()
        form.deleteLater()

    def add(self) -> None:
        ledger = self.document.ledger

        def save(values: dict) -> bool:
            inspection_id = values.pop("inspection_id")
            return self.document.change_petition(
                None, lambda: petitions.add(ledger, inspection_id, **values),
                self.tr("新增信访件")) is not None
        self._form({"inspection_id": self.scope.currentData(), "received_on": date.today().isoformat()},
                   save)

    def edit_current(self) -> None:
        petition_id = self.current_id()
        if petition_id is None or self.document.read_only:
            return
        ledger = self.document.ledger
        self._form(petitions.petition(ledger, petition_id), lambda values: self.document.change_petition(
            petition_id, lambda: petitions.update(ledger, petition_id, **values),
            self.tr("修改信访件")) is not None)

    def delete_current(self) -> None:
        petition_id = self.current_id()
        if petition_id is None:
            return
        row = petitions.petition(self.document.ledger, petition_id)
        what = row["code"] or (row["content"] or "")[:20]
        if confirm(self, self.tr("删除信访件"), self.tr("删除信访件“%1”？\n删除后可以用“撤销”恢复。")
                   .replace("%1", what)):
            self.document.change_petition(
                petition_id, lambda: petitions.delete(self.document.ledger, petition_id),
                self.tr("删除信访件"))
