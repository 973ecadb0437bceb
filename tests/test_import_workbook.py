"""Importing county workbooks: both layouts rebuilt into the ledger tree, fields, measures, statuses."""

import re
import zipfile

import pytest
import xlwt
from openpyxl import Workbook, load_workbook

from desktop_app.formats.importing.apply import apply_plan
from desktop_app.formats.importing.values import split_measures, status_and_term
from desktop_app.jobs import Step, finish
from desktop_app.formats.importing.workbook_reader import read_workbook
from import_workbooks import (ROWS_TITLE, big_workbook, column_layout, replace_in_member,
                              rows_layout, store_formula_result)


def read(path, mapping=None):
    return finish(read_workbook(path, mapping))


def imported(ledger, path, **kwargs):
    """Import path into a new inspection and return (result, tree)."""
    result = apply_plan(ledger, read(path), **kwargs)
    return result, ledger.tree(result["inspection_id"])


def test_rows_layout_rebuilds_the_tree(tmp_path, ledger):
    plan = read(rows_layout(tmp_path / "台账.xlsx"))
    assert plan.layout == "rows"
    assert plan.title == ROWS_TITLE
    assert plan.header_rows == (3, 4)
    assert plan.summary == "2大类4项"

    result, tree = imported(ledger, tmp_path / "台账.xlsx")
    assert result["summary"] == "2大类4项" and result["created_inspection"]
    assert result["inspection"] == ROWS_TITLE
    assert ledger.row("inspection", result["inspection_id"])["kind"] == "中央"
    assert tree.summary == "2大类4项"
    first, second = tree.categories
    assert (first.label, first.title) == ("一、", "思想认识还不到位")
    assert [(c.label, c.title) for c in first.children] == [("（一）", "履职尽责有所懈怠")]
    assert (second.label, second.title) == ("二、", "突出生态环境问题整改不力")
    assert [p.number for p in tree.problems] == [1, 2, 3, 4]
    assert [p.row["description"][:6] for p in first.problems] == ["县委、县政府"]
    assert [p.row["description"][:6] for p in first.children[0].problems] == ["县自然资源局"]


def test_rows_layout_fields_measures_and_statuses(tmp_path, ledger):
    _, tree = imported(ledger, rows_layout(tmp_path / "台账.xlsx"))
    one, two, three, four = (p.row for p in tree.problems)
    assert one["lead_official"] == "张三（县委书记）" and one["lead_unit"] == "县委办公室"
    assert one["goal"] == "生态环境保护责任全面压实。"
    assert [m["text"] for m in one["measures"]] == ["县委常委会每季度专题研究生态环境保护工作",
                                                    "制定生态环境保护责任清单。"]
    assert (one["deadline_text"], one["term"], one["status"]) == ("长期坚持", "长期坚持", "整改中")
    assert one["completion"] == ""  # 达到时序进度 is a status, not an account of the work

    assert [m["text"] for m in two["measures"]] == ["全面排查非法占用林地问题。", "依法查处并恢复植被。"]
    assert two["deadline_text"] == "2021年6月底前基本完成，2021年底前全面完成"
    assert two["deadline"] == "2021-12-31" and two["term"] == "限期整改"
    assert two["status"] == "已完成" and two["remarks"] == "已纳入省级督办"

    # One problem over two rows: one measure per row, each with its own 完成情况; the units joined.
    assert [(m["text"], m["completion"]) for m in three["measures"]] == [
        ("新建污水处理厂二期工程。", "正在推进，主体工程已完成80%"),
        ("完成城区雨污分流改造。", "已完成管网改造12公里")]
    assert three["lead_unit"] == "县住房和城乡建设局、县城市管理局"
    assert three["lead_official"] == "王五（副县长）" and three["deadline"] == "2022-06-30"
    assert three["status"] == "整改中"  # only as far along as its least advanced row

    assert four["goal"] == "" and four["status"] == "未启动"


def test_rows_layout_warnings_footers_and_summary_rows(tmp_path):
    plan = read(rows_layout(tmp_path / "台账.xlsx"))
    texts = [str(w) for w in plan.warnings]
    assert any(w.startswith("第13行") and "尽快" in w for w in texts), texts
    descriptions = [p.description for p in plan.problems()]
    assert not any("合计" in d or "填报人" in d or "联系电话" in d for d in descriptions)
    assert len(descriptions) == 4


def test_columns_mapped_and_unmapped_are_reported(tmp_path):
    plan = read(column_layout(tmp_path / "台账.xlsx"))
    mapping = {c.source_header: c.field for c in plan.columns}
    assert mapping == {"序号": "sequence", "问题类别": "category", "存在问题": "description",
                       "整改目标": "goal", "主要措施": "measures", "牵头领导": "lead_official",
                       "牵头单位": "lead_unit", "配合单位": "support_units", "完成时限": "deadline_text",
                       "完成情况": "completion", "督办事项": None}
    assert [c.source_header for c in plan.unmapped_columns] == ["督办事项"]
    assert plan.columns[0].field_label == "序号" and plan.columns[-1].field_label == "（不导入）"


def test_column_layout_rebuilds_the_tree(tmp_path, ledger):
    plan = read(column_layout(tmp_path / "台账.xlsx"))
    assert plan.layout == "column" and plan.summary == "3大类5项"
    result, tree = imported(ledger, tmp_path / "台账.xlsx")
    assert result["inspection"] == "台账"  # no title row: the file's name
    assert [(c.label, c.title, len(c.all_problems())) for c in tree.categories] == [
        ("一、", "大气污染防治方面", 2), ("二、", "水污染防治方面", 1), ("三、", "自然生态保护方面", 2)]
    rows = [p.row for p in tree.problems]
    assert [r["status"] for r in rows] == ["已完成", "整改中", "整改中", "已销号", "整改中"]
    assert [r["term"] for r in rows] == ["限期整改", "限期整改", "限期整改", "立行立改", "长期坚持"]
    assert [r["deadline"] for r in rows] == ["2023-06-30", "2023-09-30", "2024-12-31", None, None]
    assert [m["text"] for m in rows[0]["measures"]] == ["安装在线监测", "依法查处。"]
    assert [m["text"] for m in rows[2]["measures"]] == ["排查排污口", "封堵直排口"]
    assert rows[2]["support_units"] == "县城管局、县住建局"
    assert all(r["completion"] == "" for r in rows)  # every 完成情况 here is a status word


def test_mapping_override_changes_what_is_imported(tmp_path):
    path = column_layout(tmp_path / "台账.xlsx")
    plan = read(path)
    mapping = plan.mapping()
    remarks_column = next(c.source_index for c in plan.columns if c.source_header == "督办事项")
    goal_column = next(c.source_index for c in plan.columns if c.field == "goal")
    mapping[remarks_column] = "remarks"
    mapping[goal_column] = None
    again = read(path, mapping)
    assert [p.remarks for p in again.problems()][:2] == ["甲", ""]
    assert all(p.goal == "" for p in again.problems())
    assert "整改目标" in [c.source_header for c in again.unmapped_columns]
    with pytest.raises(ValueError):
        read(path, {0: "no_such_field"})


def test_traditional_workbook_is_simplified(tmp_path):
    plan = read(rows_layout(tmp_path / "繁体.xlsx", traditional=True))
    assert plan.title == "青山县第二轮中央生态环境保护督察反馈问题整改台账"
    assert [c.title for c in plan.categories] == ["思想认识还不到位"]
    assert [c.title for c in plan.categories[0].children] == ["履职尽责有所懈怠"]
    problem = plan.problems()[0]
    assert problem.description == "县自然资源局对非法占用林地问题查处不力。"
    assert problem.lead_unit == "县自然资源局" and problem.status == "已完成"
    assert [m.text for m in problem.measures] == ["全面排查非法占用林地问题", "依法查处并恢复植被。"]
    assert any("繁体" in str(w) for w in plan.warnings)


def test_unnumbered_category_rows_and_numbers_in_the_description(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["反馈问题", "整改措施", "责任单位", "整改时限"])
    ws.append(["思想认识方面"])
    ws.merge_cells("A2:D2")
    ws.append(["1.学习贯彻不深入。", "专题学习。", "县委宣传部", "2024年底"])
    ws.append(["水污染防治方面"])
    ws.merge_cells("A4:D4")
    ws.append(["2.污水直排。", "封堵。", "县水利局", "2024年6月"])
    ws.append(["3.黑臭水体反弹。", "清淤。", "县城管局", "2024年9月"])
    wb.save(tmp_path / "无编号.xlsx")
    plan = read(tmp_path / "无编号.xlsx")
    assert [(c.title, [p.description for p in c.problems]) for c in plan.categories] == [
        ("思想认识方面", ["学习贯彻不深入。"]), ("水污染防治方面", ["污水直排。", "黑臭水体反弹。"])]


def test_problems_before_any_category_go_under_uncategorized(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "问题描述", "责任部门", "整改期限"])
    ws.append([1, "问题甲。", "县环保局", "2024年底前"])
    wb.save(tmp_path / "无类别.xlsx")
    plan = read(tmp_path / "无类别.xlsx")
    assert [c.title for c in plan.categories] == ["未分类"]
    assert any("未分类" in str(w) for w in plan.warnings)


def test_formulas_import_their_stored_values_and_warn_without_one(tmp_path):
    path = tmp_path / "公式.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "反馈问题", "责任单位", "整改时限"])
    ws.append([1, "问题甲。", '="县"&"生态环境局"', "2024年底前"])
    ws.append(["=A2+1", "问题乙。", '="县"&"水利局"', "2024年底前"])
    wb.save(path)
    # What Excel or WPS leaves after saving: formulas with their last results. Row 3's 责任单位
    # keeps none (a file saved by a program that cannot calculate).
    store_formula_result(path, "C2", "县生态环境局", text=True)
    store_formula_result(path, "A3", "2", text=False)
    plan = read(path)
    first, second = plan.problems()
    assert first.lead_unit == "县生态环境局"  # the stored value, not the formula
    assert second.lead_unit == ""
    assert [str(w) for w in plan.warnings if "公式" in str(w)] == [
        "第3行：“责任单位”是公式，但文件里没有保存计算结果，已留空。请在 WPS/Excel 里打开并保存一次后再导入。"]


def test_sheet_xml_with_a_namespace_prefix_reads_the_same(tmp_path):
    """Some programs write the sheet's tags with a prefix (<x:row>, <x:mergeCell>, <x:f>): its
    merged ranges, last row and formulas without a result are found all the same."""
    def workbook(folder):
        folder.mkdir()
        path = rows_layout(folder / "台账.xlsx")
        wb = load_workbook(path)
        wb.active["I6"] = "=1+1"  # a formula saved without its result
        wb.save(path)
        return path

    plain, prefixed = workbook(tmp_path / "plain"), workbook(tmp_path / "prefixed")
    sheet = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(prefixed) as archive:
        xml = archive.read(sheet)
    tagged = re.sub(rb"<(/?)([A-Za-z]+[\s/>])", rb"<\1x:\2", xml).replace(
        b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
        b'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"')
    assert b"<x:mergeCell " in tagged and b"<x:f>" in tagged and b"<row" not in tagged
    replace_in_member(prefixed, sheet, xml, tagged)
    plan = read(plain)
    assert plan.summary == "2大类4项" and any("公式" in str(w) for w in plan.warnings)
    assert read(prefixed) == plan


def test_a_ledger_after_a_cover_sheet_reads_the_same(tmp_path):
    """The first sheet's XML is kept for openpyxl; a later sheet's is read again from the file."""
    plain = rows_layout(tmp_path / "台账.xlsx")
    (tmp_path / "cover").mkdir()
    covered = rows_layout(tmp_path / "cover" / "台账.xlsx")
    wb = load_workbook(covered)
    wb.create_sheet("说明", 0)["A1"] = "填表说明：按原样填写。"
    wb.save(covered)
    plan = read(covered)
    assert plan.sheet == "整改台账" and plan == read(plain)


def test_old_xls_with_merged_cells(tmp_path, ledger):
    path = tmp_path / "旧版.xls"
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("台账")
    sheet.write_merge(0, 0, 0, 5, "某镇省级环保督察反馈问题整改台账")
    for col, text in enumerate(["序号", "反馈问题", "整改措施", "责任领导", "责任单位", "整改时限"]):
        sheet.write(1, col, text)
    sheet.write_merge(2, 2, 0, 5, "一、大气污染防治")
    sheet.write(3, 0, 1)
    sheet.write(3, 1, "秸秆露天焚烧。")
    sheet.write(3, 2, "1.加强巡查\n2.推进秸秆综合利用")
    sheet.write_merge(3, 4, 3, 3, "副镇长甲")  # one 责任领导 over two problems
    sheet.write(3, 4, "镇农办")
    sheet.write(3, 5, "2024年10月底前")
    sheet.write(4, 0, 2)
    sheet.write(4, 1, "餐饮油烟扰民。")
    sheet.write(4, 2, "安装油烟净化器。")
    sheet.write(4, 4, "镇综合执法队")
    sheet.write(4, 5, "立行立改")
    sheet.write(5, 0, "填报人：某某")
    book.save(str(path))
    result, tree = imported(ledger, path)
    assert result["summary"] == "1大类2项"
    assert ledger.row("inspection", result["inspection_id"])["kind"] == "省级"
    one, two = (p.row for p in tree.problems)
    assert one["lead_official"] == two["lead_official"] == "副镇长甲"
    assert [m["text"] for m in one["measures"]] == ["加强巡查", "推进秸秆综合利用"]
    assert one["deadline"] == "2024-10-31" and two["term"] == "立行立改"


def test_progress_is_reported_and_cancel_closes_the_file(tmp_path):
    path = big_workbook(tmp_path / "大.xlsx", 1000)
    steps = read_workbook(path)
    seen = [next(steps) for _ in range(3)]
    assert all(isinstance(s, Step) for s in seen)
    assert seen[-1].total >= 1000 and 0 < seen[-1].done <= seen[-1].total
    steps.close()  # the worker's cancel
    import os
    open_files = [os.readlink(f"/proc/self/fd/{fd}") for fd in os.listdir("/proc/self/fd")
                  if os.path.exists(f"/proc/self/fd/{fd}")] if os.path.isdir("/proc/self/fd") else []
    assert str(path) not in open_files
    plan = read(path)
    assert plan.summary == "4大类1000项"
    assert plan.problems()[999].description.startswith("第1000个问题")


@pytest.mark.parametrize("text,status,term", [
    ("已完成", "已完成", None), ("达到时序进度", "整改中", None), ("达到序时进度要求", "整改中", None),
    ("正在推进", "整改中", None), ("长期坚持", "整改中", "长期坚持"), ("未完成", "整改中", None),
    ("尚未启动", "未启动", None), ("已销号", "已销号", None), ("销号中", "销号中", None),
    ("立行立改，已完成", "已完成", "立行立改"), ("已完成（并持续推进）", "已完成", None),
])
def test_status_words(text, status, term):
    found_status, found_term = status_and_term(text, anywhere=True)
    assert (found_status, found_term) == (status, term)


@pytest.mark.parametrize("text,measures", [
    ("1.甲；2.乙；3.丙", ["甲", "乙", "丙"]),
    ("1、甲\n2、乙", ["甲", "乙"]),
    ("（1）甲（2）乙", ["甲", "乙"]),
    ("（1）甲；（2）乙", ["甲", "乙"]),
    ("①甲。②乙。", ["甲。", "乙。"]),
    ("采取以下措施：\n1.甲\n2.乙", ["采取以下措施：", "甲", "乙"]),
    ("甲\n\n乙", ["甲", "乙"]),
    ("管网延伸1.5公里。", ["管网延伸1.5公里。"]),
    ("2019.6前完成", ["2019.6前完成"]),
])
def test_measures_split(text, measures):
    assert split_measures(text) == measures


def _ledger_contents(ledger, inspection_id):
    """What a clerk sees of one inspection: the numbered tree with every field of every problem."""
    tree = ledger.tree(inspection_id)
    fields = ("code", "description", "goal", "lead_official", "lead_unit", "support_units",
              "deadline_text", "deadline", "term", "status", "completion", "remarks")
    categories = [(c.label, c.title, [(s.label, s.title) for s in c.children]) for c in tree.categories]
    problems = [(p.number, p.parent.title, {f: p.row[f] for f in fields},
                 [(m["text"], m["completion"]) for m in p.row["measures"]]) for p in tree.problems]
    return categories, problems


def test_round_trip_export_then_import_gives_the_same_ledger(sample_ledger, tmp_path):
    from desktop_app.formats.exporting import ledger_xlsx
    from desktop_app.store.ledger import Ledger
    options = ledger_xlsx.ExportOptions()
    options.columns = list(options.columns) + ["code", "support_units", "term", "status"]
    ledger_xlsx.export_ledger_file(sample_ledger, tmp_path / "导出.xlsx", options)
    original = sample_ledger.inspections()[0]

    again = Ledger.create(tmp_path / "再导入.db")
    try:
        plan = read(tmp_path / "导出.xlsx")
        assert plan.summary == "2大类5项"
        result = apply_plan(again, plan, inspection_fields={"name": original["name"]})
        assert _ledger_contents(again, result["inspection_id"]) == \
            _ledger_contents(sample_ledger, original["id"])
    finally:
        again.close()
