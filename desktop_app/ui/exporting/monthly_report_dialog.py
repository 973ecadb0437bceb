"""月调度表 from the window: scope and date, then a workbook (off the UI thread), a PDF or a print."""

import re
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QFileDialog,
                               QFormLayout, QLabel, QMessageBox, QPlainTextEdit, QVBoxLayout)

from ...formats.exporting.monthly_content import Filing, MonthlyReport, build
from ...formats.exporting.monthly_report import write_monthly_report
from ...store.errors import LedgerError
from ..date_edit import date_edit
from ..file_dialogs import start_folder
from ..messages import choose, warn
from ..scope_box import ScopeBox
from ..tasks import Task, on_own_connection

_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


class MonthlyReportDialog(QDialog):
    def __init__(self, parent, document, settings, inspection_id: int | None, as_of: date):
        super().__init__(parent)
        self.document, self.settings, self.task = document, settings, None
        self.setWindowTitle(self.tr("月调度表"))
        self.scope = ScopeBox()
        self.scope.setObjectName("reportScope")
        self.scope.fill(document.ledger, inspection_id)
        self.as_of = date_edit(as_of)
        self.as_of.setObjectName("reportDate")
        self.summary = QPlainTextEdit()
        self.summary.setObjectName("reportSummary")
        self.summary.setReadOnly(True)
        self.summary.setMaximumHeight(120)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555;")
        form = QFormLayout()
        form.addRow(self.tr("范围"), self.scope)
        form.addRow(self.tr("截至"), self.as_of)
        form.addRow(self.tr("情况概述"), self.summary)
        form.addRow("", self.note)
        buttons = QDialogButtonBox()
        self.xlsx_button = buttons.addButton(self.tr("保存为 Excel…"), QDialogButtonBox.ActionRole)
        self.pdf_button = buttons.addButton(self.tr("保存为 PDF 或 Word…"), QDialogButtonBox.ActionRole)
        self.print_button = buttons.addButton(self.tr("打印预览…"), QDialogButtonBox.ActionRole)
        buttons.addButton(self.tr("关闭"), QDialogButtonBox.RejectRole)
        self.xlsx_button.clicked.connect(self.save_workbook)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.print_button.clicked.connect(self.preview)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.scope.currentIndexChanged.connect(self._update)
        self.as_of.dateChanged.connect(self._update)
        self.resize(640, 360)
        self._update()

    @property
    def inspection_id(self) -> int | None:
        return self.scope.inspection_id

    @property
    def day(self) -> date:
        return self.as_of.date().toPython()

    def report(self) -> MonthlyReport:
        return build(self.document.ledger, self.inspection_id, self.day,
                     self.settings.schedule_settings, self.filing())

    def filing(self) -> Filing:
        return Filing(self.settings.org_name, self.settings.reporter)

    def _update(self, *_args) -> None:
        report = self.report()
        self.summary.setPlainText(report.summary)
        self.note.setText(self.tr("未完成的%1项问题逐项列出最新进展。情况概述可在“总览”页修改，"
                                  "修改后的文字按范围和截至日期保存。").replace("%1", str(report.unfinished)))

    def _target(self, suffix: str, title: str, file_filter: str) -> Path | None:
        name = self.scope.currentText() if self.inspection_id is not None else self.document.ledger.title
        suggested = Path(start_folder(self.settings.export_folder)) / (
            f"{_UNSAFE.sub('', name)[:40]}月调度表-{self.day:%Y%m%d}{suffix}")
        path, chosen = QFileDialog.getSaveFileName(self, title, str(suggested), file_filter)
        if not path:
            return None
        if suffix == ".pdf" and (path.lower().endswith(".docx") or "*.docx" in chosen):
            suffix = ".docx"  # PDF or Word, as chosen in the dialog
        path = Path(path) if path.lower().endswith(suffix) else Path(path + suffix)
        self.settings.export_folder = str(path.parent)
        return path

    def save_workbook(self) -> None:
        target = self._target(".xlsx", self.tr("月调度表保存为 Excel"), "Excel 工作簿 (*.xlsx)")
        if target is None:
            return
        inspection_id, day, rules = self.inspection_id, self.day, self.settings.schedule_settings
        filing = self.filing()
        self.task = Task(self, self.tr("正在生成月调度表…"), on_own_connection(
            self.document.ledger.path,
            lambda ledger: write_monthly_report(ledger, target, inspection_id, day, rules,
                                                filing=filing)))
        self.task.done.connect(self._saved)
        self.task.failed.connect(lambda message: warn(self, self.tr("没能生成月调度表"), message))
        self.task.start()

    def save_pdf(self) -> Path | None:
        from .monthly_report_print import monthly_report_pdf  # Qt's printing loads on first use
        target = self._target(".pdf", self.tr("月调度表保存为 PDF 或 Word"),
                              self.tr("PDF 文件 (*.pdf);;Word 文档，可在 WPS、Word 里编辑 (*.docx)"))
        if target is None:
            return None
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            if target.suffix.lower() == ".docx":
                from ...formats.documents.monthly_docx import write_monthly_docx
                write_monthly_docx(self.report(), target)
            else:
                monthly_report_pdf(self.report(), target)
        except (LedgerError, OSError) as e:
            warn(self, self.tr("没能保存月调度表"), str(e))
            return None
        finally:
            QApplication.restoreOverrideCursor()
        self._saved(target)
        return target

    def preview(self) -> None:
        from .monthly_report_print import show_monthly_report_preview
        show_monthly_report_preview(self, self.report())

    def _saved(self, path) -> None:
        choice = choose(self, self.tr("月调度表已生成"), self.tr("已保存到：\n%1").replace("%1", str(path)),
                        [self.tr("打开文件"), self.tr("打开所在文件夹"), self.tr("关闭")],
                        QMessageBox.Information)
        if choice in (0, 1):
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path if choice == 0 else Path(path).parent)))
