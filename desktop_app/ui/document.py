"""The open ledger as the window sees it: every change goes through here, onto the undo stack."""

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from ..domain.signoff import SignoffRefused
from ..store import evidence, holidays, petitions, progress, summary_texts
from ..store import signoff as signoffs
from ..store.errors import LedgerError
from ..store.ledger import KINDS, Ledger
from .commands import (AddReportCommand, DeadlineChangeCommand, DeleteCommand, DeleteReportCommand,
                       EditCommand, EditReportCommand, HolidaysCommand, InsertCommand, MoveCommand,
                       SignoffFieldsCommand, SignoffStepCommand)
from .evidence_commands import EditEvidenceCommand, EvidenceKindsCommand, EvidenceStampCommand
from .overview_commands import PetitionCommand, SummaryTextCommand


class LedgerDocument(QObject):
    """Wraps a Ledger with an undo stack and tells views what changed.

    changed(kind, id, structural): structural changes (add, delete, move) alter numbering,
    so views rebuild; field edits only refresh the row.
    """

    changed = Signal(str, int, bool)
    failed = Signal(str)

    def __init__(self, ledger: Ledger, parent=None):
        super().__init__(parent)
        self.ledger = ledger
        self.undo_stack = QUndoStack(self)

    @property
    def read_only(self) -> bool:
        return self.ledger.read_only

    def notify(self, kind: str, row_id: int, structural: bool = False) -> None:
        self.changed.emit(kind, row_id, structural)

    def run_guarded(self, action) -> bool:
        """Run a ledger change; a failure is reported in Chinese and leaves the file as it was."""
        try:
            action()
            return True
        except (LedgerError, ValueError) as e:
            self.failed.emit(str(e))
            # The database is the truth: whatever the views show now, show the file again.
            self.changed.emit("", 0, True)
            return False

    def _attempt(self, action):
        try:
            return action()
        except (LedgerError, ValueError) as e:
            self.failed.emit(str(e))
            return None

    # -- changes ---------------------------------------------------------------------------

    def edit(self, kind: str, row_id: int, /, **fields) -> bool:
        old = self._attempt(lambda: self.ledger.update(kind, row_id, **fields))
        if not old:
            return False
        new = {k: fields[k] for k in old}
        self.undo_stack.push(EditCommand(self, kind, row_id, old, new, self.tr("修改")))
        self.notify(kind, row_id)
        return True

    def add(self, kind: str, adder, text: str) -> int | None:
        """adder() performs the insert and returns the new id."""
        new_id = self._attempt(adder)
        if new_id is None:
            return None
        self.undo_stack.push(InsertCommand(self, kind, new_id, text))
        self.notify(kind, new_id, structural=True)
        return new_id

    def add_inspection(self, **fields) -> int | None:
        return self.add("inspection", lambda: self.ledger.add_inspection(**fields),
                        self.tr("新增督察批次"))

    def add_category(self, inspection_id: int, title: str, parent_id=None, index=None) -> int | None:
        text = self.tr("新增小类") if parent_id else self.tr("新增大类")
        return self.add("category", lambda: self.ledger.add_category(
            inspection_id, title, parent_id, index), text)

    def add_problem(self, category_id: int, index=None, **fields) -> int | None:
        return self.add("problem", lambda: self.ledger.add_problem(category_id, index, **fields),
                        self.tr("新增问题"))

    def add_measure(self, problem_id: int, index=None, text: str = "") -> int | None:
        return self.add("measure", lambda: self.ledger.add_measure(problem_id, text, "", index),
                        self.tr("新增整改措施"))

    def delete(self, kind: str, row_id: int) -> bool:
        snapshot = self._attempt(lambda: self.ledger.delete(kind, row_id))
        if snapshot is None:
            return False
        self.undo_stack.push(DeleteCommand(self, snapshot, self.tr("删除")))
        self.notify(kind, row_id, structural=True)
        return True

    def move(self, kind: str, row_id: int, index: int, parent_id=...) -> bool:
        def action():
            old = self.ledger.move(kind, row_id, index, parent_id)
            row = self.ledger.row(kind, row_id)
            parent_column = KINDS[kind].parent
            return old, ((row[parent_column] if parent_column else None), row["position"])
        result = self._attempt(action)
        if result is None:
            return False
        old, new = result
        if old == new:
            return True
        self.undo_stack.push(MoveCommand(self, kind, row_id, old, new, self.tr("移动")))
        self.notify(kind, row_id, structural=True)
        return True

    # -- progress reports and deadline changes ----------------------------------------------

    def add_report(self, problem_id: int, report_date, text: str, reporter: str = "",
                   new_status: str | None = None) -> int | None:
        """A dated 整改进展; with new_status the problem takes that status in the same step."""
        ledger = self.ledger

        def action():
            before = ledger.row("problem", problem_id)["status"]
            report_id = progress.add_report(ledger, problem_id, report_date, text, reporter,
                                            new_status, update_problem_status=new_status is not None)
            return report_id, before, ledger.row("problem", problem_id)["status"]
        result = self._attempt(action)
        if result is None:
            return None
        report_id, before, after = result
        self.undo_stack.push(AddReportCommand(self, problem_id, report_id,
                                              (before, after) if before != after else None,
                                              self.tr("添加整改进展")))
        self.notify("problem", problem_id)
        return report_id

    def edit_report(self, problem_id: int, report_id: int, **fields) -> bool:
        old = self._attempt(lambda: progress.update_report(self.ledger, report_id, **fields))
        if old is None:
            return False
        if old:
            new = {k: progress.report(self.ledger, report_id)[k] for k in old}
            self.undo_stack.push(EditReportCommand(self, problem_id, report_id, old, new,
                                                   self.tr("修改整改进展")))
            self.notify("problem", problem_id)
        return True

    def delete_report(self, problem_id: int, report_id: int) -> bool:
        row = self._attempt(lambda: progress.delete_report(self.ledger, report_id))
        if row is None:
            return False
        self.undo_stack.push(DeleteReportCommand(self, problem_id, row, self.tr("删除整改进展")))
        self.notify("problem", problem_id)
        return True

    def change_deadline(self, problem_id: int, new_text: str, reason: str, changed_on) -> bool:
        change = (new_text, reason, changed_on)
        change_id = self._attempt(lambda: progress.change_deadline(self.ledger, problem_id, *change))
        if change_id is None:
            return False
        self.undo_stack.push(DeadlineChangeCommand(self, problem_id, change_id, change,
                                                   self.tr("调整整改时限")))
        self.notify("problem", problem_id)
        return True

    # -- 销号 --------------------------------------------------------------------------------

    def signoff_step(self, problem_id: int, perform, text: str) -> bool:
        """perform() makes one 销号 step (store.signoff.apply, advance, send_back) and returns its
        Step. A refusal by the rules (SignoffRefused) is raised for the dialog to explain."""
        try:
            step = perform()
        except SignoffRefused:
            raise
        except (LedgerError, ValueError) as e:
            self.failed.emit(str(e))
            return False
        self.undo_stack.push(SignoffStepCommand(self, step, perform, text))
        self.notify("problem", problem_id)
        return True

    def signoff_fields(self, problem_id: int, change, text: str, merge_key=None) -> bool:
        """change(signoff_id) sets fields of the problem's current sign-off, returning their old
        values (store.signoff.set_checklist, set_contacts, set_notice_text …)."""
        ledger = self.ledger

        def action():
            signoff_id = signoffs.current(ledger, problem_id)["id"]
            old = change(signoff_id)
            row = ledger.db["signoffs"].get(signoff_id)
            return old, {k: row[k] for k in old}
        result = self._attempt(action)
        if result is None:
            return False
        old, new = result
        if old:
            self.undo_stack.push(SignoffFieldsCommand(self, problem_id, old, new, text, merge_key))
            self.notify("problem", problem_id)
        return True

    # -- 信访件 and the 情况概述 (changed("petition", id) / ("summary", 0)) ------------------------

    def change_petition(self, petition_id: int | None, change, text: str) -> int | None:
        """change() adds, updates or deletes one petition (store.petitions) and returns its id
        (add) or anything else; petition_id is None for an add. Returns the petition's id."""
        ledger = self.ledger

        def action():
            before = petitions.petition(ledger, petition_id) if petition_id else None
            result = change()
            changed_id = petition_id or result
            exists = ledger.db.execute("SELECT 1 FROM petitions WHERE id = ?", [changed_id]).fetchone()
            return changed_id, before, petitions.petition(ledger, changed_id) if exists else None
        result = self._attempt(action)
        if result is None:
            return None
        changed_id, before, after = result
        if before != after:
            self.undo_stack.push(PetitionCommand(self, changed_id, before, after, text))
            self.notify("petition", changed_id)
        return changed_id

    def keep_summary(self, inspection_id: int | None, as_of, summary) -> bool:
        """Keep the clerk's 情况概述 (a summary_texts.KeptSummary; None: back to the generated)."""
        try:
            before = summary_texts.keep(self.ledger, inspection_id, as_of, summary)
        except (LedgerError, ValueError) as e:
            self.failed.emit(str(e))
            return False
        if before != summary:
            self.undo_stack.push(SummaryTextCommand(self, inspection_id, as_of, before, summary,
                                                    self.tr("修改情况概述")))
            self.notify("summary", 0)
        return True

    # -- 放假安排 ------------------------------------------------------------------------------

    def set_holidays(self, days: list, text: str) -> bool:
        """days: [(day, is_workday, note)] to enter, or [(day, None, "")] to forget."""
        ledger = self.ledger

        def action():
            changes = []
            with ledger.writing():
                for day, is_workday, note in days:
                    before = (holidays.remove(ledger, day) if is_workday is None
                              else holidays.set_day(ledger, day, is_workday, note))
                    changes.append((day, before, holidays.entry(ledger, day)))
            return changes
        changes = self._attempt(action)
        if not changes:
            return False
        self.undo_stack.push(HolidaysCommand(self, changes, text))
        self.notify("holiday", 0)
        return True

    # -- 佐证材料 (changed(“evidence”, problem id)) ----------------------------------------------

    def attach_evidence(self, problem_id: int, plans: list) -> list[int]:
        """Save copied batches (store.evidence.copy_files) as one undo step; returns the new ids.
        A batch that fails to save is reported and, with the ones after it, discarded."""
        ids = []
        for number, plan in enumerate(plans):
            try:
                ids += evidence.commit_attach(self.ledger, plan)
            except (LedgerError, ValueError) as e:
                for later in plans[number + 1:]:
                    evidence.abandon_attach(self.ledger, later)
                self.failed.emit(str(e))
                break
        if ids:
            self.undo_stack.push(EvidenceStampCommand(self, {problem_id}, ids, True,
                                                      self.tr("添加佐证材料")))
            self.notify("evidence", problem_id)
        return ids

    def edit_evidence(self, evidence_id: int, **fields) -> bool:
        old = self._attempt(lambda: evidence.update_evidence(self.ledger, evidence_id, **fields))
        if not old:
            return old is not None
        row = self.ledger.db["evidence"].get(evidence_id)
        self.undo_stack.push(EditEvidenceCommand(self, row["problem_id"], evidence_id, old,
                                                 {k: row[k] for k in old}, self.tr("修改佐证材料")))
        self.notify("evidence", row["problem_id"])
        return True

    def recycle_evidence(self, evidence_ids: list[int], live: bool) -> list[int]:
        """Send attachments to the 回收站 (live=False) or bring them back; returns those moved."""
        change = evidence.restore if live else evidence.remove
        moved = self._attempt(lambda: change(self.ledger, evidence_ids))
        if not moved:
            return []
        problems = {self.ledger.db["evidence"].get(i)["problem_id"] for i in moved}
        text = self.tr("恢复佐证材料") if live else self.tr("删除佐证材料")
        self.undo_stack.push(EvidenceStampCommand(self, problems, moved, live, text))
        for problem_id in sorted(problems):
            self.notify("evidence", problem_id)
        return moved

    def set_evidence_kinds(self, kinds: list[str]) -> bool:
        old = self._attempt(lambda: evidence.set_evidence_kinds(self.ledger, kinds))
        if old is None:
            return False
        new = evidence.evidence_kinds(self.ledger)
        if new != old:
            self.undo_stack.push(EvidenceKindsCommand(self, old, new, self.tr("修改佐证材料类型")))
        return True

    def run_change(self, text: str, action, source: str = ""):
        result = self._attempt(action)
        if result is not None:
            self.notify("", 0, True)
        return result
