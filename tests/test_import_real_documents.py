"""Real documents come in as they are: 公示 pages, progress lists, pasted web text, nothing dropped.

Every non-empty source line ends up in a field (plan.taken, and its words are found in what the
import creates) or in plan.not_imported with its reason (网页杂项 / 正文前后 / 公示信息 / 不认识).
"""

import json
import re
from pathlib import Path

import pytest

from desktop_app.formats.exporting import ledger_xlsx
from desktop_app.formats.importing.apply import apply_plan, inspection_name
from desktop_app.formats.importing.errors import NoProblemsFound
from desktop_app.formats.importing.plan import PROBLEM_FIELDS
from desktop_app.formats.importing.importer import read_source
from desktop_app.formats.importing.plan_cleaning import normalize_lines
from desktop_app.formats.importing.plan_text import LABELS, read_plan_text, unaccounted_lines
from desktop_app.jobs import finish
from desktop_app.store import progress as progress_store
from desktop_app.store.ledger import Ledger

from import_workbooks import rows_layout

DATA = Path(__file__).parent / "data"
SEEDS = {name: DATA / name for name in ("seed_000_notice.txt", "seed_001_plan.txt",
                                         "seed_002_notice.txt", "seed_003_speech.txt",
                                         "seed_004_progress.txt")}
WHY = {"网页杂项", "正文前后", "公示信息", "不认识"}

NOTICE = """某县生态环境保护督察整改工作领导小组办公室
某县省级生态环境保护督察反馈问题整改销号公示
反馈问题（省编号第12号）：某镇污水处理厂长期超标排放，群众反映强烈。
整改目标：出水稳定达到一级A标准。
整改措施及完成情况：一是完成提标改造工程；二是安装在线监测设备并联网；三是建立运行台账。
整改实施主体：某镇人民政府
牵头验收单位：县生态环境分局
配合验收单位：县住建局、县水利局
责任单位（县级）：县住建局
整改时限：2019年6月底前完成，长期坚持
整改进展情况：已经完成，长期坚持
下一步工作打算：持续开展监督性监测。
特此公示。
公示时间：2020年3月2日至2020年3月6日（共5个工作日）
受理单位：某县生态环境保护督察整改工作领导小组办公室
联系人：李明
联系电话：0731-1234567
传真：0731-7654321
某县生态环境保护督察整改工作领导小组办公室
2020年3月2日
"""

DATELINE_NOTICE = """某县人民政府 2019-12-13 16:36 来源：县生态环境分局
某县第二轮中央生态环境保护督察第8号问题整改销号公示
整改任务：城区黑臭水体治理不到位。
整改措施：
1.实施截污纳管。
2.开展清淤疏浚。
该问题已完成整改。
"""

PROBLEMS_AT_PAREN = """一、水污染防治方面
（一）城区污水直排。
整改目标：消除直排。
整改措施：封堵排口。
责任单位：县住建局
（二）乡镇污水处理设施闲置。
整改目标：设施正常运行。
责任单位：县水利局
二、大气污染防治方面
（三）秸秆露天焚烧。
整改措施：加强巡查。
"""

PROGRESS_LIST = """某县督察反馈问题整改进展情况
一、关于“城区污水直排”问题。整改进展：
1.已封堵排口5个。
2.截污管网完成3公里。
二、关于“秸秆焚烧”问题
1.开展巡查40次。
各项整改措施均已完成。
"""

CHUNKED_PLAN = """某县整改方案
1、指导思想
以习近平生态文明思想为指导，全面落实督察反馈意见。
2、基本原则
坚持问题导向，坚持标本兼治。
3、整改任务
一、水污染防治
1.城区污水直排。
整改目标：消除直排。
整改措施：1.封堵排口；2.建设管网。
责任单位：县住建局
"""

FLATTENED = ("某县整改方案 一、指导思想 以习近平生态文明思想为指导，全面落实督察反馈意见，"
             + "坚决扛起生态环境保护政治责任，" * 10 + "。二、基本原则 坚持问题导向，坚持标本兼治。"
             "三、整改任务 （一）水污染 1.城区污水直排，" + "污水处理设施配套管网建设滞后，" * 8 +
             "。整改目标：消除直排。整改措施：1.封堵排口；2.建设管网。责任单位：县住建局。整改时限：2020年底。"
             "2.乡镇污水处理设施闲置。整改目标：设施正常运行。责任单位：县水利局。")

MINE = {"notice": NOTICE, "dateline": DATELINE_NOTICE, "paren": PROBLEMS_AT_PAREN,
        "progress": PROGRESS_LIST, "chunked": CHUNKED_PLAN, "flattened": FLATTENED}


# -- the invariant -----------------------------------------------------------------------------

_SPLIT = re.compile(r"[\s，,。.．；;：:、！!？?（）()“”\"‘’《》〈〉【】\[\]…—\-/]+")
_NUMBERING = re.compile(r"^(?:\d{1,3}|[一二三四五六七八九十]+|[①-⑳])(?:是)?")
_LABEL_NAMES = sorted(LABELS, key=len, reverse=True)
_FOOTER_LABELS = {"公示时间", "公示期", "受理单位", "联系人", "联系电话", "监督电话", "电话", "传真"}


def _blob(plan) -> str:
    """Everything the import creates or shows as a field, without spaces."""
    parts = [plan.title]
    for category in plan.categories:
        parts.append(category.title)
        parts.extend(child.title for child in category.children)
    for problem in plan.problems():
        parts.extend(str(getattr(problem, name) or "") for name in PROBLEM_FIELDS)
        for measure in problem.measures:
            parts += [measure.text, measure.completion]
    if plan.publicity:
        parts.extend(str(v) for v in plan.publicity.as_dict().values())
    return re.sub(r"\s+", "", "\n".join(parts))


def _segments(text: str) -> list[str]:
    """The words of a line that must be found in a field: no labels, numbers or punctuation."""
    found = []
    for segment in _SPLIT.split(text):
        segment = _NUMBERING.sub("", segment)
        label = next((name for name in _LABEL_NAMES if segment.startswith(name)), "")
        segment = segment[len(label):]  # 一、反馈问题一些地方…: a flattened text's label run on
        if len(segment) >= 2 and segment not in LABELS and segment not in _FOOTER_LABELS:
            found.append(segment)
    return found


def assert_every_line_accounted(text: str, plan) -> None:
    """Each non-empty line taken (its words in a field) or listed with a reason; no line both lost."""
    assert unaccounted_lines(text, plan) == []
    listed = {n.line for n in plan.not_imported}
    assert {n.why for n in plan.not_imported} <= WHY
    blob = _blob(plan)
    taken_lines = set()
    for line, field, piece in plan.taken:
        taken_lines.add(line)
        missing = [s for s in _segments(piece) if s not in blob]
        assert not missing, f"line {line} ({field}) {piece!r}: {missing} in no field"
    lines = [n for n, line in enumerate(normalize_lines(text).split("\n"), 1) if line.strip()]
    assert set(lines) <= taken_lines | listed


def read(text: str):
    plan = read_plan_text(text)
    assert_every_line_accounted(text, plan)
    return plan


def not_imported(plan) -> list[tuple[int, str, str]]:
    return [(n.line, n.why, n.text) for n in plan.not_imported]


# -- labels -------------------------------------------------------------------------------------

def test_bracketed_and_new_labels_fill_their_fields():
    plan = read(NOTICE)
    [problem] = plan.problems()
    assert problem.code == "省编号第12号"
    assert problem.description == "某镇污水处理厂长期超标排放，群众反映强烈。"
    assert problem.goal == "出水稳定达到一级A标准。"
    # 整改措施及完成情况 with 一是…二是…: one measure each, not one long measure.
    assert [m.text for m in problem.measures] == ["完成提标改造工程", "安装在线监测设备并联网", "建立运行台账。"]
    # 整改实施主体 and 责任单位（县级） are the units, never glued onto the last measure.
    assert problem.lead_unit == "某镇人民政府、县住建局（县级）"
    assert problem.remarks == ("牵头验收单位：县生态环境分局\n配合验收单位：县住建局、县水利局\n"
                               "下一步工作打算：持续开展监督性监测。")
    assert problem.deadline_text == "2019年6月底前完成，长期坚持"
    assert (problem.status, problem.term) == ("已完成", "长期坚持")
    assert problem.completion == "已经完成，长期坚持"


def test_a_notice_footer_is_its_publicity_record_not_the_problem():
    plan = read(NOTICE)
    assert plan.publicity.as_dict() == {
        "office": "某县生态环境保护督察整改工作领导小组办公室", "contact": "李明",
        "phone": "0731-1234567", "fax": "0731-7654321",
        "issuer": "某县生态环境保护督察整改工作领导小组办公室", "issued_on": "2020年3月2日",
        "period": "2020年3月2日至2020年3月6日（共5个工作日）", "publicity_start": "2020-03-02",
        "publicity_end": "2020-03-06", "publicity_working_days": 5}
    assert not_imported(plan) == [(13, "公示信息", "特此公示。")]
    assert inspection_name(plan) == "某县省级生态环境保护督察"
    assert "0731" not in _blob(plan).replace("0731-1234567", "").replace("0731-7654321", "")


def test_a_dateline_is_web_noise_and_the_number_in_the_title_is_the_code():
    plan = read(DATELINE_NOTICE)
    [problem] = plan.problems()
    assert plan.title == "某县第二轮中央生态环境保护督察第8号问题整改销号公示"
    assert inspection_name(plan) == "某县第二轮中央生态环境保护督察"
    assert problem.code == "第8号"
    assert problem.description == "城区黑臭水体治理不到位。"  # 整改任务： is the problem
    assert [m.text for m in problem.measures] == ["实施截污纳管。", "开展清淤疏浚。"]
    assert (problem.status, problem.completion) == ("已完成", "该问题已完成整改。")
    assert not_imported(plan) == [(1, "网页杂项", "某县人民政府 2019-12-13 16:36 来源：县生态环境分局")]
    assert plan.publicity is None


# -- numbering used another way -------------------------------------------------------------------

def test_problems_at_paren_numbers_with_labels_under_them():
    plan = read(PROBLEMS_AT_PAREN)
    assert [(c.title, c.children, [(p.description, p.goal, p.lead_unit, [m.text for m in p.measures])
                                   for p in c.problems]) for c in plan.categories] == [
        ("水污染防治方面", [], [("城区污水直排。", "消除直排。", "县住建局", ["封堵排口。"]),
                         ("乡镇污水处理设施闲置。", "设施正常运行。", "县水利局", [])]),
        ("大气污染防治方面", [], [("秸秆露天焚烧。", "", "", ["加强巡查。"])])]
    assert plan.not_imported == []


def test_a_progress_list_about_headings_are_problems_and_numbers_what_was_done():
    plan = read(PROGRESS_LIST)
    first, second = plan.problems()
    assert first.description == "关于“城区污水直排”问题"
    assert first.completion == "1.已封堵排口5个。\n2.截污管网完成3公里。"
    assert first.status is None
    assert second.description == "关于“秸秆焚烧”问题"
    assert second.completion == "1.开展巡查40次。\n各项整改措施均已完成。"
    assert second.status == "已完成"
    assert plan.title == "某县督察反馈问题整改进展情况" and plan.not_imported == []


# -- pasted web text ------------------------------------------------------------------------------

def test_page_chunk_numbers_do_not_turn_a_preamble_into_problems():
    plan = read(CHUNKED_PLAN)
    [problem] = plan.problems()
    assert plan.summary == "1大类1项"
    assert (problem.description, [m.text for m in problem.measures]) == ("城区污水直排。", ["封堵排口", "建设管网。"])
    assert not_imported(plan) == [
        (2, "正文前后", "1、指导思想"), (3, "正文前后", "以习近平生态文明思想为指导，全面落实督察反馈意见。"),
        (4, "正文前后", "2、基本原则"), (5, "正文前后", "坚持问题导向，坚持标本兼治。"), (6, "正文前后", "3、整改任务")]
    assert any("指导思想、基本原则" in str(w) for w in plan.warnings)


def test_a_flattened_text_is_broken_again_at_its_numbers_and_labels():
    plan = read(FLATTENED)
    first, second = plan.problems()
    assert first.description.startswith("城区污水直排，污水处理设施配套管网建设滞后")
    assert (first.goal, first.lead_unit, first.deadline_text) == ("消除直排。", "县住建局", "2020年底")
    assert [m.text for m in first.measures] == ["封堵排口", "建设管网。"]
    assert (second.description, second.goal, second.lead_unit) == ("乡镇污水处理设施闲置。", "设施正常运行。", "县水利局")
    assert [(n.line, n.why) for n in plan.not_imported] == [(1, "正文前后"), (1, "正文前后")]
    assert plan.not_imported[1].text == "二、基本原则 坚持问题导向，坚持标本兼治。"
    assert any("压成了一行" in str(w) for w in plan.warnings)


def test_a_heading_running_on_keeps_its_title_and_lists_the_rest():
    plan = read("一、思想认识不到位。部分干部认为督察整改是环保部门的事。\n1.学习不深入。\n整改目标：全覆盖。")
    assert plan.categories[0].title == "思想认识不到位"
    assert not_imported(plan) == [(1, "不认识", "部分干部认为督察整改是环保部门的事。")]
    assert any("后面接着一段文字" in str(w) for w in plan.warnings)


# -- the seeds ------------------------------------------------------------------------------------

def test_seed_000_notice():
    plan = read(SEEDS["seed_000_notice.txt"].read_text("utf-8"))
    [problem] = plan.problems()
    assert inspection_name(plan) == "凤凰县第二轮中央生态环境保护督察"
    assert problem.description.startswith("一些地方和部门对习近平总书记强调的长江大保护等重大国家战略")
    assert problem.goal.startswith("对长江大保护等重大国家战略的重要性认识进一步深化")
    assert [m.text[:6] for m in problem.measures] == ["加强组织领导", "强化学习，加", "强化责任落实", "强化考核管理",
                                                     "强化生态环保"]
    assert problem.measures[2].text.endswith(problem.measures[2].text[-10:])  # (三)'s paragraph joined
    assert "深入打好污染防治攻坚战" in problem.measures[2].text
    assert (problem.completion, problem.status) == ("已完成（并持续推进）", "已完成")
    assert "公示" not in problem.completion and "胡向丽" not in _blob(plan).replace("胡向丽", "", 1)
    assert plan.publicity.as_dict() == {
        "office": "凤凰县环境保护督察工作领导小组", "contact": "胡向丽", "phone": "0743-3506055",
        "fax": "0743-3506055", "period": "2023年10月12日-2023年10月17日（共五天）",
        "publicity_start": "2023-10-12", "publicity_end": "2023-10-17"}
    assert [(n.line, n.why) for n in plan.not_imported] == [(14, "公示信息")]


def test_seed_002_notice():
    plan = read(SEEDS["seed_002_notice.txt"].read_text("utf-8"))
    [problem] = plan.problems()
    assert plan.title == "关于 2021 年第二轮中央生态环境保护督察报告反馈问题（问题编号一）整改销号情况的公示"
    assert inspection_name(plan) == "2021年第二轮中央生态环境保护督察"
    assert problem.code == "问题编号一"
    assert "产养殖污染" in problem.description  # the paragraph broken by the page is joined
    assert len(problem.measures) == 5
    # 5 measures, 4 results: paired by what they say; the 4th fits none and stays the problem's.
    completions = [m.completion for m in problem.measures]
    assert completions[0].startswith("加强对习近平生态文明思想和关于生态环境保护的重要论述的学习")
    assert completions[1].startswith("严格落实《岳阳市较大及一般环境问题（事件）责任追究办法》")
    assert completions[2].startswith("深入打好污染防治攻坚战，认真落实“夏季攻势”要求")
    assert completions[3:] == ["", ""]
    assert problem.completion.startswith("4.按照“一个问题、一套方案")
    assert problem.completion.endswith("截至目前，各项整改措施均已完成，符合办结销号要求。")
    assert problem.status == "已完成"
    assert plan.publicity.as_dict() == {
        "phone": "0730-8245473", "issuer": "岳阳市岳阳楼区生态环境保护委员会办公室",
        "issued_on": "2023年10月13日", "period": "2023年10月13日至2023年10月24日，共10个工作日",
        "publicity_start": "2023-10-13", "publicity_end": "2023-10-24", "publicity_working_days": 10}
    assert [(n.line, n.why) for n in plan.not_imported] == [(7, "正文前后")]


def test_seed_001_lists_its_preamble_and_web_furniture():
    text = SEEDS["seed_001_plan.txt"].read_text("utf-8")
    plan = read(text)
    why = {n.line: n.why for n in plan.not_imported}
    assert why[1] == why[2] == why[26] == why[32] == "正文前后"  # lead-in, 一、总体要求, 组织保障, 具体如下
    assert why[37] == why[38] == why[39] == "网页杂项"  # 数据仅供参考, 扫码下载, 免费看价格
    assert [line for line, _, _ in plan.taken] == [31, 33, 34, 35, 36]


# -- every seed and its variants: no line disappears ---------------------------------------------

def _flattened(text: str) -> str:
    return "".join(line.strip() for line in text.splitlines())


def _renumbered(text: str) -> str:
    text = re.sub(r"(?m)^(\s*\d{1,2})\.\s*", r"\1、", text)
    return re.sub(r"（([一二三四五六七八九十]+)）", r"(\1)", text)


def _noisy(text: str) -> str:
    lines = text.splitlines()
    noisy = ["您的位置：首页 > 信息公开 > 正文", "县人民政府 2023-10-13 09:12 来源：县生态环境分局", ""]
    for i, line in enumerate(lines):
        noisy.append(line)
        if i % 4 == 3:
            noisy += ["", "扫码下载"]
    noisy += ["上一篇：关于某某的通知", "打印本页"]
    return "\r\n".join(noisy)


def _traditional(text: str) -> str:
    import opencc
    return opencc.OpenCC("s2t").convert(text)


def _chunk_numbered(text: str) -> str:
    """A document-sharing site's page-chunk numbers 1、2、3、 before every third paragraph."""
    lines = text.splitlines()
    return "\n".join(f"{i // 3 + 1}、{line}" if i % 3 == 0 and line.strip() else line
                     for i, line in enumerate(lines))


def _spaced_flat(text: str) -> str:
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


VARIANTS = {"as is": lambda t: t, "flattened": _flattened, "flattened with spaces": _spaced_flat,
            "renumbered": _renumbered, "noisy": _noisy, "traditional": _traditional,
            "chunk-numbered": _chunk_numbered}


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("name", list(SEEDS) + list(MINE))
def test_no_line_disappears(name, variant):
    source = SEEDS[name].read_text("utf-8") if name in SEEDS else MINE[name]
    text = VARIANTS[variant](source)
    try:
        plan = read_plan_text(text)
    except NoProblemsFound:
        assert name in ("seed_003_speech.txt", "seed_004_progress.txt")  # a speech, a report: refused
        return
    # A speech is refused as it is; numbers put before its paragraphs make a numbered list of it.
    assert name != "seed_003_speech.txt" or variant == "chunk-numbered"
    assert plan.problem_count >= 1
    assert_every_line_accounted(text, plan)


# -- the import writes what the preview showed ----------------------------------------------------

def test_import_json_returns_not_imported_and_publicity(tmp_path, capsys):
    from desktop_app.cli import main
    source = tmp_path / "公示.txt"
    source.write_text(DATELINE_NOTICE.replace("该问题已完成整改。", "该问题已完成整改。\n特此公示。\n"
                                              "联系人：王芳\n联系电话：0731-1111111"), "utf-8")
    assert main(["import", str(source), "--db", str(tmp_path / "台账.db"), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["inspection"] == "某县第二轮中央生态环境保护督察"
    assert result["not_imported"] == [
        {"line": 1, "text": "某县人民政府 2019-12-13 16:36 来源：县生态环境分局", "why": "网页杂项"},
        {"line": 8, "text": "特此公示。", "why": "公示信息"}]
    assert result["publicity"] == {"contact": "王芳", "phone": "0731-1111111"}
    ledger = Ledger.open(tmp_path / "台账.db")
    try:
        [problem] = ledger.db.query("SELECT code, status, completion FROM problems")
        assert problem == {"code": "第8号", "status": "已完成", "completion": "该问题已完成整改。"}
    finally:
        ledger.close()


def test_a_status_only_progress_cell_becomes_a_progress_report_that_exports(tmp_path):
    from datetime import date
    from openpyxl import load_workbook
    plan = finish(read_source(rows_layout(tmp_path / "台账.xlsx")))
    ledger = Ledger.create(tmp_path / "台账.db")
    try:
        result = apply_plan(ledger, plan)
        assert result["progress_reports"] == 2  # 达到时序进度, 已完成
        rows = list(ledger.db.query(
            "SELECT p.description, r.text, r.report_date, r.status FROM progress_reports r"
            " JOIN problems p ON p.id = r.problem_id ORDER BY r.id"))
        today = date.today().isoformat()
        assert rows == [
            {"description": "县委、县政府对生态环境保护工作重视不够，研究部署不多。", "text": "达到时序进度",
             "report_date": today, "status": "整改中"},
            {"description": "县自然资源局对非法占用林地问题查处不力。", "text": "已完成",
             "report_date": today, "status": "已完成"}]
        first_id = ledger.db.execute("SELECT id FROM problems ORDER BY id").fetchone()[0]
        assert [r["text"] for r in progress_store.reports(ledger, first_id)] == ["达到时序进度"]
        out = ledger_xlsx.export_ledger_file(ledger, tmp_path / "导出.xlsx", ledger_xlsx.ExportOptions())
        cells = [c.value for row in load_workbook(out.path).worksheets[0].iter_rows() for c in row]
        assert any(isinstance(v, str) and "达到时序进度" in v for v in cells)
    finally:
        ledger.close()


def test_the_export_title_does_not_repeat_what_the_name_says(tmp_path):
    ledger = Ledger.create(tmp_path / "台账.db")
    try:
        for name in ("济源市环境保护督察反馈意见整改任务清单", "凤凰县第二轮中央生态环境保护督察反馈“长江大保护”问题整改销号公示"):
            category = ledger.add_category(ledger.add_inspection(name, "中央", org="某镇"), "大类")
            ledger.add_problem(category, description="问题")
        from openpyxl import load_workbook
        out = ledger_xlsx.export_ledger_file(ledger, tmp_path / "导出.xlsx", ledger_xlsx.ExportOptions())
        titles = [ws["A1"].value for ws in load_workbook(out.path).worksheets if ws.title != "统计" and ws.sheet_state == "visible"]
        assert titles == ["某镇济源市环境保护督察反馈意见整改任务清单",
                          "某镇凤凰县第二轮中央生态环境保护督察反馈“长江大保护”问题整改任务清单"]
    finally:
        ledger.close()


def test_the_preview_lists_the_lines_not_imported_and_the_publicity(qtbot):
    from desktop_app.ui.importing.preview import TAB_NOT_IMPORTED, TAB_PUBLICITY, PreviewDialog
    plan = read_plan_text(SEEDS["seed_002_notice.txt"].read_text("utf-8"), "002.txt")
    dialog = PreviewDialog(None, plan, [], None)
    qtbot.addWidget(dialog)
    assert dialog.tabs.tabText(TAB_NOT_IMPORTED) == "未导入（1）"
    assert dialog.not_imported.item(0).text().startswith("第7行（正文前后）：根据中央、省有关生态环境保护督察整改销号规定")
    assert "原文有 1 行没有导入" in dialog.heading.text()
    assert dialog.tabs.isTabVisible(TAB_PUBLICITY)
    shown = dialog.publicity.toPlainText().splitlines()
    assert shown[:4] == ["公示时间：2023年10月13日至2023年10月24日，共10个工作日", "联系电话：0730-8245473",
                         "发布单位：岳阳市岳阳楼区生态环境保护委员会办公室", "落款日期：2023年10月13日"]
    assert dialog.name.text() == "2021年第二轮中央生态环境保护督察"


def test_import_without_json_prints_the_publicity_and_every_line_not_imported(tmp_path):
    import subprocess
    import sys
    source = tmp_path / "公示.txt"
    source.write_text(NOTICE, "utf-8")
    done = subprocess.run([sys.executable, "-m", "desktop_app", "import", str(source), "--db",
                           str(tmp_path / "台账.db")], capture_output=True, cwd=Path(__file__).parent.parent)
    assert done.returncode == 0, done.stderr.decode("utf-8")
    out = done.stdout.decode("utf-8").splitlines()
    assert out[0] == "已从“公示.txt”新建督察批次“某县省级生态环境保护督察”：1大类1项，整改措施3条。"
    assert out[1] == ("公示信息（没有写入台账，申请销号时可照此填写）：公示时间：2020年3月2日至2020年3月6日（共5个工作日）；"
                      "受理单位：某县生态环境保护督察整改工作领导小组办公室；联系人：李明；联系电话：0731-1234567；"
                      "传真：0731-7654321；发布单位：某县生态环境保护督察整改工作领导小组办公室；落款日期：2020年3月2日")
    assert out[-2:] == ["未导入的原文1行：", "  第13行（公示信息）：特此公示。"]
    ledger = Ledger.open(tmp_path / "台账.db")
    try:
        [problem] = ledger.db.query("SELECT code, term, deadline_text, deadline, status FROM problems")
        assert problem == {"code": "省编号第12号", "term": "长期坚持", "deadline_text": "2019年6月底前完成，长期坚持",
                           "deadline": "2019-06-30", "status": "已完成"}
    finally:
        ledger.close()


@pytest.mark.parametrize("flatten", [_flattened, _spaced_flat])
def test_a_flattened_notice_reads_as_the_notice_does(flatten):
    def fields(plan):
        [p] = plan.problems()
        squeeze = lambda text: re.sub(r"\s+", "", text)  # joined with spaces, lines keep one between them
        return ([squeeze(str(getattr(p, name) or "")) for name in ("code", "description", "goal", "status", "completion")],
                [(squeeze(m.text), squeeze(m.completion)) for m in p.measures], plan.publicity.as_dict())

    for seed in ("seed_002_notice.txt", "seed_000_notice.txt"):
        text = SEEDS[seed].read_text("utf-8")
        original, flat = read(text), read(flatten(text))
        ours, theirs = fields(original), fields(flat)
        assert theirs[0] == ours[0] and theirs[2] == ours[2]
        if seed == "seed_002_notice.txt":  # 000's (一) measures hold 1. 2. 3. that a flattened text splits
            assert theirs[1] == ours[1]
        assert inspection_name(flat) == inspection_name(original)
