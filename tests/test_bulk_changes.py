"""Rows written in bulk (an import, a merge) are ranges of ids in the change set (store.bulk): one
audit entry a table, digests as if written one by one, and undo and redo as exact as ever."""

import json

import pytest

from desktop_app.formats.importing.apply import apply_plan
from desktop_app.formats.importing.plan_text import read_plan_text
from desktop_app.store import row_digests
from desktop_app.store.changes import ReplayConflictError, RowRange
from desktop_app.store.history import problem_history
from desktop_app.store.integrity import check_connection
from desktop_app.ui.document import LedgerDocument

from test_store import dump

PLAN = "一、水污染防治\n" + "".join(
    f"{n}.第{n}条河道黑臭。\n整改措施：1.截污纳管。2.清淤疏浚。\n责任单位：县住建局\n"
    for n in range(1, 31)) + "二、大气污染防治\n1.散煤燃烧。\n整改措施：推广清洁取暖。\n"


@pytest.fixture
def document(qtbot, sample_ledger):
    doc = LedgerDocument(sample_ledger)
    yield doc
    doc.deleteLater()


def content(ledger):
    return dump(ledger, with_audit=False)


def sound(ledger) -> list[str]:
    """What the full check finds: nothing, when digests and the audit chain kept up."""
    return [f.message for f in check_connection(ledger.db.conn)]


def imported(document) -> dict:
    ledger = document.ledger
    return document.run_change("导入", lambda: apply_plan(ledger, read_plan_text(PLAN)),
                               source="整改方案.txt")


def test_an_import_is_ranges_with_one_audit_entry_a_table_and_digests_that_check(document):
    ledger = document.ledger
    before = ledger.db.execute("SELECT max(id) FROM problems").fetchone()[0]
    result = imported(document)
    assert result["problems"] == 31
    ranges = [r for r in ledger.last_change.rows if isinstance(r, RowRange)]
    assert [(r.table, r.count) for r in ranges] == [("problems", 31), ("measures", 61)]
    assert ranges[0].low == before + 1
    entries = ledger.db.execute(
        "SELECT action, entity, entity_id, field, new_value FROM audit_log WHERE field = 'rows'"
        " ORDER BY id").fetchall()
    assert [(a, e, i, f) for a, e, i, f, _v in entries] == [
        ("create", "problem", None, "rows"), ("create", "measure", None, "rows")]
    assert json.loads(entries[0][4]) == {"from": before + 1, "to": before + 31, "count": 31}
    header, count, label = ledger.db.execute(
        "SELECT id, entity_id, field FROM audit_log WHERE action = 'change' ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert (count, label) == (1 + 2 + 31 + 61, "导入")  # rows: inspection, categories, …
    # No entry per imported row; the inspection and its two categories have their own.
    assert ledger.db.execute("SELECT entity, count(*) FROM audit_log WHERE id > ? AND field IS NOT 'rows'"
                             " GROUP BY entity ORDER BY entity", [header]).fetchall() == \
        [("category", 2), ("inspection", 1)]
    # The digests are those a write row by row would have made.
    stored = dict(ledger.db.execute("SELECT rid, digest FROM row_digests WHERE tbl = 'problems'"))
    conn = ledger.db.conn
    assert stored == {rid: digest for rid, digest, _p in
                      row_digests._digests(conn, "problems", row_digests._rows_sql("problems"))}
    assert sound(ledger) == []


def test_undo_and_redo_of_an_import_put_back_exactly_what_was_there(document):
    ledger = document.ledger
    before = content(ledger)
    imported(document)
    after = content(ledger)
    assert document.undo()
    assert content(ledger) == before
    assert sound(ledger) == []
    assert document.redo()
    assert content(ledger) == after
    assert sound(ledger) == []
    assert document.undo()  # and again: redo kept nothing it needs
    assert content(ledger) == before
    assert sound(ledger) == []
    undone = ledger.db.execute("SELECT action, entity, old_value FROM audit_log WHERE field = 'rows'"
                               " ORDER BY id DESC LIMIT 2").fetchall()
    assert [(a, e, json.loads(old)["count"]) for a, e, old in reversed(undone)] == \
        [("delete", "measure", 61), ("delete", "problem", 31)]  # children first


def test_undo_refuses_an_import_whose_rows_changed_since(document):
    ledger = document.ledger
    imported(document)
    problem = ledger.db.execute("SELECT max(id) FROM problems").fetchone()[0]
    ledger.update("problem", problem, goal="导入后在别处改的目标")  # not through the undo stack
    changed = content(ledger)
    messages = []
    document.failed.connect(messages.append)
    assert not document.undo()
    assert content(ledger) == changed
    assert "又有了改动" in messages[0] and document.undo_stack.canUndo()


def test_redo_refuses_when_a_new_row_took_the_imported_ids(document):
    ledger = document.ledger
    imported(document)
    document.undo()
    category = ledger.db.execute("SELECT min(id) FROM categories").fetchone()[0]
    ledger.add_problem(category, description="撤销后新增的问题")  # takes the first freed id
    taken = content(ledger)
    messages = []
    document.failed.connect(messages.append)
    assert not document.redo()
    assert content(ledger) == taken
    assert messages and "不能再撤销或重做" in messages[0]


def test_rows_changed_and_removed_within_the_bulk_change_are_in_the_range_as_left(document):
    ledger = document.ledger
    before = content(ledger)
    category = ledger.db.execute("SELECT min(id) FROM categories").fetchone()[0]

    def action():
        ledger.capture_in_bulk("problems", "measures")
        ids = ledger.add_problems([(category, {"description": f"问题{n}", "measures": ["措施"]})
                                   for n in range(5)])
        ledger.update("problem", ids[0], goal="同一步里改的")
        ledger.delete("problem", ids[1])
        return ids
    ids = document.run_change("成批新增", action)
    change = ledger.last_change
    assert [(r.table, r.count) for r in change.rows if isinstance(r, RowRange)] == \
        [("problems", 4), ("measures", 4)]
    after = content(ledger)
    assert ledger.row("problem", ids[0])["goal"] == "同一步里改的"
    assert sound(ledger) == []
    document.undo()
    assert content(ledger) == before
    document.redo()
    assert content(ledger) == after
    assert sound(ledger) == []


def test_a_problems_history_starts_at_the_bulk_entry_that_created_it(document):
    ledger = document.ledger
    imported(document)
    problem = ledger.db.execute("SELECT max(id) FROM problems").fetchone()[0]
    document.edit("problem", problem, goal="导入后补的目标")
    history = problem_history(ledger, problem)
    assert [(e["action_label"], e["field_label"]) for e in history] == \
        [("修改", "整改目标"), ("新增", "成批")]
    assert history[1]["new_text"].startswith("共31条（编号")


def test_a_failed_bulk_change_leaves_no_capture_behind(ledger):
    ledger.add_inspection("第二轮督察")
    with pytest.raises(ZeroDivisionError):
        with ledger.writing():
            ledger.capture_in_bulk("categories")
            ledger.add_category(1, "一、不会留下的大类")
            1 / 0
    category = ledger.add_category(1, "一、水污染防治")  # logged one by one again
    assert not [r for r in ledger.last_change.rows if isinstance(r, RowRange)]
    assert ledger.db.execute("SELECT action, entity_id FROM audit_log ORDER BY id DESC LIMIT 1"
                             ).fetchone() == ("create", category)


def test_replaying_a_range_into_a_changed_schema_is_refused(document):
    ledger = document.ledger
    imported(document)
    change = ledger.last_change
    ledger._columns.pop("measures")  # as after a restore of an older file
    with pytest.raises(ReplayConflictError):
        ledger.revert(change)


def test_a_row_written_below_the_range_in_a_bulk_change_is_logged_one_by_one(document):
    """A merge gives a row the county deleted its old id back: below the range, so in the log."""
    ledger = document.ledger
    category = ledger.db.execute("SELECT min(id) FROM categories").fetchone()[0]
    freed = ledger.db.execute("SELECT min(id) FROM problems").fetchone()[0]
    document.run_change("删除", lambda: ledger.delete("problem", freed))
    before = content(ledger)

    def action():
        ledger.capture_in_bulk("problems")
        ledger.conn.execute("INSERT INTO problems (id, category_id, position, description, created_at,"
                            " updated_at) VALUES (?, ?, 99, '回到旧编号的问题', '2024-06-30T08:00:00',"
                            " '2024-06-30T08:00:00')", [freed, category])
        ledger.add_problems([(category, {"description": "新问题"})])
    document.run_change("汇总", action)
    rows = ledger.last_change.rows
    assert [(r.table, r.rowid) for r in rows if not isinstance(r, RowRange)] == [("problems", freed)]
    assert [(r.table, r.count) for r in rows if isinstance(r, RowRange)] == [("problems", 1)]
    assert sound(ledger) == []
    document.undo()
    assert content(ledger) == before
    assert sound(ledger) == []
