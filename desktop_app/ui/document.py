"""The open ledger as the window sees it: every change goes through here, onto the undo stack."""

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from ..store.errors import LedgerError
from ..store.ledger import KINDS, Ledger
from .commands import DeleteCommand, EditCommand, InsertCommand, MoveCommand


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
