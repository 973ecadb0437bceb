"""Undoable changes made from the overview: 信访件 added, changed or deleted, and the 情况概述 kept."""

from ..store import petitions, summary_texts
from .commands import LedgerCommand

SUMMARY_TEXT_ID = 1101


class PetitionCommand(LedgerCommand):
    """One petition before and after the change (None: not there): undo puts `before` back."""

    def __init__(self, document, petition_id: int, before: dict | None, after: dict | None,
                 text: str):
        super().__init__(document, text)
        self.petition_id, self.before, self.after = petition_id, before, after

    def _put(self, row: dict | None):
        petitions.put(self.document.ledger, self.petition_id, row)
        self.document.notify("petition", self.petition_id)

    def apply(self):
        self._put(self.after)

    def revert(self):
        self._put(self.before)


class SummaryTextCommand(LedgerCommand):
    """The clerk's 情况概述 for one scope and date (None: the generated one); one typing burst
    after another on the same paragraph is one undo step."""

    def __init__(self, document, inspection_id: int | None, as_of, before, after, text: str):
        super().__init__(document, text)
        self.scope, self.before, self.after = (inspection_id, as_of), before, after

    def id(self):
        return SUMMARY_TEXT_ID

    def mergeWith(self, other):
        if not isinstance(other, SummaryTextCommand) or other.scope != self.scope:
            return False
        self.after = other.after
        self.setObsolete(self.after == self.before)
        return True

    def _put(self, summary):
        summary_texts.keep(self.document.ledger, *self.scope, summary)
        self.document.notify("summary", 0)

    def apply(self):
        self._put(self.after)

    def revert(self):
        self._put(self.before)
