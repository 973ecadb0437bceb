"""The main window: inspections | ledger tree | editor, the menus, and opening ledger files."""

from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QFileDialog, QLabel, QMainWindow, QSplitter, QToolBar,
                               QVBoxLayout, QWidget)

from .. import APP_NAME
from ..store.deferred_check import UNREADABLE
from ..store.errors import LedgerError, LedgerLockedError
from ..store.evidence_files import store_folder
from ..store.connection import needs_upgrade
from ..store.ledger import Ledger, upgrade
from ..store.lock import HEARTBEAT_SECONDS
from .document import LedgerDocument
from .evidence.actions import EvidenceActions
from .help.window import HelpActions
from .ledger.inspection_panel import InspectionPanel
from .ledger.view import LedgerView
from .messages import choose, warn
from .overview.actions import OverviewActions
from .editor.problem_editor import EditorStack
from .report_package.actions import ReportPackageActions
from .safety.actions import SafetyActions
from .screen_fit import place_main_window
from .ledger.structure_actions import StructureActions
from .tasks import Task, on_own_connection, drain
from .tool_actions import ToolActions

LEDGER_FILTER = "督察整改台账 (*.db);;所有文件 (*)"


class MainWindow(QMainWindow):
    def __init__(self, settings, parent=None):
        super().__init__(parent)
        self.settings = settings
        self.document: LedgerDocument | None = None
        self.inspections = InspectionPanel(settings=settings)
        self.ledger_view = LedgerView()
        self.editor_host = QWidget()
        self.editor: EditorStack | None = None
        QVBoxLayout(self.editor_host).setContentsMargins(0, 0, 0, 0)
        self.banner = QLabel()
        self.banner.setObjectName("readOnlyBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #fff4c2; padding: 6px; border-bottom: 1px solid #e0c860;")
        self.banner.hide()

        # Inspections are few: a strip above the ledger leaves the tree its full width.
        self.left_splitter = QSplitter(Qt.Vertical)
        self.left_splitter.setObjectName("ledgerSplitter")
        self.left_splitter.addWidget(self.inspections)
        self.left_splitter.addWidget(self.ledger_view)
        self.left_splitter.setStretchFactor(1, 1)
        self.left_splitter.setSizes([self.inspections.minimumSizeHint().height(), 615])
        self.overview = OverviewActions(self)  # the pages 台账 | 总览 around the ledger
        self.splitter = QSplitter(Qt.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.overview.pages)
        self.splitter.addWidget(self.editor_host)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setSizes([1000, 440])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter)
        self.setCentralWidget(central)

        self.heartbeat = QTimer(self, interval=HEARTBEAT_SECONDS * 1000)
        self.heartbeat.timeout.connect(lambda: self.document and self.document.ledger.heartbeat())
        self.heartbeat.start()
        self.structure = StructureActions(self)
        self.safety = SafetyActions(self)
        self.tools = ToolActions(self)
        self.evidence = EvidenceActions(self)
        self.help = HelpActions(self)
        self.report_packages = ReportPackageActions(self)
        self.tools.apply_settings()
        self.inspections.selected.connect(self._inspection_selected)
        self.ledger_view.current_changed.connect(self._ledger_current_changed)
        self.ledger_view.model.move_requested.connect(self.structure.move_to)
        self._build_menus()
        self._restore_window_state()
        self._update_actions()

    # -- menus -----------------------------------------------------------------------------

    def _action(self, text, slot, shortcut=None, tip=None) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(slot)
        if shortcut:
            action.setShortcuts(shortcut if isinstance(shortcut, list) else [QKeySequence(shortcut)])
        if tip:
            keys = action.shortcut().toString(QKeySequence.NativeText)  # toolbar tips name the key too
            action.setToolTip(f"{tip}（{keys}）" if keys else tip)
            action.setStatusTip(tip)
        return action

    def _build_menus(self) -> None:
        self.new_file_action = self._action(self.tr("新建台账文件…"), self.new_file,
                                            tip=self.tr("新建一个空白的台账文件"))
        self.open_action = self._action(self.tr("打开台账文件…"), self.open_file, QKeySequence.Open,
                                        self.tr("打开另一本台账文件"))
        self.save_copy_action = self._action(self.tr("另存副本…"), self.save_copy,
                                             tip=self.tr("把整个台账另存一份（例如拷到U盘上报）"))
        self.export = None  # ExportFlow, made on first use
        self.importer = None  # ImportFlow, made on first use
        self.import_action = self._action(self.tr("导入 Excel 或整改方案…"), self.start_import, "Ctrl+I",
                                          self.tr("从 Excel 台账或整改方案（Word、文字）导入督察反馈问题"))
        self.export_action = self._action(self.tr("导出 Excel 台账…"), self.start_export, "Ctrl+E",
                                          self.tr("按“N大类M项”清单格式导出上报用的 Excel 台账"))
        self.forms = None  # FormsFlow, made on first use
        self.distribute_action = self._action(
            self.tr("生成填报表…"), lambda: self._forms().start_distribute(),
            tip=self.tr("每个责任单位生成一份只含其问题的 Excel 填报表，发给单位填写本月进展"))
        self.collect_action = self._action(
            self.tr("回收填报表…"), lambda: self._forms().start_collect(),
            tip=self.tr("读入单位报回的填报表，核对后写入本月进展、措施完成情况和整改状态"))
        self.quit_action = self._action(self.tr("退出"), self.close, QKeySequence.Quit)
        self.undo_action = self._action(self.tr("撤销"), self.undo, QKeySequence.Undo,
                                        self.tr("撤回上一步修改"))
        self.redo_action = self._action(self.tr("重做"), self.redo,
                                        [QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")],
                                        self.tr("把刚撤回的修改再做一遍"))
        self.find_action = self._action(self.tr("查找"), self.ledger_view.focus_search, QKeySequence.Find,
                                        self.tr("在台账里搜索问题、目标、措施、单位"))

        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        file_menu.addAction(self.new_file_action)
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu(self.tr("最近打开"))
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addAction(self.save_copy_action)
        file_menu.addSeparator()
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.export_action)
        file_menu.addAction(self.distribute_action)
        file_menu.addAction(self.collect_action)
        file_menu.addAction(self.evidence.export_action)
        file_menu.addAction(self.tools.batch_print_action)
        file_menu.addAction(self.overview.report_action)
        file_menu.addAction(self.overview.rectification_action)
        file_menu.addAction(self.overview.petitions_action)
        file_menu.addSeparator()
        file_menu.addAction(self.report_packages.package_action)
        file_menu.addAction(self.report_packages.merge_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        edit_menu = self.menuBar().addMenu(self.tr("编辑(&E)"))
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        for action in self.structure.actions():
            edit_menu.addAction(action) if action else edit_menu.addSeparator()
        edit_menu.addSeparator()
        edit_menu.addAction(self.tools.progress_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)

        view_menu = self.menuBar().addMenu(self.tr("视图(&V)"))
        view_menu.addAction(self.overview.ledger_action)
        view_menu.addAction(self.overview.overview_action)

        tools_menu = self.menuBar().addMenu(self.tr("工具(&T)"))
        for action in self.safety.actions():
            tools_menu.addAction(action)
        tools_menu.addSeparator()
        for action in self.evidence.tools_actions():
            tools_menu.addAction(action)
        tools_menu.addSeparator()
        tools_menu.addAction(self.tools.accountability_action)
        tools_menu.addSeparator()
        tools_menu.addAction(self.tools.settings_action)

        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        for action in self.help.actions():
            help_menu.addAction(action) if action else help_menu.addSeparator()

        toolbar = QToolBar(self.tr("常用"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        for action in (self.structure.add_category_action, self.structure.add_subcategory_action,
                       self.structure.add_problem_action, self.structure.delete_action, None,
                       self.structure.move_up_action, self.structure.move_down_action, None,
                       self.undo_action, self.redo_action, None, self.import_action, self.export_action):
            toolbar.addAction(action) if action else toolbar.addSeparator()
        self.addToolBar(toolbar)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self.settings.recent_files
        for path in files:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _checked=False, p=path: self.open_path(Path(p)))
        if not files:
            self.recent_menu.addAction(self.tr("（无）")).setEnabled(False)

    def _update_actions(self) -> None:
        has_document = self.document is not None
        editable = has_document and not self.document.read_only
        stack = self.document.undo_stack if has_document else None
        self.undo_action.setEnabled(bool(stack and stack.canUndo()) and editable)
        self.redo_action.setEnabled(bool(stack and stack.canRedo()) and editable)
        self.undo_action.setText(self.tr("撤销") + (f" {stack.undoText()}" if stack and stack.canUndo() else ""))
        self.redo_action.setText(self.tr("重做") + (f" {stack.redoText()}" if stack and stack.canRedo() else ""))
        self.save_copy_action.setEnabled(has_document)
        for action in self.safety.actions():
            action.setEnabled(has_document)
        self.export_action.setEnabled(has_document and bool(self.document.ledger.inspections()))
        self.import_action.setEnabled(editable)
        self.distribute_action.setEnabled(self.export_action.isEnabled())
        self.collect_action.setEnabled(editable)
        self.structure.update_enabled()
        self.tools.update_enabled()
        self.overview.update_enabled()
        self.evidence.update_enabled()
        self.report_packages.update_enabled()

    # -- the open ledger -------------------------------------------------------------------

    def set_ledger(self, ledger: Ledger) -> None:
        """Show a ledger, closing the one shown before."""
        self.close_ledger()
        self.document = LedgerDocument(ledger, self)
        self.document.changed.connect(self._document_changed)
        self.evidence.after_open(self.document)
        self.document.failed.connect(lambda message: warn(self, self.tr("没能保存"), message))
        self.document.undo_stack.indexChanged.connect(lambda _i: self._update_actions())
        self.editor = EditorStack(self.document, self.settings)
        self.editor.problem.follow_up.open_problem.connect(lambda problem_id: self.overview.open_problem(
            problem_id, self.document.ledger.inspection_of("problem", problem_id)))
        self.editor_host.layout().addWidget(self.editor)
        self.banner.setVisible(ledger.read_only)
        self.banner.setText(ledger.read_only_reason or self.tr("此台账以只读方式打开：可以查看，不能修改。"))
        self.settings.last_file = str(ledger.path)
        self.settings.add_recent_file(str(ledger.path))
        self._update_window_title()
        self.inspections.set_document(self.document)
        self._update_actions()
        self.safety.after_open(ledger)
        self.overview.set_document(self.document)

    def start_import(self) -> None:
        from .importing.dialog import ImportFlow  # openpyxl loads when a clerk imports, not at start-up
        if self.importer is None:
            self.importer = ImportFlow(self)
        self.importer.start()

    def _forms(self):
        from .forms.flow import FormsFlow  # openpyxl loads when a clerk needs it, not at start-up
        if self.forms is None:
            self.forms = FormsFlow(self)
        return self.forms

    def start_export(self) -> None:
        from .exporting.dialog import ExportFlow  # openpyxl loads when a clerk exports, not at start-up
        if self.export is None:
            self.export = ExportFlow(self)
        self.export.start()

    def reload_after_restore(self) -> None:
        """The whole file changed under the window: its undo history no longer applies."""
        self.document.reloaded()
        self._update_window_title()

    def close_ledger(self) -> None:
        if self.document is None:
            return
        self.editor.flush()
        # Drain the background work (thumbnails, figures, checks) before its ledger closes.
        self.editor.problem.evidence.thumbnails.shutdown()
        self.safety.stop_checks()
        drain()
        self.editor.setParent(None)
        self.editor.deleteLater()
        self.editor = None
        self.document.close(self.safety.policy())
        self.document.ledger.close()
        self.document.deleteLater()
        self.document = None

    def _update_window_title(self) -> None:
        ledger = self.document.ledger
        title = ledger.title or ledger.path.stem
        read_only = self.tr(" [只读]") if ledger.read_only else ""
        self.setWindowTitle(f"{title} — {ledger.path.name}{read_only} — {APP_NAME}")

    def _inspection_selected(self, inspection_id) -> None:
        if self.editor:
            self.editor.flush()
        self.ledger_view.show_inspection(self.document, inspection_id)
        self._update_actions()

    def _ledger_current_changed(self, key) -> None:
        if self.editor is None:
            return
        node = self.ledger_view.current_node()
        if key is None or node is None:
            self.editor.flush()
            self.editor.setCurrentWidget(self.editor.hint)
        elif key[0] == "problem":
            self.editor.category.binder.flush()
            self.editor.problem.show_problem(node.id, node.number)
            self.editor.setCurrentWidget(self.editor.problem)
        else:
            self.editor.problem.binder.flush()
            self.editor.category.show_category(node)
            self.editor.setCurrentWidget(self.editor.category)
        self.structure.update_enabled()

    def _document_changed(self, changes) -> None:
        """Refresh what a change set touched (store.changes.OpChanges)."""
        live = {key for key in [changes.focus] if key and key not in changes.removed}
        if changes.touches("inspections"):
            focus = changes.focus if changes.focus in live and changes.focus[0] == "inspection" else None
            self.inspections.reload(focus[1] if focus else None)
        shown = self.ledger_view.inspection_id
        if changes.inspections and shown not in changes.inspections and not changes.everything:
            # An undo may touch another inspection: show where it happened.
            alive = [i for i in sorted(changes.inspections) if ("inspection", i) not in changes.removed]
            if alive:
                self.inspections.select(alive[0])
        select = next((key for key in live if key[0] in ("category", "problem")), None)
        measure = next((key for key in live if key[0] == "measure"), None)
        if measure is not None and len(changes.problems) == 1:
            select = ("problem", next(iter(changes.problems)))
        if changes.structure or changes.everything:
            self.ledger_view.reload(select=select)
        else:
            for category_id in changes.categories if changes.touches("categories") else ():
                self.ledger_view.model.update_category(self.document.ledger.row("category", category_id))
            for problem_id in sorted(changes.problems):
                if ("problem", problem_id) not in changes.removed:
                    self.ledger_view.refresh_problem(problem_id)
            if select is None and len(changes.problems) == 1:
                select = ("problem", next(iter(changes.problems)))
            if select is not None:
                self.ledger_view.select(*select)
        if self.editor.problem.problem_id in changes.problems and not changes.structure:
            self.editor.problem.refresh()
        self.editor.problem.measures.on_changed(changes)
        self._update_actions()

    def undo(self) -> None:
        if self.document:
            self.editor.flush()
            self.document.undo()

    def redo(self) -> None:
        if self.document:
            self.editor.flush()
            self.document.redo()

    # -- files -----------------------------------------------------------------------------

    def open_path(self, path: Path) -> bool:
        """Open a ledger file, explaining in Chinese whatever stands in the way.

        SQLite's quick check of every page runs after opening, off the UI thread, and writes
        wait for it (safety.after_open); a file too damaged to read is checked first, as before,
        and the newest good backup offered."""
        if not Path(path).is_file():
            return self.reopen(path, "open")
        try:
            return self.reopen(path, "check_later")
        except UNREADABLE:
            self.close_ledger()
            return self.reopen(path, self.safety.before_open(path))

    def reopen(self, path: Path, decision: str) -> bool:
        """Open path as decided: "open", "read_only", "check_later" (raises UNREADABLE) or "cancel"."""
        if decision == "cancel":
            return False
        if decision != "read_only" and needs_upgrade(path):
            self._upgrade(path)
        try:
            ledger = Ledger.open(path, read_only=decision == "read_only",
                                 check_later=decision == "check_later")
        except LedgerLockedError as e:
            if choose(self, self.tr("台账被占用"), str(e),
                      [self.tr("以只读方式打开"), self.tr("取消")]) != 0:
                return False
            try:
                ledger = Ledger.open(path, read_only=True)
            except LedgerError as again:
                warn(self, self.tr("打不开台账"), str(again))
                return False
        except LedgerError as e:
            if decision == "check_later" and isinstance(e, UNREADABLE):
                raise
            warn(self, self.tr("打不开台账"), str(e))
            if not Path(path).exists():
                self.settings.remove_recent_file(str(path))
            return False
        try:
            self.set_ledger(ledger)
        except UNREADABLE:  # read into the window unchecked, and it would not read
            if self.document is None or self.document.ledger is not ledger:
                ledger.close()
            raise
        if ledger.read_only_reason:
            warn(self, self.tr("只读打开"), ledger.read_only_reason)
        return True

    def _upgrade(self, path: Path) -> None:
        """A ledger of an older version is upgraded before it opens, off the UI thread and with a
        progress dialog: a backup, then every row digested, seconds for a county's ledger. Should
        it fail, opening tries again and says why."""
        task = Task(self, self.tr("正在升级台账"), lambda: upgrade(path))
        task.dialog.setCancelButton(None)  # one transaction: it is upgraded whole or not at all
        waiting = QEventLoop()
        for signal in (task.done, task.failed, task.cancelled):
            signal.connect(waiting.quit)
        task.start()
        waiting.exec()

    def _ask_path(self, title: str, save: bool) -> Path | None:
        folder = str(self.document.ledger.path.parent) if self.document else ""
        dialog = QFileDialog.getSaveFileName if save else QFileDialog.getOpenFileName
        path, _ = dialog(self, title, folder, LEDGER_FILTER)
        if not path:
            return None
        path = Path(path)
        return path.with_suffix(".db") if save and not path.suffix else path

    def open_file(self) -> None:
        path = self._ask_path(self.tr("打开台账文件"), save=False)
        if path:
            self.open_path(path)

    def new_file(self) -> None:
        path = self._ask_path(self.tr("新建台账文件"), save=True)
        if not path:
            return
        if self.document and path.resolve() == self.document.ledger.path.resolve():
            warn(self, self.tr("不能覆盖"), self.tr("这是正在使用的台账文件，请换一个文件名。"))
            return
        try:
            if path.exists():  # the save dialog already asked whether to replace it
                path.unlink()
            ledger = Ledger.create(path)
            ledger.set_title(path.stem)
        except (OSError, LedgerError) as e:
            warn(self, self.tr("没能新建台账"), self.tr("没能在“%1”新建台账：%2").replace(
                "%1", str(path)).replace("%2", str(e)))
            return
        self.set_ledger(ledger)

    def save_copy(self) -> None:
        path = self._ask_path(self.tr("另存副本"), save=True)
        if not path:
            return
        if path.resolve() == self.document.ledger.path.resolve():
            warn(self, self.tr("不能覆盖"), self.tr("副本不能和正在使用的台账同名，请换一个文件名。"))
            return
        self.editor.flush()
        # The evidence files go with the copy: hundreds of MB, so off the UI thread.
        task = Task(self, self.tr("正在另存副本…"), on_own_connection(
            self.document.ledger.path, lambda ledger: ledger.save_copy_steps(path)))
        task.done.connect(lambda _path: self.statusBar().showMessage(
            self.tr("副本已保存到 %1（佐证材料在旁边的“%2”文件夹）").replace("%1", str(path))
            .replace("%2", store_folder(path).name), 15000))
        task.failed.connect(lambda message: warn(
            self, self.tr("没能另存副本"),
            self.tr("没能把副本写到“%1”：%2\n原台账没有受影响。").replace("%1", str(path)).replace("%2", message)))
        self._copy_task = task.start()

    # -- window state ----------------------------------------------------------------------

    def _restore_window_state(self) -> None:
        place_main_window(self, self.settings.window_geometry)
        for name, splitter in (("main", self.splitter), ("ledger", self.left_splitter)):
            state = self.settings.splitter_state(name)
            if state is not None:
                splitter.restoreState(state)
        header = self.settings.ledger_header_state
        if header is not None:
            self.ledger_view.restore_header(header)

    def closeEvent(self, event) -> None:
        self.settings.window_geometry = self.saveGeometry()
        self.settings.set_splitter_state("main", self.splitter.saveState())
        self.settings.set_splitter_state("ledger", self.left_splitter.saveState())
        self.settings.ledger_header_state = self.ledger_view.tree.header().saveState()
        self.close_ledger()
        self.settings.sync()
        super().closeEvent(event)

