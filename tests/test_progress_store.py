"""Progress reports and deadline changes in the ledger file: audited, one transaction each."""

import sqlite3
import time
from datetime import date

import pytest

from desktop_app.store import progress
from desktop_app.store.changes import ReplayConflictError
from desktop_app.store.errors import ReadOnlyError
from desktop_app.store.ledger import Ledger


def problem_ids(ledger):
    return [node.id for node in ledger.tree(ledger.inspections()[0]["id"]).problems]


def audit_rows(ledger, entity):
    return list(ledger.db.query("SELECT * FROM audit_log WHERE entity = ? ORDER BY id", [entity]))


def test_reports_newest_first_with_status_at_the_time(sample_ledger):
    first = problem_ids(sample_ledger)[0]  # 整改中
    older = progress.add_report(sample_ledger, first, "2023-03-31", "召开专题会议。", "王五")
    newer = progress.add_report(sample_ledger, first, date(2023, 6, 30), "印发责任清单。", "王五")
    same_day = progress.add_report(sample_ledger, first, "2023-06-30", "补充调度。")
    rows = progress.reports(sample_ledger, first)
    assert [r["id"] for r in rows] == [same_day, newer, older]
    assert rows[1] == {**rows[1], "report_date": "2023-06-30", "text": "印发责任清单。",
                       "reporter": "王五", "status": "整改中", "problem_id": first}
    assert len(audit_rows(sample_ledger, "progress_report")) == 3


def test_report_may_set_the_problems_status_in_the_same_transaction(sample_ledger):
    first = problem_ids(sample_ledger)[0]
    progress.add_report(sample_ledger, first, "2023-07-01", "全部措施完成。", status="已完成",
                        update_problem_status=True)
    assert sample_ledger.row("problem", first)["status"] == "已完成"
    assert progress.reports(sample_ledger, first)[0]["status"] == "已完成"
    status_audit = [r for r in audit_rows(sample_ledger, "problem") if r["field"] == "status"]
    assert len(status_audit) == 1


def test_report_status_without_update_leaves_the_problem_alone(sample_ledger):
    first = problem_ids(sample_ledger)[0]
    progress.add_report(sample_ledger, first, "2023-07-01", "计划下月完成。", status="已完成")
    assert sample_ledger.row("problem", first)["status"] == "整改中"


def test_a_failed_status_update_rolls_the_report_back(sample_ledger):
    first = problem_ids(sample_ledger)[0]
    with pytest.raises(ValueError):
        progress.add_report(sample_ledger, first, "2023-07-01", "x", status="差不多完成了",
                            update_problem_status=True)
    assert progress.reports(sample_ledger, first) == []


@pytest.mark.parametrize("day, text", [("2023-02-30", "有内容"), ("昨天", "有内容"),
                                       ("2023-02-01", "   ")])
def test_bad_reports_are_refused_in_chinese(sample_ledger, day, text):
    first = problem_ids(sample_ledger)[0]
    with pytest.raises(ValueError) as error:
        progress.add_report(sample_ledger, first, day, text)
    assert any("\u4e00" <= c <= "\u9fff" for c in str(error.value))
    assert progress.reports(sample_ledger, first) == []


def test_update_delete_and_restore_for_undo(sample_ledger):
    first = problem_ids(sample_ledger)[0]
    report_id = progress.add_report(sample_ledger, first, "2023-03-31", "召开专题会议。")
    old = progress.update_report(sample_ledger, report_id, text="召开专题会议2次。",
                                 report_date="2023-04-01")
    assert old == {"text": "召开专题会议。", "report_date": "2023-03-31"}
    assert progress.update_report(sample_ledger, report_id, text="召开专题会议2次。") == {}
    progress.update_report(sample_ledger, report_id, **old)
    assert progress.report(sample_ledger, report_id)["text"] == "召开专题会议。"
    row = progress.delete_report(sample_ledger, report_id)
    assert progress.reports(sample_ledger, first) == []
    sample_ledger.revert(sample_ledger.last_change)
    assert progress.reports(sample_ledger, first) == [row]
    actions = [r["action"] for r in audit_rows(sample_ledger, "progress_report")]
    assert actions == ["create", "update", "update", "update", "update", "delete", "restore"]


def test_latest_reports_per_problem_of_one_inspection(sample_ledger):
    ids = problem_ids(sample_ledger)
    progress.add_report(sample_ledger, ids[0], "2023-01-31", "一月")
    latest_first = progress.add_report(sample_ledger, ids[0], "2023-02-28", "二月")
    progress.add_report(sample_ledger, ids[0], "2023-02-01", "补报一月底的情况")
    latest_third = progress.add_report(sample_ledger, ids[2], "2022-12-31", "年底")
    other = sample_ledger.add_inspection("省级督察", "省级")
    category = sample_ledger.add_category(other, "其他")
    elsewhere = sample_ledger.add_problem(category, description="别的批次的问题")
    progress.add_report(sample_ledger, elsewhere, "2024-01-01", "不属于这个批次")
    latest = progress.latest_reports(sample_ledger, sample_ledger.inspections()[0]["id"])
    assert set(latest) == {ids[0], ids[2]}
    assert latest[ids[0]]["id"] == latest_first and latest[ids[0]]["text"] == "二月"
    assert latest[ids[2]]["id"] == latest_third
    assert set(latest[ids[0]]) == {"id", "problem_id", "report_date", "text", "reporter", "status",
                                   "created_at"}


def test_latest_reports_is_one_fast_query_for_10000_problems(tmp_path):
    ledger = Ledger.create(tmp_path / "大台账.db")
    try:
        inspection = ledger.add_inspection("大批次")
        category = ledger.add_category(inspection, "一类")
        now = "2023-01-01T00:00:00"
        conn = ledger.db.conn
        conn.executemany(
            "INSERT INTO problems (category_id, position, description, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?)", [(category, i, f"问题{i}", now, now) for i in range(10_000)])
        conn.executemany(
            "INSERT INTO progress_reports (problem_id, report_date, text, created_at)"
            " SELECT id, ?, '进展', ? FROM problems",
            [(f"2023-{m:02d}-28", now) for m in range(1, 6)])
        conn.commit()
        statements = []
        conn.set_trace_callback(statements.append)
        started = time.perf_counter()
        latest = progress.latest_reports(ledger, inspection)
        elapsed = time.perf_counter() - started
        conn.set_trace_callback(None)
        assert len(latest) == 10_000
        assert all(row["report_date"] == "2023-05-28" for row in latest.values())
        assert len([s for s in statements if s.startswith("SELECT")]) == 1
        assert elapsed < 1.0, elapsed
    finally:
        ledger.close()


def test_change_deadline_keeps_history_and_reparses(sample_ledger):
    third = problem_ids(sample_ledger)[2]  # 2021年6月底前基本完成，2021年底前全面完成
    original = sample_ledger.row("problem", third)["deadline_text"]
    first = progress.change_deadline(sample_ledger, third, "2022年6月30日前", "受汛期影响，施工延后。",
                                     "2021-12-20")
    assert sample_ledger.row("problem", third)["deadline"] == "2022-06-30"
    second = progress.change_deadline(sample_ledger, third, "长期坚持", "转为长效管理。",
                                      date(2022, 6, 1))
    problem = sample_ledger.row("problem", third)
    assert problem["deadline_text"] == "长期坚持" and problem["deadline"] is None
    history = progress.deadline_history(sample_ledger, third)
    assert [h["id"] for h in history] == [first, second]
    assert history[0]["old_text"] == original
    assert (history[0]["new_text"], history[0]["reason"], history[0]["changed_on"]) == (
        "2022年6月30日前", "受汛期影响，施工延后。", "2021-12-20")
    assert history[1]["old_text"] == "2022年6月30日前"
    audited = [r["field"] for r in audit_rows(sample_ledger, "problem")]
    assert audited.count("deadline_text") == 2
    assert len(audit_rows(sample_ledger, "deadline_change")) == 2


def test_deadline_change_needs_a_reason_and_a_new_text(sample_ledger):
    third = problem_ids(sample_ledger)[2]
    with pytest.raises(ValueError, match="原因"):
        progress.change_deadline(sample_ledger, third, "2022年底前", "  ", "2022-01-01")
    same = sample_ledger.row("problem", third)["deadline_text"]
    with pytest.raises(ValueError, match="相同"):
        progress.change_deadline(sample_ledger, third, same, "没变", "2022-01-01")
    assert progress.deadline_history(sample_ledger, third) == []


def test_deadline_change_is_one_transaction(sample_ledger, monkeypatch):
    third = problem_ids(sample_ledger)[2]
    before = sample_ledger.row("problem", third)

    def broken_insert(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    table = sample_ledger.db["deadline_changes"]
    monkeypatch.setattr(type(table), "insert", broken_insert)
    with pytest.raises(Exception):
        progress.change_deadline(sample_ledger, third, "2022年底前", "延期", "2022-01-01")
    monkeypatch.undo()
    assert sample_ledger.row("problem", third) == before
    assert progress.deadline_history(sample_ledger, third) == []


def test_undo_the_newest_deadline_change_first(sample_ledger):
    third = problem_ids(sample_ledger)[2]
    original = sample_ledger.row("problem", third)
    progress.change_deadline(sample_ledger, third, "2022年底前", "延期", "2022-01-01")
    first_change = sample_ledger.last_change
    progress.change_deadline(sample_ledger, third, "2023年底前", "再延期", "2022-12-01")
    undo_second = sample_ledger.last_change
    with pytest.raises(ReplayConflictError):  # the older one first would lose the newer
        sample_ledger.revert(first_change)
    sample_ledger.revert(undo_second)
    sample_ledger.revert(first_change)
    reverted = sample_ledger.row("problem", third)
    assert (reverted["deadline_text"], reverted["deadline"]) == (original["deadline_text"],
                                                                  original["deadline"])
    assert progress.deadline_history(sample_ledger, third) == []


def test_read_only_ledger_refuses(sample_ledger_file):
    ledger = Ledger.open(sample_ledger_file, read_only=True)
    try:
        first = problem_ids(ledger)[0]
        with pytest.raises(ReadOnlyError):
            progress.add_report(ledger, first, "2023-01-01", "只读")
        with pytest.raises(ReadOnlyError):
            progress.change_deadline(ledger, first, "2030年底前", "只读", "2023-01-01")
    finally:
        ledger.close()


def test_reports_added_together_take_each_problems_status_in_one_step(sample_ledger):
    first, second = problem_ids(sample_ledger)[:2]
    sample_ledger.update("problem", second, status="已完成")
    with sample_ledger.change("导入"):
        assert progress.add_reports(sample_ledger, [(first, "2023-05-01", " 正在整改 "),
                                                    (second, date(2023, 5, 2), "已完成")]) == 2
    assert [(r["text"], r["status"]) for r in progress.reports(sample_ledger, first)] == [
        ("正在整改", sample_ledger.row("problem", first)["status"])]
    assert progress.reports(sample_ledger, second)[0]["status"] == "已完成"
    assert sample_ledger.last_change.label == "导入"


def test_reports_added_together_are_refused_whole(sample_ledger):
    first = problem_ids(sample_ledger)[0]
    for bad in ([(first, "2023-05-01", "有"), (10**9, "2023-05-01", "问题不在")],
                [(first, "2023-05-01", "有"), (first, "2023-05-01", "  ")],
                [(first, "2023年5月", "日期不对")]):
        with pytest.raises(ValueError):
            progress.add_reports(sample_ledger, bad)
        assert progress.reports(sample_ledger, first) == []
