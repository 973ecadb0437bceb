"""The window's 佐证材料 actions: 检查佐证材料 and 佐证材料回收站… (Tools), 导出佐证材料… (File);
files dropped on a ledger row; the 佐证 column kept in step with every change."""

from PySide6.QtCore import QObject

from ...store.evidence_counts import evidence_count
from .check import FindingsDialog, check_work
from ..messages import warn
from ..tasks import Task, on_own_connection


class EvidenceActions(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        make = window._action
        self.check_action = make(self.tr("检查佐证材料"), self.check, tip=self.tr(
            "逐个核对佐证材料文件：有没有丢失、内容有没有被改动"))
        self.recycle_action = make(self.tr("佐证材料回收站…"), self.show_recycle_bin,
                                   tip=self.tr("查看删除的佐证材料，恢复或彻底删除"))
        self.export_action = make(self.tr("导出佐证材料…"), self.export, tip=self.tr(
            "把一个督察批次的佐证材料按台账的大类、问题分文件夹导出（或打成 .zip），附材料目录"))
        self.task: Task | None = None
        self.exporter = None  # EvidenceExportFlow, made on first use
        window.ledger_view.model.files_dropped.connect(self.attach_dropped)

    def tools_actions(self) -> list:
        return [self.check_action, self.recycle_action]

    def update_enabled(self) -> None:
        document = self.window.document
        for action in (self.check_action, self.recycle_action):
            action.setEnabled(document is not None)
        self.export_action.setEnabled(document is not None and bool(document.ledger.inspections()))

    def after_open(self, document) -> None:
        document.changed.connect(self._changed)

    def _changed(self, changes) -> None:
        if not changes.touches("evidence") or changes.everything:
            return
        window = self.window
        problems = [p for p in sorted(changes.problems) if ("problem", p) not in changes.removed]
        for problem_id in problems:
            window.ledger_view.model.set_evidence_count(
                problem_id, evidence_count(window.document.ledger, problem_id))
        if len(problems) == 1 and window.ledger_view.current_key() != ("problem", problems[0]):
            self.show_problem(problems[0])  # an undo elsewhere, or a drop on another row: show it

    def show_problem(self, problem_id: int) -> None:
        window = self.window
        inspection_id = window.document.ledger.inspection_of("problem", problem_id)
        if inspection_id is None:
            return
        if inspection_id != window.ledger_view.inspection_id:
            window.inspections.select(inspection_id)
        window.ledger_view.select("problem", problem_id)

    def attach_dropped(self, problem_id: int, paths: list) -> None:
        window = self.window
        if window.editor is not None:
            window.editor.problem.evidence.flow.attach(problem_id, paths)

    # -- menu actions ----------------------------------------------------------------------

    def check(self) -> None:
        window = self.window
        window.editor.flush()
        self.task = Task(window, self.tr("正在检查佐证材料…"),
                         on_own_connection(window.document.ledger.path, check_work))
        self.task.done.connect(self._checked)
        self.task.failed.connect(lambda message: warn(window, self.tr("没能检查佐证材料"), message))
        self.task.start()

    def _checked(self, result) -> None:
        self.task = None
        self.show_findings(*result)

    def show_findings(self, findings: list, orphans: list) -> None:
        """What is wrong, by problem (also what the check after opening found)."""
        dialog = FindingsDialog(self.window, self.window.document.ledger.db.conn, findings, orphans)
        dialog.open_problem.connect(self.show_problem)
        dialog.exec()
        dialog.deleteLater()

    def show_recycle_bin(self) -> None:
        from .recycle import RecycleDialog
        self.window.editor.flush()
        dialog = RecycleDialog(self.window)
        dialog.exec()
        dialog.deleteLater()

    def export(self) -> None:
        from .export import EvidenceExportFlow  # openpyxl loads when a clerk exports
        if self.exporter is None:
            self.exporter = EvidenceExportFlow(self.window)
        self.exporter.start()
