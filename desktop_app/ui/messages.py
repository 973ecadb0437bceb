"""Message boxes with Chinese buttons, whatever translations Qt found."""

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QInputDialog, QMessageBox


def confirm(parent, title: str, text: str, yes: str | None = None, no: str | None = None) -> bool:
    """yes defaults to 删除, no to 取消; Enter answers no, so a stray key deletes nothing."""
    box = QMessageBox(QMessageBox.Question, title, text, parent=parent)
    yes_button = box.addButton(yes or QCoreApplication.translate("messages", "删除"), QMessageBox.AcceptRole)
    no_button = box.addButton(no or QCoreApplication.translate("messages", "取消"), QMessageBox.RejectRole)
    box.setDefaultButton(no_button)
    box.exec()
    return box.clickedButton() is yes_button


def warn(parent, title: str, text: str) -> None:
    box = QMessageBox(QMessageBox.Warning, title, text, parent=parent)
    box.addButton(QCoreApplication.translate("messages", "知道了"), QMessageBox.AcceptRole)
    box.exec()


def inform(parent, title: str, text: str) -> None:
    """Something went as hoped (检查通过): the information icon, not a warning."""
    box = QMessageBox(QMessageBox.Information, title, text, parent=parent)
    box.addButton(QCoreApplication.translate("messages", "知道了"), QMessageBox.AcceptRole)
    box.exec()


def choose(parent, title: str, text: str, options: list[str], icon=QMessageBox.Question) -> int:
    """Ask with several buttons; the index of the one clicked (the last option is Cancel).
    icon: Information when the text reports a success (导出完成) and the buttons only offer more."""
    box = QMessageBox(icon, title, text, parent=parent)
    buttons = [box.addButton(o, QMessageBox.RejectRole if i == len(options) - 1 else QMessageBox.AcceptRole)
               for i, o in enumerate(options)]
    box.exec()
    clicked = box.clickedButton()
    return buttons.index(clicked) if clicked in buttons else len(options) - 1


def ask_text(parent, title: str, label: str, text: str = "") -> str | None:
    """A line of text from the clerk, or None when they cancel or leave it empty."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setTextValue(text)
    dialog.setOkButtonText(QCoreApplication.translate("messages", "确定"))
    dialog.setCancelButtonText(QCoreApplication.translate("messages", "取消"))
    dialog.resize(420, dialog.sizeHint().height())
    if dialog.exec() != QInputDialog.Accepted:
        return None
    return dialog.textValue().strip() or None
