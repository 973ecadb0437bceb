"""Importing an Excel ledger or a rectification plan: choose, read off-thread, preview, back up, apply."""

import logging
import traceback
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QFileDialog, QLabel,
                               QMessageBox, QPlainTextEdit, QProgressDialog, QPushButton, QVBoxLayout)

from ..formats.import_apply import apply_plan_steps
from ..formats.importer import PLAN_SUFFIXES, WORKBOOK_SUFFIXES, read_source
from ..formats.plan_text import read_plan_text
from ..progress import Progress
from ..store.backups import make_backup
from ..store.errors import LedgerError
from .file_dialogs import start_folder
from .import_preview import PreviewDialog
from .messages import warn
from .tasks import Task

log = logging.getLogger(__name__)



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
    yield Progress(0, 0, QCoreApplication.translate("ImportFlow", "正在读取粘贴的文字…"))
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

    def apply(self, plan, inspection_id: int | None, fields: dict | None) -> dict | None:
        """Back up, then write the plan on the window's own connection; None if nothing was written."""
        window = self.window
        document = window.document
        ledger = document.ledger
        try:
            backup = make_backup(ledger, "导入前", window.safety.policy())
        except LedgerError as e:
            warn(window, self.tr("导入没有进行"),
                 self.tr("导入前要先备份台账，但备份没有成功：\n%1\n\n台账没有任何改动。").replace("%1", str(e)))
            return None
        result = self._write(plan, inspection_id, fields)
        if result is None:
            return None
        if result["created_inspection"]:
            document.add("inspection", lambda: result["inspection_id"],
                         self.tr("导入“%1”").replace("%1", result["inspection"]))
        else:
            # Merged into rows the clerk may have edited: undo would be partial, the backup is whole.
            document.notify("", 0, structural=True)
        window.inspections.select(result["inspection_id"])
        self._report(result, backup)
        return result

    def _write(self, plan, inspection_id, fields) -> dict | None:
        window = self.window
        steps = apply_plan_steps(window.document.ledger, plan, inspection_id, fields)
        progress = QProgressDialog(self.tr("正在写入台账…"), self.tr("取消"), 0, 0, window)
        progress.setWindowTitle(self.tr("正在导入"))
        progress.setWindowModality(Qt.WindowModal)
        progress.setMinimumDuration(400)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        committed = False  # the last step comes after the commit: too late to cancel
        try:
            while True:
                QApplication.processEvents()
                if progress.wasCanceled() and not committed:
                    steps.close()  # the transaction rolls back
                    warn(window, self.tr("导入已取消"), self.tr("导入已取消，台账没有任何改动。"))
                    return None
                try:
                    step = next(steps)
                except StopIteration as done:
                    return done.value
                if step.total and step.done >= step.total:
                    committed = True
                    progress.setCancelButton(None)
                progress.setMaximum(max(step.total, 0))
                progress.setValue(min(step.done, step.total) if step.total else 0)
                if step.message:
                    progress.setLabelText(step.message)
        except LedgerError as e:
            warn(window, self.tr("导入没有完成"), str(e))
        except Exception as e:  # noqa: BLE001 — the clerk gets a message, the log the traceback
            log.error("import failed:\n%s", traceback.format_exc())
            warn(window, self.tr("导入没有完成"),
                 self.tr("出现了意外错误：%1\n台账没有任何改动。请把这段话告诉信息化人员。").replace("%1", str(e)))
        finally:
            progress.close()
            progress.deleteLater()
        return None

    def _report(self, result: dict, backup: Path) -> None:
        window = self.window
        lines = [self.tr("已导入到“%1”：%2，%3 条整改措施。").replace("%1", result["inspection"]).replace(
            "%2", result["summary"]).replace("%3", str(result["measures"]))]
        if result["created_inspection"]:
            lines.append(self.tr("这是新建的督察批次。如导入有误，可按 Ctrl+Z（撤销）整批撤回。"))
        else:
            if result["merged_categories"]:
                lines.append(self.tr("同名的大类、小类已合并：%1。").replace(
                    "%1", "、".join(result["merged_categories"])))
            lines.append(self.tr("该督察批次现在共 %1。").replace("%1", result["inspection_summary"]))
            lines.append(self.tr("导入到已有批次不能用“撤销”退回。如导入有误，请用“工具 → 备份与恢复”"
                                   "恢复导入前的备份：\n%1").replace("%1", str(backup)))
        if result["created_inspection"]:
            lines.append(self.tr("导入前的备份：%1").replace("%1", str(backup)))
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
