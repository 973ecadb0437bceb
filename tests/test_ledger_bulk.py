"""Ledger.add_problems writes what add_problem would one by one, in one executemany."""

import json

from desktop_app.store.integrity import check_audit_chain
from desktop_app.store.ledger import Ledger

PROBLEMS = [
    {"description": "污水直排", "deadline_text": "2025年6月底前", "lead_unit": "县水利局",
     "measures": ["排查排污口", {"text": "建设截污管网", "completion": "已完成80%"}]},
    {"description": "散煤燃烧", "deadline_text": "长期坚持", "status": "整改中"},
    {"code": "FK-07", "description": "黑臭水体", "measures": [{"text": "清淤"}]},
]


CLOCK = ("created_at", "updated_at")  # the two ledgers are written a moment apart


def _written(ledger: Ledger) -> tuple[list, list, list]:
    """Rows and audit entries as stored, without the clock columns."""
    problems = [{k: v for k, v in row.items() if k not in CLOCK}
                for row in ledger.db.query("SELECT * FROM problems ORDER BY id")]
    measures = list(ledger.db.query("SELECT * FROM measures ORDER BY id"))
    entries = []
    for r in ledger.db.query("SELECT * FROM audit_log ORDER BY id"):
        value = json.loads(r["new_value"]) if r["new_value"] else None
        if isinstance(value, dict):
            value = {k: v for k, v in value.items() if k not in CLOCK}
        entries.append((r["action"], r["entity"], r["entity_id"], value))
    return problems, measures, entries


def test_bulk_insert_matches_one_by_one(tmp_path):
    one, bulk = Ledger.create(tmp_path / "one.db"), Ledger.create(tmp_path / "bulk.db")
    try:
        for ledger in (one, bulk):
            inspection = ledger.add_inspection("第二轮中央督察")
            first = ledger.add_category(inspection, "一、水污染防治")
            second = ledger.add_category(inspection, "二、大气污染防治")
            ledger.add_problem(second, description="已有的问题")  # appends after what is there
        targets = [first, second, first]
        with one.writing():  # one change set, as the bulk write is
            for category_id, fields in zip(targets, PROBLEMS):
                one.add_problem(category_id, **fields)
        ids = bulk.add_problems([(c, dict(f)) for c, f in zip(targets, PROBLEMS)])
        assert ids == [row["id"] for row in bulk.db.query("SELECT id FROM problems WHERE id > 1 ORDER BY id")]
        (bulk_problems, bulk_measures, bulk_entries), (problems, measures, entries) = \
            _written(bulk), _written(one)
        assert (bulk_problems, bulk_measures) == (problems, measures)
        # The same entries; the bulk write records its problems before their measures.
        assert sorted(bulk_entries, key=repr) == sorted(entries, key=repr)
        assert [p.row["description"] for p in bulk.tree(inspection).problems] == \
            ["污水直排", "黑臭水体", "已有的问题", "散煤燃烧"]
        assert check_audit_chain(bulk.db.conn) == []
    finally:
        one.close()
        bulk.close()
