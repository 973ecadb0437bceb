"""Reading the audit trail back: one problem's history, and the whole log as a workbook."""

import openpyxl
import pytest

from desktop_app.store.audit_export import HEADERS, export_audit_log
from desktop_app.store.history import problem_history


def problem_id(ledger, code):
    return ledger.db.conn.execute("SELECT id FROM problems WHERE code = ?", [code]).fetchone()[0]


def category_id(ledger, title):
    return ledger.db.conn.execute("SELECT id FROM categories WHERE title = ?", [title]).fetchone()[0]


def seen(history):
    return [(h["action_label"], h["entity_label"], h["field_label"], h["old_text"], h["new_text"])
            for h in history]


def test_problem_history_newest_first_with_chinese_names(sample_ledger):
    sample_ledger.app_user = "王五"
    four = problem_id(sample_ledger, "问题编号四")
    first_measure, second_measure = [m["id"] for m in sample_ledger.measures(four)]
    sample_ledger.update("problem", four, status="整改中")
    sample_ledger.update("problem", four, description="城区污水处理厂超负荷运行。")
    sample_ledger.update("measure", first_measure, completion="二期工程已开工。")
    sample_ledger.move("measure", second_measure, 0)
    sample_ledger.delete("measure", first_measure)
    sample_ledger.revert(sample_ledger.last_change)
    sample_ledger.update("problem", problem_id(sample_ledger, "问题编号五"), status="整改中")  # not ours

    history = problem_history(sample_ledger, four)
    assert seen(history) == [
        ("恢复", "整改措施", "", "", "新建污水处理厂二期工程。"),
        ("删除", "整改措施", "", "新建污水处理厂二期工程。", ""),
        ("移动", "整改措施", "所属问题", "第2位", "第1位"),
        ("修改", "整改措施", "完成情况", "", "二期工程已开工。"),
        ("修改", "反馈问题", "反馈问题", "城区污水处理厂超负荷运行，部分污水直排青山河。",
         "城区污水处理厂超负荷运行。"),
        ("修改", "反馈问题", "整改状态", "未启动", "整改中"),
        ("新增", "整改措施", "", "", "完成城区雨污分流改造。"),
        ("新增", "整改措施", "", "", "新建污水处理厂二期工程。"),
        ("新增", "反馈问题", "", "", "城区污水处理厂超负荷运行，部分污水直排青山河。"),
    ]
    assert history[0]["app_user"] == "王五" and history[-1]["app_user"] == ""
    assert history[0]["os_user"] and len(history[0]["hash"]) == 64
    assert history[5]["old"] == "未启动" and history[5]["new"] == "整改中"


def test_a_measure_moved_to_another_problem_shows_in_both_histories(sample_ledger):
    four, five = problem_id(sample_ledger, "问题编号四"), problem_id(sample_ledger, "问题编号五")
    measure = sample_ledger.measures(four)[0]["id"]
    sample_ledger.move("measure", measure, 0, parent_id=five)
    sample_ledger.update("measure", measure, completion="已移到问题五下")

    four_history, five_history = problem_history(sample_ledger, four), problem_history(sample_ledger, five)
    assert "已移到问题五下" not in [h["new_text"] for h in four_history]
    assert [h["action_label"] for h in four_history][:1] == ["移动"]
    assert (four_history[0]["old_text"], four_history[0]["new_text"]) == ("“问题编号四”第1位",
                                                                          "“问题编号五”第1位")
    assert [h["action_label"] for h in five_history][:2] == ["修改", "移动"]


def test_a_reused_id_does_not_inherit_an_older_history(ledger):
    # SQLite reuses the highest id after it is deleted.
    inspection = ledger.add_inspection("专项督察", "专项")
    category = ledger.add_category(inspection, "大类")
    old = ledger.add_problem(category, description="旧问题", measures=["旧措施"])
    ledger.update("problem", old, status="整改中")
    ledger.delete("problem", old)
    new = ledger.add_problem(category, description="新问题", measures=["新措施"])
    assert new == old
    assert seen(problem_history(ledger, new)) == [("新增", "整改措施", "", "", "新措施"),
                                                    ("新增", "反馈问题", "", "", "新问题")]


def test_the_audit_log_exports_as_a_workbook(sample_ledger, tmp_path):
    sample_ledger.app_user = "王五"
    four = problem_id(sample_ledger, "问题编号四")
    sample_ledger.update("problem", four, status="整改中")
    sample_ledger.move("problem", four, 0, parent_id=category_id(sample_ledger, "思想认识还不到位"))
    target = tmp_path / "修改记录.xlsx"

    count = export_audit_log(sample_ledger, target)

    sheet = openpyxl.load_workbook(target).active
    assert sheet.title == "修改记录"
    table = list(sheet.iter_rows(values_only=True))
    assert table[0] == HEADERS
    total = sample_ledger.db.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    assert count == total and len(table) == total + 1
    status_row = next(r for r in table if r[6] == "整改状态")
    assert status_row[1:9] == (status_row[1], "王五", "修改", "反馈问题", four, "整改状态", "未启动", "整改中")
    assert status_row[0][:4].isdigit() and "T" not in status_row[0]
    assert len(status_row[9]) == 64
    moved = [r for r in table if r[3] == "移动"]
    assert len(moved) == 1  # the problems after it only renumbered (编号顺延)
    assert moved[0][3:9] == ("移动", "反馈问题", four, "所属类别", "“突出生态环境问题整改不力”第1位",
                              "“思想认识还不到位”第1位")
    assert not list(tmp_path.glob("*.part"))


def test_exported_text_is_cleaned_of_characters_excel_refuses(ledger, tmp_path):
    inspection = ledger.add_inspection("督察\x0b批次")  # a vertical tab pasted from Word
    ledger.update("inspection", inspection, notes="x" * 40000)
    export_audit_log(ledger, tmp_path / "log.xlsx")
    table = list(openpyxl.load_workbook(tmp_path / "log.xlsx").active.iter_rows(values_only=True))
    rows = [r for r in table if r[4] == "督察批次"]
    assert rows[0][8] == "督察批次"
    assert len(rows[1][8]) == 32767


@pytest.mark.parametrize("code", ["问题编号一", "问题编号三"])
def test_every_sample_problem_has_its_creation_in_its_history(sample_ledger, code):
    history = problem_history(sample_ledger, problem_id(sample_ledger, code))
    assert history[-1]["action"] == "create" and history[-1]["entity"] == "problem"


def test_reports_deadline_changes_and_signoff_steps_are_in_the_history(sample_ledger):
    from desktop_app.store import progress, signoff
    two = problem_id(sample_ledger, "问题编号二")
    for measure in sample_ledger.measures(two):
        sample_ledger.update("measure", measure["id"], completion="已完成督导。")
    report = progress.add_report(sample_ledger, two, "2021-05-01", "开展了专项督导。", reporter="李四")
    progress.change_deadline(sample_ledger, two, "2021年底前", "需延期", "2021-05-02")
    signoff.apply(sample_ledger, two, "2021-06-01")
    sample_ledger.revert(sample_ledger.last_change)
    progress.delete_report(sample_ledger, report)
    sample_ledger.revert(sample_ledger.last_change)
    progress.add_report(sample_ledger, problem_id(sample_ledger, "问题编号一"), "2021-05-03", "别的问题")

    labels = [(h["action_label"], h["entity_label"], h["new_text"] or h["old_text"])
              for h in problem_history(sample_ledger, two)]
    assert ("新增", "调度进展", "开展了专项督导。") in labels
    assert ("删除", "调度进展", "开展了专项督导。") in labels and ("恢复", "调度进展", "开展了专项督导。") in labels
    assert ("新增", "时限调整", "2021年底前") in labels
    assert ("新增", "销号", "申请销号") in labels and ("新增", "销号经过", "申请销号") in labels
    assert ("删除", "销号经过", "申请销号") in labels
    assert all(text != "别的问题" for *_, text in labels)


def test_the_history_reads_as_a_clerk_reads(sample_ledger):
    from desktop_app.store import signoff
    two = problem_id(sample_ledger, "问题编号二")  # 已完成, its measure without completion
    measure = sample_ledger.measures(two)[0]["id"]
    sample_ledger.update("measure", measure, completion="已督导。")
    step = signoff.apply(sample_ledger, two, "2024-03-01", checklist=["措施完成", "资料齐全"])
    signoff.tick(sample_ledger, step.signoff_id, 0)
    history = problem_history(sample_ledger, two)
    ticked = next(h for h in history if h["entity"] == "signoff" and h["field"] == "checklist")
    assert (ticked["old_text"], ticked["new_text"]) == ("☐措施完成；☐资料齐全", "☑措施完成；☐资料齐全")
    assert not any(text.startswith(("{", "[")) for h in history for text in (h["old_text"], h["new_text"]))
    assert history[0]["at_text"].startswith(history[0]["at"][:4] + "年")
    assert "T" not in history[0]["at_text"]


def test_clerk_time():
    from desktop_app.store.history import clerk_time
    assert clerk_time("2026-11-03T14:05:09") == "2026年11月3日 14:05"
