"""After 销号, in the problem editor: 回头看 rechecks (with 反弹), links both ways, and 督办.

Every write is one document.run_change: one undo step, audited, and the views told.
"""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox,
                               QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit,
                               QPushButton, QTableView, QVBoxLayout, QWidget)

from ...domain.links import LinkKind
from ...domain.recheck import RecheckResult
from ...domain.supervision import SupervisionKind
from ...store import links, rechecks, signoff, supervision
from ..date_edit import date_edit
from ..messages import confirm
from ..ledger.table_models import ROW_ID_ROLE, RowsModel

SHOWN_ROWS = 3


def row_table(model) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectRows)
    table.setSelectionMode(QAbstractItemView.SingleSelection)
    table.setEditTriggers(QAbstractItemView.NoEditTriggers)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fit(table: QTableView, rows: int) -> None:
    shown = min(max(rows, 1), SHOWN_ROWS)
    table.setFixedHeight(table.horizontalHeader().sizeHint().height() + 4
                         + shown * table.verticalHeader().defaultSectionSize())


def current_row_id(table: QTableView) -> int | None:
    index = table.currentIndex()
    return index.data(ROW_ID_ROLE) if index.isValid() else None


def _buttons(dialog: QDialog, ok: str, cancel: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox()
    buttons.addButton(ok, QDialogButtonBox.AcceptRole)
    buttons.addButton(cancel, QDialogButtonBox.RejectRole)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class RechecksModel(RowsModel):
    def __init__(self, parent=None):
        super().__init__([(self.tr("计划日期"), "planned_on"), (self.tr("复查日期"), "done_on"),
                          (self.tr("复查人"), "checker"), (self.tr("结果"), "result"),
                          (self.tr("说明"), "note")], parent)


class LinksModel(RowsModel):
    def __init__(self, parent=None):
        super().__init__([(self.tr("关联"), "kind"), (self.tr("督察批次"), "inspection"),
                          (self.tr("问题编号"), "code"), (self.tr("反馈问题"), "description")], parent)


class SupervisionModel(RowsModel):
    def __init__(self, parent=None):
        super().__init__([(self.tr("方式"), "kind"), (self.tr("日期"), "issued_on"),
                          (self.tr("督办单位"), "issued_by"), (self.tr("被督办单位"), "target_unit"),
                          (self.tr("说明"), "note")], parent)


class RecheckResultDialog(QDialog):
    """The result of one recheck: date, who checked, 巩固 / 反弹 / 衍生新问题, what was found."""

    def __init__(self, parent, checker: str = "", result: str = RecheckResult.HELD):
        super().__init__(parent)
        self.setWindowTitle(self.tr("记录回头看复查结果"))
        self.day = date_edit()
        self.checker = QLineEdit(checker)
        self.checker.setPlaceholderText(self.tr("如：县督察整改办 王五"))
        self.result = QComboBox()
        for value in RecheckResult:
            self.result.addItem(value.value, value.value)
        self.result.setCurrentIndex(self.result.findData(str(result)))
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText(self.tr("反弹或衍生新问题时必填：发现了什么"))
        self.hint = QLabel(self.tr("“反弹”会把问题改回“整改中”，原来的销号记录和公示保留；"
                                   "“衍生新问题”会在台账中新增一项问题并与本问题关联。"))
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        form = QFormLayout(self)
        form.addRow(self.tr("复查日期"), self.day)
        form.addRow(self.tr("复查人"), self.checker)
        form.addRow(self.tr("复查结果"), self.result)
        form.addRow(self.tr("说明"), self.note)
        form.addRow(self.hint)
        form.addRow(_buttons(self, self.tr("保存"), self.tr("取消")))
        self.resize(480, 320)

    def values(self) -> dict:
        return {"result": self.result.currentData(), "done_on": self.day.date().toPython(),
                "checker": self.checker.text().strip(), "note": self.note.toPlainText().strip()}


class LinkDialog(QDialog):
    """Link this problem to one of another inspection: candidates by text and 责任单位 first."""

    def __init__(self, parent, suggestions: list[tuple[float, dict]]):
        super().__init__(parent)
        self.setWindowTitle(self.tr("关联其他督察批次的问题"))
        self.candidates = QListWidget()
        self.candidates.setObjectName("linkCandidates")
        for score, row in suggestions:
            text = f"{row['inspection']} · {row['code'] or ''} {row['description'][:40]}"
            item = QListWidgetItem(self.tr("%1（相似度%2%）").replace("%1", text)
                                   .replace("%2", str(round(score * 100))))
            item.setData(ROW_ID_ROLE, row["id"])
            self.candidates.addItem(item)
        if suggestions:
            self.candidates.setCurrentRow(0)
        self.kind = QComboBox()
        for value in LinkKind:
            self.kind.addItem(value.value, value.value)
        self.note = QLineEdit()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("按文字相似和责任单位排列的候选问题：") if suggestions
                                else self.tr("其他督察批次中没有相似的问题。")))
        layout.addWidget(self.candidates)
        form = QFormLayout()
        form.addRow(self.tr("关联类型"), self.kind)
        form.addRow(self.tr("说明"), self.note)
        layout.addLayout(form)
        layout.addWidget(_buttons(self, self.tr("关联"), self.tr("取消")))
        self.resize(560, 360)

    def values(self) -> dict:
        item = self.candidates.currentItem()
        return {"problem_b": item.data(ROW_ID_ROLE) if item else None, "kind": self.kind.currentData(),
                "note": self.note.text().strip()}


class SupervisionDialog(QDialog):
    """One 督办: kind, date, who issued it, the unit, note and the document's number."""

    def __init__(self, parent, target_unit: str = ""):
        super().__init__(parent)
        self.setWindowTitle(self.tr("添加督办"))
        self.kind = QComboBox()
        for value in SupervisionKind:
            self.kind.addItem(value.value, value.value)
        self.day = date_edit()
        self.issued_by = QLineEdit()
        self.issued_by.setPlaceholderText(self.tr("如：县生态环境保护督察整改工作领导小组办公室"))
        self.target_unit = QLineEdit(target_unit)
        self.document = QLineEdit()
        self.document.setPlaceholderText(self.tr("文书名称或文号"))
        self.note = QLineEdit()
        form = QFormLayout(self)
        form.addRow(self.tr("督办方式"), self.kind)
        form.addRow(self.tr("督办日期"), self.day)
        form.addRow(self.tr("督办单位"), self.issued_by)
        form.addRow(self.tr("被督办单位"), self.target_unit)
        form.addRow(self.tr("督办文书"), self.document)
        form.addRow(self.tr("说明"), self.note)
        form.addRow(_buttons(self, self.tr("添加"), self.tr("取消")))
        self.resize(480, 260)

    def values(self) -> dict:
        return {"kind": self.kind.currentData(), "issued_on": self.day.date().toPython(),
                "issued_by": self.issued_by.text().strip(),
                "target_unit": self.target_unit.text().strip(),
                "document": self.document.text().strip(), "note": self.note.text().strip()}


class FollowUpPanel(QWidget):
    """The shown problem's rechecks, links and 督办; open_problem(id) jumps along a link."""

    open_problem = Signal(int)

    def __init__(self, document, settings, parent=None):
        super().__init__(parent)
        self.document, self.settings = document, settings
        self.problem_id: int | None = None

        self.rechecks = RechecksModel(self)
        self.recheck_table = row_table(self.rechecks)
        self.recheck_table.setObjectName("rechecksTable")
        self.plan_button = QPushButton(self.tr("安排回头看"))
        self.plan_button.setToolTip(self.tr("按“设置”中的月数（默认销号后3个月和12个月）安排复查"))
        self.plan_button.clicked.connect(self.plan_rechecks)
        self.result_button = QPushButton(self.tr("记录结果…"))
        self.result_button.clicked.connect(lambda: self.record_result())
        self.rebound_button = QPushButton(self.tr("反弹…"))
        self.rebound_button.setToolTip(self.tr("回头看发现问题反弹：问题改回“整改中”，原销号记录保留"))
        self.rebound_button.clicked.connect(self.rebound)
        self.recheck_state = QLabel()
        self.recheck_state.setStyleSheet("color: #555;")

        self.links = LinksModel(self)
        self.link_table = row_table(self.links)
        self.link_table.setObjectName("linksTable")
        self.link_table.doubleClicked.connect(lambda _index: self.jump())
        self.link_button = QPushButton(self.tr("关联…"))
        self.link_button.clicked.connect(self.add_link)
        self.jump_button = QPushButton(self.tr("转到"))
        self.jump_button.clicked.connect(self.jump)
        self.unlink_button = QPushButton(self.tr("取消关联"))
        self.unlink_button.clicked.connect(self.remove_link)

        self.supervisions = SupervisionModel(self)
        self.supervision_table = row_table(self.supervisions)
        self.supervision_table.setObjectName("supervisionTable")
        self.supervise_button = QPushButton(self.tr("添加督办…"))
        self.supervise_button.clicked.connect(self.add_supervision)
        self.unsupervise_button = QPushButton(self.tr("删除督办"))
        self.unsupervise_button.clicked.connect(self.remove_supervision)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for title, table, buttons, state in (
                (self.tr("回头看复查"), self.recheck_table,
                 (self.plan_button, self.result_button, self.rebound_button), self.recheck_state),
                (self.tr("关联问题（同一问题、同类问题）"), self.link_table,
                 (self.link_button, self.jump_button, self.unlink_button), None),
                (self.tr("督办"), self.supervision_table,
                 (self.supervise_button, self.unsupervise_button), None)):
            box = QGroupBox(title)
            inner = QVBoxLayout(box)
            inner.setContentsMargins(4, 4, 4, 4)
            inner.addWidget(table)
            row = QHBoxLayout()
            if state is not None:
                row.addWidget(state, 1)
            row.addStretch()
            for button in buttons:
                row.addWidget(button)
            inner.addLayout(row)
            layout.addWidget(box)
        for table in (self.recheck_table, self.link_table, self.supervision_table):
            table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        document.changed.connect(self._document_changed)

    # -- showing ---------------------------------------------------------------------------

    def show_problem(self, problem_id: int | None) -> None:
        self.problem_id = problem_id
        self.reload()

    def _document_changed(self, changes) -> None:
        # A link names its problems as problem_a/b: the editor's own refresh does not see it.
        if self.problem_id is not None and changes.touches("links", "rechecks", "supervisions") \
                and self.document.ledger.exists("problem", self.problem_id):
            self.reload()

    def reload(self) -> None:
        ledger, pid = self.document.ledger, self.problem_id
        self.rechecks.set_rows(rechecks.rechecks(ledger, pid) if pid else [])
        self.links.set_rows(links.links_of(ledger, pid) if pid else [])
        self.supervisions.set_rows(supervision.of_problem(ledger, pid) if pid else [])
        for table, model in ((self.recheck_table, self.rechecks), (self.link_table, self.links),
                             (self.supervision_table, self.supervisions)):
            _fit(table, len(model.rows))
        rebounds = sum(r["result"] == RecheckResult.REBOUND for r in self.rechecks.rows)
        self.recheck_state.setText(self.tr("曾反弹%1次").replace("%1", str(rebounds)) if rebounds
                                   else "")
        self._update_buttons()

    def _signed_off(self) -> bool:
        row = signoff.current(self.document.ledger, self.problem_id) if self.problem_id else None
        return bool(row and row["stage"] == "已销号")

    def _update_buttons(self) -> None:
        editable = self.problem_id is not None and not self.document.read_only
        status = self.document.ledger.row("problem", self.problem_id)["status"] \
            if self.problem_id else None
        pending = self._pending_recheck()
        self.plan_button.setEnabled(editable and self._signed_off())
        self.result_button.setEnabled(editable and pending is not None)
        self.rebound_button.setEnabled(editable and status == "已销号")
        self.link_button.setEnabled(editable)
        self.jump_button.setEnabled(current_row_id(self.link_table) is not None)
        self.unlink_button.setEnabled(editable and current_row_id(self.link_table) is not None)
        self.supervise_button.setEnabled(editable)
        self.unsupervise_button.setEnabled(editable and current_row_id(self.supervision_table) is not None)

    def _pending_recheck(self) -> int | None:
        """The selected recheck without a result, else the first one planned."""
        chosen = current_row_id(self.recheck_table)
        rows = {r["id"]: r for r in self.rechecks.rows}
        if chosen is not None and not rows[chosen]["result"]:
            return chosen
        return next((r["id"] for r in self.rechecks.rows if not r["result"]), None)

    @staticmethod
    def _ask(dialog: QDialog):
        """The dialog's values, or None when cancelled."""
        try:
            return dialog.values() if dialog.exec() == QDialog.Accepted else None
        finally:
            dialog.deleteLater()

    # -- 回头看 -----------------------------------------------------------------------------

    def plan_rechecks(self) -> None:
        months = self.settings.recheck_months
        self.document.run_change(self.tr("安排回头看复查"), lambda: rechecks.plan(
            self.document.ledger, self.problem_id, months))

    def record_result(self, result: str = RecheckResult.HELD) -> None:
        recheck_id = self._pending_recheck()
        if recheck_id is None:
            return
        values = self._ask(RecheckResultDialog(self, self.settings.reporter, result))
        if values is None:
            return
        self.document.run_change(self.tr("记录回头看复查结果"), lambda: rechecks.record_result(
            self.document.ledger, recheck_id, **values))

    def rebound(self) -> None:
        """反弹: a planned recheck takes the result; without one, a recheck is recorded now."""
        values = self._ask(RecheckResultDialog(self, self.settings.reporter, RecheckResult.REBOUND))
        if values is None:
            return
        values["result"] = RecheckResult.REBOUND
        pending, ledger, pid = self._pending_recheck(), self.document.ledger, self.problem_id
        if pending is not None:  # the planned recheck found it
            self.document.run_change(self.tr("回头看发现反弹"), lambda: rechecks.record_result(
                ledger, pending, **values))
        else:
            self.document.run_change(self.tr("回头看发现反弹"), lambda: rechecks.rebound(
                ledger, pid, values["done_on"], values["note"], values["checker"]))

    # -- links -----------------------------------------------------------------------------

    def add_link(self) -> None:
        ledger = self.document.ledger
        values = self._ask(LinkDialog(self, links.suggestions(ledger, self.problem_id)))
        if values is None or values["problem_b"] is None:
            return
        self.document.run_change(self.tr("关联问题"), lambda: links.add_link(
            ledger, self.problem_id, **values))

    def jump(self) -> None:
        link_id = current_row_id(self.link_table)
        if link_id is not None:
            self.open_problem.emit(self.links.rows[self.links.row_of(link_id)]["other"])

    def remove_link(self) -> None:
        link_id = current_row_id(self.link_table)
        if link_id is not None:
            self.document.run_change(self.tr("取消问题关联"), lambda: links.delete_link(
                self.document.ledger, link_id))

    # -- 督办 -------------------------------------------------------------------------------

    def add_supervision(self) -> None:
        unit = self.document.ledger.row("problem", self.problem_id)["lead_unit"]
        values = self._ask(SupervisionDialog(self, unit))
        if values is None:
            return
        kind = values.pop("kind")
        self.document.run_change(self.tr("添加督办"), lambda: supervision.add(
            self.document.ledger, kind, self.problem_id, **values))

    def remove_supervision(self) -> None:
        supervision_id = current_row_id(self.supervision_table)
        if supervision_id is not None and confirm(
                self, self.tr("删除督办"), self.tr("删除这条督办记录吗？删除后可以用 Ctrl+Z 撤销。")):
            self.document.run_change(self.tr("删除督办"), lambda: supervision.delete(
                self.document.ledger, supervision_id))
