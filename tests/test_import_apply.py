"""Writing an import plan: a new or an existing inspection, categories merged by title, all or nothing."""

import sqlite3

import pytest

from desktop_app.formats.importing.apply import (InspectionMissing, apply_plan, apply_plan_steps,
                                              inspection_kind)
from desktop_app.formats.importing.errors import NoProblemsFound
from desktop_app.formats.importing.plan import ImportPlan
from desktop_app.formats.importing.plan_text import read_plan_text
from desktop_app.jobs import Step


def dump(ledger) -> list[str]:
    return list(ledger.db.conn.iterdump())


def plan_of(text: str) -> ImportPlan:
    return read_plan_text(text, source="测试.txt")


def test_import_into_an_existing_inspection_merges_categories(sample_ledger):
    inspection = sample_ledger.inspections()[0]
    plan = plan_of("一、思想认识还不到位\n（一）履职尽责有所懈怠\n1.新问题甲。\n（二）新的小类\n2.新问题乙。\n"
                   "二、新的大类\n3.新问题丙。\n（1）措施一\n（2）措施二")
    result = apply_plan(sample_ledger, plan, inspection["id"])
    assert not result["created_inspection"] and result["inspection"] == inspection["name"]
    assert result["summary"] == "2大类3项" and result["measures"] == 2
    assert result["merged_categories"] == ["思想认识还不到位", "履职尽责有所懈怠"]
    assert result["new_categories"] == 2
    assert result["inspection_summary"] == "3大类8项"
    tree = sample_ledger.tree(inspection["id"])
    assert [c.title for c in tree.categories] == ["思想认识还不到位", "突出生态环境问题整改不力", "新的大类"]
    first = tree.categories[0]
    assert [c.title for c in first.children] == ["履职尽责有所懈怠", "新的小类"]
    assert [p.row["description"] for p in first.children[0].problems] == [
        "县自然资源局对非法占用林地问题查处不力。", "新问题甲。"]
    assert [p.number for p in tree.problems] == list(range(1, 9))


def test_new_inspection_named_and_kinded(ledger):
    plan = plan_of("1.问题。")
    result = apply_plan(ledger, plan, inspection_fields={"name": "省委第三生态环境保护督察",
                                                         "feedback_date": "2022-09-06"})
    row = ledger.row("inspection", result["inspection_id"])
    assert (row["name"], row["kind"], row["feedback_date"]) == ("省委第三生态环境保护督察", "省级", "2022-09-06")
    assert ledger.tree(result["inspection_id"]).categories[0].title == "未分类"
    assert inspection_kind("中央生态环境保护督察“回头看”") == "回头看"
    assert inspection_kind("长江经济带生态环境警示片") == "警示片"


def test_a_failure_half_way_changes_nothing(sample_ledger, monkeypatch):
    before = dump(sample_ledger)
    plan = plan_of("一、甲\n1.一。\n2.二。\n3.三。")
    real = sample_ledger.add_problems
    written = []

    def failing(items):
        written.extend(real(items[:2]))  # two problems are in, then the disk fails
        raise sqlite3.OperationalError("disk I/O error")
    monkeypatch.setattr(sample_ledger, "add_problems", failing)
    with pytest.raises(Exception):
        apply_plan(sample_ledger, plan)
    assert len(written) == 2
    assert dump(sample_ledger) == before


def test_cancel_rolls_back(sample_ledger):
    before = dump(sample_ledger)
    plan = plan_of("一、甲\n" + "\n".join(f"{n}.问题{n}。" for n in range(1, 251)))
    steps = apply_plan_steps(sample_ledger, plan)
    seen = [next(steps), next(steps)]
    assert all(isinstance(s, Step) for s in seen) and seen[1].done == 100 and seen[1].total == 250
    steps.close()  # the progress dialog's 取消
    assert dump(sample_ledger) == before


def test_missing_inspection_and_empty_plan(sample_ledger):
    before = dump(sample_ledger)
    with pytest.raises(InspectionMissing):
        apply_plan(sample_ledger, plan_of("1.问题。"), inspection_id=999)
    with pytest.raises(NoProblemsFound):
        apply_plan(sample_ledger, ImportPlan())
    assert dump(sample_ledger) == before
