"""The search box's index: each problem's searchable text, built off the UI thread, and exact
substring matching over it."""

import threading

# What the search box promises to look in (its placeholder: 问题、目标、措施、单位……).
SEARCHED_FIELDS = ("code", "description", "goal", "lead_official", "lead_unit", "support_units",
                   "deadline_text", "term", "status", "completion", "remarks")


def haystack(row: dict, latest: dict | None) -> str:
    """A problem's searchable text, casefolded: its fields, its measures (text and completion)
    and its newest progress report, one per line so no match spans two of them."""
    parts = [row[f] or "" for f in SEARCHED_FIELDS]
    for measure in row.get("measures", ()):
        parts += [measure["text"], measure["completion"]]
    if latest:
        parts.append(latest["text"])
    return "\n".join(parts).casefold()


class SearchIndex:
    """The haystacks of one inspection's problems, in ledger order.

    Building them (0.2 s for 8,000 problems) runs in a thread (start), so the window opens without
    waiting; a query before the thread is done waits for it (or builds them, if never started). A query that extends
    the one before (污 → 污水) scans only the previous hits: every problem containing 污水
    contains 污, so the answer stays exactly what a scan of all would give.
    """

    def __init__(self, entries: list[tuple[int, dict, dict | None]]):
        """entries: (problem id, problem row with its measures, newest progress report or None);
        the rows must not change until the index is built (the model replaces, never edits)."""
        self._entries = entries
        self._texts: list[tuple[int, str]] | None = None
        self._last: tuple[list[str], list[tuple[int, str]]] | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Build the texts in a thread; the window calls it once it has painted (the thread holds
        Python's lock while it works, and would slow the first paint)."""
        if self._thread is None and self._texts is None:
            self._thread = threading.Thread(target=self._build, daemon=True, name="search-index")
            self._thread.start()

    def _build(self) -> None:
        self._texts = [(problem_id, haystack(row, latest)) for problem_id, row, latest in self._entries]
        self._entries = []

    def _ready(self) -> list[tuple[int, str]]:
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        elif self._texts is None:
            self._build()
        return self._texts

    def hits(self, terms: list[str]) -> list[int]:
        """Ids of the problems whose text contains every (casefolded) term, in ledger order."""
        texts = self._ready()
        last = self._last
        if last is not None and all(any(old in new for new in terms) for old in last[0]):
            texts = last[1]  # each new term holds an old one: the hits can only shrink
        if len(terms) == 1:  # what is typed nearly always: no all() per problem
            term = terms[0]
            found = [entry for entry in texts if term in entry[1]]
        else:
            found = [(pid, text) for pid, text in texts if all(t in text for t in terms)]
        self._last = (terms, found)
        return [pid for pid, _text in found]

    def replace(self, problem_id: int, row: dict, latest: dict | None) -> None:
        """One problem's text changed (an edit, a new progress report)."""
        text = haystack(row, latest)
        self._texts = [(pid, text if pid == problem_id else old) for pid, old in self._ready()]
        self._last = None
