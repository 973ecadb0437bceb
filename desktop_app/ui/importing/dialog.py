"""Importing an Excel ledger or a rectification plan: choose, read off-thread, preview, back up, apply."""

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QLabel, QMessageBox,
                               QPlainTextEdit, QPushButton, QVBoxLayout)

from ...formats.importing.apply import apply_plan_steps
from ...formats.importing.importer import PLAN_SUFFIXES, WORKBOOK_SUFFIXES, read_source
from ...formats.importing.plan_text import read_plan_text
from ...formats.reading.guard import guarded
from ...jobs import Step
from ...store.backups import make_backup
from ...store.collect import is_own_export
from ...store.errors import LedgerError
from ...store.ledger import Ledger
from ..file_dialogs import start_folder
from .preview import PreviewDialog
from ..messages import choose, warn
from ..tasks import Task




class SourceDialog(QDialog):
    """Where the import comes from: a file chosen on disk, or a plan's text pasted in."""

    def __init__(self, parent, folder: str):
        super().__init__(parent)
        self.setWindowTitle(self.tr("导入 Excel 或整改方案"))
        self.folder, self.path = folder, None
        choose_file = QPushButton(self.tr("选择文件（Excel 台账 .xlsx/.xls，整改方案 .docx/.txt）…"))
        choose_file.setObjectName("chooseFile")
        choose_file.clicked.connect(self._choose_file)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(self.tr("或者把整改方案的文字粘贴在这里（从“一、”大类开始，"
                                             "含 1. 2. 编号的问题、整改措施、责任单位、整改时限等）"))
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.read_text_button = buttons.button(QDialogButtonBox.Ok)
        self.read_text_button.setText(self.tr("读取粘贴的文字"))
        self.read_text_button.setEnabled(False)
        buttons.button(QDialogButtonBox.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.text.textChanged.connect(
            lambda: self.read_text_button.setEnabled(bool(self.text.toPlainText().strip())))
        layout = QVBoxLayout(self)
        layout.addWidget(choose_file)
        layout.addWidget(QLabel(self.tr("粘贴方案文本：")))
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(640, 460)

    def _source_filter(self) -> str:
        def patterns(suffixes):
            return " ".join(f"*{s}" for s in suffixes)
        return ";;".join((self.tr("Excel 台账或整改方案 (%1)").replace("%1", patterns(WORKBOOK_SUFFIXES + PLAN_SUFFIXES)),
                          self.tr("Excel 工作簿 (%1)").replace("%1", patterns(WORKBOOK_SUFFIXES)),
                          self.tr("整改方案 (%1)").replace("%1", patterns(PLAN_SUFFIXES)),
                          self.tr("所有文件 (*)")))

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择要导入的文件"), self.folder,
                                              self._source_filter())
        if path:
            self.path = Path(path)
            self.accept()

    def pasted(self) -> str | None:
        return None if self.path else self.text.toPlainText()


def _read_text(text: str):
    return (yield from guarded(None, _pasted_plan(text), "text"))


def _pasted_plan(text: str):
    yield Step(0, 0, QCoreApplication.translate("ImportFlow", "正在读取粘贴的文字…"))
    return read_plan_text(text)


class ImportFlow(QObject):
    """The menu's 导入: one source at a time, kept alive while its tasks run."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.task: Task | None = None
        self.preview: PreviewDialog | None = None
        self.path: Path | None = None

    def start(self) -> None:
        window = self.window
        if window.document is None or window.document.read_only:
            return
        window.editor.flush()
        folder = start_folder(window.settings.import_folder)
        source = SourceDialog(window, folder)
        if source.exec() != QDialog.Accepted:
            return
        self.path = source.path
        if self.path is not None:
            window.settings.import_folder = str(self.path.parent)
            self._read(window, lambda: read_source(self.path), self._show_preview)
        else:
            text = source.pasted()
            self._read(window, lambda: _read_text(text), self._show_preview)

    def _read(self, parent, make_generator, done, failed=None) -> None:
        self.task = Task(parent, self.tr("正在读取…"), make_generator)
        self.task.done.connect(done)
        self.task.failed.connect(failed or (lambda message: warn(
            self.window, self.tr("读不出要导入的内容"), message)))
        self.task.start()

    # -- preview ---------------------------------------------------------------------------

    def _show_preview(self, plan) -> None:
        window = self.window
        ledger = window.document.ledger
        if is_own_export(ledger, plan):
            which = choose(window, self.tr("这是本台账导出的表格"), self.tr(
                "“%1”是从当前台账导出的整改任务清单。要按表格里改过的内容更新台账，"
                "还是作为新的督察批次再导入一份？").replace("%1", plan.source),
                [self.tr("按表格更新本台账（先列出改动）"), self.tr("作为新督察批次导入"), self.tr("取消")])
            if which == 0:
                window._forms().update_from_export(plan)
            if which != 1:
                return
        self.preview = dialog = PreviewDialog(window, plan, ledger.inspections(), window.inspections.current_id())
        dialog.mapping_changed.connect(self._reread)
        try:
            if dialog.exec() != QDialog.Accepted:
                return
            inspection_id, fields = dialog.target()
            self.apply(dialog.plan, inspection_id, fields)
        finally:
            self.preview = None
            dialog.deleteLater()

    def _reread(self, mapping: dict) -> None:
        dialog, path = self.preview, self.path

        def failed(message):
            dialog.set_plan(dialog.plan)  # back to the mapping that could be read
            warn(dialog, self.tr("按这样的列对应读不出来"), message)
        self._read(dialog, lambda: read_source(path, mapping), dialog.set_plan, failed)

    # -- writing ---------------------------------------------------------------------------

    def apply(self, plan, inspection_id: int | None, fields: dict | None) -> None:
        """Back the ledger up, then write the plan in the background as one change (one undo
        step); the report follows when it is done."""
        window = self.window
        document = window.document
        ledger = document.ledger
        try:
            backup = make_backup(ledger, "导入前", window.safety.policy())
        except LedgerError as e:
            warn(window, self.tr("导入没有进行"),
                 self.tr("导入前要先备份台账，但备份没有成功：\n%1\n\n台账没有任何改动。").replace("%1", str(e)))
            return
        source = plan.source or self.tr("粘贴的文字")
        label = self.tr("导入“%1”").replace("%1", source)
        path = ledger.path

        def work():
            # The worker writes on a connection of its own, under the window's lock; the change
            # set it captures comes back for the window's undo stack.
            writer = Ledger.open_beside(path)
            try:
                with writer.change(label, source):
                    result = yield from apply_plan_steps(writer, plan, inspection_id, fields)
                return result, writer.last_change
            finally:
                writer.close()

        def done(answer):
            result, change_set = answer
            document.push_change(change_set, label)
            window.inspections.select(result["inspection_id"])
            self._report(result, backup)

        self.task = Task(window, self.tr("正在写入台账…"), work)
        self.task.done.connect(done)
        self.task.failed.connect(lambda message: warn(window, self.tr("导入没有完成"), message))
        self.task.cancelled.connect(lambda: warn(window, self.tr("导入已取消"),
                                                 self.tr("导入已取消，台账没有任何改动。")))
        self.task.start()

    def _report(self, result: dict, backup: Path) -> None:
        window = self.window
        lines = [self.tr("已导入到“%1”：%2，%3 条整改措施。").replace("%1", result["inspection"]).replace(
            "%2", result["summary"]).replace("%3", str(result["measures"]))]
        if result["created_inspection"]:
            lines.append(self.tr("这是新建的督察批次。"))
        else:
            if result["merged_categories"]:
                lines.append(self.tr("同名的大类、小类已合并：%1。").replace(
                    "%1", "、".join(result["merged_categories"])))
            lines.append(self.tr("该督察批次现在共 %1。").replace("%1", result["inspection_summary"]))
        lines.append(self.tr("如导入有误，可按 Ctrl+Z（撤销）整批撤回。导入前的备份：%1").replace(
            "%1", str(backup)))
        warnings = result["warnings"]
        if warnings:
            lines.append(self.tr("\n有 %1 处需要核对：").replace("%1", str(len(warnings))))
            lines.extend(warnings[:15])
            if len(warnings) > 15:
                lines.append(self.tr("……（全部提醒见“详细信息”）"))
        box = QMessageBox(QMessageBox.Information, self.tr("导入完成"), "\n".join(lines), parent=window)
        box.setObjectName("importDone")
        if len(warnings) > 15:
            box.setDetailedText("\n".join(warnings))
        box.addButton(self.tr("知道了"), QMessageBox.AcceptRole)
        box.exec()
