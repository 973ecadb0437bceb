"""The clerk's own wording of a 情况概述, kept in the ledger (meta table) per scope and date.

The overview generates the paragraph from the figures; a clerk often rewrites it before it goes
into the 月调度表. What they wrote is kept with the generated text it replaced, so that a later
change in the figures (a late progress report) can be pointed out: the generated text then no
longer matches the one they edited.
"""

import json
from dataclasses import asdict, dataclass
from datetime import date

from .ledger import Ledger



@dataclass(frozen=True)
class KeptSummary:
    text: str  # what the clerk wrote
    auto_text: str  # the generated paragraph it was written over


def key(inspection_id: int | None, as_of: date) -> str:
    scope = "all" if inspection_id is None else str(inspection_id)
    return f"summary_text/{scope}/{as_of.isoformat()}"


def kept(ledger: Ledger, inspection_id: int | None, as_of: date) -> KeptSummary | None:
    """The clerk's text for one inspection (None: all) and date, if they wrote one."""
    row = ledger.db.execute("SELECT value FROM meta WHERE key = ?",
                            [key(inspection_id, as_of)]).fetchone()
    if row is None:
        return None
    try:
        return KeptSummary(**json.loads(row[0]))
    except (TypeError, ValueError):  # a hand-edited file: as if never written
        return None


def keep(ledger: Ledger, inspection_id: int | None, as_of: date,
         summary: KeptSummary | None) -> KeptSummary | None:
    """Keep the clerk's text (None: forget it, back to the generated one); returns what was kept
    before (keep it again to undo)."""
    name = key(inspection_id, as_of)
    with ledger.writing() as conn:
        old = kept(ledger, inspection_id, as_of)
        if old == summary:
            return old
        if summary is None:
            conn.execute("DELETE FROM meta WHERE key = ?", [name])
        else:
            conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key)"
                         " DO UPDATE SET value = excluded.value",
                         [name, json.dumps(asdict(summary), ensure_ascii=False)])
        return old
