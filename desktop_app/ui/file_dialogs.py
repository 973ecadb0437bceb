"""File dialogs in Chinese throughout, starting where a clerk keeps files, never in the app's data."""

from pathlib import Path

from PySide6.QtCore import QStandardPaths, QTranslator

# Qt's own Chinese catalogue predates these source texts (now with their & keys): without them
# Qt's file dialog shows "Look in:" and "Files of type:" beside Chinese.
MISSING = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    ("QFileDialog", "File &name:"): "文件名称(&N)：",
    ("QFileDialog", "Folder"): "文件夹",
    ("QAbstractFileIconProvider", "Folder"): "文件夹",
    ("QFileSystemModel", "Folder"): "文件夹",
}


class QtTextsMissing(QTranslator):
    """The few Qt texts qtbase_zh_CN lacks; installed after it, so asked first."""

    def translate(self, context, source, disambiguation=None, n=-1):
        return MISSING.get((context, source))  # None: not ours, the next translator answers

    def isEmpty(self) -> bool:
        return False


def documents_folder() -> str:
    """The user's 文档 folder (or home): where a file dialog opens the first time."""
    return QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation) or str(Path.home())


def start_folder(remembered: str | None) -> str:
    """The folder used last, while it exists; else the user's documents."""
    if remembered and Path(remembered).is_dir():
        return remembered
    return documents_folder()
