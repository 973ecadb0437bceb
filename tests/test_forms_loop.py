"""The monthly loop as a 责任单位 lives it: forms sent, filled (openpyxl, LibreOffice), collected back."""

import json
import shutil
import sqlite3
import subprocess
from contextlib import closing
from datetime import datetime

import pytest
from openpyxl import Workbook, load_workbook

from desktop_app.cli import main
from desktop_app.formats.forms.form_xlsx import FORM_SHEET, parse_token
from desktop_app.formats.exporting.workbook_identity import IDENTITY_SHEET
from desktop_app.jobs import finish
from desktop_app.store import seeds
from desktop_app.store.collect import apply_collect, plan_collect
from desktop_app.store.forms import distribute, split_units
from desktop_app.store.ledger import Ledger

ID_COLUMN = 10


@pytest.fixture
def db(sample_ledger_file):
    """A ledger file with the sample inspection and one problem of two units."""
    ledger = Ledger.open(sample_ledger_file)
    try:
        category = ledger.categories(ledger.inspections()[0]["id"])[0]["id"]
        ledger.add_problem(category, description="河道两岸违规堆放建筑垃圾。",
                           lead_unit="县住房和城乡建设局、县水利局",
                           measures=["清运建筑垃圾。", "设立警示牌。"], deadline_text="2022年底前")
    finally:
        ledger.close()
    return sample_ledger_file


def send(db, folder, unit=None):
    folder.mkdir(exist_ok=True)
    ledger = Ledger.open(db, read_only=True)
    try:
        return {u: p for u, p, _ in finish(distribute(ledger, folder, unit=unit)).files}
    finally:
        ledger.close()


def form_rows(ws):
    """(row, problem id, measure id) of every problem row of a form sheet."""
    found = []
    for row in range(1, ws.max_row + 1):
        token = parse_token(ws.cell(row, ID_COLUMN).value)
        if token:
            found.append((row, *token))
    return found


def fill(path, target, progress="本月完成现场核查。", status="已完成", completion="已完成。",
         reporter="王五", phone="13800000000", when=datetime(2024, 5, 20)):
    """Fill a form as a unit does: the filler row, then each problem's and measure's cells."""
    book = load_workbook(path)
    ws = book[FORM_SHEET]
    ws["C3"], ws["E3"], ws["G3"] = reporter, phone, when
    seen = set()
    for row, problem, measure in form_rows(ws):
        if problem not in seen:
            seen.add(problem)
            ws.cell(row, 7).value = progress
            ws.cell(row, 8).value = status
            ws.cell(row, 9).value = "现场照片1.jpg 验收报告.pdf"
        ws.cell(row, 6).value = completion
    book.save(target)
    return target


def collect_cli(capsys, db, *paths, dry_run=False):
    args = ["collect", "--db", str(db), *map(str, paths), "--json"] + (["--dry-run"] if dry_run else [])
    code = main(args)
    captured = capsys.readouterr()
    return code, (json.loads(captured.out) if captured.out.strip() else None), captured.err


def query(db, sql, *params):
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def test_units_named_together_are_split():
    assert split_units("县住房和城乡建设局、县水利局") == ["县住房和城乡建设局", "县水利局"]
    assert split_units("县委办公室；县督查室\n县委办公室") == ["县委办公室", "县督查室"]
    assert split_units("  ") == []


def test_one_form_per_unit_holding_only_its_problems(db, tmp_path):
    forms = send(db, tmp_path / "填报表")
    assert set(forms) == {"县委办公室", "县督查室", "县自然资源局", "县住房和城乡建设局",
                          "县农业农村局", "县水利局"}
    assert forms["县水利局"].name == "县水利局填报表.xlsx"
    units = dict(query(db, "SELECT id, lead_unit FROM problems"))
    for unit, path in forms.items():
        ws = load_workbook(path)[FORM_SHEET]
        problems = {problem for _, problem, _ in form_rows(ws)}
        assert problems == {pid for pid, text in units.items() if unit in split_units(text)}
    both = load_workbook(forms["县住房和城乡建设局"])[FORM_SHEET]
    assert len({p for _, p, _ in form_rows(both)}) == 2  # its own and the shared one


def test_a_form_is_locked_where_the_ledger_speaks_and_open_where_the_unit_writes(db, tmp_path):
    path = send(db, tmp_path / "填报表", unit="县委办公室")["县委办公室"]
    book = load_workbook(path)
    ws = book[FORM_SHEET]
    assert ws.protection.sheet and not ws.protection.password
    assert [c.value for c in ws[4]][:9] == ["序号", "反馈问题", "整改目标", "整改措施", "整改时限",
                                            "完成情况", "本月进展", "整改状态", "佐证材料"]
    assert "填报说明" in ws["A2"].value
    row, _, measure = form_rows(ws)[0]
    assert measure is not None
    assert ws.cell(row, 2).value == "县委、县政府对生态环境保护工作重视不够，研究部署不多。"
    assert ws.cell(row, 4).value == "1.县委常委会每季度专题研究生态环境保护工作。"
    for column in (1, 2, 3, 4, 5):
        assert ws.cell(row, column).protection.locked
    for column in (6, 7, 8, 9):
        assert not ws.cell(row, column).protection.locked
    assert not ws["C3"].protection.locked and ws["B3"].value == "填报人"
    lists = [v for v in ws.data_validations.dataValidation if v.type == "list"]
    assert lists and lists[0].formula1 == '"未启动,整改中,已完成"'
    assert f"H{row}" in str(lists[0].sqref)
    assert ws.column_dimensions["J"].hidden
    assert book[IDENTITY_SHEET].sheet_state == "hidden"
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$4:$4"


def test_the_whole_loop_writes_reports_completions_and_statuses_once(db, tmp_path, capsys):
    forms = send(db, tmp_path / "填报表")
    returned = fill(forms["县委办公室"], tmp_path / "县委办公室（已填）.xlsx")
    code, dry, _ = collect_cli(capsys, db, returned, dry_run=True)
    assert code == 0 and dry["applied"] is False
    assert query(db, "SELECT COUNT(*) FROM progress_reports") == [(0,)]
    [problem] = query(db, "SELECT id FROM problems WHERE lead_unit = '县委办公室'")
    code, data, _ = collect_cli(capsys, db, returned)
    assert code == 0
    assert set(data) == {"files", "changes", "reports_added", "conflicts", "applied"}
    assert data["files"] == [{"file": returned.name, "unit": "县委办公室", "matched": 1,
                              "unmatched": [], "refused": None}]
    assert data["applied"] is True and data["reports_added"] == 1 and data["conflicts"] == []
    fields = {c["field"]: (c["old"], c["new"]) for c in data["changes"]}
    assert fields["整改状态"] == ("整改中", "已完成")
    assert fields["整改措施1完成情况"] == ("已召开专题会议2次。", "已完成。")
    assert fields["整改措施2完成情况"] == ("", "已完成。")
    assert query(db, "SELECT report_date, text, reporter, status FROM progress_reports"
                     " WHERE problem_id = ?", problem[0]) == [
        ("2024-05-20", "本月完成现场核查。\n佐证材料：现场照片1.jpg、验收报告.pdf",
         "王五（13800000000）", "已完成")]
    assert query(db, "SELECT status FROM problems WHERE id = ?", problem[0]) == [("已完成",)]
    assert query(db, "SELECT completion FROM measures WHERE problem_id = ? ORDER BY position",
                 problem[0]) == [("已完成。",), ("已完成。",)]
    [(label, source)] = query(db, "SELECT field, new_value FROM audit_log WHERE action = 'change'"
                                  " ORDER BY id DESC LIMIT 1")
    assert label == "回收填报表" and returned.name in source  # the audit trail names the file it came from

    code, again, _ = collect_cli(capsys, db, returned)  # the same form returned twice
    assert code == 0 and again["changes"] == [] and again["reports_added"] == 0
    assert query(db, "SELECT COUNT(*) FROM progress_reports") == [(1,)]


def test_a_field_changed_on_both_sides_is_a_conflict_and_keeps_the_ledger(db, tmp_path, capsys):
    forms = send(db, tmp_path / "填报表")
    ledger = Ledger.open(db)
    try:
        [problem] = [p for p in ledger.tree(ledger.inspections()[0]["id"]).problems
                     if p.row["lead_unit"] == "县委办公室"]
        first = problem.row["measures"][0]["id"]
        ledger.update("measure", first, completion="已召开专题会议3次。")  # after sending
    finally:
        ledger.close()
    returned = fill(forms["县委办公室"], tmp_path / "报回.xlsx", completion="已召开专题会议4次。")
    code, data, _ = collect_cli(capsys, db, returned)
    assert data["conflicts"] == [{"problem": "第二轮中央生态环境保护督察 第1项",
                                  "field": "整改措施1完成情况", "ledger": "已召开专题会议3次。",
                                  "returned": "已召开专题会议4次。"}]
    assert query(db, "SELECT completion FROM measures WHERE id = ?", first) == [("已召开专题会议3次。",)]
    # The clerk picks the returned value: applied then, once.
    ledger = Ledger.open(db)
    try:
        plan = plan_collect(ledger, [returned])
        [conflict] = plan.conflicts
        conflict.take_returned = True
        apply_collect(ledger, plan)
        assert ledger.row("measure", first)["completion"] == "已召开专题会议4次。"
    finally:
        ledger.close()


def test_a_hand_made_sheet_is_matched_by_number_and_text_for_confirmation(db, tmp_path, capsys):
    book = Workbook()
    ws = book.active
    ws.append(["县自然资源局本月进展"])
    ws.append(["序号", "反馈问题", "整改措施", "完成情况", "本月进展", "整改状态"])
    ws.append([4, "县自然资源局对非法占用林地问题查处不力", "全面排查非法占用林地问题。", "已排查12处。",
               "本月立案查处3起。", "整改中"])
    ws.append([None, None, "依法查处并恢复植被。", "恢复植被20亩。", None, None])
    ws.append([9, "某乡镇垃圾填埋场渗滤液外溢。", "", "", "已完成清理。", "已完成"])
    path = tmp_path / "自己做的表.xlsx"
    book.save(path)
    ledger = Ledger.open(db)
    try:
        plan = plan_collect(ledger, [path])
        [result] = plan.files
        assert result.refused is None and result.matched == 1
        assert result.unmatched == [{"row": 5, "text": "9 某乡镇垃圾填埋场渗滤液外溢。",
                                     "reason": "按序号和问题内容在台账里找不到对应的问题"}]
        assert {c.field for c in plan.changes} == {"整改状态", "整改措施1完成情况",
                                                   "整改措施2完成情况", "本月进展"}
        assert all(c.by_text and not c.accepted for c in plan.changes)  # for the clerk to confirm
        assert apply_collect(ledger, plan) == {"reports_added": 0, "fields_changed": 0}
        for change in plan.changes:
            change.accepted = True
        apply_collect(ledger, plan)
        [problem] = [p for p in ledger.tree(ledger.inspections()[0]["id"]).problems if p.number == 4]
        assert [m["completion"] for m in problem.row["measures"]] == ["已排查12处。", "恢复植被20亩。"]
        assert problem.row["status"] == "整改中"
    finally:
        ledger.close()


def test_a_form_from_another_ledger_or_no_form_at_all_is_refused(db, tmp_path, sample_data, capsys):
    other = tmp_path / "别的台账.db"  # the same problems, but another ledger (its own id)
    with closing(Ledger.create(other)) as ledger:
        seeds.fill(ledger, sample_data)
    foreign = fill(send(other, tmp_path / "别处")["县委办公室"], tmp_path / "别处报回.xlsx")
    book = Workbook()
    book.active.append(["随便", "一张", "表"])
    stray = tmp_path / "不是填报表.xlsx"
    book.save(stray)
    code, data, err = collect_cli(capsys, db, foreign, stray)
    assert code == 2 and "没有一份文件能读入" in err
    reasons = {f["file"]: f["refused"] for f in data["files"]}
    assert "另一个台账" in reasons[foreign.name]
    assert "不是填报表" in reasons[stray.name]
    assert data["changes"] == [] and data["applied"] is False
    assert query(db, "SELECT COUNT(*) FROM progress_reports") == [(0,)]


def test_forms_command_writes_the_folder_and_refuses_an_unknown_unit(db, tmp_path, capsys):
    out = tmp_path / "出"
    out.mkdir()
    assert main(["forms", "--db", str(db), "--out", str(out), "--unit", "县水利局"]) == 0
    assert [p.name for p in out.iterdir()] == ["县水利局填报表.xlsx"]
    capsys.readouterr()
    assert main(["forms", "--db", str(db), "--out", str(out), "--unit", "县教育局"]) == 2
    assert "没有责任单位“县教育局”的问题" in capsys.readouterr().err
    assert main(["forms", "--db", str(db), "--out", str(tmp_path / "没有"),
                 "--inspection", "第二轮中央生态环境保护督察"]) == 2
    assert "不存在" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_identity_survives_a_form_saved_by_libreoffice(db, tmp_path, capsys):
    forms = send(db, tmp_path / "填报表")
    filled = fill(forms["县自然资源局"], tmp_path / "填好.xlsx", status="整改中")
    saved = tmp_path / "LibreOffice"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "xlsx", "--outdir", str(saved), str(filled)],
                   check=True, capture_output=True, timeout=180)
    again = saved / filled.name
    assert load_workbook(again)[IDENTITY_SHEET].sheet_state == "hidden"
    code, data, _ = collect_cli(capsys, db, again)
    assert code == 0 and data["files"][0]["matched"] == 1 and data["files"][0]["unit"] == "县自然资源局"
    assert data["reports_added"] == 1
    assert query(db, "SELECT report_date, reporter FROM progress_reports") == [
        ("2024-05-20", "王五（13800000000）")]
    assert query(db, "SELECT m.completion FROM measures m JOIN problems p ON p.id = m.problem_id"
                     " WHERE p.lead_unit = '县自然资源局'") == [("已完成。",), ("已完成。",)]


def test_units_whose_names_make_the_same_file_name_get_two_files(db, tmp_path):
    ledger = Ledger.open(db)
    try:
        category = ledger.categories(ledger.inspections()[0]["id"])[0]["id"]
        ledger.add_problem(category, description="甲。", lead_unit="县水利局:河道所")
        ledger.add_problem(category, description="乙。", lead_unit="县水利局*河道所")
    finally:
        ledger.close()
    forms = send(db, tmp_path / "填报表")
    assert forms["县水利局:河道所"].name == "县水利局_河道所填报表.xlsx"
    assert forms["县水利局*河道所"].name == "县水利局_河道所(2)填报表.xlsx"


def test_text_pasted_from_word_or_the_web_goes_out_and_comes_back_unchanged(db, tmp_path, capsys):
    """A Word cell mark (\\x07) or a web page's U+FFFE in the ledger: the form is written without
    them (a cell cannot hold them), and an untouched form brings no change back."""
    ledger = Ledger.open(db)
    try:
        problem = ledger.db.execute("SELECT max(id) FROM problems").fetchone()[0]
        measure = ledger.db.execute("SELECT min(id) FROM measures WHERE problem_id = ?",
                                    [problem]).fetchone()[0]
        ledger.update("problem", problem, description="河道两岸\ufffe违规堆放\x07建筑垃圾。")
        ledger.update("measure", measure, completion="已清运\x0780%")
    finally:
        ledger.close()
    forms = send(db, tmp_path / "填报表")
    path = next(p for unit, p in forms.items() if unit == "县水利局")
    ws = load_workbook(path)[FORM_SHEET]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "河道两岸违规堆放建筑垃圾。" in texts and "已清运80%" in texts
    code, result, _err = collect_cli(capsys, db, path, dry_run=True)
    assert code == 0 and result["changes"] == [] and result["conflicts"] == []
