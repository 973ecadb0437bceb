"""Undoable 佐证材料 changes (see commands.py): attaching, removing and restoring are one stamp
flipped (an attachment's undo sends it to the 回收站), edits put fields back."""

from ..store import evidence
from .commands import LedgerCommand


class EvidenceStampCommand(LedgerCommand):
    """Attachments made live (attach, restore) or sent to the 回收站 (remove); undo flips it."""

    def __init__(self, document, problem_ids, evidence_ids: list[int], live: bool, text: str):
        super().__init__(document, text)
        self.problem_ids, self.evidence_ids, self.live = sorted(problem_ids), evidence_ids, live

    def _put(self, live: bool):
        ledger = self.document.ledger
        (evidence.restore if live else evidence.remove)(ledger, self.evidence_ids)
        for problem_id in self.problem_ids:
            self.document.notify("evidence", problem_id)

    def apply(self):
        self._put(self.live)

    def revert(self):
        self._put(not self.live)


class EditEvidenceCommand(LedgerCommand):
    def __init__(self, document, problem_id: int, evidence_id: int, old: dict, new: dict, text: str):
        super().__init__(document, text)
        self.problem_id, self.evidence_id, self.old, self.new = problem_id, evidence_id, old, new

    def _put(self, values: dict):
        evidence.update_evidence(self.document.ledger, self.evidence_id, **values)
        self.document.notify("evidence", self.problem_id)

    def apply(self):
        self._put(self.new)

    def revert(self):
        self._put(self.old)


class EvidenceKindsCommand(LedgerCommand):
    """The ledger's list of 佐证材料类型 (设置)."""

    def __init__(self, document, old: list[str], new: list[str], text: str):
        super().__init__(document, text)
        self.old, self.new = old, new

    def apply(self):
        evidence.set_evidence_kinds(self.document.ledger, self.new)

    def revert(self):
        evidence.set_evidence_kinds(self.document.ledger, self.old)
