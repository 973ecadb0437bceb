"""The demo ledger shows a month of real work: the big batch first, progress, evidence, 销号."""

from datetime import date, timedelta

import pytest

from desktop_app.store import evidence, progress, signoff
from desktop_app.store.seeds import fill_demo


@pytest.fixture
def demo(ledger):
    fill_demo(ledger)
    return ledger


def _problems(demo):
    return demo.tree(demo.inspections()[0]["id"]).problems


def test_the_demo_opens_on_its_biggest_batch_with_its_feedback_date(demo):
    inspections = demo.inspections()
    sizes = [len(demo.tree(i["id"]).problems) for i in inspections]
    assert sizes[0] == max(sizes) == 42
    assert inspections[0]["feedback_date"] == "2019-05-10"


def test_completed_problems_can_start_signoff(demo):
    completed = [p for p in _problems(demo) if p.row["status"] == "已完成"]
    assert len(completed) >= 25
    assert [p.number for p in completed if signoff.blocking_reasons(demo, p.id)] == []
    for problem in completed:
        assert all(m["completion"] for m in demo.measures(problem.id))


def test_the_last_month_has_dated_progress_reports(demo):
    today = date.today()
    reports = [r for p in _problems(demo) for r in progress.reports(demo, p.id)]
    recent = [r for r in reports if date.fromisoformat(r["report_date"]) >= today - timedelta(days=31)]
    assert len(recent) >= 15
    assert len({r["problem_id"] for r in recent}) >= 10
    assert all(r["reporter"] and r["text"] for r in reports)
    in_progress = [p for p in _problems(demo) if p.row["status"] == "整改中"]
    assert all(progress.reports(demo, p.id) for p in in_progress)  # no empty 进展 panel there


def test_evidence_files_are_in_the_store_and_readable(demo):
    attached = [e for p in _problems(demo) for e in evidence.evidence_for(demo, p.id)]
    assert {e["kind"] for e in attached} >= {"现场照片", "验收材料"}
    for item in attached:
        data = evidence.file_path(demo, item).read_bytes()
        assert data[:4] in (b"\x89PNG", b"%PDF")


def test_one_problem_is_in_publicity_and_one_signed_off(demo):
    stages = {}
    for problem in _problems(demo):
        current = signoff.current(demo, problem.id)
        if current:
            stages.setdefault(current["stage"], []).append((problem, current))
    assert sorted(stages) == ["公示", "已销号"] and all(len(v) == 1 for v in stages.values())
    (public, row), = stages["公示"]
    assert public.row["status"] == "销号中"
    assert date.fromisoformat(row["publicity_end"]) >= date.today()  # running now
    assert row["office"] and row["phone"]
    (closed, row), = stages["已销号"]
    assert closed.row["status"] == "已销号"
    assert [e["to_stage"] for e in signoff.events(demo, closed.id)] == ["申请销号", "验收", "公示", "已销号"]
