"""检查佐证材料: every stored file hashed against its row off the UI thread, then what is wrong,
grouped by problem; a row opens its problem."""

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from pathlib import Path

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QLabel, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout)

from ...store.evidence_check import by_problem, check_evidence, problem_label, startup_cleanup
from ...store.evidence_files import copy_out, guess_suffix
from ..file_dialogs import documents_folder
from ..messages import warn

PROBLEM_ROLE = Qt.UserRole + 1
KIND_NAMES = {"evidence_missing": QT_TRANSLATE_NOOP("FindingsDialog", "文件缺失"),
              "evidence_altered": QT_TRANSLATE_NOOP("FindingsDialog", "文件被改动")}


def check_work(ledger):
    """On the worker's own read-only connection: the hash check, then files no row names."""
    findings = yield from check_evidence(ledger.db.conn, ledger.path)
    return findings, startup_cleanup(ledger).orphans


class FindingsDialog(QDialog):
    """The result; open_problem(id) when the clerk double-clicks a problem or one of its rows."""

    open_problem = Signal(int)

    def __init__(self, parent, conn, findings: list, orphans: list):
        super().__init__(parent)
        self.setWindowTitle(self.tr("检查佐证材料"))
        self.summary = QLabel()
        self.summary.setObjectName("evidenceCheckSummary")
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("evidenceFindings")
        self.tree.setHeaderLabels([self.tr("问题 / 情况"), self.tr("说明")])
        self.tree.setColumnWidth(0, 300)
        self.tree.itemDoubleClicked.connect(self._opened)
        for problem_id, items in by_problem(findings).items():
            top = QTreeWidgetItem([problem_label(conn, problem_id),
                                   self.tr("%1 个佐证材料有问题").replace("%1", str(len(items)))])
            top.setData(0, PROBLEM_ROLE, problem_id)
            for finding in items:
                child = QTreeWidgetItem([self.tr(KIND_NAMES.get(finding.kind, finding.kind)), finding.message])
                child.setToolTip(1, finding.message)
                child.setData(0, PROBLEM_ROLE, problem_id)
                top.addChild(child)
            self.tree.addTopLevelItem(top)
        if orphans:
            top = QTreeWidgetItem([self.tr("没有记录的文件"), self.tr(
                "%1 个文件在佐证材料文件夹里，但台账没有记录（可能来自较早的备份），已保留未动").replace(
                "%1", str(len(orphans)))])
            for path in orphans[:200]:
                top.addChild(QTreeWidgetItem(["", str(path)]))
            self.tree.addTopLevelItem(top)
        self.tree.expandAll()
        problems = len(by_problem(findings))
        if findings:
            self.summary.setText(self.tr("%1 个佐证材料有问题，涉及 %2 项问题。双击一行可以打开这项问题，"
                                         "请从原件重新添加缺失或被改动的材料。")
                                 .replace("%1", str(len(findings))).replace("%2", str(problems)))
        else:
            self.summary.setText(self.tr("全部正常：每个佐证材料的文件都在，内容与添加时一致。"))
        self.tree.setVisible(bool(findings or orphans))
        buttons = QDialogButtonBox()
        self.orphans = orphans
        if orphans:  # most likely an attachment cut short by a crash: the clerk may want it back
            save = buttons.addButton(self.tr("把没有记录的文件另存出来…"), QDialogButtonBox.ActionRole)
            save.setObjectName("saveOrphans")
            save.setToolTip(self.tr("复制到您选的文件夹，看过后可以重新添加为佐证材料；原文件不动"))
            save.clicked.connect(self.save_orphans)
        buttons.addButton(self.tr("关闭"), QDialogButtonBox.AcceptRole)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self.resize(820, 460 if findings or orphans else 140)

    def save_orphans(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("另存到哪个文件夹"), documents_folder())
        if not folder:
            return
        try:
            for number, path in enumerate(self.orphans, 1):
                copy_out(path, Path(folder), self.tr("找回的文件%1").replace("%1", str(number))
                         + guess_suffix(path))
        except OSError as e:
            warn(self, self.tr("没能另存"), self.tr("没能复制到“%1”：%2").replace("%1", folder)
                 .replace("%2", e.strerror or str(e)))
            return
        self.summary.setText(self.summary.text() + "\n" + self.tr("没有记录的 %1 个文件已复制到“%2”。")
                             .replace("%1", str(len(self.orphans))).replace("%2", folder))

    def _opened(self, item, _column) -> None:
        problem_id = item.data(0, PROBLEM_ROLE)
        if problem_id is not None:
            self.open_problem.emit(problem_id)
            self.accept()
