"""Undoable ledger changes. Each command's first redo has already happened in LedgerDocument,
so a change that fails to save never reaches the undo stack."""

from PySide6.QtGui import QUndoCommand

from ..store import holidays, progress
from ..store import signoff as signoffs

EDIT_ID = 1001


class LedgerCommand(QUndoCommand):
    def __init__(self, document, text: str):
        super().__init__(text)
        self.document = document
        self._first_redo = True

    def redo(self):
        if self._first_redo:
            self._first_redo = False
            return
        self.document.run_guarded(self.apply)

    def undo(self):
        self.document.run_guarded(self.revert)

    def apply(self):
        raise NotImplementedError

    def revert(self):
        raise NotImplementedError


class EditCommand(LedgerCommand):
    """Field edits of one row; consecutive edits of the same fields merge (one undo per typing)."""

    def __init__(self, document, kind: str, row_id: int, old: dict, new: dict, text: str):
        super().__init__(document, text)
        self.kind, self.row_id, self.old, self.new = kind, row_id, old, new

    def id(self):
        return EDIT_ID

    def mergeWith(self, other):
        if not isinstance(other, EditCommand) or (other.kind, other.row_id) != (self.kind, self.row_id):
            return False
        if set(other.new) != set(self.new):
            return False
        self.new = other.new
        self.setObsolete(self.new == self.old)
        return True

    def apply(self):
        self.document.ledger.update(self.kind, self.row_id, **self.new)
        self.document.notify(self.kind, self.row_id)

    def revert(self):
        self.document.ledger.update(self.kind, self.row_id, **self.old)
        self.document.notify(self.kind, self.row_id)


class InsertCommand(LedgerCommand):
    """Undo deletes what was added; redo restores it with the same id."""

    def __init__(self, document, kind: str, row_id: int, text: str):
        super().__init__(document, text)
        self.kind, self.row_id, self.snapshot = kind, row_id, None

    def apply(self):
        self.document.ledger.restore(self.snapshot)
        self.document.notify(self.kind, self.row_id, structural=True)

    def revert(self):
        self.snapshot = self.document.ledger.delete(self.kind, self.row_id)
        self.document.notify(self.kind, self.row_id, structural=True)


class DeleteCommand(LedgerCommand):
    def __init__(self, document, snapshot, text: str):
        super().__init__(document, text)
        self.snapshot = snapshot

    def apply(self):
        self.snapshot = self.document.ledger.delete(self.snapshot.kind, self.snapshot.id)
        self.document.notify(self.snapshot.kind, self.snapshot.id, structural=True)

    def revert(self):
        self.document.ledger.restore(self.snapshot)
        self.document.notify(self.snapshot.kind, self.snapshot.id, structural=True)


class MoveCommand(LedgerCommand):
    def __init__(self, document, kind: str, row_id: int, old: tuple, new: tuple, text: str):
        super().__init__(document, text)
        self.kind, self.row_id, self.old, self.new = kind, row_id, old, new  # (parent, index)

    def apply(self):
        self.document.ledger.move(self.kind, self.row_id, self.new[1], self.new[0])
        self.document.notify(self.kind, self.row_id, structural=True)

    def revert(self):
        self.document.ledger.move(self.kind, self.row_id, self.old[1], self.old[0])
        self.document.notify(self.kind, self.row_id, structural=True)


# -- progress reports, deadline changes, 销号 and 放假安排 ------------------------------------------

class AddReportCommand(LedgerCommand):
    """Undo deletes the report and puts back the status it set; redo restores both, same id."""

    def __init__(self, document, problem_id: int, report_id: int, statuses: tuple | None, text: str):
        super().__init__(document, text)
        self.problem_id, self.report_id, self.statuses, self.row = problem_id, report_id, statuses, None

    def apply(self):
        ledger = self.document.ledger
        with ledger.writing():
            progress.restore_report(ledger, self.row)
            if self.statuses:
                ledger.update("problem", self.problem_id, status=self.statuses[1])
        self.document.notify("problem", self.problem_id)

    def revert(self):
        ledger = self.document.ledger
        with ledger.writing():
            self.row = progress.delete_report(ledger, self.report_id)
            if self.statuses:
                ledger.update("problem", self.problem_id, status=self.statuses[0])
        self.document.notify("problem", self.problem_id)


class EditReportCommand(LedgerCommand):
    def __init__(self, document, problem_id: int, report_id: int, old: dict, new: dict, text: str):
        super().__init__(document, text)
        self.problem_id, self.report_id, self.old, self.new = problem_id, report_id, old, new

    def apply(self):
        progress.update_report(self.document.ledger, self.report_id, **self.new)
        self.document.notify("problem", self.problem_id)

    def revert(self):
        progress.update_report(self.document.ledger, self.report_id, **self.old)
        self.document.notify("problem", self.problem_id)


class DeleteReportCommand(LedgerCommand):
    def __init__(self, document, problem_id: int, row: dict, text: str):
        super().__init__(document, text)
        self.problem_id, self.row = problem_id, row

    def apply(self):
        self.row = progress.delete_report(self.document.ledger, self.row["id"])
        self.document.notify("problem", self.problem_id)

    def revert(self):
        progress.restore_report(self.document.ledger, self.row)
        self.document.notify("problem", self.problem_id)


class DeadlineChangeCommand(LedgerCommand):
    """A 时限调整: undo takes it out of the history again (only the newest can go, as on a stack)."""

    def __init__(self, document, problem_id: int, change_id: int, change: tuple, text: str):
        super().__init__(document, text)
        self.problem_id, self.change_id, self.change = problem_id, change_id, change  # (text, reason, day)

    def apply(self):
        self.change_id = progress.change_deadline(self.document.ledger, self.problem_id, *self.change)
        self.document.notify("problem", self.problem_id)

    def revert(self):
        progress.revert_deadline_change(self.document.ledger, self.change_id)
        self.document.notify("problem", self.problem_id)


class SignoffStepCommand(LedgerCommand):
    """One 销号 step. perform() makes it (again) and returns its Step: on redo the sign-off ids are
    looked up afresh, so the commands after it on the stack still find the problem's sign-off."""

    def __init__(self, document, step, perform, text: str):
        super().__init__(document, text)
        self.step, self.perform = step, perform

    def apply(self):
        self.step = self.perform()
        self.document.notify("problem", self.step.problem_id)

    def revert(self):
        signoffs.undo_step(self.document.ledger, self.step)
        self.document.notify("problem", self.step.problem_id)


SIGNOFF_FIELDS_ID = 1002


class SignoffFieldsCommand(LedgerCommand):
    """Fields of the problem's current sign-off (checklist, 公示期, contacts, notice text).

    With a merge key, consecutive changes under that key are one undo step (a 公示期 typed).
    """

    def __init__(self, document, problem_id: int, old: dict, new: dict, text: str, merge_key=None):
        super().__init__(document, text)
        self.problem_id, self.old, self.new, self.merge_key = problem_id, old, new, merge_key

    def id(self):
        return SIGNOFF_FIELDS_ID if self.merge_key else -1

    def mergeWith(self, other):
        if not isinstance(other, SignoffFieldsCommand) or \
                (other.problem_id, other.merge_key) != (self.problem_id, self.merge_key):
            return False
        self.old = {**other.old, **self.old}
        self.new = {**self.new, **other.new}
        self.setObsolete(self.new == self.old)
        return True

    def _put(self, values: dict):
        ledger = self.document.ledger
        signoffs.restore_fields(ledger, signoffs.current(ledger, self.problem_id)["id"], values)
        self.document.notify("problem", self.problem_id)

    def apply(self):
        self._put(self.new)

    def revert(self):
        self._put(self.old)


class HolidaysCommand(LedgerCommand):
    """Days of a 放假安排 entered or removed: [(day, entry before, entry after)], None = not entered."""

    def __init__(self, document, changes: list, text: str):
        super().__init__(document, text)
        self.changes = changes

    def _put(self, which: int):
        ledger = self.document.ledger
        with ledger.writing():
            for change in self.changes:
                entry = change[which]
                if entry is None:
                    holidays.remove(ledger, change[0])
                else:
                    holidays.set_day(ledger, change[0], entry["is_workday"], entry["note"])
        self.document.notify("holiday", 0)

    def apply(self):
        self._put(2)

    def revert(self):
        self._put(1)
