"""One user action, one change set, one undo step: every kind of write undoes and redoes exactly."""

import sqlite3
from datetime import date

import pytest

from desktop_app.formats.importing.apply import apply_plan
from desktop_app.formats.importing.plan_text import read_plan_text
from desktop_app.jobs import finish
from desktop_app.store import evidence_attach, petitions, signoff
from desktop_app.store.summary_texts import KeptSummary
from desktop_app.ui.document import LedgerDocument

from test_store import dump


def content(ledger):
    return dump(ledger, with_audit=False)


@pytest.fixture
def document(qtbot, sample_ledger):
    doc = LedgerDocument(sample_ledger)
    yield doc
    doc.deleteLater()


def ids(ledger, sql, *params):
    return [r[0] for r in ledger.db.execute(sql, params).fetchall()]


def first_problem(ledger):
    return ids(ledger, "SELECT id FROM problems ORDER BY id")[0]


def a_measure(ledger):
    return ids(ledger, "SELECT id FROM measures ORDER BY id")[0]


def finished_problem(ledger):
    """A problem that can start 销号: every measure done, status 已完成."""
    problem = first_problem(ledger)
    for measure in ids(ledger, "SELECT id FROM measures WHERE problem_id = ?", problem):
        ledger.update("measure", measure, completion="已完成。")
    ledger.update("problem", problem, status="已完成")
    return problem


PLAN = """一、思想认识还不到位
1.城区黑臭水体整治进展缓慢。
整改措施：1.完成截污纳管。2.开展清淤疏浚。
责任单位：县住建局
整改时限：2025年底前
2.工业园区污水处理厂超标排放。
责任单位：县生态环境局
"""


def evidence_file(tmp_path):
    path = tmp_path / "现场照片.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + b"photo" * 200)
    return path


def attach(document, tmp_path):
    ledger = document.ledger
    plan = evidence_attach.prepare_attach(ledger, first_problem(ledger), [evidence_file(tmp_path)])
    finish(evidence_attach.copy_files(plan))
    return document.attach_evidence(first_problem(ledger), [plan])


def with_evidence(document, tmp_path):
    attach(document, tmp_path)
    return ids(document.ledger, "SELECT id FROM evidence")[0]


def report(document):
    return document.add_report(first_problem(document.ledger), "2024-03-31", "完成排查。", "李四")


def applied(document):
    ledger = document.ledger
    problem = finished_problem(ledger)
    document.signoff_step(problem, lambda: signoff.apply(ledger, problem, "2024-04-01"), "申请销号")
    return problem


def a_petition(document):
    return document.change_petition(None, lambda: petitions.add(
        document.ledger, None, code="XF-1", received_on="2024-01-05", content="反映异味"), "新增信访件")


# Each: (preparation returning a value, the user action taking it). Preparations are done
# before the "before" state is read, so only the action is on trial.
ACTIONS = {
    "edit a problem": (lambda d, t: first_problem(d.ledger),
                       lambda d, p: d.edit("problem", p, status="整改中", goal="新目标")),
    "add an inspection": (lambda d, t: None, lambda d, _: d.add_inspection(name="省级督察", kind="省级")),
    "add a category": (lambda d, t: d.ledger.inspections()[0]["id"],
                       lambda d, i: d.add_category(i, "新的大类", index=0)),
    "add a problem": (lambda d, t: ids(d.ledger, "SELECT id FROM categories")[0],
                      lambda d, c: d.add_problem(c, 0, description="新问题", measures=["措施"])),
    "add a measure": (lambda d, t: first_problem(d.ledger),
                      lambda d, p: d.add_measure(p, 0, "新措施")),
    "delete a measure": (lambda d, t: a_measure(d.ledger), lambda d, m: d.delete("measure", m)),
    "delete a problem with evidence": (
        lambda d, t: (with_evidence(d, t), report(d), first_problem(d.ledger))[-1],
        lambda d, p: d.delete("problem", p)),
    "delete a category": (lambda d, t: ids(d.ledger, "SELECT id FROM categories")[0],
                          lambda d, c: d.delete("category", c)),
    "delete the inspection": (lambda d, t: d.ledger.inspections()[0]["id"],
                              lambda d, i: d.delete("inspection", i)),
    "move a problem to another category": (
        lambda d, t: (first_problem(d.ledger), ids(d.ledger, "SELECT id FROM categories")[-1]),
        lambda d, pc: d.move("problem", pc[0], 0, parent_id=pc[1])),
    "move a measure": (lambda d, t: a_measure(d.ledger), lambda d, m: d.move("measure", m, 5)),
    "add a progress report with a status": (
        lambda d, t: first_problem(d.ledger),
        lambda d, p: d.add_report(p, "2024-03-31", "完成排查。", "李四", new_status="整改中")),
    "edit a progress report": (lambda d, t: report(d),
                               lambda d, r: d.edit_report(0, r, text="完成排查和方案。")),
    "delete a progress report": (lambda d, t: report(d), lambda d, r: d.delete_report(0, r)),
    "change a deadline": (lambda d, t: first_problem(d.ledger),
                          lambda d, p: d.change_deadline(p, "2026年底前", "汛期", "2024-05-01")),
    "apply for 销号": (lambda d, t: finished_problem(d.ledger),
                      lambda d, p: d.signoff_step(p, lambda: signoff.apply(d.ledger, p, "2024-04-01"),
                                                  "申请销号")),
    "set 公示 contacts": (lambda d, t: applied(d), lambda d, p: d.signoff_fields(
        p, lambda s: signoff.set_contacts(d.ledger, s, office="镇生态办", phone="0731-1234"), "联系")),
    "add a petition": (lambda d, t: None, lambda d, _: a_petition(d)),
    "delete a petition": (lambda d, t: a_petition(d), lambda d, p: d.change_petition(
        p, lambda: petitions.delete(d.ledger, p), "删除信访件")),
    "keep a 情况概述": (lambda d, t: None, lambda d, _: d.keep_summary(
        None, date(2024, 5, 31), KeptSummary("手写的概述", "自动的概述"))),
    "enter 放假安排": (lambda d, t: None, lambda d, _: d.set_holidays(
        [(date(2031, 1, 1), False, "元旦"), (date(2031, 1, 4), True, "调休上班")], "录入放假安排")),
    "attach evidence": (lambda d, t: t, lambda d, t: attach(d, t)),
    "edit evidence": (lambda d, t: with_evidence(d, t),
                      lambda d, e: d.edit_evidence(e, caption="整改后", kind="现场照片")),
    "recycle evidence": (lambda d, t: with_evidence(d, t),
                         lambda d, e: d.recycle_evidence([e], live=False)),
    "change evidence kinds": (lambda d, t: None,
                              lambda d, _: d.set_evidence_kinds(["现场照片", "会议纪要"])),
    "import a plan into the ledger": (lambda d, t: None, lambda d, _: d.run_change(
        "导入", lambda: apply_plan(d.ledger, read_plan_text(PLAN)), source="粘贴的文字")),
}


@pytest.mark.parametrize("name", ACTIONS)
def test_every_action_is_one_step_that_undoes_and_redoes_exactly(document, tmp_path, name):
    prepare, act = ACTIONS[name]
    value = prepare(document, tmp_path)
    steps = document.undo_stack.count()
    before = content(document.ledger)
    heard = []
    document.changed.connect(heard.append)

    act(document, value)
    after = content(document.ledger)
    assert after != before
    assert document.undo_stack.count() == steps + 1
    assert heard and heard[-1].tables

    assert document.undo()
    assert content(document.ledger) == before
    assert document.redo()
    assert content(document.ledger) == after
    assert document.undo_stack.index() == steps + 1


def test_typing_in_one_field_is_one_step(document):
    problem = first_problem(document.ledger)
    before = content(document.ledger)
    for text in ("城", "城区", "城区污水"):
        document.edit("problem", problem, goal=text)
    assert document.undo_stack.count() == 1
    document.undo()
    assert content(document.ledger) == before


def test_undo_of_an_import_merged_into_a_new_category_keeps_the_category(document):
    """The bug of version 1: 新增大类, then an import merged into it, then Ctrl+Z."""
    ledger = document.ledger
    inspection = ledger.inspections()[0]["id"]
    category = document.add_category(inspection, "思想认识还不到位")
    before_import = content(ledger)
    result = document.run_change("导入", lambda: apply_plan(ledger, read_plan_text(PLAN), inspection),
                                 source="整改方案.txt")
    assert result["merged_categories"]
    merged = ids(ledger, "SELECT id FROM problems WHERE category_id = ?", category)
    assert len(merged) == 2
    assert document.undo_stack.undoText() == "导入"

    document.undo()
    assert content(ledger) == before_import
    assert ids(ledger, "SELECT id FROM categories WHERE id = ?", category) == [category]
    document.undo()  # now the 新增大类 itself
    assert ids(ledger, "SELECT id FROM categories WHERE id = ?", category) == []


def test_a_replay_that_fails_leaves_ledger_and_stack_as_they_were(document, ledger_path):
    ledger = document.ledger
    problem = first_problem(ledger)
    document.edit("problem", problem, goal="窗口里写的目标")
    # Someone changes the same row behind the window's back (another program, a script).
    other = sqlite3.connect(ledger_path)
    other.execute("UPDATE problems SET goal = '别处改的' WHERE id = ?", [problem])
    other.commit()
    other.close()
    before, index = content(ledger), document.undo_stack.index()
    messages = []
    document.failed.connect(messages.append)

    assert not document.undo()
    assert content(ledger) == before
    assert document.undo_stack.index() == index
    assert messages and "撤销" in messages[0] and "没有改动" in messages[0]


def test_a_10000_row_change_is_one_undo_step(document):
    ledger = document.ledger
    category = ids(ledger, "SELECT id FROM categories")[0]
    before = content(ledger)

    def many():
        for n in range(2500):
            ledger.add_problem(category, description=f"问题{n}", measures=["措施一", "措施二", "措施三"])
    document.run_change("批量新增", many)
    assert ledger.db.execute("SELECT count(*) FROM measures").fetchone()[0] >= 7500
    assert document.undo_stack.count() == 1
    document.undo()
    assert content(ledger) == before


def test_the_audit_trail_names_each_change_and_where_it_came_from(document):
    ledger = document.ledger
    document.run_change("导入", lambda: apply_plan(ledger, read_plan_text(PLAN)), source="整改方案.txt")
    header = ledger.db.execute("SELECT field, new_value, entity_id FROM audit_log"
                               " WHERE action = 'change' ORDER BY id DESC LIMIT 1").fetchone()
    assert header[0] == "导入" and "整改方案.txt" in header[1]
    rows = ledger.db.execute("SELECT count(*) FROM audit_log WHERE id > (SELECT max(id) FROM"
                             " audit_log WHERE action = 'change')").fetchone()[0]
    assert 0 < rows <= header[2]  # an entry per row written, net of a row's passing steps
    document.undo()
    label = ledger.db.execute("SELECT field FROM audit_log WHERE action = 'change'"
                              " ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert label == "撤销：导入"


def test_a_change_that_fails_writes_nothing_and_pushes_nothing(document):
    ledger = document.ledger
    before = content(ledger)
    messages = []
    document.failed.connect(messages.append)

    def half_then_fail():
        ledger.add_problem(ids(ledger, "SELECT id FROM categories")[0], description="写了一半")
        raise ValueError("整改时限写得不对。")
    assert document.run_change("新增问题", half_then_fail) is None
    assert content(ledger) == before and document.undo_stack.count() == 0
    assert messages == ["整改时限写得不对。"]
