"""The ledger file's write paths, read back through a real SQLite file with plain SQL."""

import hashlib
import json
import shutil
import sqlite3
from datetime import date

import pytest

from desktop_app.store import seeds
from desktop_app.store.ledger import Ledger
from desktop_app.store.schema import APPLICATION_ID, SCHEMA_VERSION

GENESIS = "0" * 64
# The columns siblings share: positions run 0..n-1 within each group.
SIBLING_GROUPS = {
    "inspections": (),
    "categories": ("inspection_id", "parent_id"),
    "problems": ("category_id",),
    "measures": ("problem_id",),
}


# -- reading back with plain SQL ---------------------------------------------------------------

def dump(ledger, with_audit=True):
    """Every row of every table, as plain SQL reads them (with_audit=False: without the audit
    log and the audit head it keeps in meta)."""
    tables = [r[0] for r in ledger.db.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    content = {t: ledger.db.conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall()
               for t in tables if with_audit or t not in ("audit_log", "row_digests")}
    if not with_audit:  # and the row digests, which follow the audit log's rows too
        content["meta"] = [row for row in content["meta"]
                           if row[0] not in ("audit_head", "row_digests")]
    return content


def assert_positions_contiguous(ledger):
    for table, columns in SIBLING_GROUPS.items():
        groups = {}
        select = ", ".join((*columns, "position"))
        for *key, position in ledger.db.conn.execute(f"SELECT {select} FROM {table}"):
            groups.setdefault(tuple(key), []).append(position)
        for key, positions in groups.items():
            assert sorted(positions) == list(range(len(positions))), (table, key, positions)


def category_id(ledger, title):
    return ledger.db.conn.execute("SELECT id FROM categories WHERE title = ?", [title]).fetchone()[0]


def problem_id(ledger, code):
    return ledger.db.conn.execute("SELECT id FROM problems WHERE code = ?", [code]).fetchone()[0]


def codes_in(ledger, category):
    """The codes of a category's own problems, in position order."""
    return [r[0] for r in ledger.db.conn.execute(
        "SELECT code FROM problems WHERE category_id = ? ORDER BY position", [category])]


def titles_under(ledger, inspection, parent):
    return [r[0] for r in ledger.db.conn.execute(
        "SELECT title FROM categories WHERE inspection_id = ? AND parent_id IS ? ORDER BY position",
        [inspection, parent])]


def audit_rows(ledger):
    cursor = ledger.db.conn.execute("SELECT * FROM audit_log ORDER BY id")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor]


def document_codes(ledger, inspection):
    return [p.row["code"] for p in ledger.tree(inspection).problems]


A, A1, B = "思想认识还不到位", "履职尽责有所懈怠", "突出生态环境问题整改不力"


@pytest.fixture
def inspection(sample_ledger):
    return sample_ledger.inspections()[0]["id"]


# -- create and open ----------------------------------------------------------------------------

def test_create_writes_an_empty_marked_ledger(ledger_path):
    conn = sqlite3.connect(ledger_path)
    try:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"inspections", "categories", "problems", "measures", "audit_log"} <= tables
        assert conn.execute("SELECT count(*) FROM inspections").fetchone()[0] == 0
    finally:
        conn.close()


def test_create_refuses_an_existing_file(ledger_path):
    before = ledger_path.read_bytes()
    with pytest.raises(FileExistsError):
        Ledger.create(ledger_path)
    assert ledger_path.read_bytes() == before


def test_close_and_reopen_keeps_everything(ledger_path, sample_data, tmp_path):
    opened = Ledger.open(ledger_path)
    seeds.fill(opened, sample_data)
    before = dump(opened)
    opened.close()

    # The WAL is folded back in on close: the .db file alone carries everything.
    alone = tmp_path / "copied" / "台账.db"
    alone.parent.mkdir()
    shutil.copyfile(ledger_path, alone)
    for path in (ledger_path, alone):
        reopened = Ledger.open(path)
        try:
            assert reopened.title == "测试台账"
            assert dump(reopened) == before
            assert reopened.tree(reopened.inspections()[0]["id"]).summary == "2大类5项"
        finally:
            reopened.close()


def test_sample_is_filled_as_written(sample_ledger, inspection):
    tree = sample_ledger.tree(inspection)
    assert tree.summary == "2大类5项"
    assert [(c.label, c.title) for c in tree.categories] == [("一、", A), ("二、", B)]
    assert [(c.label, c.title) for c in tree.categories[0].children] == [("（一）", A1)]
    assert [(p.number, p.row["code"]) for p in tree.problems] == [
        (1, "问题编号一"), (2, "问题编号二"), (3, "问题编号三"), (4, "问题编号四"), (5, "问题编号五")]
    first = tree.problems[0].row
    assert [m["text"] for m in first["measures"]] == [
        "县委常委会每季度专题研究生态环境保护工作。", "制定生态环境保护责任清单。"]
    assert first["measures"][0]["completion"] == "已召开专题会议2次。"
    rows = {r[0]: r[1:] for r in sample_ledger.db.conn.execute(
        "SELECT code, deadline, term, status FROM problems")}
    assert rows == {
        "问题编号一": (None, "长期坚持", "整改中"),
        "问题编号二": (None, "立行立改", "已完成"),
        "问题编号三": ("2021-12-31", "限期整改", "未启动"),
        "问题编号四": ("2022-06-30", "限期整改", "未启动"),
        "问题编号五": ("2021-12-31", "限期整改", "未启动"),
    }


# -- add and move -------------------------------------------------------------------------------

def test_add_at_an_index_shifts_the_siblings(sample_ledger):
    b = category_id(sample_ledger, B)
    sample_ledger.add_problem(b, index=0, code="新甲", description="甲")
    sample_ledger.add_problem(b, index=2, code="新乙", description="乙")
    sample_ledger.add_problem(b, code="新丙", description="丙")
    sample_ledger.add_problem(b, index=99, code="新丁", description="丁")  # past the end: appended
    sample_ledger.add_problem(b, index=-3, code="新戊", description="戊")  # before the start: first
    assert codes_in(sample_ledger, b) == ["新戊", "新甲", "问题编号四", "新乙", "问题编号五", "新丙", "新丁"]
    assert_positions_contiguous(sample_ledger)


def test_move_within_a_parent(sample_ledger):
    b = category_id(sample_ledger, B)
    sample_ledger.add_problem(b, code="问题编号六", description="六")
    four = problem_id(sample_ledger, "问题编号四")
    assert sample_ledger.move("problem", four, 2) == (b, 0)
    assert codes_in(sample_ledger, b) == ["问题编号五", "问题编号六", "问题编号四"]
    assert_positions_contiguous(sample_ledger)
    six = problem_id(sample_ledger, "问题编号六")
    assert sample_ledger.move("problem", six, 0) == (b, 1)
    assert codes_in(sample_ledger, b) == ["问题编号六", "问题编号五", "问题编号四"]
    assert_positions_contiguous(sample_ledger)


def test_move_across_categories_and_back(sample_ledger, inspection):
    before = dump(sample_ledger, with_audit=False)
    a, b = category_id(sample_ledger, A), category_id(sample_ledger, B)
    two = problem_id(sample_ledger, "问题编号二")
    old_parent, old_index = sample_ledger.move("problem", two, 1, parent_id=b)
    assert (old_parent, old_index) == (a, 1)
    assert codes_in(sample_ledger, a) == ["问题编号一"]
    assert codes_in(sample_ledger, b) == ["问题编号四", "问题编号二", "问题编号五"]
    assert document_codes(sample_ledger, inspection) == [
        "问题编号一", "问题编号三", "问题编号四", "问题编号二", "问题编号五"]
    assert_positions_contiguous(sample_ledger)

    sample_ledger.move("problem", two, old_index, parent_id=old_parent)
    assert dump(sample_ledger, with_audit=False) == before


def test_move_measure_to_another_problem(sample_ledger):
    four, five = problem_id(sample_ledger, "问题编号四"), problem_id(sample_ledger, "问题编号五")
    measure = sample_ledger.measures(four)[0]["id"]
    sample_ledger.move("measure", measure, 0, parent_id=five)
    assert [m["text"] for m in sample_ledger.measures(four)] == ["完成城区雨污分流改造。"]
    assert [m["text"] for m in sample_ledger.measures(five)] == ["新建污水处理厂二期工程。", "关停禁养区内养殖场。"]
    assert_positions_contiguous(sample_ledger)


def test_category_becomes_subcategory_and_back(sample_ledger, inspection):
    before = dump(sample_ledger, with_audit=False)
    a, b = category_id(sample_ledger, A), category_id(sample_ledger, B)
    assert sample_ledger.move("category", b, 0, parent_id=a) == (None, 1)
    assert titles_under(sample_ledger, inspection, None) == [A]
    assert titles_under(sample_ledger, inspection, a) == [B, A1]
    tree = sample_ledger.tree(inspection)
    assert tree.summary == "1大类5项"
    assert [(c.label, c.title) for c in tree.categories[0].children] == [("（一）", B), ("（二）", A1)]
    assert document_codes(sample_ledger, inspection) == [
        "问题编号一", "问题编号二", "问题编号四", "问题编号五", "问题编号三"]
    assert_positions_contiguous(sample_ledger)

    assert sample_ledger.move("category", b, 1, parent_id=None) == (a, 0)
    assert dump(sample_ledger, with_audit=False) == before


def test_subcategory_becomes_category(sample_ledger, inspection):
    a1 = category_id(sample_ledger, A1)
    sample_ledger.move("category", a1, 0, parent_id=None)
    assert titles_under(sample_ledger, inspection, None) == [A1, A, B]
    assert titles_under(sample_ledger, inspection, category_id(sample_ledger, A)) == []
    tree = sample_ledger.tree(inspection)
    assert tree.summary == "3大类5项"
    assert document_codes(sample_ledger, inspection) == [
        "问题编号三", "问题编号一", "问题编号二", "问题编号四", "问题编号五"]
    assert_positions_contiguous(sample_ledger)


def _other_inspection_category(ledger):
    other = ledger.add_inspection("省级生态环境保护督察", "省级")
    return ledger.add_category(other, "水污染防治不力")


@pytest.mark.parametrize("attempt", [
    "subcategory_under_subcategory",
    "add_under_subcategory",
    "category_with_children_into_another",
    "category_into_itself",
    "category_to_another_inspection",
    "subcategory_to_another_inspection",
    "problem_to_another_inspection",
])
def test_refused_category_moves_change_nothing(sample_ledger, attempt):
    a, a1, b = (category_id(sample_ledger, t) for t in (A, A1, B))
    foreign = _other_inspection_category(sample_ledger)
    before = dump(sample_ledger)
    with pytest.raises(ValueError):
        if attempt == "subcategory_under_subcategory":
            sample_ledger.move("category", b, 0, parent_id=a1)
        elif attempt == "add_under_subcategory":
            sample_ledger.add_category(sample_ledger.inspections()[0]["id"], "三级类别", parent_id=a1)
        elif attempt == "category_with_children_into_another":
            sample_ledger.move("category", a, 0, parent_id=b)
        elif attempt == "category_into_itself":
            sample_ledger.move("category", b, 0, parent_id=b)
        elif attempt == "category_to_another_inspection":
            sample_ledger.move("category", b, 0, parent_id=foreign)
        elif attempt == "subcategory_to_another_inspection":
            sample_ledger.move("category", a1, 0, parent_id=foreign)
        else:
            problem = sample_ledger.tree(sample_ledger.inspections()[0]["id"]).problems[0].id
            sample_ledger.move("problem", problem, 0, parent_id=foreign)
    assert dump(sample_ledger) == before


# -- delete and restore -------------------------------------------------------------------------

def test_delete_and_restore_a_problem_with_its_measures(sample_ledger):
    before = dump(sample_ledger, with_audit=False)
    b = category_id(sample_ledger, B)
    four = problem_id(sample_ledger, "问题编号四")
    sample_ledger.delete("problem", four)
    snap = sample_ledger.last_change
    assert codes_in(sample_ledger, b) == ["问题编号五"]
    assert sample_ledger.db.conn.execute(
        "SELECT count(*) FROM measures WHERE problem_id = ?", [four]).fetchone()[0] == 0
    assert_positions_contiguous(sample_ledger)

    sample_ledger.revert(snap)
    assert dump(sample_ledger, with_audit=False) == before


@pytest.mark.parametrize("title", [A, A1, B])
def test_delete_and_restore_a_category_with_everything_under_it(sample_ledger, title):
    before = dump(sample_ledger, with_audit=False)
    sample_ledger.delete("category", category_id(sample_ledger, title))
    snap = sample_ledger.last_change
    remaining = {r[0] for r in sample_ledger.db.conn.execute("SELECT title FROM categories")}
    assert title not in remaining
    if title == A:  # its subcategory, problems and measures went with it
        assert remaining == {B}
        assert sample_ledger.db.conn.execute("SELECT count(*) FROM problems").fetchone()[0] == 2
        assert sample_ledger.db.conn.execute("SELECT count(*) FROM measures").fetchone()[0] == 3
    assert_positions_contiguous(sample_ledger)

    sample_ledger.revert(snap)
    assert dump(sample_ledger, with_audit=False) == before


def test_delete_and_restore_an_inspection(sample_ledger, inspection):
    sample_ledger.add_inspection("长江经济带生态环境警示片", "警示片")
    before = dump(sample_ledger, with_audit=False)
    sample_ledger.delete("inspection", inspection)
    snap = sample_ledger.last_change
    for table in ("categories", "problems", "measures"):
        assert sample_ledger.db.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
    assert [i["name"] for i in sample_ledger.inspections()] == ["长江经济带生态环境警示片"]
    assert_positions_contiguous(sample_ledger)

    sample_ledger.revert(snap)
    assert dump(sample_ledger, with_audit=False) == before


def test_restore_reattaches_rows_that_were_only_detached(sample_ledger, inspection):
    four = problem_id(sample_ledger, "问题编号四")
    with sample_ledger.writing() as conn:
        conn.execute("INSERT INTO accountability (inspection_id, problem_id, target, action)"
                     " VALUES (?, ?, '县住建局', '约谈')", [inspection, four])
    sample_ledger.delete("problem", four)
    snap = sample_ledger.last_change
    assert sample_ledger.db.conn.execute("SELECT problem_id FROM accountability").fetchone()[0] is None
    sample_ledger.revert(snap)
    assert sample_ledger.db.conn.execute("SELECT problem_id FROM accountability").fetchone()[0] == four


# -- update ------------------------------------------------------------------------------------

def test_update_returns_old_values_and_recomputes_the_deadline(sample_ledger):
    four = problem_id(sample_ledger, "问题编号四")
    old = sample_ledger.update("problem", four, deadline_text="2019年6月底前",
                               status="整改中", lead_unit="县住房和城乡建设局")  # lead_unit unchanged
    assert old == {"deadline_text": "2022年6月30日前", "status": "未启动"}
    row = sample_ledger.db.conn.execute(
        "SELECT deadline_text, deadline, status FROM problems WHERE id = ?", [four]).fetchone()
    assert row == ("2019年6月底前", "2019-06-30", "整改中")

    sample_ledger.update("problem", four, deadline_text="长期坚持")
    assert sample_ledger.row("problem", four)["deadline"] is None
    sample_ledger.update("problem", four, deadline_text="2020年下半年")
    assert sample_ledger.row("problem", four)["deadline"] == date(2020, 12, 31).isoformat()


def test_update_without_change_writes_nothing(sample_ledger):
    four = problem_id(sample_ledger, "问题编号四")
    before = dump(sample_ledger)
    assert sample_ledger.update("problem", four, status="未启动") == {}
    assert dump(sample_ledger) == before


def test_update_category_and_inspection(sample_ledger, inspection):
    b = category_id(sample_ledger, B)
    assert sample_ledger.update("category", b, title="生态环境问题整改不力") == {"title": B}
    assert sample_ledger.update("inspection", inspection, kind="回头看") == {"kind": "中央"}
    assert sample_ledger.row("category", b)["title"] == "生态环境问题整改不力"
    assert sample_ledger.row("inspection", inspection)["kind"] == "回头看"


@pytest.mark.parametrize("attempt", [
    lambda l, p, c: l.update("problem", p, status="完成了"),
    lambda l, p, c: l.update("problem", p, term="限期"),
    lambda l, p, c: l.update("problem", p, deadline="2019-06-30"),  # derived, never typed
    lambda l, p, c: l.update("problem", p, status="已完成", no_such_field="x"),
    lambda l, p, c: l.update("inspection", l.inspections()[0]["id"], kind="国家级"),
    lambda l, p, c: l.add_problem(c, description="新问题", status="办结"),
    lambda l, p, c: l.add_problem(c, description="新问题", term="马上改"),
    lambda l, p, c: l.add_problem(c, description="新问题", no_such_field="x"),
    lambda l, p, c: l.add_inspection("市级督察", kind="市级"),
], ids=["status", "term", "deadline", "unknown-field", "kind", "add-status", "add-term",
        "add-unknown-field", "add-kind"])
def test_invalid_values_are_rejected_and_nothing_written(sample_ledger, attempt):
    before = dump(sample_ledger)
    with pytest.raises(ValueError):
        attempt(sample_ledger, problem_id(sample_ledger, "问题编号四"), category_id(sample_ledger, B))
    assert dump(sample_ledger) == before


# -- audit trail -------------------------------------------------------------------------------

def test_every_change_writes_audit_rows(ledger):
    def change(action, expected_rows):
        count = len(audit_rows(ledger))
        result = action()
        new = audit_rows(ledger)[count:]
        header, new = new[0], new[1:]  # each change set: its label and source, then its rows
        assert (header["action"], header["entity"]) == ("change", "change_set")
        assert [(r["action"], r["entity"], r["field"]) for r in new] == expected_rows
        return result, new

    change(lambda: ledger.set_title("某县台账"), [("update", "ledger", "title")])
    inspection, rows = change(lambda: ledger.add_inspection("第二轮中央督察"),
                              [("create", "inspection", None)])
    assert rows[0]["entity_id"] == inspection
    category, _ = change(lambda: ledger.add_category(inspection, "大类"), [("create", "category", None)])
    problem, rows = change(
        lambda: ledger.add_problem(category, description="问题", measures=["措施一", "措施二"]),
        [("create", "problem", None), ("create", "measure", None), ("create", "measure", None)])
    assert rows[0]["entity_id"] == problem
    _, rows = change(lambda: ledger.update("problem", problem, status="整改中", goal="目标"),
                     [("update", "problem", "goal"), ("update", "problem", "status")])
    assert (json.loads(rows[1]["old_value"]), json.loads(rows[1]["new_value"])) == ("未启动", "整改中")
    other, _ = change(lambda: ledger.add_category(inspection, "另一大类"), [("create", "category", None)])
    _, rows = change(lambda: ledger.move("problem", problem, 0, parent_id=other),
                     [("move", "problem", "category_id")])
    assert json.loads(rows[0]["new_value"]) == {"parent": other, "index": 0}
    _, rows = change(lambda: ledger.delete("problem", problem),
                     [("delete", "measure", None), ("delete", "measure", None),
                      ("delete", "problem", None)])
    assert rows[2]["entity_id"] == problem and "措施二" in rows[1]["old_value"]
    change(lambda: ledger.revert(ledger.last_change),
           [("restore", "problem", None), ("restore", "measure", None), ("restore", "measure", None)])


def test_audit_hash_chain_links(sample_ledger, ledger_path):
    four = problem_id(sample_ledger, "问题编号四")
    sample_ledger.update("problem", four, status="整改中")
    sample_ledger.delete("problem", four)
    sample_ledger.revert(sample_ledger.last_change)
    sample_ledger.close()
    reopened = Ledger.open(ledger_path)  # the chain continues across sessions
    try:
        reopened.set_title("改名后的台账")
        rows = audit_rows(reopened)
    finally:
        reopened.close()

    assert len(rows) > 20
    assert rows[0]["prev_hash"] == GENESIS
    for previous, row in zip(rows, rows[1:]):
        assert row["prev_hash"] == previous["hash"]
    for row in rows:  # each hash covers the entry it sits on
        payload = json.dumps([row["prev_hash"], row["at"], row["os_user"], row["app_user"],
                              row["action"], row["entity"], row["entity_id"], row["field"],
                              row["old_value"], row["new_value"]], ensure_ascii=False)
        assert row["hash"] == hashlib.sha256(payload.encode("utf-8")).hexdigest()
    assert len({r["hash"] for r in rows}) == len(rows)


# -- transactions -------------------------------------------------------------------------------

def test_failing_action_inside_writing_rolls_back_everything(sample_ledger, inspection):
    a, b = category_id(sample_ledger, A), category_id(sample_ledger, B)
    before = dump(sample_ledger)
    with pytest.raises(ValueError):
        with sample_ledger.writing():
            new_category = sample_ledger.add_category(inspection, "新增大类")
            sample_ledger.add_problem(new_category, description="新问题", measures=["措施"])
            sample_ledger.update("problem", problem_id(sample_ledger, "问题编号一"), status="已完成")
            sample_ledger.delete("problem", problem_id(sample_ledger, "问题编号五"))
            sample_ledger.set_title("不该留下的标题")
            sample_ledger.move("category", a, 0, parent_id=b)  # refused: 大类 with a 小类
    assert dump(sample_ledger) == before

    # The ledger stays usable and the chain picks up where it was.
    sample_ledger.add_category(inspection, "之后的大类")
    rows = audit_rows(sample_ledger)
    assert rows[-1]["prev_hash"] == rows[-2]["hash"]


def test_exception_from_the_caller_rolls_back(sample_ledger, inspection):
    before = dump(sample_ledger)
    with pytest.raises(RuntimeError):
        with sample_ledger.writing():
            sample_ledger.add_category(inspection, "新增大类")
            raise RuntimeError("clerk pressed cancel")
    assert dump(sample_ledger) == before


def test_seed_with_a_bad_problem_fills_nothing(ledger, sample_data):
    sample_data["inspections"][0]["categories"][1]["problems"][1]["status"] = "办结"
    before = dump(ledger)
    with pytest.raises(ValueError):
        seeds.fill(ledger, sample_data)
    assert dump(ledger) == before
