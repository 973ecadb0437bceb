"""Importing a rectification plan published as text: structure, labels, and web-copy noise removed."""

from pathlib import Path

import docx
import pytest

from desktop_app.formats.importing.chinese_text import full_width_punctuation, remove_pinyin
from desktop_app.formats.importing.apply import apply_plan
from desktop_app.formats.importing.errors import NoProblemsFound, TextUnreadable
from desktop_app.formats.importing.importer import read_source
from desktop_app.formats.importing.plan_file import TasksInTable, read_plan_file
from desktop_app.formats.importing.plan_text import read_plan_text, unaccounted_lines
from desktop_app.jobs import finish

DATA = Path(__file__).parent / "data"
SEED_001 = DATA / "seed_001_plan.txt"  # copy of shared/seeds/001_*.txt, noise and all

FIRST_ITEM = (
    "督察期间通过谈话了解到，济源市部分干部的生态环境保护意识还比较淡薄，特别是对2018年济源市空气质量"
    "高位运行、一个时期以来矿山开采造成生态破坏等问题，强调历史原因、特殊自然环境、经济发展等客观原因多，"
    "从主观上找原因少，对思想认识和工作方面的差距正视不够。少数地方□有在生态环境保护工作中切实做到履职尽责。")

PLAN = """关于某县第二轮中央生态环境保护督察反馈意见整改方案
一、总体要求
（一）坚持问题导向。各单位要逐项落实。
1.提高站位。把督察整改作为重大政治任务。
2.压实责任。层层传导压力。
二、整改任务
某县督察反馈意见整改任务清单
一、思想认识方面
（一）学习贯彻不够深入
1.部分干部对习近平生态文明思想学习不深入。
整改目标：学习教育全覆盖。
整改措施：1.县委理论学习中心组每季度专题学习；2.县委党校开设专题课程。
责任领导：县委副书记
责任单位：县委宣传部、县委组织部
整改时限：2022年6月底前，长期坚持
2、部分乡镇“党政同责”落实不到位。
整改目标：
责任压实到乡镇。
整改措施：
（1）制定乡镇生态环境保护责任清单。
（2）每半年考核一次，
结果纳入年度绩效。
责任单位：县委办
整改时限：立行立改
整改进展：已完成。
(二)考核问责不够严格
3.对整改不力的单位问责不严。
整改措施：
①建立问责台账。
②定期通报。
牵头单位：县纪委监委
完成时限：2022年底
二、水污染防治方面
4.城区污水直排青山河。
整改目标：消除直排口。
整改措施：
1.封堵直排口。
2.建设截污管网。
责任单位：县住建局
整改时限：2023年6月30日前
整改进展：1.已封堵直排口3个；2.管网完成60%。
"""


def test_seed_001_plan_first_category_subcategory_and_item():
    plan = read_plan_file(SEED_001)
    assert plan.layout == "text"
    assert plan.title == "济源市环境保护督察反馈意见整改任务清单"
    first = plan.categories[0]
    assert first.title == "思想认识还不到位"
    assert [c.title for c in first.children] == ["履职尽责有所懈怠"]
    item = first.children[0].problems[0]
    assert item.description == FIRST_ITEM
    assert item.goal == "教育引导全市各级干部切实进一步提高政治站位，强化生态环境保护工作履职尽责、尽职"
    # Only the task list: the plan's preamble (一、总体要求 … 五、组织保障) is left out.
    assert plan.summary == "1大类1项"


def test_seed_001_noise_is_gone_and_reported():
    plan = read_plan_file(SEED_001)
    problem = plan.problems()[0]
    everything = problem.description + problem.goal + "".join(c.title for c in plan.categories)
    for noise in ("huán", "(", "扫码下载", "免费看价格", "数据仅供参考", "環", "濟"):
        assert noise not in everything
    warnings = [str(w) for w in plan.warnings]
    assert any("拼音" in w for w in warnings)
    assert any("繁体" in w for w in warnings)
    assert any("网页上的无关内容" in w for w in warnings)
    assert any(w.startswith("第35行") and "乱码" in w for w in warnings)  # the character lost in 地方?jīng)]有


def test_seed_001_imports_into_a_ledger(ledger):
    result = apply_plan(ledger, read_plan_file(SEED_001))
    tree = ledger.tree(result["inspection_id"])
    assert result["inspection"] == "济源市环境保护督察反馈意见整改任务清单"
    assert ledger.row("inspection", result["inspection_id"])["kind"] == "其他"
    assert [(c.label, c.title) for c in tree.categories] == [("一、", "思想认识还不到位")]
    assert [(c.label, c.title) for c in tree.categories[0].children] == [("（一）", "履职尽责有所懈怠")]
    assert tree.problems[0].number == 1 and tree.problems[0].row["description"] == FIRST_ITEM


def test_a_speech_has_no_problems_to_import():
    with pytest.raises(NoProblemsFound) as caught:
        read_plan_file(DATA / "seed_003_speech.txt")
    assert "没有找到任何反馈问题" in str(caught.value)


def test_plan_structure_labels_and_numbering_variants():
    plan = read_plan_text(PLAN)
    assert plan.title == "某县督察反馈意见整改任务清单"
    assert plan.summary == "2大类4项"
    thought, water = plan.categories
    assert thought.title == "思想认识方面" and water.title == "水污染防治方面"
    assert [c.title for c in thought.children] == ["学习贯彻不够深入", "考核问责不够严格"]
    one, two = thought.children[0].problems
    assert one.description == "部分干部对习近平生态文明思想学习不深入。"
    assert one.goal == "学习教育全覆盖。"
    assert [m.text for m in one.measures] == ["县委理论学习中心组每季度专题学习", "县委党校开设专题课程。"]
    assert one.lead_official == "县委副书记" and one.lead_unit == "县委宣传部、县委组织部"
    assert one.deadline_text == "2022年6月底前，长期坚持"

    assert two.description == "部分乡镇“党政同责”落实不到位。"
    assert two.goal == "责任压实到乡镇。"
    assert [m.text for m in two.measures] == ["制定乡镇生态环境保护责任清单。", "每半年考核一次，结果纳入年度绩效。"]
    assert (two.deadline_text, two.status, two.completion) == ("立行立改", "已完成", "已完成。")

    three = thought.children[1].problems[0]
    assert [m.text for m in three.measures] == ["建立问责台账。", "定期通报。"]
    assert (three.lead_unit, three.deadline_text) == ("县纪委监委", "2022年底")

    four = water.problems[0]
    assert [(m.text, m.completion) for m in four.measures] == [
        ("封堵直排口。", "已封堵直排口3个"), ("建设截污管网。", "管网完成60%。")]
    assert four.completion == ""


def test_numbered_paragraphs_without_labels_are_left_out_once_labels_exist():
    text = PLAN.replace("某县督察反馈意见整改任务清单\n", "").replace("总体要求", "工作安排")
    plan = read_plan_text(text)
    assert plan.summary == "2大类4项"
    assert any("跳过了2段编号文字" in str(w) for w in plan.warnings)
    left = {(n.line, n.text) for n in plan.not_imported if n.why == "正文前后"}
    assert {(4, "1.提高站位。把督察整改作为重大政治任务。"), (5, "2.压实责任。层层传导压力。")} <= left


def test_a_plan_s_own_parts_are_never_problems_even_without_a_list_heading():
    plan = read_plan_text(PLAN.replace("某县督察反馈意见整改任务清单\n", ""))
    assert plan.summary == "2大类4项"
    assert [n.text for n in plan.not_imported if n.line in (2, 3, 4, 5)] == [
        "一、总体要求", "（一）坚持问题导向。各单位要逐项落实。", "1.提高站位。把督察整改作为重大政治任务。",
        "2.压实责任。层层传导压力。"]
    assert {n.why for n in plan.not_imported if n.line in (2, 3, 4, 5)} == {"正文前后"}


def test_a_plain_numbered_list_without_labels():
    plan = read_plan_text("一、大气污染\n1.秸秆焚烧。\n2.扬尘污染。\n二、水污染\n1.污水直排。")
    assert [(c.title, [p.description for p in c.problems]) for c in plan.categories] == [
        ("大气污染", ["秸秆焚烧。", "扬尘污染。"]), ("水污染", ["污水直排。"])]


def test_the_next_problem_read_as_a_measure_is_split_off_at_its_second_label():
    # "2.…" after problem 1's measure 1 continues both numberings; problem 1's own label coming
    # again (整改措施：, 整改目标：) shows it was problem 2, with what followed it.
    text = ("一、水环境\n1.第1条问题，污水直排。\n整改目标：达标排放。\n整改措施：1.截污纳管。\n"
            "2.第2条问题，垃圾乱堆。\n责任单位：城管局\n整改目标：清零。\n整改措施：1.清运垃圾。\n2.建立长效机制。\n"
            "3.第3条问题，秸秆焚烧。\n整改措施：1.禁烧巡查。")
    plan = read_plan_text(text)
    assert [(p.description, [m.text for m in p.measures], p.goal, p.lead_unit)
            for p in plan.problems()] == [
        ("第1条问题，污水直排。", ["截污纳管。"], "达标排放。", ""),
        ("第2条问题，垃圾乱堆。", ["清运垃圾。", "建立长效机制。"], "清零。", "城管局"),
        ("第3条问题，秸秆焚烧。", ["禁烧巡查。"], "", "")]
    assert [w.row_number for w in plan.warnings if "按一个新的反馈问题导入" in w.message] == [5, 10]
    taken = {line: field for line, field, _ in plan.taken}
    assert (taken[5], taken[10]) == ("description", "description")
    assert not plan.not_imported and not unaccounted_lines(text, plan)


def test_a_measure_numbered_like_the_next_problem_stays_a_measure_without_a_repeated_label():
    plan = read_plan_text("一、水环境\n1.第1条问题。\n整改措施：1.截污纳管。\n2.建设管网。\n责任单位：住建局\n"
                          "2.第2条问题。\n整改措施：1.清运。")
    assert [(p.description, [m.text for m in p.measures], p.lead_unit) for p in plan.problems()] == [
        ("第1条问题。", ["截污纳管。", "建设管网。"], "住建局"), ("第2条问题。", ["清运。"], "")]
    assert not plan.warnings


def test_pinyin_noise_and_punctuation():
    assert remove_pinyin("環(huán)境保護(hù)與(VOCs)治理(PM2.5)") == ("環境保護與(VOCs)治理(PM2.5)", 2)
    assert full_width_punctuation("了解到,济源市;下同:2024/5/9 23:16:01,1,000吨") == \
        "了解到，济源市；下同：2024/5/9 23:16:01,1,000吨"  # digits on both sides: left alone


def test_gb18030_and_utf8_text_files(tmp_path):
    text = "一、大气污染\n1.秸秆焚烧。\n整改措施：加强巡查。\n"
    (tmp_path / "gbk.txt").write_bytes(text.encode("gb18030"))
    (tmp_path / "utf8.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    for name in ("gbk.txt", "utf8.txt"):
        plan = read_plan_file(tmp_path / name)
        assert plan.problems()[0].measures[0].text == "加强巡查。"
    (tmp_path / "bad.txt").write_bytes(b"\x81\x30\xff\xfe\xfd" * 10)
    with pytest.raises(TextUnreadable):
        read_plan_file(tmp_path / "bad.txt")


def test_docx_plan(tmp_path):
    document = docx.Document()
    document.add_heading("某镇整改方案", level=1)
    for line in ("一、思想认识方面", "1.学习不深入。", "整改措施：1.专题学习；2.集中培训。", "责任单位：镇党委办"):
        document.add_paragraph(line)
    document.add_table(rows=1, cols=2)
    document.save(tmp_path / "方案.docx")
    plan = finish(read_source(tmp_path / "方案.docx"))
    assert plan.title == "某镇整改方案" and plan.summary == "1大类1项"
    assert [m.text for m in plan.problems()[0].measures] == ["专题学习", "集中培训。"]
    assert any("不像整改任务清单" in str(w) for w in plan.warnings)


def test_docx_whose_task_list_is_a_table(tmp_path):
    document = docx.Document()
    document.add_paragraph("关于印发某镇督察反馈问题整改方案的通知")
    document.add_paragraph("一、总体要求")
    document.add_paragraph("附件：某镇整改任务清单")
    table = document.add_table(rows=6, cols=5)
    for col, text in enumerate(["序号", "反馈问题", "整改措施", "责任领导", "责任单位"]):
        table.cell(0, col).text = text
    table.cell(1, 0).merge(table.cell(1, 4)).text = "一、大气污染防治方面"
    rows = [("1", "秸秆露天焚烧。", "1.加强巡查；2.综合利用。", "副镇长甲", "镇农办"),
            ("2", "餐饮油烟扰民。", "安装净化器。", "", "镇执法队"),
            ("3", "砂石场扬尘。", "覆盖抑尘。", "副镇长乙", "镇安监站")]
    for r, values in enumerate(rows, start=2):
        for col, text in enumerate(values):
            if text:
                table.cell(r, col).text = text
    table.cell(2, 3).merge(table.cell(3, 3))  # one 责任领导 over two problems
    table.cell(5, 0).merge(table.cell(5, 4)).text = "填报人：某某"
    document.save(tmp_path / "方案.docx")
    plan = read_plan_file(tmp_path / "方案.docx")
    assert plan.layout == "rows" and plan.sheet == "表格1" and plan.summary == "1大类3项"
    one, two, three = plan.problems()
    assert [m.text for m in one.measures] == ["加强巡查", "综合利用。"]
    assert one.lead_official == two.lead_official == "副镇长甲"
    assert three.lead_unit == "镇安监站"


def test_docx_with_its_tasks_in_a_table_it_cannot_read(tmp_path):
    document = docx.Document()
    document.add_paragraph("某镇整改任务清单如下表。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "反馈问题", "责任单位"
    document.save(tmp_path / "表格.docx")
    with pytest.raises(TasksInTable) as caught:
        read_plan_file(tmp_path / "表格.docx")
    assert "另存为 .xlsx" in str(caught.value)
