"""Links of one problem across inspections: 同一问题 (the same) or 同类问题 (of the same kind).

Problems count two ways: as fed back (every problem of every source) and distinct (problems
joined by 同一问题 links count once); 同类问题 links do not merge.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum


class LinkKind(StrEnum):
    SAME = "同一问题"
    SIMILAR = "同类问题"


@dataclass(frozen=True)
class LinkCount:
    fed_back: int = 0
    distinct: int = 0

    def to_json(self) -> dict:
        return {"fed_back": self.fed_back, "distinct": self.distinct}


def count_links(problem_ids, links) -> LinkCount:
    """problem_ids: the problems in scope; links: (a, b, kind) rows. Links to problems outside
    the scope do not merge anything inside it."""
    ids = set(problem_ids)
    parent = {i: i for i in ids}

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i
    for a, b, kind in links:
        if kind == LinkKind.SAME and a in ids and b in ids:
            parent[root(a)] = root(b)
    return LinkCount(len(ids), len({root(i) for i in ids}))


def similarity(a: dict, b: dict) -> float:
    """How alike two problems read (0..1): their texts, and a bonus for the same 责任单位."""
    text = SequenceMatcher(None, a.get("description") or "", b.get("description") or "").ratio()
    same_unit = bool(a.get("lead_unit")) and a.get("lead_unit") == b.get("lead_unit")
    return min(1.0, text + (0.2 if same_unit else 0.0))


def candidates(problem: dict, others, limit: int = 8, floor: float = 0.2) -> list[tuple[float, dict]]:
    """The other problems most like problem, best first, each with its score."""
    scored = [(similarity(problem, o), o) for o in others if o["id"] != problem["id"]]
    scored = [s for s in scored if s[0] >= floor]
    scored.sort(key=lambda s: (-s[0], s[1]["id"]))
    return scored[:limit]
