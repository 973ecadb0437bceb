"""导出佐证材料: which inspection, a folder or a .zip, where; exported off the UI thread, then what
was written and which files were missing, by problem."""

from pathlib import Path

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QButtonGroup, QComboBox, QDialog, QDialogButtonBox, QFileDialog,
                               QFormLayout, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton, QRadioButton,
                               QVBoxLayout)

from ...formats.evidence.package import export_evidence_package, package_name
from ...store.evidence_check import by_problem, problem_label
from ...store.evidence_counts import evidence_counts
from .model import human_size
from ..file_dialogs import start_folder
from ..messages import choose, warn
from ..tasks import Task, on_own_connection

SHOWN_MISSING = 15


class EvidenceExportDialog(QDialog):
    def __init__(self, parent, ledger, current_id: int | None, folder: str):
        super().__init__(parent)
        self.setWindowTitle(self.tr("导出佐证材料"))
        self.folder = folder
        self.inspection = QComboBox()
        for row in ledger.inspections():
            count = sum(evidence_counts(ledger, row["id"]).values())
            self.inspection.addItem(self.tr("%1（%2 个佐证材料）").replace("%1", row["name"])
                                    .replace("%2", str(count)), (row["id"], row["name"]))
            if row["id"] == current_id:
                self.inspection.setCurrentIndex(self.inspection.count() - 1)
        self.as_folder = QRadioButton(self.tr("文件夹"))
        self.as_zip = QRadioButton(self.tr("ZIP 压缩包（一个文件，便于拷贝、发送）"))
        self.as_folder.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.as_folder)
        group.addButton(self.as_zip)
        kinds = QHBoxLayout()
        kinds.addWidget(self.as_folder)
        kinds.addWidget(self.as_zip)
        kinds.addStretch()
        self.target = QLineEdit()
        self.target.setObjectName("evidenceTarget")
        browse = QPushButton(self.tr("浏览…"))
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.target, 1)
        where.addWidget(browse)
        note = QLabel(self.tr("按台账的大类、小类和问题分文件夹存放（如“一、…/（一）…/3.问题简称/照片1.jpg”），"
                              "并附“佐证材料目录.xlsx”，供销号审核使用。回收站里的材料不导出。"))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.inspection.currentIndexChanged.connect(self._suggest)
        self.as_zip.toggled.connect(self._suggest)
        form = QFormLayout()
        form.addRow(self.tr("督察批次"), self.inspection)
        form.addRow(self.tr("导出为"), kinds)
        form.addRow(self.tr("保存到"), where)
        buttons = QDialogButtonBox()
        buttons.addButton(self.tr("导出"), QDialogButtonBox.AcceptRole)
        buttons.addButton(self.tr("取消"), QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(620, self.sizeHint().height())
        self._suggest()

    def choice(self) -> tuple[int, str, Path, bool]:
        """(inspection id, its name, target, as_zip)."""
        inspection_id, name = self.inspection.currentData()
        return inspection_id, name, Path(self.target.text().strip()), self.as_zip.isChecked()

    def _suggest(self) -> None:
        if self.inspection.count() == 0:
            return
        _id, name = self.inspection.currentData()
        current = self.target.text().strip()
        folder = str(Path(current).parent) if current else self.folder
        self.target.setText(str(Path(folder) / package_name(name, self.as_zip.isChecked())))

    def _browse(self) -> None:
        current = self.target.text().strip()
        if self.as_zip.isChecked():
            path, _ = QFileDialog.getSaveFileName(self, self.tr("保存 ZIP 压缩包"), current, self.tr("ZIP 压缩包 (*.zip)"))
            if path:
                self.target.setText(path if path.lower().endswith(".zip") else path + ".zip")
        else:
            folder = QFileDialog.getExistingDirectory(self, self.tr("导出到哪个文件夹里"), str(Path(current).parent))
            if folder:
                self.target.setText(str(Path(folder) / Path(current).name))

    def accept(self) -> None:
        if self.inspection.count() == 0 or not self.target.text().strip():
            warn(self, self.tr("请选择位置"), self.tr("请填写导出到哪里。"))
            return
        super().accept()


class EvidenceExportFlow(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.task: Task | None = None

    def start(self) -> None:
        window = self.window
        window.editor.flush()
        folder = start_folder(window.settings.export_folder)
        dialog = EvidenceExportDialog(window, window.document.ledger, window.inspections.current_id(), folder)
        try:
            if dialog.exec() != QDialog.Accepted:
                return
            inspection_id, name, target, as_zip = dialog.choice()
        finally:
            dialog.deleteLater()
        window.settings.export_folder = str(target.parent)
        self.task = Task(window, self.tr("正在导出佐证材料…"), on_own_connection(
            window.document.ledger.path,
            lambda ledger: export_evidence_package(ledger, inspection_id, target, as_zip)))
        self.task.done.connect(self._done)
        self.task.failed.connect(lambda message: warn(window, self.tr("佐证材料没有导出"), message))
        self.task.start()

    def _done(self, package) -> None:
        window = self.window
        self.task = None
        text = self.tr("已导出 %1 个佐证材料（%2）到：\n%3").replace("%1", str(package.files)) \
            .replace("%2", human_size(package.bytes)).replace("%3", str(package.path))
        if package.missing:
            conn = window.document.ledger.db.conn
            lines = []
            for problem_id, findings in by_problem(package.missing).items():
                lines.append(f"{problem_label(conn, problem_id)}：")
                lines.extend(f"　{f.message}" for f in findings)
            text += self.tr("\n\n有 %1 个材料需要处理（缺失的没有导出，被改动的已导出并在目录里注明）：\n") \
                .replace("%1", str(len(package.missing))) + "\n".join(lines[:SHOWN_MISSING])
            if len(lines) > SHOWN_MISSING:
                text += self.tr("\n……（用“工具 → 检查佐证材料”查看全部）")
        folder = package.path if package.path.is_dir() else package.path.parent
        if choose(window, self.tr("导出完成"), text, [self.tr("打开文件夹"), self.tr("关闭")],
                  QMessageBox.Information) == 0:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
