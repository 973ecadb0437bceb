"""Links of one problem across inspections (同一问题 / 同类问题): each write one transaction."""

from ..domain.links import LinkKind, candidates
from .ledger import Ledger



def add_link(ledger: Ledger, problem_a: int, problem_b: int, kind: str = LinkKind.SAME,
             note: str = "") -> int:
    kind = LinkKind(kind).value
    if problem_a == problem_b:
        raise ValueError("不能把问题与它自己关联。")
    with ledger.writing():
        for pid in (problem_a, problem_b):
            ledger.row("problem", pid)
        found = ledger.db.execute(
            "SELECT kind FROM links WHERE (problem_a = ? AND problem_b = ?)"
            " OR (problem_a = ? AND problem_b = ?)",
            [problem_a, problem_b, problem_b, problem_a]).fetchone()
        if found:
            raise ValueError(f"这两个问题已关联为“{found[0]}”。")
        return ledger.db["links"].insert({"problem_a": problem_a, "problem_b": problem_b,
                                          "kind": kind, "note": note.strip()}).last_pk


def delete_link(ledger: Ledger, link_id: int) -> dict:
    with ledger.writing():
        row = dict(ledger.db["links"].get(link_id))
        ledger.db.execute("DELETE FROM links WHERE id = ?", [link_id])
        return row


def links_of(ledger: Ledger, problem_id: int) -> list[dict]:
    """The problem's links both ways: each with other (the linked problem's id), its code,
    description and inspection name."""
    return list(ledger.db.query(
        "SELECT l.id, l.kind, l.note, o.id AS other, o.code, o.description, o.lead_unit,"
        " i.name AS inspection FROM links l"
        " JOIN problems o ON o.id = CASE WHEN l.problem_a = :p THEN l.problem_b ELSE l.problem_a END"
        " JOIN categories c ON c.id = o.category_id JOIN inspections i ON i.id = c.inspection_id"
        " WHERE l.problem_a = :p OR l.problem_b = :p ORDER BY l.id", {"p": problem_id}))


def all_links(ledger: Ledger) -> list[tuple[int, int, str]]:
    return [tuple(r) for r in ledger.db.execute("SELECT problem_a, problem_b, kind FROM links")]


def suggestions(ledger: Ledger, problem_id: int, limit: int = 8) -> list[tuple[float, dict]]:
    """Problems of the other inspections most like this one (text and 责任单位), best first."""
    problem = ledger.row("problem", problem_id)
    inspection = ledger.inspection_of("problem", problem_id)
    others = list(ledger.db.query(
        "SELECT p.id, p.code, p.description, p.lead_unit, i.name AS inspection FROM problems p"
        " JOIN categories c ON c.id = p.category_id JOIN inspections i ON i.id = c.inspection_id"
        " WHERE c.inspection_id <> ?", [inspection]))
    linked = {r["other"] for r in links_of(ledger, problem_id)}
    return candidates(problem, [o for o in others if o["id"] not in linked], limit)
