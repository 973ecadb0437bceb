"""The editor beside the ledger: every field of the selected problem, or the selected category."""

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFormLayout, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QPlainTextEdit, QPushButton, QScrollArea,
                               QStackedWidget, QTableView, QTabWidget, QVBoxLayout, QWidget)

from ...domain.deadlines import parse_deadline
from ...domain.vocabulary import Status, Term
from ...store.progress import deadline_history
from .deadline_dialog import DeadlineField, DeadlineHistoryDialog
from ..evidence.panel import EvidencePanel
from .field_binding import FieldBinder
from .history_dialog import HistoryDialog
from ..follow_up.panel import FollowUpPanel
from .progress_panel import ProgressPanel
from ..signoff.row import SignoffRow
from ..ledger.table_models import ROW_ID_ROLE, MeasuresModel


def _text_box(lines: int, placeholder: str = "") -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setPlaceholderText(placeholder)
    height = box.fontMetrics().lineSpacing() * lines + 12
    box.setMinimumHeight(height)
    box.setMaximumHeight(height * 2)
    return box


def _combo(values) -> QComboBox:
    combo = QComboBox()
    for value in values:
        combo.addItem(value.value, value.value)
    return combo


class MeasuresEditor(QWidget):
    """The numbered measures of a problem: list above, the selected measure's texts below."""

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self.problem_id: int | None = None
        self.model = MeasuresModel(self)
        self.model.move_requested.connect(
            lambda measure_id, index: self.document.move("measure", measure_id, index))
        self.table = QTableView()
        self.table.setObjectName("measuresTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setDragDropMode(QAbstractItemView.InternalMove)
        self.table.setDragEnabled(True)
        self.table.setDropIndicatorShown(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        header.setSectionResizeMode(2, QHeaderView.Stretch)
        self.table.setMinimumSize(120, 110)
        self.table.selectionModel().currentRowChanged.connect(self._show_current)

        self.add_button = QPushButton(self.tr("新增措施"))
        self.delete_button = QPushButton(self.tr("删除措施"))
        self.up_button = QPushButton(self.tr("上移"))
        self.down_button = QPushButton(self.tr("下移"))
        self.add_button.clicked.connect(self.add_measure)
        self.delete_button.clicked.connect(self.delete_measure)
        self.up_button.clicked.connect(lambda: self.move_measure(-1))
        self.down_button.clicked.connect(lambda: self.move_measure(+1))
        buttons = QHBoxLayout()
        for button in (self.add_button, self.delete_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch()

        self.binder = FieldBinder(document, "measure", self)
        self.text = _text_box(3, self.tr("这一条整改措施的内容"))
        self.completion = _text_box(2, self.tr("这一条措施的完成情况（申请销号前每条都要填写）"))
        self.binder.bind("text", self.text)
        self.binder.bind("completion", self.completion)
        detail = QFormLayout()
        detail.addRow(self.tr("措施内容"), self.text)
        detail.addRow(self.tr("完成情况"), self.completion)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addLayout(detail)

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(ROW_ID_ROLE) if index.isValid() else None

    def show_problem(self, problem_id: int | None) -> None:
        self.binder.flush()
        self.problem_id = problem_id
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        select_id = select_id if select_id is not None else self.current_id()
        rows = self.document.ledger.measures(self.problem_id) if self.problem_id else []
        self.model.set_rows(rows)
        row = self.model.row_of(select_id) if select_id is not None else -1
        if row < 0 and rows:
            row = 0
        if row >= 0:
            self.table.selectRow(row)
        else:
            self.binder.load(None, None)
        self._update_buttons()

    def _show_current(self, current, _previous=None) -> None:
        row = self.model.rows[current.row()] if current.isValid() else None
        self.binder.load(row["id"] if row else None, row)
        self._update_buttons()

    def _update_buttons(self) -> None:
        editable = self.problem_id is not None and not self.document.read_only
        row = self.table.currentIndex().row()
        self.add_button.setEnabled(editable)
        self.delete_button.setEnabled(editable and row >= 0)
        self.up_button.setEnabled(editable and row > 0)
        self.down_button.setEnabled(editable and 0 <= row < len(self.model.rows) - 1)
        self.binder.set_read_only(not editable or row < 0)

    def add_measure(self) -> None:
        if self.problem_id is None:
            return
        row = self.table.currentIndex().row()
        index = row + 1 if row >= 0 else None
        new_id = self.document.add_measure(self.problem_id, index)
        if new_id is not None:
            self.reload(new_id)
            self.text.setFocus()

    def delete_measure(self) -> None:
        measure_id = self.current_id()
        if measure_id is not None:
            self.binder.flush()
            self.document.delete("measure", measure_id)

    def move_measure(self, step: int) -> None:
        measure_id = self.current_id()
        if measure_id is not None:
            self.binder.flush()
            self.document.move("measure", measure_id, self.table.currentIndex().row() + step)
            self.reload(measure_id)

    def on_changed(self, changes) -> None:
        if changes.touches("measures"):
            self.reload()


def _scrolling_page(form: QFormLayout) -> QScrollArea:
    body = QWidget()
    layout = QVBoxLayout(body)
    layout.addLayout(form)
    layout.addStretch()
    page = QScrollArea()
    page.setWidgetResizable(True)
    page.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
    page.setFrameShape(QScrollArea.NoFrame)
    page.setWidget(body)
    return page


def _form() -> QFormLayout:
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
    return form


class ProblemEditor(QWidget):
    """Every field of one problem (GLOSSARY), saved as the clerk types.

    Two pages: what the problem is (rarely changed once entered), and the monthly work on it
    (进展, 完成情况, 佐证材料, 销号), so a clerk reporting progress never scrolls past the texts.
    """

    def __init__(self, document, settings, parent=None):
        super().__init__(parent)
        self.document = document
        self.problem_id: int | None = None
        self._number = 0
        self.binder = FieldBinder(document, "problem", self)
        self.heading = QLabel()
        self.heading.setObjectName("problemHeading")
        self.heading.setStyleSheet("font-weight: bold; font-size: 15px;")

        self.code = QLineEdit()
        self.code.setPlaceholderText(self.tr("如：问题编号一、第3项"))
        self.description = _text_box(5)
        self.goal = _text_box(3)
        self.measures = MeasuresEditor(document)
        self.lead_official = QLineEdit()
        self.lead_unit = QLineEdit()
        self.lead_unit.setPlaceholderText(self.tr("多个单位用顿号分开"))
        self.support_units = QLineEdit()
        self.deadline_text = QLineEdit()
        self.deadline_text.setPlaceholderText(self.tr("照原文填写，如：2019年6月底前、长期坚持、立行立改"))
        self.deadline_hint = QLabel()
        self.deadline_hint.setObjectName("deadlineHint")
        self.deadline_hint.setStyleSheet("color: #555;")
        self.deadline_text.textChanged.connect(self._update_deadline_hint)
        self.term = _combo(Term)
        self.status = _combo(Status)
        self.completion = _text_box(3)
        self.remarks = _text_box(2)
        for field in ("code", "description", "goal", "lead_official", "lead_unit", "support_units",
                      "term", "status", "completion", "remarks"):
            self.binder.bind(field, getattr(self, field))
        self.binder.bind("deadline_text", self.deadline_text, autosave=False)
        self.deadline = DeadlineField(document, self.deadline_text, self)  # 时限调整 need a reason
        self.deadline_history_button = QPushButton(self.tr("时限调整记录"))
        self.deadline_history_button.clicked.connect(self.show_deadline_history)
        self.progress = ProgressPanel(document, settings)
        self.evidence = EvidencePanel(document, settings)
        self.signoff = SignoffRow(document, settings, self.status, self.flush_all)
        self.measures.model.modelReset.connect(self.signoff.refresh)  # completions decide 申请销号
        self.follow_up = FollowUpPanel(document, settings)

        form = _form()
        form.addRow(self.tr("问题编号"), self.code)
        form.addRow(self.tr("反馈问题"), self.description)
        form.addRow(self.tr("整改目标"), self.goal)
        form.addRow(self.tr("整改措施"), self.measures)
        form.addRow(self.tr("责任领导"), self.lead_official)
        form.addRow(self.tr("责任单位"), self.lead_unit)
        form.addRow(self.tr("配合单位"), self.support_units)
        deadline = QVBoxLayout()
        deadline.setSpacing(2)
        deadline_line = QHBoxLayout()
        deadline_line.addWidget(self.deadline_text, 1)
        deadline_line.addWidget(self.deadline_history_button)
        deadline.addLayout(deadline_line)
        deadline.addWidget(self.deadline_hint)
        form.addRow(self.tr("整改时限"), deadline)
        kinds = QHBoxLayout()
        kinds.addWidget(self.term)
        kinds.addWidget(QLabel(self.tr("整改状态")))
        kinds.addWidget(self.status)
        kinds.addStretch()
        form.addRow(self.tr("整改类型"), kinds)
        form.addRow(self.tr("备注"), self.remarks)
        work = _form()
        work.addRow(self.tr("整改进展"), self.progress)
        work.addRow(self.tr("完成情况"), self.completion)
        work.addRow(self.tr("佐证材料"), self.evidence)
        work.addRow(self.tr("销号"), self.signoff)
        work.addRow(self.tr("销号以后"), self.follow_up)
        self.pages = QTabWidget()
        self.pages.setObjectName("problemPages")
        self.pages.setDocumentMode(True)
        self.pages.addTab(_scrolling_page(form), self.tr("问题与措施"))
        self.pages.addTab(_scrolling_page(work), self.tr("进展、佐证与销号"))
        self.pages.setTabToolTip(0, self.tr("反馈问题、整改目标、整改措施、责任单位和整改时限"))
        self.pages.setTabToolTip(1, self.tr("每月的整改进展、完成情况、佐证材料、销号，以及回头看、关联问题和督办"))

        self.history_button = QPushButton(self.tr("修改记录"))
        self.history_button.setToolTip(self.tr("这一项问题的全部修改：谁、什么时候、改了什么"))
        self.history_button.clicked.connect(self.show_history)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch()
        top.addWidget(self.history_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.pages)

    def reveal(self, widget: QWidget) -> None:
        """Turn to the page holding widget and scroll it into view (a shortcut is about to use it)."""
        for index in range(self.pages.count()):
            page = self.pages.widget(index)
            if page.isAncestorOf(widget):
                self.pages.setCurrentIndex(index)
                page.ensureWidgetVisible(widget)
                return

    def focus_field(self, widget: QWidget) -> None:
        """Put the cursor in widget on the page a clerk can see (Ctrl+N must not type blind)."""
        self.reveal(widget)
        widget.setFocus(Qt.ShortcutFocusReason)

    def show_problem(self, problem_id: int, number: int) -> None:
        if problem_id != self.problem_id:
            self.binder.flush()
            self.deadline.commit()
        self.problem_id = self.deadline.problem_id = problem_id
        self._number = number
        self.heading.setText(self.tr("第 %1 项").replace("%1", str(number)))
        self.binder.load(problem_id, self.document.ledger.row("problem", problem_id))
        self.binder.set_read_only(self.document.read_only)
        self.measures.show_problem(problem_id)
        self.progress.show_problem(problem_id)
        self.evidence.show_problem(problem_id)
        self.signoff.show_problem(problem_id, number)
        self.follow_up.show_problem(problem_id)
        self._update_deadline_history()

    def flush_all(self) -> None:
        self.binder.flush()
        self.measures.binder.flush()

    def show_deadline_history(self) -> None:
        dialog = DeadlineHistoryDialog(self, self.document.ledger, self.problem_id, self._number)
        dialog.exec()
        dialog.deleteLater()

    def _update_deadline_history(self) -> None:
        count = len(deadline_history(self.document.ledger, self.problem_id))
        self.deadline_history_button.setText(self.tr("时限调整记录（%1）").replace("%1", str(count))
                                             if count else self.tr("时限调整记录"))
        self.deadline_history_button.setEnabled(bool(count))
        self.deadline_history_button.setToolTip(
            self.tr("这一项整改时限的每次调整：日期、原时限、新时限和原因") if count else
            self.tr("还没有调整过整改时限。填写过的时限再修改时，需要写明原因。"))

    def show_history(self) -> None:
        self.flush_all()
        HistoryDialog(self, self.document.ledger, self.problem_id, self._number).exec()

    def refresh(self) -> None:
        if self.problem_id is not None:
            self.binder.load(self.problem_id, self.document.ledger.row("problem", self.problem_id))
            self.progress.reload()
            self.signoff.refresh()
            self.follow_up.reload()
            self._update_deadline_history()

    def _update_deadline_hint(self, text: str) -> None:
        deadline = parse_deadline(text)
        if deadline:
            self.deadline_hint.setText(self.tr("认定的截止日期：%1").replace(
                "%1", QDate(deadline).toString(self.tr("yyyy年M月d日"))))
        elif text.strip():
            self.deadline_hint.setText(self.tr("没有可计算的日期（按长期坚持或立行立改对待）"))
        else:
            self.deadline_hint.setText("")


class CategoryEditor(QWidget):
    """The title of the selected category or subcategory."""

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self.binder = FieldBinder(document, "category", self)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-weight: bold; font-size: 15px;")
        self.title = QLineEdit()
        self.title.setObjectName("categoryTitle")
        self.binder.bind("title", self.title)
        self.info = QLabel()
        self.info.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("名称"), self.title)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(self.info)
        layout.addStretch()

    def show_category(self, node) -> None:
        kind = self.tr("小类") if node.is_subcategory else self.tr("大类")
        self.heading.setText(f"{kind} {node.label}")
        self.binder.load(node.id, node.row)
        self.binder.set_read_only(self.document.read_only)
        self.info.setText(self.tr("共 %1 项问题。序号由软件按顺序自动编排，名称里不用写序号。")
                          .replace("%1", str(len(node.all_problems()))))


class EditorStack(QStackedWidget):
    """Shows the problem editor, the category editor, or a hint when nothing is selected."""

    def __init__(self, document, settings, parent=None):
        super().__init__(parent)
        self.hint = QLabel(self.tr("在左边的台账里选中一个问题或类别，就可以在这里查看和修改。\n"
                                   "修改会自动保存，可以用 Ctrl+Z 撤销。"))
        self.hint.setAlignment(Qt.AlignCenter)
        self.hint.setWordWrap(True)
        self.problem = ProblemEditor(document, settings)
        self.category = CategoryEditor(document)
        for page in (self.hint, self.problem, self.category):
            self.addWidget(page)

    def flush(self) -> None:
        self.problem.binder.flush()
        self.problem.measures.binder.flush()
        self.problem.deadline.commit(ask=False)
        self.category.binder.flush()
