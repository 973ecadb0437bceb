"""Undoable ledger changes. Each command's first redo has already happened in LedgerDocument,
so a change that fails to save never reaches the undo stack."""

from PySide6.QtGui import QUndoCommand

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
