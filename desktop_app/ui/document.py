"""The open ledger as the window sees it: every change is a change set on the undo stack."""

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..domain.signoff import SignoffRefused
from ..store import evidence, evidence_attach, holidays, progress, summary_texts
from ..store import signoff as signoffs
from ..store.changes import ChangeSet, OpChanges
from ..store.errors import LedgerError
from ..store.ledger import Ledger

SOURCE = "窗口"
MERGE_ID = 1001


class ChangeCommand(QUndoCommand):
    """One user action's change set. The document replays it and then moves the stack, so
    the stack never moves past a replay that failed; consecutive changes with the same
    merge key (typing in one field) become one step."""

    def __init__(self, change_set: ChangeSet, text: str, merge_key=None):
        super().__init__(text)
        self.change_set, self.merge_key = change_set, merge_key
        self.replayed = True  # pushing calls redo(): the change has already been made

    def id(self):
        return MERGE_ID if self.merge_key is not None else -1

    def mergeWith(self, other) -> bool:
        if not isinstance(other, ChangeCommand) or other.merge_key != self.merge_key:
            return False
        self.change_set = self.change_set.followed_by(other.change_set)
        return True

    def redo(self):
        self.replayed = False

    def undo(self):
        self.replayed = False


class LedgerDocument(QObject):
    """Wraps a Ledger with an undo stack and tells views what each change touched.

    changed(OpChanges): after every change, undo and redo; views refresh what it names.
    failed(str): a change that could not be saved, in Chinese; the ledger is as it was.
    """

    changed = Signal(object)
    failed = Signal(str)

    def __init__(self, ledger: Ledger, parent=None):
        super().__init__(parent)
        self.ledger = ledger
        self.undo_stack = QUndoStack(self)
        self.attached: set[str] = set()  # files this session's attachments put in the store

    def close(self, policy) -> None:
        """Before the ledger closes: files whose attaching was undone go with the undo stack."""
        evidence.discard_undone(self.ledger, self.attached, policy)
        self.undo_stack.clear()

    @property
    def read_only(self) -> bool:
        return self.ledger.read_only

    def reloaded(self) -> None:
        """The whole file changed under the window (a restore): every view reads it again."""
        self.undo_stack.clear()
        self.changed.emit(OpChanges(structure=True, everything=True))

    def run_change(self, text: str, action, source: str = SOURCE, merge_key=None):
        """Run action() — any number of store writes — as one change: one transaction, one
        undo step labelled text, audited with source. Returns action's result; None when it
        failed (the reason went to failed, and nothing was written). SignoffRefused passes
        through for the dialog to explain."""
        try:
            with self.ledger.change(text, source):
                result = action()
        except SignoffRefused:
            raise
        except (LedgerError, ValueError) as e:
            self.failed.emit(str(e))
            return None
        change_set = self.ledger.last_change
        if change_set is not None and not change_set.empty:
            self.undo_stack.push(ChangeCommand(change_set, text, merge_key))
            self.changed.emit(change_set.changes)
        return result

    def push_change(self, change_set: ChangeSet, text: str) -> None:
        """A change made on a worker's own connection (an import): onto the undo stack, and
        every view told."""
        if change_set is not None and not change_set.empty:
            self.undo_stack.push(ChangeCommand(change_set, text))
            self.changed.emit(change_set.changes)

    def undo(self) -> bool:
        return self._replay(forward=False)

    def redo(self) -> bool:
        return self._replay(forward=True)

    def _replay(self, forward: bool) -> bool:
        stack = self.undo_stack
        if not (stack.canRedo() if forward else stack.canUndo()):
            return False
        command = stack.command(stack.index() if forward else stack.index() - 1)
        try:
            replay = self.ledger.reapply if forward else self.ledger.revert
            done = replay(command.change_set, SOURCE)
        except (LedgerError, ValueError) as e:
            what = self.tr("重做") if forward else self.tr("撤销")
            self.failed.emit(self.tr("没能%1“%2”：%3").replace("%1", what)
                             .replace("%2", command.text()).replace("%3", str(e)))
            return False
        command.replayed = True
        (stack.redo if forward else stack.undo)()
        self.changed.emit(done.changes)
        return True

    # -- the tree -------------------------------------------------------------------------

    def edit(self, kind: str, row_id: int, /, **fields) -> bool:
        """Field edits; consecutive edits of the same fields of one row are one undo step."""
        old = self.run_change(self.tr("修改"), lambda: self.ledger.update(kind, row_id, **fields),
                              merge_key=("edit", kind, row_id, frozenset(fields)))
        return bool(old)

    def add_inspection(self, **fields) -> int | None:
        return self.run_change(self.tr("新增督察批次"), lambda: self.ledger.add_inspection(**fields))

    def add_category(self, inspection_id: int, title: str, parent_id=None, index=None) -> int | None:
        text = self.tr("新增小类") if parent_id else self.tr("新增大类")
        return self.run_change(text, lambda: self.ledger.add_category(
            inspection_id, title, parent_id, index))

    def add_problem(self, category_id: int, index=None, **fields) -> int | None:
        return self.run_change(self.tr("新增问题"),
                               lambda: self.ledger.add_problem(category_id, index, **fields))

    def add_measure(self, problem_id: int, index=None, text: str = "") -> int | None:
        return self.run_change(self.tr("新增整改措施"),
                               lambda: self.ledger.add_measure(problem_id, text, "", index))

    def delete(self, kind: str, row_id: int) -> bool:
        return self.run_change(self.tr("删除"),
                               lambda: self.ledger.delete(kind, row_id) or True) is not None

    def move(self, kind: str, row_id: int, index: int, parent_id=...) -> bool:
        return self.run_change(self.tr("移动"), lambda: self.ledger.move(
            kind, row_id, index, parent_id) or True) is not None

    # -- progress reports and deadline changes ----------------------------------------------

    def add_report(self, problem_id: int, report_date, text: str, reporter: str = "",
                   new_status: str | None = None) -> int | None:
        """A dated 整改进展; with new_status the problem takes that status in the same step."""
        return self.run_change(self.tr("添加整改进展"), lambda: progress.add_report(
            self.ledger, problem_id, report_date, text, reporter, new_status,
            update_problem_status=new_status is not None))

    def edit_report(self, problem_id: int, report_id: int, **fields) -> bool:
        return self.run_change(self.tr("修改整改进展"), lambda: progress.update_report(
            self.ledger, report_id, **fields)) is not None

    def delete_report(self, problem_id: int, report_id: int) -> bool:
        return self.run_change(self.tr("删除整改进展"), lambda: progress.delete_report(
            self.ledger, report_id)) is not None

    def change_deadline(self, problem_id: int, new_text: str, reason: str, changed_on) -> bool:
        return self.run_change(self.tr("调整整改时限"), lambda: progress.change_deadline(
            self.ledger, problem_id, new_text, reason, changed_on)) is not None

    # -- 销号 --------------------------------------------------------------------------------

    def signoff_step(self, problem_id: int, perform, text: str) -> bool:
        """perform() makes one 销号 step (store.signoff.apply, advance, send_back). A refusal
        by the rules (SignoffRefused) is raised for the dialog to explain."""
        return self.run_change(text, perform) is not None

    def signoff_fields(self, problem_id: int, change, text: str, merge_key=None) -> bool:
        """change(signoff_id) sets fields of the problem's current sign-off (store.signoff.
        set_checklist, set_contacts, set_notice_text …); merge_key merges repeated setting."""
        def action():
            return change(signoffs.current(self.ledger, problem_id)["id"]) or True
        key = ("signoff", problem_id, merge_key) if merge_key else None
        return self.run_change(text, action, merge_key=key) is not None

    # -- 信访件, the 情况概述 and 放假安排 ------------------------------------------------------

    def change_petition(self, petition_id: int | None, change, text: str) -> int | None:
        """change() adds (petition_id None: returns the new id), updates or deletes one
        petition (store.petitions). Returns the petition's id."""
        result = self.run_change(text, lambda: change() or True)
        if result is None:
            return None
        return petition_id or result

    def keep_summary(self, inspection_id: int | None, as_of, summary) -> bool:
        """Keep the clerk's 情况概述 (a summary_texts.KeptSummary; None: back to the generated)."""
        return self.run_change(self.tr("修改情况概述"), lambda: summary_texts.keep(
            self.ledger, inspection_id, as_of, summary) or True) is not None

    def set_holidays(self, days: list, text: str) -> bool:
        """days: [(day, is_workday, note)] to enter, or [(day, None, "")] to forget."""
        def action():
            for day, is_workday, note in days:
                if is_workday is None:
                    holidays.remove(self.ledger, day)
                else:
                    holidays.set_day(self.ledger, day, is_workday, note)
            return True
        return self.run_change(text, action) is not None

    # -- 佐证材料 ------------------------------------------------------------------------------

    def attach_evidence(self, problem_id: int, plans: list) -> list[int]:
        """Save copied batches (store.evidence_attach.copy_files) as one undo step, all or none;
        returns the new ids. On failure every batch's new files are discarded."""
        def action():
            return [i for plan in plans for i in evidence_attach.commit_attach(self.ledger, plan)]
        ids = self.run_change(self.tr("添加佐证材料"), action)
        if ids is None:
            for plan in plans:
                evidence_attach.abandon_attach(self.ledger, plan)
            return []
        self.attached.update(sha for plan in plans for sha in plan.created)
        return ids

    def edit_evidence(self, evidence_id: int, **fields) -> bool:
        return bool(self.run_change(self.tr("修改佐证材料"), lambda: evidence.update_evidence(
            self.ledger, evidence_id, **fields)))

    def recycle_evidence(self, evidence_ids: list[int], live: bool) -> list[int]:
        """Send attachments to the 回收站 (live=False) or bring them back; returns those moved."""
        change = evidence.restore if live else evidence.remove
        text = self.tr("恢复佐证材料") if live else self.tr("删除佐证材料")
        return self.run_change(text, lambda: change(self.ledger, evidence_ids)) or []

    def set_evidence_kinds(self, kinds: list[str]) -> bool:
        return self.run_change(self.tr("修改佐证材料类型"), lambda: evidence.set_evidence_kinds(
            self.ledger, kinds) or True) is not None
