"""备份与恢复: the ledger's backups with date, size and contents; back up now, restore, settings."""

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QFileDialog, QFormLayout, QHBoxLayout,
                               QHeaderView, QLabel, QPushButton, QSpinBox, QTableView, QVBoxLayout)

from ...store.backups import list_backups, make_backup, prune, restore
from ...store.errors import LedgerError
from ..messages import confirm, warn
from ..ledger.table_models import RowsModel


def _size_text(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(size // 1024, 1)} KB"


class BackupsModel(RowsModel):
    def __init__(self, parent=None):
        super().__init__([(self.tr("时间"), "taken"), (self.tr("原因"), "reason"), (self.tr("大小"), "size"),
                          (self.tr("督察批次"), "inspections"), (self.tr("问题"), "problems"),
                          (self.tr("状态"), "state")], parent)

    def set_backups(self, backups) -> None:
        self.backups = backups
        self.set_rows([{
            "id": i, "taken": f"{b.taken_at:%Y-%m-%d %H:%M}", "reason": str(b.reason),
            "size": _size_text(b.size), "inspections": "" if b.inspections is None else b.inspections,
            "problems": "" if b.problems is None else b.problems,
            "state": self.tr("可用") if b.readable else (b.detail or self.tr("已损坏，不能用来恢复"))}
            for i, b in enumerate(backups)])


class BackupDialog(QDialog):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.setWindowTitle(self.tr("备份与恢复"))
        self.folder_label = QLabel()
        self.folder_label.setWordWrap(True)
        self.model = BackupsModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.keep_daily, self.keep_monthly = QSpinBox(), QSpinBox()
        for box, value in ((self.keep_daily, window.settings.keep_daily),
                           (self.keep_monthly, window.settings.keep_monthly)):
            box.setRange(1, 365)
            box.setValue(value)
        self.keep_daily.valueChanged.connect(lambda v: setattr(window.settings, "keep_daily", v))
        self.keep_monthly.valueChanged.connect(lambda v: setattr(window.settings, "keep_monthly", v))
        buttons = QHBoxLayout()
        for text, slot in ((self.tr("立即备份"), self.back_up_now), (self.tr("用所选备份恢复…"), self.restore_selected),
                           (self.tr("打开备份文件夹"), self.open_folder),
                           (self.tr("更改备份文件夹…"), self.change_folder)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        keep = QFormLayout()
        keep.addRow(self.tr("保留最近几天的每日备份"), self.keep_daily)
        keep.addRow(self.tr("保留最近几个月的每月备份"), self.keep_monthly)
        layout = QVBoxLayout(self)
        layout.addWidget(self.folder_label)
        layout.addWidget(self.view)
        layout.addLayout(buttons)
        layout.addLayout(keep)
        self.resize(720, 460)
        self.reload()

    @property
    def ledger(self):
        return self.window.document.ledger

    def reload(self) -> None:
        policy = self.window.safety.policy()
        folder = policy.folder_for(self.ledger.path)
        self.folder_label.setText(self.tr("备份文件夹：%1\n每天第一次打开台账、每次导入之前都会自动备份；恢复之前也会先把现在的台账备份一份。")
                                  .replace("%1", str(folder)))
        try:
            self.model.set_backups(list_backups(policy, self.ledger.path))
        except LedgerError as e:
            self.model.set_backups([])
            warn(self, self.tr("备份文件夹不可用"), str(e))

    def back_up_now(self) -> None:
        self.window.editor.flush()
        try:
            make_backup(self.ledger, "手动", self.window.safety.policy())
            prune(self.window.safety.policy(), self.ledger.path)
        except LedgerError as e:
            warn(self, self.tr("没能备份"), str(e))
        self.reload()

    def restore_selected(self) -> None:
        row = self.view.currentIndex().row()
        if row < 0:
            warn(self, self.tr("请选择备份"), self.tr("请先在列表里选中要恢复的那一份备份。"))
            return
        backup = self.model.backups[row]
        if not backup.readable:
            warn(self, self.tr("不能恢复"), self.tr("这份备份已损坏，不能用来恢复。请选择另一份。"))
            return
        question = self.tr("用 %1 的备份（%2 个督察批次、%3 项问题）替换现在的台账？\n"
                           "现在的台账会先另存为一份“恢复前”备份，需要时还能恢复回来。").replace(
            "%1", f"{backup.taken_at:%Y-%m-%d %H:%M}").replace("%2", str(backup.inspections)).replace(
            "%3", str(backup.problems))
        if not confirm(self, self.tr("恢复"), question, yes=self.tr("恢复")):
            return
        self.window.editor.flush()
        try:
            saved = restore(self.ledger, backup.path, self.window.safety.policy())
        except LedgerError as e:
            warn(self, self.tr("没能恢复"), str(e))
            return
        self.window.reload_after_restore()
        self.reload()
        self.window.statusBar().showMessage(
            self.tr("已恢复。恢复前的台账保存在 %1").replace("%1", str(saved)), 15000)

    def open_folder(self) -> None:
        folder = self.window.safety.policy().folder_for(self.ledger.path)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def change_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择备份文件夹（可以是U盘）"),
                                                  str(self.window.safety.policy().folder_for(self.ledger.path)))
        if folder:
            self.window.settings.backup_folder = str(Path(folder))
            self.reload()
