"""帮助: the 使用说明 window (Chinese HTML from resources/help) and the 关于 box, from the Help menu."""

from PySide6.QtCore import QEvent, QObject, Qt, QUrl
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from ... import APP_NAME
from ...paths import resources_dir


def help_page():
    return resources_dir() / "help" / "index.html"


class HelpWindow(QWidget):
    """A window of its own, not a modal dialog: the clerk reads it while working in the ledger."""

    def __init__(self, parent=None):
        super().__init__(parent, Qt.Window)  # its own window, closed with the main window
        self.setWindowTitle(self.tr("使用说明") + f" — {APP_NAME}")
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        page = help_page()
        if page.is_file():
            self.browser.setSource(QUrl.fromLocalFile(str(page)))
        else:  # a damaged installation: say where the page should be
            self.browser.setPlainText(self.tr("找不到使用说明文件：%1\n请重新安装本程序。").replace("%1", str(page)))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser)
        self.resize(760, 720)
        self.browser.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        # A window to read beside the ledger: Esc puts it away (the browser would swallow it).
        if event.type() == QEvent.KeyPress and event.key() == Qt.Key_Escape:
            self.close()
            return True
        return False



class HelpActions(QObject):
    """使用说明 (F1) and 关于; the help window is made once and raised again on the next F1."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        make = window._action
        self.help_action = make(self.tr("使用说明"), self.show_help, QKeySequence.HelpContents,
                                self.tr("每月的工作流程、快捷键和出了问题怎么办"))
        self.about_action = make(self.tr("关于"), self.show_about,
                                 tip=self.tr("版本、数据文件夹和设置文件的位置"))
        self.help_window: HelpWindow | None = None

    def actions(self):
        return [self.help_action, None, self.about_action]

    def show_help(self) -> None:
        if self.help_window is None:
            self.help_window = HelpWindow(self.window)
        self.help_window.show()
        self.help_window.raise_()
        self.help_window.activateWindow()

    def show_about(self) -> None:
        from .about_dialog import AboutDialog
        window = self.window
        dialog = AboutDialog(window, window.settings, window.document.ledger.path if window.document else None)
        dialog.exec()
        dialog.deleteLater()
