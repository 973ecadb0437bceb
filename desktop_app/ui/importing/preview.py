"""The import preview: the tree an import will create, its column mapping, warnings, and the target."""

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QButtonGroup, QComboBox, QDialog, QDialogButtonBox,
                               QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QListWidget, QRadioButton, QSplitter, QTableWidget, QTableWidgetItem,
                               QTabWidget, QTextBrowser, QTreeWidget, QTreeWidgetItem, QVBoxLayout)

from ...domain.numbering import category_label, subcategory_label
from ...domain.vocabulary import InspectionKind
from ...formats.importing.apply import inspection_kind, inspection_name
from ...formats.importing.plan import IMPORT_FIELDS, PROBLEM_FIELDS, ImportPlan, PlanProblem
from ..signoff.parts import CONTACT_LABELS

LAYOUTS = {  # translated where shown (PreviewDialog.tr)
    "rows": QT_TRANSLATE_NOOP("PreviewDialog", "大类、小类单独成行（一、（一）……）"),
    "column": QT_TRANSLATE_NOOP("PreviewDialog", "有“问题类别”列"),
    "text": QT_TRANSLATE_NOOP("PreviewDialog", "整改方案文字（一、（一）1.……）"),
}
NOT_IMPORTED = QT_TRANSLATE_NOOP("PreviewDialog", "（不导入）")
# A 公示 page's footer, field by field (PlanPublicity), in the words the 销号 dialog uses for them.
PUBLICITY_PERIOD = QT_TRANSLATE_NOOP("PreviewDialog", "公示时间")
PUBLICITY_ISSUED_ON = QT_TRANSLATE_NOOP("PreviewDialog", "落款日期")
COLUMN_HEADER, COLUMN_FIELD = 0, 1  # the mapping table's columns
TAB_COLUMNS, TAB_UNMAPPED, TAB_WARNINGS, TAB_NOT_IMPORTED, TAB_PUBLICITY = range(5)
TREE_NUMBER, TREE_TEXT, TREE_UNIT, TREE_DEADLINE = 0, 1, 2, 3


class PreviewDialog(QDialog):
    """Shows an ImportPlan; mapping_changed asks the flow to read the file again with a new mapping."""

    mapping_changed = Signal(object)  # {source_index: field or None}

    def __init__(self, parent, plan: ImportPlan, inspections: list[dict], current_id: int | None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("导入预览"))
        self.plan = plan
        self.heading = QLabel()
        self.heading.setObjectName("importSummary")
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("序号"), self.tr("反馈问题"), self.tr("责任单位"), self.tr("整改时限")])
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(TREE_TEXT, QHeaderView.Stretch)
        for column, width in ((TREE_NUMBER, 110), (TREE_UNIT, 150), (TREE_DEADLINE, 140)):
            header.setSectionResizeMode(column, QHeaderView.Interactive)
            header.resizeSection(column, width)

        self.columns = QTableWidget(0, 2)
        self.columns.setHorizontalHeaderLabels([self.tr("表格中的列"), self.tr("导入为")])
        self.columns.horizontalHeader().setSectionResizeMode(COLUMN_HEADER, QHeaderView.Stretch)
        self.columns.horizontalHeader().setSectionResizeMode(COLUMN_FIELD, QHeaderView.ResizeToContents)
        self.columns.verticalHeader().setVisible(False)
        self.columns.setSelectionMode(QAbstractItemView.NoSelection)
        self.unmapped = QListWidget()
        self.warnings = QListWidget()
        self.warnings.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.columns, self.tr("列对应"))
        self.tabs.addTab(self.unmapped, self.tr("不导入的列"))
        self.tabs.addTab(self.warnings, self.tr("提醒"))
        # Lines of a text that no field took, each with its line and reason: nothing goes unseen.
        self.not_imported = QListWidget()
        self.not_imported.setWordWrap(True)
        self.tabs.addTab(self.not_imported, self.tr("未导入"))
        self.publicity = QTextBrowser()
        self.tabs.addTab(self.publicity, self.tr("公示信息"))

        # The tree shows one line per problem; the one selected is shown whole below it.
        self.detail = QTextBrowser()
        self.detail.setPlaceholderText(self.tr("点选一项问题，在这里查看它将导入的全部内容"))
        self.tree.currentItemChanged.connect(lambda item, _previous: self._show_detail(item))
        left = QSplitter(Qt.Vertical)
        left.addWidget(self.tree)
        left.addWidget(self.detail)
        left.setSizes([420, 160])
        splitter = QSplitter(Qt.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([780, 460])

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(splitter, 1)
        layout.addWidget(self._target_box(plan, inspections, current_id))
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.import_button = buttons.button(QDialogButtonBox.Ok)
        self.import_button.setText(self.tr("导入"))
        buttons.button(QDialogButtonBox.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(1280, 780)
        self.set_plan(plan)

    def _target_box(self, plan: ImportPlan, inspections: list[dict], current_id) -> QGroupBox:
        box = QGroupBox(self.tr("导入到"))
        self.to_new = QRadioButton(self.tr("新建督察批次"))
        self.to_existing = QRadioButton(self.tr("已有的督察批次（同名的大类、小类合并）"))
        group = QButtonGroup(box)
        group.addButton(self.to_new)
        group.addButton(self.to_existing)
        self.name = QLineEdit(inspection_name(plan))
        self.name.setMinimumWidth(420)
        self.kind = QComboBox()
        for kind in InspectionKind:
            self.kind.addItem(kind.value, kind.value)
        self.kind.setCurrentIndex(self.kind.findData(inspection_kind(self.name.text()).value))
        self.existing = QComboBox()
        self.existing.setMinimumWidth(420)
        for row in inspections:
            self.existing.addItem(row["name"], row["id"])
        if current_id is not None:
            self.existing.setCurrentIndex(max(0, self.existing.findData(current_id)))
        self.to_existing.setEnabled(bool(inspections))
        self.to_new.setChecked(True)
        self.to_new.toggled.connect(self._target_changed)

        new_row = QHBoxLayout()
        new_row.addWidget(self.to_new)
        new_row.addWidget(QLabel(self.tr("名称")))
        new_row.addWidget(self.name, 1)
        new_row.addWidget(QLabel(self.tr("督察类型")))
        new_row.addWidget(self.kind)
        existing_row = QHBoxLayout()
        existing_row.addWidget(self.to_existing)
        existing_row.addWidget(self.existing, 1)
        column = QVBoxLayout(box)
        column.addLayout(new_row)
        column.addLayout(existing_row)
        self._target_changed()
        return box

    def _target_changed(self) -> None:
        new = self.to_new.isChecked()
        self.name.setEnabled(new)
        self.kind.setEnabled(new)
        self.existing.setEnabled(not new)

    # -- showing a plan --------------------------------------------------------------------

    def set_plan(self, plan: ImportPlan) -> None:
        self.plan = plan
        self.setEnabled(True)
        where = plan.source + (self.tr("（工作表“%1”）").replace("%1", plan.sheet) if plan.sheet else "")
        text = self.tr("<b>将导入 %1</b>（%2 条整改措施）　来源：%3　格式：%4").replace(
            "%1", plan.summary).replace("%2", str(plan.measure_count)).replace(
            "%3", where).replace("%4", self.tr(LAYOUTS.get(plan.layout, plan.layout)))
        if plan.title:
            text += self.tr("<br>标题：%1").replace("%1", plan.title)
        if plan.warnings:
            text += self.tr("<br><span style='color:#a05a00'>有 %1 处需要核对，见右侧“提醒”。</span>").replace(
                "%1", str(len(plan.warnings)))
        if plan.not_imported:
            text += self.tr("<br>原文有 %1 行没有导入（网页杂项、正文前后、公示信息等），见右侧“未导入”。").replace(
                "%1", str(len(plan.not_imported)))
        self.heading.setText(text)
        self._fill_tree(plan)
        self._fill_columns(plan)
        self.unmapped.clear()
        self.unmapped.addItems([self._column_name(c.source_index, c.source_header or self.tr("（无表头）"))
                                for c in plan.unmapped_columns])
        self.warnings.clear()
        self.warnings.addItems([str(w) for w in plan.warnings])
        self.not_imported.clear()
        self.not_imported.addItems([self.tr("第%1行（%2）：%3").replace("%1", str(n.line)).replace(
            "%2", n.why).replace("%3", n.text) for n in plan.not_imported])
        self.publicity.setPlainText(self._publicity_text(plan))
        has_columns = bool(plan.columns)
        self.tabs.setTabVisible(TAB_COLUMNS, has_columns)
        self.tabs.setTabVisible(TAB_UNMAPPED, has_columns)
        self.tabs.setTabText(TAB_WARNINGS, self.tr("提醒（%1）").replace("%1", str(len(plan.warnings))))
        self.tabs.setTabVisible(TAB_NOT_IMPORTED, plan.layout == "text")
        self.tabs.setTabText(TAB_NOT_IMPORTED, self.tr("未导入（%1）").replace("%1", str(len(plan.not_imported))))
        self.tabs.setTabVisible(TAB_PUBLICITY, plan.publicity is not None)
        self.import_button.setEnabled(plan.problem_count > 0)

    def _publicity_text(self, plan: ImportPlan) -> str:
        """The 公示 page's footer, kept out of the problem: for the clerk to fill in at 申请销号."""
        if plan.publicity is None:
            return ""
        values = plan.publicity.as_dict()
        labels = [("period", self.tr(PUBLICITY_PERIOD))] + [
            (key, QCoreApplication.translate("ContactsBox", label)) for key, label in CONTACT_LABELS] + [
            ("issued_on", self.tr(PUBLICITY_ISSUED_ON))]
        lines = [f"{label}：{values[key]}" for key, label in labels if key in values]
        lines.append(self.tr("这些是公示页末尾的公示信息，没有写进问题内容，也不会写入台账；"
                             "申请销号、填写公示时可以照此填写。"))
        return "\n".join(lines)

    def _fill_tree(self, plan: ImportPlan) -> None:
        self.tree.clear()
        self.detail.clear()
        self._problems = plan.problems()
        number = 0

        def add_problems(parent, problems):
            nonlocal number
            for problem in problems:
                number += 1
                item = QTreeWidgetItem(parent, [str(number), problem.description, problem.lead_unit,
                                                problem.deadline_text])
                item.setToolTip(TREE_TEXT, problem.description)
                item.setData(TREE_NUMBER, Qt.UserRole, number)
                for measure in problem.measures:
                    QTreeWidgetItem(item, ["", self.tr("措施：") + measure.text])

        for c, category in enumerate(plan.categories):
            top = QTreeWidgetItem(self.tree, [category_label(c + 1), category.title])
            top.setFirstColumnSpanned(False)
            bold = top.font(TREE_TEXT)
            bold.setBold(True)
            top.setFont(TREE_NUMBER, bold)
            top.setFont(TREE_TEXT, bold)
            add_problems(top, category.problems)
            for s, child in enumerate(category.children):
                sub = QTreeWidgetItem(top, [subcategory_label(s + 1), child.title])
                add_problems(sub, child.problems)
                sub.setExpanded(True)
            top.setExpanded(True)

    def _show_detail(self, item) -> None:
        number = item.data(TREE_NUMBER, Qt.UserRole) if item else None
        if item and number is None and item.parent():  # a measure: show its problem
            number = item.parent().data(TREE_NUMBER, Qt.UserRole)
        if number is None:
            self.detail.clear()
            return
        self.detail.setPlainText(self._problem_text(number, self._problems[number - 1]))

    def _column_name(self, source_index: int, header: str) -> str:
        return self.tr("第 %1 列").replace("%1", str(source_index + 1)) + "　" + header

    def _fill_columns(self, plan: ImportPlan) -> None:
        self.columns.setRowCount(len(plan.columns))
        for row, column in enumerate(plan.columns):
            header = QTableWidgetItem(self._column_name(column.source_index, column.source_header))
            header.setFlags(Qt.ItemIsEnabled)
            self.columns.setItem(row, COLUMN_HEADER, header)
            combo = QComboBox()
            combo.addItem(self.tr(NOT_IMPORTED), None)
            for key, label in IMPORT_FIELDS.items():
                combo.addItem(label, key)
            combo.setCurrentIndex(max(0, combo.findData(column.field)) if column.field else 0)
            combo.currentIndexChanged.connect(
                lambda _i, index=column.source_index, box=combo: self._mapping_chosen(index, box.currentData()))
            self.columns.setCellWidget(row, COLUMN_FIELD, combo)
        self.columns.resizeColumnToContents(COLUMN_FIELD)

    def combo_for(self, source_index: int) -> QComboBox | None:
        for row, column in enumerate(self.plan.columns):
            if column.source_index == source_index:
                return self.columns.cellWidget(row, COLUMN_FIELD)
        return None

    def _mapping_chosen(self, source_index: int, field) -> None:
        mapping = self.plan.mapping()
        mapping[source_index] = field
        self.setEnabled(False)  # until the file is read again with this mapping
        self.mapping_changed.emit(mapping)

    # -- the choice ------------------------------------------------------------------------

    def _problem_text(self, number: int, problem: PlanProblem) -> str:
        """A problem as it will be imported, field by field in the ledger's words."""
        lines = [f"{number}. {problem.description}"]
        if problem.row_number:
            lines[0] += "　" + self.tr("（原文第 %1 行）").replace("%1", str(problem.row_number))
        for name in PROBLEM_FIELDS:
            value = getattr(problem, name)
            if name != "description" and value:
                lines.append(f"{IMPORT_FIELDS[name]}：{value}")
        for i, measure in enumerate(problem.measures, 1):
            line = self.tr("整改措施%1：").replace("%1", str(i)) + measure.text
            if measure.completion:
                line += self.tr("（完成情况：%1）").replace("%1", measure.completion)
            lines.append(line)
        return "\n".join(lines)

    def target(self) -> tuple[int | None, dict | None]:
        """(inspection_id, None) for an existing inspection, (None, fields) for a new one."""
        if self.to_existing.isChecked():
            return self.existing.currentData(), None
        return None, {"name": self.name.text().strip(), "kind": self.kind.currentData()}
