"""整改销号公示 from the window: editing a notice's text, and printing or saving notices to PDF."""

import re
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel,
                               QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton,
                               QVBoxLayout)

from ...domain.notice import NoticeIncomplete, as_text
from ...domain.signoff import Stage
from ...store import notices as notice_store
from ...store import signoff as signoffs
from ...store.errors import LedgerError
from ..file_dialogs import start_folder
from ..messages import warn

_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def preview_notices(parent, notices) -> None:
    from .printing import show_print_preview  # the printing code loads when first used
    try:
        show_print_preview(parent, notices)
    except NoticeIncomplete as e:
        warn(parent, QCoreApplication.translate("dialogs", "公示不能打印"), str(e))


def save_notices_pdf(parent, settings, notices, name: str) -> Path | None:
    """Ask where, write the notices into one PDF or, chosen in the dialog, one Word document
    to edit in WPS or Word; the path written, or None."""
    from .printing import notice_pdf
    folder = Path(start_folder(settings.export_folder))
    suggested = str(folder / (_UNSAFE.sub("", name)[:60] + ".pdf"))
    pdf = QCoreApplication.translate("dialogs", "PDF 文件 (*.pdf)")
    word = QCoreApplication.translate("dialogs", "Word 文档，可在 WPS、Word 里编辑 (*.docx)")
    path, chosen = QFileDialog.getSaveFileName(
        parent, QCoreApplication.translate("dialogs", "保存公示"), suggested, f"{pdf};;{word}")
    if not path:
        return None
    path = Path(path)
    if path.suffix.lower() not in (".pdf", ".docx"):
        path = path.with_name(path.name + (".docx" if chosen == word else ".pdf"))
    try:
        if path.suffix.lower() == ".docx":
            from ...formats.documents.notice_docx import write_notices
            write_notices(notices, path)
        else:
            notice_pdf(notices, path)
    except (LedgerError, NoticeIncomplete, OSError) as e:
        warn(parent, QCoreApplication.translate("dialogs", "没能保存公示"), str(e))
        return None
    settings.export_folder = str(path.parent)
    return path


class NoticeTextDialog(QDialog):
    """The notice as plain text, to correct before printing; kept with the sign-off."""

    def __init__(self, parent, text: str, fresh: str):
        super().__init__(parent)
        self.fresh = fresh
        self.setWindowTitle(self.tr("编辑公示文本"))
        note = QLabel(self.tr("第一段是标题；“一、”“二、”开头的行是小标题；空一行隔开公示期说明；"
                              "最后两行是发布单位和日期。打印时按公文格式排版。"))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.editor = QPlainTextEdit(text)
        self.editor.setObjectName("noticeText")
        self.editor.setTabChangesFocus(True)
        self.reset_button = QPushButton(self.tr("恢复为自动生成"))
        self.reset_button.setToolTip(self.tr("按台账里的内容、公示时间和联系方式重新生成公示文本"))
        self.reset_button.clicked.connect(lambda: self.editor.setPlainText(self.fresh))
        buttons = QDialogButtonBox()
        buttons.addButton(self.reset_button, QDialogButtonBox.ResetRole)
        buttons.addButton(self.tr("保存"), QDialogButtonBox.AcceptRole)
        buttons.addButton(self.tr("取消"), QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.editor)
        layout.addWidget(buttons)
        self.resize(760, 680)

    def text(self) -> str:
        """The text to keep: "" when it is the composed one (it then follows later changes)."""
        text = self.editor.toPlainText()
        return "" if text.strip() == self.fresh.strip() else text


class BatchNoticeDialog(QDialog):
    """批量打印公示: several problems' notices into one preview or PDF, each from a new page."""

    def __init__(self, parent, ledger, settings, inspection_id: int):
        super().__init__(parent)
        self.ledger, self.settings = ledger, settings
        self.setWindowTitle(self.tr("批量打印公示"))
        inspection = ledger.row("inspection", inspection_id)
        self.stages = signoffs.stages(ledger, inspection_id)
        intro = QLabel(self.tr("“%1”：勾选要打印公示的问题（默认勾选正在公示的）。每份公示从新的一页开始。")
                       .replace("%1", inspection["name"]))
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("batchProblems")
        for node in ledger.tree(inspection_id).problems:
            stage = self.stages.get(node.id)
            code = f"（{node.row['code']}）" if node.row["code"] else ""
            summary = (node.row["description"] or "").replace("\n", " ")
            summary = summary if len(summary) <= 36 else summary[:36] + "……"
            item = QListWidgetItem(self.tr("第 %1 项").replace("%1", str(node.number))
                                   + f"{code}　{summary}　[{stage or node.row['status']}]")
            item.setData(Qt.UserRole, node.id)
            item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsUserCheckable | Qt.ItemIsSelectable)
            self.list.addItem(item)
        self.select_publicity()
        self.count = QLabel()
        self.list.itemChanged.connect(lambda _item: self._count())
        choose = QHBoxLayout()
        for text, slot in ((self.tr("全选"), lambda: self._check_all(True)),
                           (self.tr("全不选"), lambda: self._check_all(False)),
                           (self.tr("只选公示中的"), self.select_publicity)):
            button = QPushButton(text)
            button.setAutoDefault(False)  # Enter is not 全选
            button.clicked.connect(slot)
            choose.addWidget(button)
        choose.addStretch()
        choose.addWidget(self.count)
        buttons = QDialogButtonBox()
        self.preview_button = buttons.addButton(self.tr("打印预览…"), QDialogButtonBox.ActionRole)
        self.pdf_button = buttons.addButton(self.tr("存为 PDF…"), QDialogButtonBox.ActionRole)
        buttons.addButton(self.tr("关闭"), QDialogButtonBox.RejectRole)
        self.preview_button.clicked.connect(self.preview)
        self.pdf_button.clicked.connect(self.save_pdf)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list)
        layout.addLayout(choose)
        layout.addWidget(buttons)
        self._count()
        self.resize(720, 520)

    def _check_all(self, checked: bool) -> None:
        for row in range(self.list.count()):
            self.list.item(row).setCheckState(Qt.Checked if checked else Qt.Unchecked)

    def select_publicity(self) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            publicity = self.stages.get(item.data(Qt.UserRole)) == Stage.PUBLICITY
            item.setCheckState(Qt.Checked if publicity else Qt.Unchecked)

    def chosen(self) -> list[int]:
        return [self.list.item(r).data(Qt.UserRole) for r in range(self.list.count())
                if self.list.item(r).checkState() == Qt.Checked]

    def _count(self) -> None:
        chosen = len(self.chosen())
        self.count.setText(self.tr("已选 %1 项").replace("%1", str(chosen)))
        self.preview_button.setEnabled(chosen > 0)
        self.pdf_button.setEnabled(chosen > 0)

    def notices(self) -> list:
        return [result.notice for result in notice_store.notices_for(
            self.ledger, self.chosen(), self.settings.signoff_defaults)]

    def preview(self) -> None:
        preview_notices(self, self.notices())

    def save_pdf(self) -> Path | None:
        return save_notices_pdf(self, self.settings, self.notices(),
                                self.tr("整改销号公示（%1份）").replace("%1", str(len(self.chosen()))))


def fresh_notice_text(ledger, problem_id: int, defaults) -> str:
    return as_text(notice_store.notice_for(ledger, problem_id, defaults, use_edited=False).notice)
