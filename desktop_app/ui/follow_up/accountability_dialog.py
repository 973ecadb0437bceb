"""责任追究登记 (工具): the register of cases, each with the units and persons held accountable.

A case with its units and persons is saved as one change (one undo step); the summary line
above the list is the report's own sentence.
"""

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QListWidget, QPlainTextEdit, QPushButton,
                               QVBoxLayout)

from ...domain.accountability import (Level, UnitKind, accountability_sentence,
                                     count_accountability)
from ...store import accountability
from ..date_edit import date_edit
from .panel import current_row_id, row_table
from ..messages import confirm
from ..ledger.table_models import RowsModel


class CasesModel(RowsModel):
    def __init__(self, parent=None):
        super().__init__([(self.tr("处理日期"), "decided_on"), (self.tr("案件"), "title"),
                          (self.tr("党组织或单位"), "unit_names"), (self.tr("人员"), "people")], parent)


class CaseForm(QDialog):
    """A new case: its title, date, problem or inspection, the units and the persons."""

    def __init__(self, parent, inspections: list[dict], outcomes: list[str], inspection_id=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("新增责任追究"))
        self.persons: list[dict] = []
        self.title = QLineEdit()
        self.title.setPlaceholderText(self.tr("如：某某问题整改不力责任追究"))
        self.day = date_edit()
        self.inspection = QComboBox()
        self.inspection.addItem(self.tr("（不归入督察批次）"), None)
        for row in inspections:
            self.inspection.addItem(row["name"], row["id"])
        self.inspection.setCurrentIndex(max(0, self.inspection.findData(inspection_id)))
        self.units = QPlainTextEdit()
        self.units.setTabChangesFocus(True)
        self.units.setPlaceholderText(self.tr("被追责的党组织，一行一个"))
        self.unit_kind = QComboBox()
        for kind in UnitKind:
            self.unit_kind.addItem(kind.value, kind.value)
        self.name, self.post = QLineEdit(), QLineEdit()
        self.name.setPlaceholderText(self.tr("姓名"))
        self.post.setPlaceholderText(self.tr("职务"))
        self.level = QComboBox()
        for level in Level:
            self.level.addItem(level.value, level.value)
        self.outcome = QComboBox()
        self.outcome.setEditable(True)  # the list grows with what a clerk types
        self.outcome.addItems(outcomes)
        add_person = QPushButton(self.tr("添加人员"))
        add_person.clicked.connect(self.add_person)
        self.person_list = QListWidget()
        self.note = QLineEdit()
        person = QHBoxLayout()
        for widget in (self.name, self.post, self.level, self.outcome, add_person):
            person.addWidget(widget)
        form = QFormLayout(self)
        form.addRow(self.tr("案件名称"), self.title)
        form.addRow(self.tr("处理日期"), self.day)
        form.addRow(self.tr("督察批次"), self.inspection)
        form.addRow(self.tr("党组织或单位"), self.units)
        form.addRow(self.tr("类型"), self.unit_kind)
        form.addRow(self.tr("责任人员"), person)
        form.addRow("", self.person_list)
        form.addRow(self.tr("说明"), self.note)
        buttons = QDialogButtonBox()
        buttons.addButton(self.tr("保存"), QDialogButtonBox.AcceptRole)
        buttons.addButton(self.tr("取消"), QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(640, 480)

    def add_person(self) -> None:
        """The person typed goes into the list (an outcome is needed; the name may be withheld)."""
        outcome = self.outcome.currentText().strip()
        if not outcome:
            self.outcome.setFocus()
            return
        person = {"name": self.name.text().strip(), "post": self.post.text().strip(),
                  "level": self.level.currentData(), "outcome": outcome}
        self.persons.append(person)
        self.person_list.addItem("，".join(v for v in person.values() if v))
        self.name.clear()
        self.post.clear()
        self.name.setFocus()

    def values(self) -> dict:
        kind = self.unit_kind.currentData()
        units = [(line.strip(), kind) for line in self.units.toPlainText().splitlines() if line.strip()]
        return {"title": self.title.text().strip(), "decided_on": self.day.date().toPython(),
                "inspection_id": self.inspection.currentData(), "units": units,
                "persons": list(self.persons), "note": self.note.text().strip()}


class AccountabilityDialog(QDialog):
    """The register; every add and delete one undo step through document.run_change."""

    def __init__(self, parent, document, settings, inspection_id=None):
        super().__init__(parent)
        self.document, self.settings, self.inspection_id = document, settings, inspection_id
        self.setWindowTitle(self.tr("责任追究登记"))
        self.model = CasesModel(self)
        self.table = row_table(self.model)
        self.table.setObjectName("casesTable")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("accountabilitySummary")
        add = QPushButton(self.tr("新增…"))
        add.clicked.connect(self.add_case)
        self.delete_button = QPushButton(self.tr("删除"))
        self.delete_button.clicked.connect(self.delete_case)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        add.setEnabled(not document.read_only)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(self.delete_button)
        buttons.addStretch()
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        document.changed.connect(self.reload)
        self.resize(760, 460)
        self.reload()

    def reload(self, *_args) -> None:
        cases = accountability.cases(self.document.ledger)
        for case in cases:
            case["unit_names"] = "、".join(u["name"] for u in case["units"])
            case["people"] = str(len(case["persons"]))
        self.model.set_rows(cases)
        count = count_accountability([u for c in cases for u in c["units"]],
                                     [p for c in cases for p in c["persons"]],
                                     self.settings.accountability_outcomes)
        self.summary.setText(accountability_sentence(count) or self.tr("还没有责任追究记录。"))
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.delete_button.setEnabled(not self.document.read_only
                                      and current_row_id(self.table) is not None)

    def add_case(self) -> None:
        form = CaseForm(self, self.document.ledger.inspections(),
                        self.settings.accountability_outcomes, self.inspection_id)
        try:
            if form.exec() != QDialog.Accepted:
                return
            values = form.values()
        finally:
            form.deleteLater()
        for person in values["persons"]:
            self.settings.add_accountability_outcome(person["outcome"])
        self.document.run_change(self.tr("新增责任追究"), lambda: accountability.add_case(
            self.document.ledger, **values))

    def delete_case(self) -> None:
        case_id = current_row_id(self.table)
        if case_id is not None and confirm(self, self.tr("删除责任追究"), self.tr(
                "删除这条责任追究记录及其中的党组织和人员吗？删除后可以用 Ctrl+Z 撤销。")):
            self.document.run_change(self.tr("删除责任追究"), lambda: accountability.delete_case(
                self.document.ledger, case_id))
