"""关于: version, where the data and settings live (with a button to open the folder), Qt, licences."""

import platform
from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QGridLayout, QHBoxLayout,
                               QLabel, QPushButton, QVBoxLayout)

from ... import APP_NAME, __version__
from ...paths import default_ledger_path

# The libraries the bundle ships, with their licences (pyproject.toml's dependencies and Qt).
LICENCES = ("Python（PSF 许可）、Qt 6 与 PySide6（LGPL v3）、SQLite（公有领域）、"
            "openpyxl、python-docx、platformdirs、chinesecalendar（MIT 许可）、"
            "lxml、xlrd（BSD 许可）、OpenCC、sqlite-utils（Apache 2.0 许可）、defusedxml（PSF 许可）")


def open_folder(folder: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


class AboutDialog(QDialog):
    def __init__(self, parent, settings, ledger_path: Path | None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("关于"))
        icon = QLabel()
        icon.setPixmap(QApplication.windowIcon().pixmap(64, 64))
        name = QLabel(f"<b style='font-size: 16pt'>{APP_NAME}</b><br>"
                      + self.tr("版本 %1").replace("%1", __version__))
        heading = QHBoxLayout()
        heading.addWidget(icon)
        heading.addWidget(name, 1)
        purpose = QLabel(self.tr("离线记录生态环境保护督察反馈问题的整改台账：整改进展、佐证材料、销号与公示。"
                                 "台账就是一个文件，不联网。"))
        purpose.setWordWrap(True)

        self.data_folder = default_ledger_path().parent
        self.ledger_folder = ledger_path.parent if ledger_path else self.data_folder
        grid = QGridLayout()
        rows = [(self.tr("数据文件夹"), str(self.data_folder)),
                (self.tr("当前台账"), str(ledger_path) if ledger_path else self.tr("（没有打开台账）")),
                (self.tr("设置文件"), settings.qsettings.fileName()),
                (self.tr("运行环境"), f"Qt {qVersion()}，PySide6 {PySide6.__version__}，"
                                      f"Python {platform.python_version()}，{platform.system()} {platform.release()}")]
        self.values = {}
        for row, (label, value) in enumerate(rows):
            grid.addWidget(QLabel(label + self.tr("：")), row, 0, Qt.AlignTop)
            shown = QLabel(value)  # not wrapped: a path reads best on one line
            shown.setTextInteractionFlags(Qt.TextSelectableByMouse)  # to copy a path into a report
            grid.addWidget(shown, row, 1)
            self.values[label] = shown
        grid.setColumnStretch(1, 1)
        self.open_button = QPushButton(self.tr("打开台账所在文件夹"))
        self.open_button.setToolTip(self.tr("在文件管理器里打开当前台账所在的文件夹（备份和佐证材料也在那里）"))
        self.open_button.clicked.connect(lambda: open_folder(self.ledger_folder))
        licences = QLabel(self.tr("本程序使用的开源软件：") + LICENCES + self.tr("。"))
        licences.setWordWrap(True)
        licences.setStyleSheet("color: #555;")
        buttons = QDialogButtonBox()
        buttons.addButton(self.open_button, QDialogButtonBox.ActionRole)
        buttons.addButton(self.tr("关闭"), QDialogButtonBox.RejectRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addWidget(purpose)
        layout.addLayout(grid)
        layout.addWidget(licences)
        layout.addWidget(buttons)
        self.setMinimumWidth(600)
