"""整改进展 in the problem editor: the dated progress reports, newest first, added in a few keystrokes."""

from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog,
                               QDialogButtonBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QPlainTextEdit, QPushButton, QTableView, QVBoxLayout,
                               QWidget)

from ...domain.signoff import SIGNOFF_STATUSES
from ...domain.vocabulary import Status
from ...store import progress
from ..date_edit import date_edit
from ..messages import confirm
from ..ledger.table_models import ROW_ID_ROLE, RowsModel

# A clerk reports work, not sign-offs: 销号中 and 已销号 come from the 销号 dialog only.
REPORTED_STATUSES = [s for s in Status if s not in SIGNOFF_STATUSES]
SHOWN_ROWS = 5


class _CtrlEnter(QObject):
    """Ctrl+Enter in a text box: done (the box keeps plain Enter for new lines)."""

    pressed = Signal()

    def eventFilter(self, watched, event):
        if event.type() == QEvent.KeyPress and event.key() in (Qt.Key_Return, Qt.Key_Enter) \
                and event.modifiers() & Qt.ControlModifier:
            self.pressed.emit()
            return True
        return False


class ReportsModel(RowsModel):
    def __init__(self, parent=None):
        super().__init__([(self.tr("日期"), "report_date"), (self.tr("进展情况"), "text"),
                          (self.tr("报送人"), "reporter"), (self.tr("当时状态"), "status")], parent)


class ReportDialog(QDialog):
    """Changing one report: its date, text, reporter and the status it recorded."""

    def __init__(self, parent, report: dict):
        super().__init__(parent)
        self.setWindowTitle(self.tr("修改整改进展"))
        self.day = date_edit(date.fromisoformat(report["report_date"]))
        self.text = QPlainTextEdit(report["text"])
        self.text.setTabChangesFocus(True)
        self.reporter = QLineEdit(report["reporter"])
        self.status = QComboBox()
        for status in Status:
            self.status.addItem(status.value, status.value)
        self.status.setCurrentIndex(max(0, self.status.findData(report["status"])))
        buttons = QDialogButtonBox()
        buttons.addButton(self.tr("保存"), QDialogButtonBox.AcceptRole)
        buttons.addButton(self.tr("取消"), QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("日期"), self.day)
        form.addRow(self.tr("进展情况"), self.text)
        form.addRow(self.tr("报送人"), self.reporter)
        form.addRow(self.tr("当时状态"), self.status)
        form.addRow(buttons)
        self.resize(520, 320)

    def values(self) -> dict:
        return {"report_date": self.day.date().toPython(), "text": self.text.toPlainText().strip(),
                "reporter": self.reporter.text().strip(), "status": self.status.currentData()}


class ProgressPanel(QWidget):
    """The reports of the shown problem; every add, change and delete is one undo step."""

    def __init__(self, document, settings, parent=None):
        super().__init__(parent)
        self.document, self.settings = document, settings
        self.problem_id: int | None = None
        self.model = ReportsModel(self)
        self.table = QTableView()
        self.table.setObjectName("progressTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        # Reports wrap in their column: the editor is narrow, and
        # a clerk reads the last months' reports here, not through a horizontal scroll bar.
        self.table.setWordWrap(True)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.verticalHeader().sectionResized.connect(lambda *_: self._fit_height())
        header = self.table.horizontalHeader()
        for column, mode in enumerate((QHeaderView.ResizeToContents, QHeaderView.Stretch,
                                       QHeaderView.Interactive, QHeaderView.ResizeToContents)):
            header.setSectionResizeMode(column, mode)
        header.resizeSection(2, self.table.fontMetrics().horizontalAdvance("县住房城乡建设局") // 2 + 16)
        self.table.doubleClicked.connect(lambda _index: self.edit_report())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())

        self.day = date_edit()
        self.day.setToolTip(self.tr("这次进展的日期，默认是今天"))
        self.reporter = QLineEdit(settings.reporter)
        self.reporter.setPlaceholderText(self.tr("如：县水利局 张三"))
        self.text = QPlainTextEdit()
        self.text.setObjectName("progressText")
        self.text.setTabChangesFocus(True)
        self.text.setPlaceholderText(self.tr("这次调度的整改进展（Ctrl+Enter 添加）"))
        self.text.setFixedHeight(self.text.fontMetrics().lineSpacing() * 3 + 12)
        self._ctrl_enter = _CtrlEnter(self)
        self._ctrl_enter.pressed.connect(self.add_report)
        self.text.installEventFilter(self._ctrl_enter)
        self.set_status = QCheckBox(self.tr("同时把整改状态改为"))
        self.new_status = QComboBox()
        for status in REPORTED_STATUSES:
            self.new_status.addItem(status.value, status.value)
        self.new_status.setEnabled(False)
        self.set_status.toggled.connect(self.new_status.setEnabled)
        self.add_button = QPushButton(self.tr("添加进展"))
        self.add_button.setToolTip(self.tr("添加这条进展（Ctrl+Enter）"))
        self.add_button.clicked.connect(self.add_report)
        self.edit_button = QPushButton(self.tr("修改…"))
        self.edit_button.clicked.connect(self.edit_report)
        self.delete_button = QPushButton(self.tr("删除"))
        self.delete_button.clicked.connect(self.delete_report)
        self.count = QLabel()
        self.count.setStyleSheet("color: #555;")

        # Narrow rows: the editor beside the ledger is often under 450 pixels wide.
        entry = QHBoxLayout()
        entry.addWidget(self.day)
        entry.addWidget(QLabel(self.tr("报送人")))
        entry.addWidget(self.reporter, 1)
        adding = QHBoxLayout()
        adding.addWidget(self.set_status)
        adding.addWidget(self.new_status)
        adding.addStretch()
        adding.addWidget(self.add_button)
        listed = QHBoxLayout()
        listed.addWidget(self.count)
        listed.addStretch()
        listed.addWidget(self.edit_button)
        listed.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(entry)
        layout.addWidget(self.text)
        layout.addLayout(adding)
        layout.addWidget(self.table)
        layout.addLayout(listed)

    def show_problem(self, problem_id: int | None) -> None:
        if problem_id != self.problem_id:
            self.text.clear()
            self.set_status.setChecked(False)
            self.day.setDate(QDate.currentDate())
        self.problem_id = problem_id
        self.reload()

    def _fit_height(self) -> None:
        """Tall enough for the newest reports as wrapped, up to SHOWN_ROWS of them; then it scrolls."""
        table = self.table
        shown = min(max(self.model.rowCount(), 1), SHOWN_ROWS)
        rows = sum(table.rowHeight(r) for r in range(min(shown, self.model.rowCount())))
        lines = table.fontMetrics().lineSpacing()
        # Room for four wrapped lines a report, as a narrow editor wraps them, before any scrolling.
        rows = max(rows, (shown * (4 * lines + 6)) if self.model.rowCount() else lines + 8)
        most = 16 * lines  # a few long reports must not push 完成情况 away
        table.setFixedHeight(table.horizontalHeader().sizeHint().height() + 4 + min(rows, most))

    def reload(self) -> None:
        current = self.current_id()
        rows = progress.reports(self.document.ledger, self.problem_id) if self.problem_id else []
        self.model.set_rows(rows)
        row = self.model.row_of(current) if current is not None else -1
        if row >= 0:
            self.table.selectRow(row)
        self.count.setText(self.tr("共 %1 条").replace("%1", str(len(rows))) if rows else
                           self.tr("还没有进展记录"))
        self._fit_height()
        status = self.document.ledger.row("problem", self.problem_id)["status"] \
            if self.problem_id else None
        signing_off = status in SIGNOFF_STATUSES
        if signing_off:
            self.set_status.setChecked(False)
        elif not self.set_status.isChecked() and status:
            self.new_status.setCurrentIndex(max(0, self.new_status.findData(status)))
        self.set_status.setEnabled(not signing_off and not self.document.read_only)
        self.set_status.setToolTip(self.tr("销号中、已销号的问题，状态在“销号”对话框里办理")
                                   if signing_off else "")
        self._update_buttons()

    def _update_buttons(self) -> None:
        editable = self.problem_id is not None and not self.document.read_only
        selected = self.current_id() is not None
        for widget in (self.day, self.reporter, self.text, self.add_button):
            widget.setEnabled(editable)
        self.edit_button.setEnabled(editable and selected)
        self.delete_button.setEnabled(editable and selected)

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(ROW_ID_ROLE) if index.isValid() else None

    def add_report(self) -> None:
        text = self.text.toPlainText().strip()
        if self.problem_id is None or self.document.read_only:
            return
        if not text:
            self.text.setFocus()
            return
        reporter = self.reporter.text().strip()
        status = self.new_status.currentData() if self.set_status.isChecked() else None
        report_id = self.document.add_report(self.problem_id, self.day.date().toPython(), text,
                                             reporter, status)
        if report_id is None:
            return
        self.settings.reporter = reporter
        self.text.clear()
        self.set_status.setChecked(False)
        self.table.selectRow(self.model.row_of(report_id))
        self.text.setFocus()

    def edit_report(self) -> None:
        report_id = self.current_id()
        if report_id is None or self.document.read_only:
            return
        dialog = ReportDialog(self, progress.report(self.document.ledger, report_id))
        if dialog.exec() == QDialog.Accepted:
            self.document.edit_report(self.problem_id, report_id, **dialog.values())
        dialog.deleteLater()

    def delete_report(self) -> None:
        report_id = self.current_id()
        if report_id is None:
            return
        report = progress.report(self.document.ledger, report_id)
        text = report["text"] if len(report["text"]) <= 40 else report["text"][:40] + "……"
        if confirm(self, self.tr("删除整改进展"),
                   self.tr("删除 %1 的这条进展吗？\n\n%2\n\n删除后可以用 Ctrl+Z 撤销。")
                   .replace("%1", report["report_date"]).replace("%2", text)):
            self.document.delete_report(self.problem_id, report_id)
