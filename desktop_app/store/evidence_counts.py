"""How many live 佐证材料 each problem has, for the ledger's 佐证 column and its 无佐证材料 filter."""

from .ledger import Ledger


def evidence_counts(ledger: Ledger, inspection_id: int) -> dict[int, int]:
    """{problem_id: live attachments} for the problems of an inspection that have any: one query."""
    rows = ledger.conn.execute(
        "SELECT e.problem_id, COUNT(*) FROM evidence e JOIN problems p ON p.id = e.problem_id"
        " JOIN categories c ON c.id = p.category_id"
        " WHERE c.inspection_id = ? AND e.deleted_at IS NULL GROUP BY e.problem_id",
        [inspection_id])
    return dict(rows.fetchall())


def evidence_count(ledger: Ledger, problem_id: int) -> int:
    """Live attachments of one problem (after an attach or a removal)."""
    return ledger.db.execute("SELECT COUNT(*) FROM evidence WHERE problem_id = ? AND deleted_at IS NULL",
                             [problem_id]).fetchone()[0]
