"""佐证材料 of the problem in the editor: thumbnails (or a details table), attach by button, drop
or paste, preview, open, change and remove; every change undoable through the document."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QComboBox, QDialog,
                               QHBoxLayout, QLabel, QMenu, QStackedWidget, QToolButton, QVBoxLayout,
                               QWidget)

from ...store import evidence
from .attach import AttachFlow, dropped_paths, pasted_paths
from .dialogs import EvidenceDialog
from .model import ROW_ROLE, WHOLE_PROBLEM, EvidenceModel, IconProxy, MeasureFilter, measure_label
from .preview import PreviewDialog, open_with_system
from .thumbnails import ThumbnailCache
from .views import GRID, details_table, icon_grid, select_ids
from ..messages import confirm

SHOWN_GRID_ROWS = 2  # then the panel scrolls inside itself, the editor's form stays short


class EvidencePanel(QWidget):
    def __init__(self, document, settings, parent=None):
        super().__init__(parent)
        self.document, self.settings = document, settings
        self.problem_id: int | None = None
        self.thumbnails = ThumbnailCache()  # no Qt parent: outlives the panel while jobs finish
        self.model = EvidenceModel(self.thumbnails, self)
        self.model.edit_requested.connect(lambda evidence_id, fields: document.edit_evidence(evidence_id, **fields))
        self.filter = MeasureFilter(self)
        self.filter.setSourceModel(self.model)
        self.icons = IconProxy(self)
        self.icons.setSourceModel(self.filter)
        self.flow = AttachFlow(self, document, settings)
        self.flow.attached.connect(self._attached)
        document.changed.connect(self._document_changed)

        self.grid = icon_grid(self.icons, self)
        self.table = details_table(self.filter, self)
        for view in (self.grid, self.table):
            view.doubleClicked.connect(lambda _index: self.open_current())
            view.setContextMenuPolicy(Qt.CustomContextMenu)
            view.customContextMenuRequested.connect(self._context_menu)
            view.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.empty = QLabel(self.tr("还没有佐证材料。\n点“添加”，或把文件、文件夹拖到这里；截图后可按 Ctrl+V 粘贴。"))
        self.empty.setObjectName("evidenceEmpty")
        self.empty.setAlignment(Qt.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("#evidenceEmpty { color: #666; border: 1px dashed #aab; border-radius: 4px; }")
        self.stack = QStackedWidget()
        for page in (self.empty, self.grid, self.table):
            self.stack.addWidget(page)

        self._build_actions()
        self.measure_filter = QComboBox()
        self.measure_filter.setToolTip(self.tr("只看问题本身的材料，或某一条整改措施的材料"))
        self.measure_filter.currentIndexChanged.connect(self._filter_changed)
        self.details = QToolButton()
        self.details.setText(self.tr("列表"))
        self.details.setCheckable(True)
        self.details.setToolTip(self.tr("在缩略图和列表（名称、说明、类型、日期、措施、添加人）之间切换"))
        self.details.toggled.connect(lambda _on: self._show_page())
        self.count = QLabel()
        self.count.setStyleSheet("color: #555;")
        add = QToolButton()
        add.setDefaultAction(self.add_files_action)
        add.setPopupMode(QToolButton.MenuButtonPopup)
        menu = QMenu(add)
        menu.addActions([self.add_files_action, self.add_folder_action, self.paste_action])
        add.setMenu(menu)
        top = QHBoxLayout()
        top.addWidget(add)
        for action in (self.preview_action, self.open_action, self.edit_action, self.delete_action):
            button = QToolButton()
            button.setDefaultAction(action)
            top.addWidget(button)
        top.addStretch()
        bottom = QHBoxLayout()
        bottom.addWidget(self.count)
        bottom.addStretch()
        bottom.addWidget(self.measure_filter)
        bottom.addWidget(self.details)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.stack)
        layout.addLayout(bottom)
        self.setAcceptDrops(True)
        self._update_actions()

    def _build_actions(self) -> None:
        def action(text, slot, shortcut=None, tip=None):
            made = QAction(text, self)
            made.triggered.connect(slot)
            if shortcut:
                made.setShortcuts(shortcut if isinstance(shortcut, list) else [QKeySequence(shortcut)])
                made.setShortcutContext(Qt.WidgetWithChildrenShortcut)
                self.addAction(made)
            if tip:
                made.setToolTip(tip)
            return made
        self.add_files_action = action(self.tr("添加…"), self.add_files, tip=self.tr(
            "选择要添加的文件（可多选）；也可以把文件或文件夹直接拖到这里"))
        self.add_folder_action = action(self.tr("添加文件夹…"), self.add_folder,
                                        tip=self.tr("添加一个文件夹里的全部文件（含下级文件夹）"))
        self.paste_action = action(self.tr("粘贴（Ctrl+V）"), self.paste, QKeySequence.Paste,
                                   self.tr("粘贴截图或复制的文件"))
        self.preview_action = action(self.tr("预览"), self.preview_current,
                                     [QKeySequence(Qt.Key_Space), QKeySequence(Qt.Key_Return)],
                                     self.tr("在软件里查看照片和 PDF（空格键）"))
        self.open_action = action(self.tr("打开"), self.open_current, tip=self.tr(
            "用电脑上的程序打开（双击也可以）；打开的是副本，改动不会影响存档"))
        self.edit_action = action(self.tr("修改…"), self.edit_current,
                                  tip=self.tr("修改说明、类型、日期和所属措施"))
        self.delete_action = action(self.tr("删除"), self.remove_selected, QKeySequence.Delete,
                                    self.tr("移到回收站（Delete 键）；可撤销，也可在回收站里恢复"))

    # -- contents ----------------------------------------------------------------------------

    @property
    def view(self) -> QAbstractItemView:
        return self.table if self.details.isChecked() else self.grid

    def show_problem(self, problem_id: int | None) -> None:
        if problem_id != self.problem_id:
            self.thumbnails.forget_queued()
            self.problem_id = problem_id
            self.measure_filter.setCurrentIndex(0)
        self.reload()

    def reload(self, select: list[int] | None = None) -> None:
        keep = select if select is not None else self.selected_ids()
        ledger = self.document.ledger
        rows = evidence.evidence_for(ledger, self.problem_id) if self.problem_id else []
        measures = ledger.measures(self.problem_id) if self.problem_id else []
        self.model.set_rows(evidence.evidence_store(ledger), rows, measures, not self.document.read_only)
        self._fill_measure_filter(rows, measures)
        self.count.setText(self.tr("共 %1 个").replace("%1", str(len(rows))) if rows else "")
        self._show_page()
        self.select_ids(keep)
        self._update_actions()

    def _fill_measure_filter(self, rows: list[dict], measures: list[dict]) -> None:
        current = self.measure_filter.currentData()
        combo = self.measure_filter
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(self.tr("全部材料"), None)
        combo.addItem(self.tr("问题本身（%1）").replace("%1", str(sum(r["measure_id"] is None for r in rows))),
                      WHOLE_PROBLEM)
        for number, measure in enumerate(measures, 1):
            count = sum(r["measure_id"] == measure["id"] for r in rows)
            combo.addItem(f"{measure_label(number)}（{count}）", measure["id"])
            combo.setItemData(combo.count() - 1, measure["text"], Qt.ToolTipRole)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)
        combo.setVisible(bool(rows))
        self.filter.set_measure(combo.currentData())

    def _filter_changed(self) -> None:
        self.filter.set_measure(self.measure_filter.currentData())
        self._show_page()

    def _show_page(self) -> None:
        self.details.setVisible(self.model.rowCount() > 0)
        if self.model.rowCount() == 0:
            self.stack.setCurrentWidget(self.empty)
            self.stack.setFixedHeight(76)
            return
        self.stack.setCurrentWidget(self.view)
        if self.view is self.grid:
            self.stack.setFixedHeight(GRID.height() * SHOWN_GRID_ROWS + 12)
        else:
            rows = min(max(self.filter.rowCount(), 3), 8)
            self.stack.setFixedHeight(self.table.horizontalHeader().sizeHint().height() + 4
                                      + rows * self.table.verticalHeader().defaultSectionSize())

    def _document_changed(self, changes) -> None:
        if self.problem_id is None or ("problem", self.problem_id) in changes.removed:
            return
        # Measures renumbered or deleted change the 措施 labels; their texts typed do not.
        if ((changes.touches("evidence") and self.problem_id in changes.problems)
                or (changes.touches("measures") and changes.structure)):
            self.reload()

    # -- selection ---------------------------------------------------------------------------

    def selected_rows(self) -> list[dict]:
        selection = self.view.selectionModel().selectedRows()
        return [index.data(ROW_ROLE) for index in sorted(selection, key=lambda i: i.row())]

    def selected_ids(self) -> list[int]:
        return [row["id"] for row in self.selected_rows()]

    def current_row(self) -> dict | None:
        index = self.view.currentIndex()
        if index.isValid() and self.view.selectionModel().isSelected(index):
            return index.data(ROW_ROLE)
        rows = self.selected_rows()
        return rows[0] if rows else None

    def select_ids(self, ids: list[int]) -> None:
        for view in (self.grid, self.table):
            select_ids(view, ids)
        self._update_actions()

    def _update_actions(self) -> None:
        editable = self.problem_id is not None and not self.document.read_only
        selected = self.problem_id is not None and bool(self.selected_ids())
        for action in (self.add_files_action, self.add_folder_action, self.paste_action):
            action.setEnabled(editable)
        self.preview_action.setEnabled(selected)
        self.open_action.setEnabled(selected)
        self.edit_action.setEnabled(editable and selected)
        self.delete_action.setEnabled(editable and selected)

    # -- attaching -----------------------------------------------------------------------------

    def _target_measure(self) -> int | None:
        measure = self.measure_filter.currentData()
        return None if measure in (None, WHOLE_PROBLEM) else measure

    def attach(self, paths) -> bool:
        if self.problem_id is None or not paths:
            return False
        return self.flow.attach(self.problem_id, paths, self._target_measure())

    def add_files(self) -> None:
        self.attach(self.flow.choose_files())

    def add_folder(self) -> None:
        self.attach(self.flow.choose_folder())

    def paste(self) -> None:
        paths = pasted_paths(QApplication.clipboard().mimeData())
        if paths:
            self.attach(paths)
        else:
            self.window().statusBar().showMessage(self.tr("剪贴板里没有图片或文件。"), 5000)

    def _attached(self, problem_id: int, ids: list[int]) -> None:
        if problem_id == self.problem_id:
            self.reload(select=ids)

    def dragEnterEvent(self, event) -> None:
        if self.problem_id is not None and not self.document.read_only and dropped_paths(event.mimeData()):
            event.setDropAction(Qt.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        paths = dropped_paths(event.mimeData())
        if not paths:
            return
        event.setDropAction(Qt.CopyAction)
        event.accept()
        self.attach(paths)

    # -- looking, changing, removing -----------------------------------------------------------

    def preview_current(self) -> None:
        row = self.current_row()
        if row is None:
            return
        model = self.view.model()
        rows = [model.index(r, 0).data(ROW_ROLE) for r in range(model.rowCount())]
        dialog = PreviewDialog(self.window(), self.document.ledger, rows, rows.index(row))
        dialog.exec()
        dialog.deleteLater()

    def open_current(self) -> None:
        row = self.current_row()
        if row is not None:
            open_with_system(self, self.document.ledger, row)

    def edit_current(self) -> None:
        row = self.current_row()
        if row is None or self.document.read_only:
            return
        ledger = self.document.ledger
        dialog = EvidenceDialog(self, row, evidence.evidence_kinds(ledger), ledger.measures(self.problem_id))
        if dialog.exec() == QDialog.Accepted and dialog.changes():
            self.document.edit_evidence(row["id"], **dialog.changes())
        dialog.deleteLater()

    def remove_selected(self) -> None:
        rows = self.selected_rows()
        if not rows or self.document.read_only:
            return
        names = "、".join(r["display_name"] for r in rows[:5]) + (self.tr(" 等") if len(rows) > 5 else "")
        if confirm(self, self.tr("删除佐证材料"),
                   self.tr("把这 %1 个佐证材料移到回收站吗？\n%2\n\n可以按 Ctrl+Z 撤销，或在“工具 → 佐证材料回收站”里恢复。")
                   .replace("%1", str(len(rows))).replace("%2", names)):
            self.document.recycle_evidence([r["id"] for r in rows], live=False)

    def _context_menu(self, position) -> None:
        menu = QMenu(self)
        menu.addActions([self.preview_action, self.open_action, self.edit_action, self.delete_action])
        menu.addSeparator()
        menu.addActions([self.add_files_action, self.add_folder_action, self.paste_action])
        menu.exec(self.view.viewport().mapToGlobal(position))
