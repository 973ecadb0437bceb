"""生成填报表… and 回收填报表…: the monthly loop from the window (the same code as `forms`/`collect`)."""

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QHeaderView,
                               QLabel, QPlainTextEdit, QPushButton, QTableView, QVBoxLayout)

from ...jobs import Step
from ...store.collect import apply_collect, plan_collect, plan_update_from_export, workbook_paths
from ...store.forms import distribute
from .collect_model import CollectModel, NOTE, PROBLEM
from ..evidence.attach import dropped_paths
from ..messages import confirm, warn
from ..tasks import Task, on_own_connection


class FormsFlow(QObject):
    """Both halves of the loop; reading and writing workbooks run off the UI thread."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.task = None
        self.preview = None

    # -- 分发 ------------------------------------------------------------------------------

    def start_distribute(self, folder: Path | None = None) -> None:
        window = self.window
        if folder is None:
            chosen = QFileDialog.getExistingDirectory(window, self.tr("填报表存放到哪个文件夹"))
            if not chosen:
                return
            folder = Path(chosen)
        self._run(self.tr("正在生成填报表…"), lambda ledger: distribute(ledger, folder),
                  self._distributed, self.tr("填报表没有生成"))

    def _run(self, title: str, work, done, failed_title: str) -> None:
        """work(ledger) as a generator on the worker's own read-only connection."""
        window = self.window
        self.task = Task(window, title, on_own_connection(window.document.ledger.path, work))
        self.task.done.connect(done)
        self.task.failed.connect(lambda message: warn(window, failed_title, message))
        self.task.start()

    def _distributed(self, result) -> None:
        lines = [f"{unit}：{count}项" for unit, _, count in result.files]
        text = self.tr("已为%1个责任单位生成填报表，保存在“%2”：\n").replace(
            "%1", str(len(result.files))).replace("%2", str(result.folder)) + "\n".join(lines[:30])
        if len(lines) > 30:
            text += "\n…"
        if confirm(self.window, self.tr("填报表已生成"), text, self.tr("打开文件夹"), self.tr("关闭")):
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(result.folder)))

    # -- 回收 ------------------------------------------------------------------------------

    def start_collect(self, paths: list[Path] | None = None) -> None:
        window = self.window
        if paths is None:
            paths = self._ask_paths()
            if not paths:
                return
        paths = workbook_paths(paths)
        if not paths:
            warn(window, self.tr("没有填报表"), self.tr("所选文件夹里没有 .xlsx 填报表。"))
            return
        self._run(self.tr("正在读取填报表…"), lambda ledger: _planned(ledger, paths),
                  self._show_preview, self.tr("填报表读不出来"))

    def _ask_paths(self) -> list[Path]:
        source = CollectSource(self.window)
        return source.paths if source.exec() == QDialog.Accepted else []

    def update_from_export(self, import_plan) -> None:
        """An export of this ledger being imported: shown as 回收 shows forms, then applied."""
        self._run(self.tr("正在比较表格和台账…"), lambda ledger: _compared(ledger, import_plan),
                  lambda plan: self._show_preview(plan, self.tr("按导出的表格更新台账")),
                  self.tr("没能比较"))

    def _show_preview(self, plan, undo_text: str | None = None) -> None:
        window = self.window
        self.preview = dialog = CollectPreview(window, plan)
        try:
            if dialog.exec() != QDialog.Accepted or not plan.chosen():
                return
            sources = "、".join(dict.fromkeys(c.source for c in plan.chosen()))
            ledger = window.document.ledger
            counts = window.document.run_change(undo_text or self.tr("回收填报表"),
                                                lambda: apply_collect(ledger, plan), source=sources)
            if counts is not None:
                warn(window, self.tr("回收完成"), self.tr("已写入：新增本月进展%1条，修改%2处。").replace(
                    "%1", str(counts["reports_added"])).replace("%2", str(counts["fields_changed"])))
        finally:
            self.preview = None
            dialog.deleteLater()


def _planned(ledger, paths):
    """plan_collect as a task generator (one step: reading the forms is the whole job)."""
    yield Step(0, len(paths), QCoreApplication.translate(
        "FormsFlow", "正在读取%1份填报表…").replace("%1", str(len(paths))))
    return plan_collect(ledger, paths)


class CollectSource(QDialog):
    """Which returned forms: pick files, pick a folder, or drop either onto the dialog."""

    def __init__(self, parent):
        super().__init__(parent)
        self.setWindowTitle(self.tr("回收填报表"))
        self.setAcceptDrops(True)
        self.paths: list[Path] = []
        hint = QLabel(self.tr("把报回的填报表（.xlsx）或存放它们的文件夹拖到这里，\n或者："))
        hint.setAlignment(Qt.AlignCenter)
        hint.setMinimumSize(420, 120)
        hint.setStyleSheet("QLabel { border: 2px dashed #999; }")
        files, folder = QPushButton(self.tr("选择文件…")), QPushButton(self.tr("选择整个文件夹…"))
        files.setObjectName("chooseForms")
        cancel = QPushButton(self.tr("取消"))
        files.clicked.connect(self._pick_files)
        folder.clicked.connect(self._pick_folder)
        cancel.clicked.connect(self.reject)
        row = QHBoxLayout()
        for button in (files, folder):
            row.addWidget(button)
        row.addStretch()
        row.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(row)

    def _take(self, paths: list[Path]) -> None:
        if paths:
            self.paths = paths
            self.accept()

    def _pick_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("选择报回的填报表"), "",
                                                self.tr("Excel 填报表 (*.xlsx)"))
        self._take([Path(f) for f in files])

    def _pick_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择存放填报表的文件夹"))
        self._take([Path(folder)] if folder else [])

    def dragEnterEvent(self, event) -> None:
        if dropped_paths(event.mimeData()):
            event.setDropAction(Qt.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:
        paths = dropped_paths(event.mimeData())
        if paths:
            event.setDropAction(Qt.CopyAction)
            event.accept()
            self._take(paths)


def _compared(ledger, import_plan):
    yield Step(0, 0, QCoreApplication.translate("FormsFlow", "正在比较表格和台账…"))
    return plan_update_from_export(ledger, import_plan)


class CollectPreview(QDialog):
    """What the returned forms would change, problem by problem, before anything is written."""

    def __init__(self, parent, plan):
        super().__init__(parent)
        self.setWindowTitle(self.tr("回收填报表：写入前核对"))
        self.plan = plan
        self.model = CollectModel(self)
        self.model.set_plan(plan)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.ElideMiddle)  # a long 督察 name keeps its 第N项 in sight
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setStretchLastSection(True)
        self.table.setColumnWidth(PROBLEM, 300)
        self.table.setColumnWidth(PROBLEM + 1, 150)
        self.table.setColumnWidth(NOTE - 1, 240)
        self.table.setColumnWidth(NOTE - 2, 200)
        self.files = QPlainTextEdit()
        self.files.setReadOnly(True)
        self.files.setPlainText("\n".join(self._file_lines()))
        self.files.setMaximumHeight(140)
        tick_all, untick_all = QPushButton(self.tr("全部采用")), QPushButton(self.tr("全部不采用"))
        tick_all.clicked.connect(lambda: self.model.set_all(True))
        untick_all.clicked.connect(lambda: self.model.set_all(False))
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText(self.tr("写入台账"))
        buttons.button(QDialogButtonBox.Ok).setObjectName("applyCollect")
        buttons.button(QDialogButtonBox.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(tick_all)
        row.addWidget(untick_all)
        row.addStretch()
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("各文件的情况：")))
        layout.addWidget(self.files)
        layout.addWidget(QLabel(self.tr("勾选要写入台账的内容（冲突项默认保留台账的值）：")))
        layout.addWidget(self.table)
        layout.addLayout(row)
        self.resize(1100, 640)

    def _file_lines(self) -> list[str]:
        lines = []
        for f in self.plan.files:
            if f.refused:
                lines.append(self.tr("%1：未读入。%2").replace("%1", f.file).replace("%2", f.refused))
                continue
            lines.append(self.tr("%1（%2）：对上%3个问题").replace("%1", f.file).replace(
                "%2", f.unit or self.tr("未注明单位")).replace("%3", str(f.matched)))
            for u in f.unmatched:
                lines.append(self.tr("  第%1行没有对上：%2（%3）").replace("%1", str(u["row"])).replace(
                    "%2", u["text"][:60]).replace("%3", u["reason"]))
            lines += ["  " + note for note in f.notes]
        if not self.plan.changes and not self.plan.conflicts:
            lines.append(self.tr("没有要写入的内容（可能这些填报表已经回收过）。"))
        return lines
