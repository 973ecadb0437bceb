"""The list of inspections (督察批次) in the ledger, with add, edit and delete."""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QHBoxLayout, QHeaderView,
                               QLabel, QPushButton, QTableView, QVBoxLayout, QWidget)

from .inspection_dialog import InspectionDialog
from ..messages import confirm
from .table_models import InspectionsModel


CONTENTS_PRECISION_ROWS = 30


class InspectionPanel(QWidget):
    selected = Signal(object)  # inspection id or None

    def __init__(self, parent=None, settings=None):
        super().__init__(parent)
        self.settings = settings  # its 单位名称 is the 所属单位 of new inspections
        self.document = None
        self._shown = None  # the inspection id last announced through `selected`
        self.model = InspectionsModel(self)
        self.view = QTableView()
        self.view.setObjectName("inspectionsView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeToContents)
        # 督察类型 and 反馈日期 are as wide in every row: sizing them from the first rows spares a
        # county ledger's 200 inspections being measured cell by cell at every show (0.5 s).
        header.setResizeContentsPrecision(CONTENTS_PRECISION_ROWS)
        header.resizeSection(3, 160)
        # Four whole rows, not three and a half: most ledgers hold one to four inspections.
        self.view.setMinimumHeight(header.sizeHint().height() + 4 * self.view.verticalHeader().defaultSectionSize()
                                   + 2 * self.view.frameWidth())
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.view.doubleClicked.connect(lambda _index: self.edit_current())
        self.add_button = QPushButton(self.tr("新增"))
        self.edit_button = QPushButton(self.tr("编辑"))
        self.delete_button = QPushButton(self.tr("删除"))
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit_current)
        self.delete_button.clicked.connect(self.delete_current)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch()
        title = QLabel(self.tr("督察批次"))
        title.setStyleSheet("font-weight: bold;")
        # Shown only when the ledger holds several orgs' problems (a county's 汇总 ledger).
        self.org_filter = QComboBox()
        self.org_filter.setObjectName("orgFilter")
        self.org_filter.hide()
        self.org_filter.currentIndexChanged.connect(lambda _i: self.reload())
        heading = QHBoxLayout()
        heading.addWidget(title)
        heading.addStretch()
        heading.addWidget(self.org_filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(heading)
        layout.addWidget(self.view)
        layout.addLayout(buttons)

    def set_document(self, document) -> None:
        self.document = document
        self._shown = ...  # nothing shown yet for this document
        self.reload()

    def current_id(self) -> int | None:
        row = self.view.currentIndex().row()
        return self.model.rows[row]["id"] if 0 <= row < len(self.model.rows) else None

    def select(self, inspection_id: int) -> None:
        row = self.model.row_of(inspection_id)
        if row >= 0 and inspection_id != self.current_id():
            self.view.selectRow(row)

    def reload(self, select_id: int | None = None) -> None:
        keep = select_id if select_id is not None else self.current_id()
        old_row = self.view.currentIndex().row()
        selection = self.view.selectionModel()
        selection.blockSignals(True)  # one `selected` at the end, not one per step
        self.model.set_rows(self._filtered(self.document.ledger.inspections() if self.document else []))
        row = self.model.row_of(keep) if keep is not None else -1
        if row < 0 and self.model.rows:
            row = min(max(old_row, 0), len(self.model.rows) - 1)
        if row >= 0:
            self.view.selectRow(row)
        selection.blockSignals(False)
        self.view.viewport().update()
        self._announce()
        self._update_buttons()

    def _filtered(self, rows: list[dict]) -> list[dict]:
        """The inspections of the org chosen in the 乡镇/单位 filter (all when there is one org)."""
        orgs = list(dict.fromkeys(row["org"] for row in rows))
        chosen = self.org_filter.currentData()
        self.org_filter.blockSignals(True)
        self.org_filter.clear()
        self.org_filter.addItem(self.tr("全部乡镇/单位"), None)
        for org in orgs:
            self.org_filter.addItem(org or self.tr("（未填写单位）"), org)
        index = self.org_filter.findData(chosen) if chosen is not None else 0
        self.org_filter.setCurrentIndex(max(index, 0))
        self.org_filter.blockSignals(False)
        self.org_filter.setVisible(len(orgs) > 1)
        self.model.set_merged(len(orgs) > 1)
        chosen = self.org_filter.currentData()
        return rows if chosen is None else [row for row in rows if row["org"] == chosen]

    def _announce(self) -> None:
        """Tell the window which inspection to show, when that changed."""
        current = self.current_id()
        if current != self._shown or current is None:
            self._shown = current
            self.selected.emit(current)

    def _current_changed(self, current, _previous) -> None:
        self._update_buttons()
        self._announce()

    def _update_buttons(self) -> None:
        editable = self.document is not None and not self.document.read_only
        has_current = self.current_id() is not None
        self.add_button.setEnabled(editable)
        self.edit_button.setEnabled(editable and has_current)
        self.delete_button.setEnabled(editable and has_current)

    def add(self) -> None:
        dialog = InspectionDialog(self)
        if self.settings is not None:
            dialog.org.setText(self.settings.org_name)
        if dialog.exec() == QDialog.Accepted:
            new_id = self.document.add_inspection(**dialog.values())
            if new_id is not None:
                self.reload(new_id)

    def edit_current(self) -> None:
        inspection_id = self.current_id()
        if inspection_id is None or self.document.read_only:
            return
        dialog = InspectionDialog(self, self.document.ledger.row("inspection", inspection_id))
        if dialog.exec() == QDialog.Accepted:
            self.document.edit("inspection", inspection_id, **dialog.values())

    def delete_current(self) -> None:
        inspection_id = self.current_id()
        if inspection_id is None:
            return
        row = self.document.ledger.row("inspection", inspection_id)
        problems = len(self.document.ledger.tree(inspection_id).problems)
        question = self.tr("删除督察批次“%1”及其中的全部 %2 项问题？\n删除后可以用“撤销”（Ctrl+Z）恢复。")
        if confirm(self, self.tr("删除督察批次"),
                   question.replace("%1", row["name"]).replace("%2", str(problems))):
            self.document.delete("inspection", inspection_id)
