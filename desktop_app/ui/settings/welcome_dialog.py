"""The first start's welcome: 单位名称, the notices' 联系人 and 电话, and keeping the 示例台账 or not."""

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QRadioButton, QVBoxLayout)

from ...store.errors import LedgerError
from ...store.evidence_files import store_folder
from ...store.ledger import Ledger
from ..messages import warn

DEMO_NAME = "示例台账"


class WelcomeDialog(QDialog):
    """Accepting saves what was typed; Esc or × keep the defaults (设置 changes them later)."""

    def __init__(self, parent, settings, offer_empty: bool):
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(self.tr("欢迎使用督察整改台账"))
        intro = QLabel(self.tr("先填几项常用信息，以后新建督察批次和打印公示时自动带出。"
                               "不知道的可以先空着，以后在“工具 → 设置”里修改。"))
        intro.setWordWrap(True)
        contacts = settings.signoff_defaults.contacts
        self.org = QLineEdit(settings.org_name)
        self.org.setPlaceholderText(self.tr("如：青山镇人民政府、青山县"))
        self.org.setToolTip(self.tr("新建督察批次时“所属单位”默认填这个名称"))
        self.contact = QLineEdit(contacts.contact)
        self.contact.setPlaceholderText(self.tr("如：张三"))
        self.phone = QLineEdit(contacts.phone)
        self.phone.setPlaceholderText(self.tr("如：0730-1234567"))
        form = QFormLayout()
        form.addRow(self.tr("单位名称（乡镇/县）"), self.org)
        form.addRow(self.tr("公示联系人"), self.contact)
        form.addRow(self.tr("联系电话"), self.phone)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        self.keep_demo = QRadioButton(self.tr("保留示例台账，先看看一本填好的台账是什么样子"))
        self.start_empty = QRadioButton(self.tr("从空白台账开始"))
        self.keep_demo.setChecked(True)
        if offer_empty:
            aside = QLabel(self.tr("示例台账不会删除：改名为“示例台账.db”留在同一个文件夹里，"
                                   "以后从“文件 → 最近打开”还能打开。"))
            aside.setWordWrap(True)
            aside.setStyleSheet("color: #555; margin-left: 22px;")
            layout.addSpacing(8)
            layout.addWidget(QLabel(self.tr("窗口里现在是一本示例台账：")))
            layout.addWidget(self.keep_demo)
            layout.addWidget(self.start_empty)
            layout.addWidget(aside)
        buttons = QDialogButtonBox()
        buttons.addButton(self.tr("开始使用"), QDialogButtonBox.AcceptRole)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def accept(self) -> None:
        self.settings.org_name = self.org.text()
        defaults = self.settings.signoff_defaults
        contacts = replace(defaults.contacts, contact=self.contact.text().strip(),
                           phone=self.phone.text().strip())
        self.settings.signoff_defaults = replace(defaults, contacts=contacts)
        super().accept()


def welcome(window, demo_path: Path | None) -> None:
    """Show the welcome once. demo_path: the demo ledger made for this first start, which the
    clerk may set aside for an empty one; None when the window shows some other ledger."""
    settings = window.settings
    dialog = WelcomeDialog(window, settings, offer_empty=demo_path is not None)
    accepted = dialog.exec() == QDialog.Accepted
    settings.welcomed = True  # answered or closed: never asked again
    if accepted and demo_path is not None and dialog.start_empty.isChecked():
        start_empty(window, demo_path)
    dialog.deleteLater()


def aside_path(path: Path) -> Path:
    """示例台账.db beside path, or 示例台账（2）.db … when that name (or its evidence folder) is taken."""
    number, aside = 1, path.with_name(DEMO_NAME + path.suffix)
    while aside.exists() or store_folder(aside).exists():
        number += 1
        aside = path.with_name(f"{DEMO_NAME}（{number}）{path.suffix}")
    return aside


def set_demo_aside(path: Path) -> Path:
    """Rename the closed demo ledger (with its WAL and evidence folder, if any) to aside_path.

    Renamed, not deleted: nothing a clerk has seen is lost, and the demo stays at hand as an
    example. Its backups stay where they are: they are backups of what this file held then.
    """
    aside = aside_path(path)
    moves = [(path.with_name(path.name + tail), aside.with_name(aside.name + tail))
             for tail in ("-wal", "-shm")]
    moves = [(path, aside), *moves, (store_folder(path), store_folder(aside))]
    for source, target in moves:
        if source.exists():
            source.rename(target)
    return aside


def start_empty(window, path: Path) -> None:
    """Set the demo aside and open a new, empty ledger at its path (the default one)."""
    # The first opening's backup reads the demo on another connection: let it finish first
    # (a file open elsewhere cannot be renamed on Windows).
    window.close_ledger()  # waits for background work on the demo first
    try:
        aside = set_demo_aside(path)
    except OSError as e:
        warn(window, QCoreApplication.translate("welcome_dialog", "没能换成空白台账"),
             QCoreApplication.translate("welcome_dialog", "示例台账没能改名（%1），仍然打开示例台账。\n"
                                        "可以以后用“文件 → 新建台账文件”新建空白台账。")
             .replace("%1", str(e)))
        window.open_path(path)
        return
    window.settings.add_recent_file(str(aside))
    try:
        ledger = Ledger.create(path)
        ledger.set_title(path.stem)
    except (OSError, LedgerError) as e:
        warn(window, QCoreApplication.translate("welcome_dialog", "没能新建空白台账"),
             QCoreApplication.translate("welcome_dialog", "没能在“%1”新建台账：%2\n示例台账已改名为“%3”，现在打开它。")
             .replace("%1", str(path)).replace("%2", str(e)).replace("%3", str(aside)))
        window.open_path(aside)
        return
    window.set_ledger(ledger)
    shown = QCoreApplication.translate("welcome_dialog", "已换成空白台账；示例台账保存在 %1").replace("%1", str(aside))
    window.statusBar().showMessage(shown, 20000)
