"""导出 Excel: the 整改任务清单 workbook read back with openpyxl, as a clerk and Excel would see it."""

import errno
import gc
import zipfile

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet._writer import ALL_TEMP_FILES
from openpyxl.writer.excel import ExcelWriter

from desktop_app.formats.exporting import safe_file
from desktop_app.formats.exporting.errors import (BadTargetError, DiskFullError, ExportError,
                                        FolderMissingError, TargetLockedError)
from desktop_app.formats.exporting.ledger_xlsx import (COLUMNS, DEFAULT_COLUMNS, ExportOptions, Step,
                                             export_ledger, export_ledger_file)
from desktop_app.store import seeds

HEADERS = ["序号", "反馈问题", "整改目标", "整改措施", "责任领导", "责任单位", "整改时限",
           "整改进展情况", "备注"]


def visible_sheets(book) -> list[str]:
    """The sheets a clerk sees (the hidden 台账标识 is the ledger's identity)."""
    return [ws.title for ws in book.worksheets if ws.sheet_state == "visible"]


def export(ledger, path, **options):
    return export_ledger_file(ledger, path, ExportOptions(**options))


def merged(ws) -> set[str]:
    return {str(r) for r in ws.merged_cells.ranges}


def body_rows(ws, first=4):
    """(row, first cell value) of every row under the header."""
    return [(r, ws.cell(r, 1).value) for r in range(first, ws.max_row + 1)]


def numbered(ws) -> dict[int, int]:
    """序号 → its row."""
    rows: dict[int, int] = {}
    for row, value in body_rows(ws):
        if isinstance(value, int):
            rows.setdefault(value, row)  # a tall problem's further rows repeat its 序号
    return rows


def leftovers(folder):
    return [p.name for p in folder.iterdir() if ".part" in p.name or p.name.startswith("~")]


@pytest.fixture
def sample_book(sample_ledger, tmp_path):
    result = export(sample_ledger, tmp_path / "清单.xlsx")
    return result, load_workbook(result.path)


# -- the format ---------------------------------------------------------------------------

def test_sheets_title_summary_and_header(sample_book):
    result, wb = sample_book
    assert visible_sheets(wb) == ["整改任务清单", "统计"]
    assert wb["台账标识"].sheet_state == "hidden"  # the ledger's identity, for an import of this file
    assert result.summaries == ["2大类5项"]
    ws = wb["整改任务清单"]
    assert ws["A1"].value == "青山县人民政府第二轮中央生态环境保护督察反馈意见整改任务清单"
    assert ws["A1"].font.b and ws["A1"].font.sz >= 14
    assert ws["A2"].value == "共2大类5项"
    assert {"A1:I1", "A2:I2"} <= merged(ws)
    assert [c.value for c in ws[3]] == HEADERS
    assert all(c.font.b and c.border.bottom.style == "thin" for c in ws[3])


def test_categories_subcategories_and_continuous_numbering(sample_book):
    _, wb = sample_book
    ws = wb["整改任务清单"]
    assert [value for _, value in body_rows(ws)] == [
        "一、思想认识还不到位", 1, 2, "（一）履职尽责有所懈怠", 3, "二、突出生态环境问题整改不力", 4, 5]
    for row, value in body_rows(ws):
        if isinstance(value, str):
            assert f"A{row}:I{row}" in merged(ws)
            assert ws.cell(row, 1).font.b
    category, subcategory = ws["A4"], ws["A7"]
    assert category.fill.fgColor.rgb.endswith("F2F2F2")  # lightly shaded
    assert subcategory.fill.fill_type is None
    assert ws["B5"].value == "县委、县政府对生态环境保护工作重视不够，研究部署不多。"


def test_problem_cells(sample_book):
    _, wb = sample_book
    ws = wb["整改任务清单"]
    row = numbered(ws)
    first = {h: ws.cell(row[1], i).value for i, h in enumerate(HEADERS, start=1)}
    assert first["整改措施"] == "1.县委常委会每季度专题研究生态环境保护工作。\n2.制定生态环境保护责任清单。"
    assert first["整改目标"] == "生态环境保护责任全面压实。"
    assert first["责任领导"] == "张三（县委书记）"
    assert first["责任单位"] == "县委办公室"
    assert first["整改时限"] == "长期坚持"
    # no progress report and no 整改落实情况: what the measures record as done
    assert first["整改进展情况"] == "1.已召开专题会议2次。"
    assert ws.cell(row[2], 8).value == "已完成专项督导，通报乡镇3个。"
    measures = ws.cell(row[1], 4)
    assert measures.alignment.wrap_text
    assert (measures.alignment.horizontal, measures.alignment.vertical) == ("left", "top")
    assert all(getattr(measures.border, side).style == "thin"
               for side in ("left", "right", "top", "bottom"))
    assert ws.cell(row[1], 1).data_type == "n"


def test_progress_column_prefers_the_latest_progress_report(sample_ledger, tmp_path):
    problem = sample_ledger.tree(sample_ledger.inspections()[0]["id"]).problems[1]
    for day, text in [("2021-05-31", "五月调度"), ("2021-07-31", "七月调度：已通报"),
                      ("2021-06-30", "六月调度")]:
        sample_ledger.db["progress_reports"].insert({
            "problem_id": problem.id, "report_date": day, "text": text, "created_at": day})
    ws = load_workbook(export(sample_ledger, tmp_path / "x.xlsx").path).active
    assert ws.cell(numbered(ws)[2], 8).value == "七月调度：已通报"


def test_every_row_has_a_height_from_its_text(sample_ledger, tmp_path):
    problem_id = sample_ledger.tree(sample_ledger.inspections()[0]["id"]).problems[3].id
    sample_ledger.update("problem", problem_id, description="城区污水处理厂超负荷运行。" * 12)
    ws = load_workbook(export(sample_ledger, tmp_path / "x.xlsx").path).active
    heights = {r: ws.row_dimensions[r].height for r in range(1, ws.max_row + 1)}
    assert all(h and h > 0 for h in heights.values()), heights
    row = numbered(ws)
    assert heights[row[4]] > 3 * heights[row[5]]  # 150 characters wrap; one line does not
    assert max(heights.values()) <= 409


def test_print_titles_freeze_and_page_setup(sample_book):
    _, wb = sample_book
    ws = wb["整改任务清单"]
    assert ws.print_title_rows == "$3:$3"  # 打印标题: the header on every page
    assert ws.freeze_panes == "A4"
    setup = ws.page_setup
    assert setup.orientation == "landscape" and int(setup.paperSize) == 9  # A4
    assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert ws.page_margins.left > ws.page_margins.right  # room for binding
    assert ws.print_options.horizontalCentered


def test_a3_paper_and_wider_text_columns(sample_ledger, tmp_path):
    a4 = load_workbook(export(sample_ledger, tmp_path / "a4.xlsx").path).active
    a3 = load_workbook(export(sample_ledger, tmp_path / "a3.xlsx", paper="A3").path).active
    assert int(a3.page_setup.paperSize) == 8 and a3.page_setup.orientation == "landscape"
    assert a3.column_dimensions["D"].width > a4.column_dimensions["D"].width  # 整改措施
    assert a3.column_dimensions["A"].width == a4.column_dimensions["A"].width  # 序号


def test_statistics_sheet(sample_book):
    _, wb = sample_book
    ws = wb["统计"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=1)]
    header = ["类别", "问题数", "未启动", "整改中", "已完成", "销号中", "已销号"]
    start = rows.index(header)
    assert rows[start + 1:start + 4] == [
        ["一、思想认识还不到位", 3, 1, 1, 1, 0, 0],
        ["二、突出生态环境问题整改不力", 2, 2, 0, 0, 0, 0],
        ["合计", 5, 3, 1, 1, 0, 0]]
    assert "2大类5项" in rows[start - 1][0]


# -- options -------------------------------------------------------------------------------

def test_only_unfinished_renumbers_and_drops_empty_categories(sample_ledger, tmp_path):
    result = export(sample_ledger, tmp_path / "x.xlsx", only_unfinished=True)
    ws = load_workbook(result.path).active
    assert result.summaries == ["2大类4项"]
    assert ws["A2"].value == "共2大类4项"
    assert [v for _, v in body_rows(ws)] == [
        "一、思想认识还不到位", 1, "（一）履职尽责有所懈怠", 2, "二、突出生态环境问题整改不力", 3, 4]
    assert ws.cell(numbered(ws)[1], 2).value.startswith("县委、县政府")

    tree = sample_ledger.tree(sample_ledger.inspections()[0]["id"])
    for problem in tree.problems[3:]:
        sample_ledger.update("problem", problem.id, status="已销号")
    result = export(sample_ledger, tmp_path / "y.xlsx", only_unfinished=True)
    ws = load_workbook(result.path).active
    assert result.summaries == ["1大类2项"]
    assert [v for _, v in body_rows(ws)] == ["一、思想认识还不到位", 1, "（一）履职尽责有所懈怠", 2]


def test_chosen_columns_in_chosen_order(sample_ledger, tmp_path):
    columns = ["number", "lead_unit", "description", "status", "code"]
    ws = load_workbook(export(sample_ledger, tmp_path / "x.xlsx", columns=columns).path).active
    assert [c.value for c in ws[3]] == ["序号", "责任单位", "反馈问题", "整改状态", "问题编号"]
    assert "A4:E4" in merged(ws) and "A1:E1" in merged(ws)
    row = numbered(ws)[2]
    assert [c.value for c in ws[row]] == [2, "县督查室", "部分乡镇对督察反馈问题整改存在等靠思想。",
                                         "已完成", "问题编号二"]
    assert ws.max_column == 5


def test_title_and_summary_wording(sample_ledger, tmp_path):
    ws = load_workbook(export(sample_ledger, tmp_path / "x.xlsx",
                              title_template="{name}整改清单（{org}）{unknown}",
                              summary_template="本批次{problems}个问题，分{categories}类").path).active
    assert ws["A1"].value == "第二轮中央生态环境保护督察整改清单（青山县人民政府）{unknown}"
    assert ws["A2"].value == "本批次5个问题，分2类"


def test_options_round_trip_as_json():
    options = ExportOptions(inspection_ids=[3, 1], columns=["number", "code"], only_unfinished=True,
                            paper="A3", title_template="T", summary_template="S")
    assert ExportOptions.from_dict(options.to_dict()) == options
    old = ExportOptions.from_dict({"columns": ["number", "gone", "number"], "paper": "B5",
                                   "removed_option": 1})
    assert old.columns == ["number"] and old.paper == "A4"
    assert ExportOptions.from_dict({}).columns == list(DEFAULT_COLUMNS)
    assert list(COLUMNS)[:9] == list(DEFAULT_COLUMNS)
    with pytest.raises(ValueError):
        ExportOptions(columns=["nonsense"]).validate()


def test_several_inspections_get_valid_unique_sheet_names(sample_ledger, tmp_path):
    names = ["省级督察/回头看:第一批*?[2020]", "统计", "第二轮中央生态环境保护督察",
             "中央生态环境保护督察“回头看”及长江流域生态问题专项督察反馈问题"]
    for name in names:
        inspection = sample_ledger.add_inspection(name, "省级", org="青山县")
        category = sample_ledger.add_category(inspection, "大类")
        sample_ledger.add_problem(category, description=f"{name}的问题")
    result = export(sample_ledger, tmp_path / "x.xlsx")
    wb = load_workbook(result.path)
    sheets = visible_sheets(wb)
    assert len(sheets) == 6 and sheets[-1] == "统计"
    assert len({s.casefold() for s in sheets}) == 6
    for sheet in sheets:
        assert 0 < len(sheet) <= 31 and not set(sheet) & set("[]:*?/\\")
    assert result.sheets == sheets[:-1]
    assert result.summaries == ["2大类5项", "1大类1项", "1大类1项", "1大类1项", "1大类1项"]
    # A name ending in 反馈问题 is not followed by 反馈意见 again.
    titles = [f"青山县{name}反馈意见整改任务清单" for name in names[:3]] + [
        "青山县中央生态环境保护督察“回头看”及长江流域生态问题专项督察反馈问题整改任务清单"]
    for sheet, name, title in zip(sheets[1:], names, titles):
        ws = wb[sheet]
        assert ws["A1"].value == title
        assert ws.cell(numbered(ws)[1], 2).value == f"{name}的问题"


def test_one_chosen_inspection(sample_ledger, tmp_path):
    other = sample_ledger.add_inspection("省级督察", "省级")
    sample_ledger.add_problem(sample_ledger.add_category(other, "大类"), description="问题")
    result = export(sample_ledger, tmp_path / "x.xlsx", inspection_ids=[other])
    assert visible_sheets(load_workbook(result.path)) == ["整改任务清单", "统计"]
    assert result.inspections == ["省级督察"] and result.summaries == ["1大类1项"]


# -- the demo ledger and long text --------------------------------------------------------

def test_demo_ledger(ledger, tmp_path):
    seeds.fill_demo(ledger)
    result = export(ledger, tmp_path / "演示.xlsx")
    wb = load_workbook(result.path)
    inspections = ledger.inspections()
    assert len(visible_sheets(wb)) == len(inspections) + 1
    for sheet, inspection, summary in zip(visible_sheets(wb), inspections, result.summaries):
        ws = wb[sheet]
        tree = ledger.tree(inspection["id"])
        assert summary == tree.summary
        assert ws["A1"].value == f"{inspection['org']}{inspection['name']}反馈意见整改任务清单"
        assert ws["A2"].value == f"共{summary}"
        assert sorted(numbered(ws)) == list(range(1, len(tree.problems) + 1))
        labels = [v for _, v in body_rows(ws) if isinstance(v, str)]
        assert labels[:len(tree.categories)] != [] and labels[0] == f"一、{tree.categories[0].title}"
        for problem in tree.problems:
            assert _continued_text(ws, numbered(ws)[problem.number], 2) == \
                problem.row["description"].replace("\n", "")
            measures = "".join(f"{i}.{m['text']}" for i, m in
                               enumerate(problem.row["measures"], start=1))
            assert _continued_text(ws, numbered(ws)[problem.number], 4) == measures
        assert all(ws.row_dimensions[r].height <= 409 for r in range(1, ws.max_row + 1))


def _continued_text(ws, row: int, column: int) -> str:
    """A problem's text in one column, following it into its continuation rows."""
    parts = [ws.cell(row, column).value or ""]
    number = ws.cell(row, 1).value
    row += 1
    while row <= ws.max_row and ws.cell(row, 1).value == number:
        parts.append(ws.cell(row, column).value or "")
        row += 1
    return "".join(parts).replace("\n", "")


def test_a_problem_taller_than_a_row_continues_below_without_inner_lines(sample_ledger, tmp_path):
    problem_id = sample_ledger.tree(sample_ledger.inspections()[0]["id"]).problems[0].id
    long_text = "各级党委政府要切实扛起生态环境保护政治责任，压紧压实整改责任。" * 40
    sample_ledger.update("problem", problem_id, description=long_text)
    ws = load_workbook(export(sample_ledger, tmp_path / "x.xlsx").path).active
    first = numbered(ws)[1]
    assert numbered(ws)[2] > first + 3
    assert _continued_text(ws, first, 2) == long_text
    rows = range(first, numbered(ws)[2])
    assert ws.cell(first, 2).border.top.style == "thin"
    assert not (ws.cell(first, 2).border.bottom and ws.cell(first, 2).border.bottom.style)
    # closed by the top line of the next problem (or heading) below it
    assert ws.cell(rows[-1] + 1, 2).border.top.style == "thin"
    middle = ws.cell(rows[1], 2).border
    assert middle.left.style == middle.right.style == "thin"
    assert not (middle.top and middle.top.style) and not (middle.bottom and middle.bottom.style)
    assert all(ws.row_dimensions[r].height < 409 for r in rows)


def test_cell_longer_than_excel_allows_is_cut_with_a_warning(sample_ledger, tmp_path):
    problem_id = sample_ledger.tree(sample_ledger.inspections()[0]["id"]).problems[2].id
    sample_ledger.update("problem", problem_id, goal="全面完成整改。" * 6000)  # 42,000 characters
    result = export(sample_ledger, tmp_path / "x.xlsx")
    assert len(result.warnings) == 1
    warning = result.warnings[0]
    assert "第3项" in warning and "问题编号三" in warning and "整改目标" in warning
    assert "32767" in warning
    ws = load_workbook(result.path).active
    text = _continued_text(ws, numbered(ws)[3], 3)
    assert len(text) <= 32767 and text.endswith("未能导出）")


# -- safety --------------------------------------------------------------------------------

FORMULA_LIKE = ["=SUM(A1:A3)", "=HYPERLINK(\"http://x\")", "+86 731 1234", "-10%", "@用户"]


def test_text_that_looks_like_a_formula_stays_text(sample_ledger, tmp_path):
    tree = sample_ledger.tree(sample_ledger.inspections()[0]["id"])
    for problem, text in zip(tree.problems, FORMULA_LIKE):
        sample_ledger.update("problem", problem.id, description=text, lead_unit=text)
    path = export(sample_ledger, tmp_path / "x.xlsx").path
    ws = load_workbook(path).active
    for number, text in enumerate(FORMULA_LIKE, start=1):
        cell = ws.cell(numbered(ws)[number], 2)
        assert (cell.value, cell.data_type) == (text, "s")
        assert cell.quotePrefix  # Excel keeps it text even when the clerk edits the cell
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)


def test_control_characters_from_word_are_cleaned(sample_ledger, tmp_path):
    problem_id = sample_ledger.tree(sample_ledger.inspections()[0]["id"]).problems[0].id
    sample_ledger.update("problem", problem_id, description="第一段\x0b第二段\x07。\r\n第三段")
    ws = load_workbook(export(sample_ledger, tmp_path / "x.xlsx").path).active
    assert ws.cell(numbered(ws)[1], 2).value == "第一段\n第二段。\n第三段"


def test_noncharacters_pasted_from_the_web_do_not_stop_the_export(sample_ledger, tmp_path):
    """U+FFFE and U+FFFF are invisible and XML refuses them: the cell goes without them, the
    ledger keeps its text as it was."""
    problem_id = sample_ledger.tree(sample_ledger.inspections()[0]["id"]).problems[0].id
    sample_ledger.update("problem", problem_id, description="网页\ufffe复制的\uffff问题")
    ws = load_workbook(export(sample_ledger, tmp_path / "x.xlsx").path).active
    assert ws.cell(numbered(ws)[1], 2).value == "网页复制的问题"
    assert sample_ledger.row("problem", problem_id)["description"] == "网页\ufffe复制的\uffff问题"


@pytest.fixture
def old_export(tmp_path):
    target = tmp_path / "上月台账.xlsx"
    target.write_bytes(b"last month's workbook")
    return target


def test_target_open_in_excel(sample_ledger, old_export, monkeypatch):
    def locked(*args):
        raise PermissionError(13, "The process cannot access the file")
    monkeypatch.setattr(safe_file.os, "replace", locked)
    with pytest.raises(TargetLockedError) as caught:
        export(sample_ledger, old_export)
    assert "Excel" in str(caught.value) and "WPS" in str(caught.value) and "关闭" in str(caught.value)
    assert old_export.read_bytes() == b"last month's workbook"
    assert leftovers(old_export.parent) == []


def test_target_locked_is_reported_before_the_work(sample_ledger, old_export, monkeypatch):
    real_open = open

    def guarded(path, mode="r", *args, **kwargs):
        if str(path) == str(old_export) and "+" in mode:
            raise PermissionError(13, "locked by another process")
        return real_open(path, mode, *args, **kwargs)
    monkeypatch.setattr(safe_file, "open", guarded, raising=False)
    steps = export_ledger(sample_ledger, old_export, ExportOptions())
    with pytest.raises(TargetLockedError):
        next(steps)
    assert old_export.read_bytes() == b"last month's workbook"
    assert leftovers(old_export.parent) == []


def test_disk_full(sample_ledger, old_export, monkeypatch):
    def full(writer):
        writer._archive.writestr("xl/half.xml", "half a workbook")
        raise OSError(errno.ENOSPC, "No space left on device")
    # Fails inside openpyxl's writer, with its zip archive open: save_workbook must close it, or
    # ZipFile.__del__ writes again later and prints a traceback (pytest reports it as unraisable).
    monkeypatch.setattr(ExcelWriter, "write_data", full)
    with pytest.raises(DiskFullError) as caught:
        export(sample_ledger, old_export)
    assert "磁盘空间不足" in str(caught.value)
    assert old_export.read_bytes() == b"last month's workbook"
    assert leftovers(old_export.parent) == []
    assert ALL_TEMP_FILES == []


def test_folder_missing(sample_ledger, tmp_path):
    with pytest.raises(FolderMissingError) as caught:
        export(sample_ledger, tmp_path / "拔出的U盘" / "台账.xlsx")
    assert "找不到" in str(caught.value)
    assert not (tmp_path / "拔出的U盘").exists()


@pytest.mark.parametrize("name", ["台账.xls", "台账"])
def test_target_must_be_xlsx(sample_ledger, tmp_path, name):
    with pytest.raises(BadTargetError):
        export(sample_ledger, tmp_path / name)


def test_nothing_to_export(ledger, tmp_path):
    with pytest.raises(ExportError) as caught:
        export(ledger, tmp_path / "x.xlsx")
    assert "没有" in str(caught.value)
    assert list(tmp_path.glob("*.xlsx")) == []


def test_progress_then_result_and_cancel(sample_ledger, old_export):
    steps = export_ledger(sample_ledger, old_export, ExportOptions())
    seen = []
    while True:
        try:
            seen.append(next(steps))
        except StopIteration as finished:
            result = finished.value
            break
    assert all(isinstance(p, Step) for p in seen)
    assert [p.done for p in seen] == sorted(p.done for p in seen)
    assert seen[-1].done == seen[-1].total and seen[0].done == 0
    assert result.path == old_export and result.summaries == ["2大类5项"]
    assert visible_sheets(load_workbook(old_export)) == ["整改任务清单", "统计"]

    before = old_export.read_bytes()
    cancelled = export_ledger(sample_ledger, old_export, ExportOptions())
    next(cancelled)
    next(cancelled)
    assert not gc.isenabled()  # paused while the export runs
    cancelled.close()  # the progress dialog's 取消
    assert gc.isenabled()
    assert old_export.read_bytes() == before
    assert leftovers(old_export.parent) == []
    assert ALL_TEMP_FILES == []  # nor openpyxl's streamed sheets in the system's temp folder


# -- estimates behind the layout ----------------------------------------------------------

def test_text_width_and_wrapped_lines():
    from desktop_app.formats.exporting.text_fit import display_width, wrapped_lines
    assert display_width("整改ab12") == 8
    assert wrapped_lines("", 10) == 1
    assert wrapped_lines("一二三四", 12) == 1
    assert wrapped_lines("一二三四五六七八九十" * 2, 12) == 4  # 40 units in 12-unit lines
    assert wrapped_lines("1.甲\n2.乙\n3.丙", 30) == 3


def test_split_over_rows_keeps_every_character_and_cuts_after_punctuation():
    from desktop_app.formats.exporting.text_fit import split_over_rows, wrapped_lines
    long_text = "\n".join(f"{i}.开展生态环境问题排查整治，建立问题清单，逐项销号。" for i in range(1, 30))
    short = "县生态环境分局"
    rows, lines = split_over_rows([long_text, short], [20, 10], [6])
    assert len(rows) > 5 and len(lines) == len(rows) and max(lines) <= 6
    assert "".join(r[0] for r in rows).replace("\n", "") == long_text.replace("\n", "")
    assert [r[1] for r in rows] == [short] + [""] * (len(rows) - 1)
    assert all(wrapped_lines(r[0], 20) <= 6 for r in rows)
    assert all(r[0][-1] in "，。" for r in rows[:-1])


def test_a_heading_is_not_left_alone_at_the_foot_of_a_page():
    from desktop_app.formats.exporting.pagination import SAFETY, Pages
    pages = Pages(body_pt=100, repeated_pt=10, filled_pt=30)  # rows may fill 85 of the 100
    assert SAFETY == 0.85
    pages.add(40, row=5)
    pages.heading(row=7, height=10)
    pages.add_after_headings(10, row=8)  # heading + its first problem would pass 85: both go over
    assert pages.breaks == [6] and pages.filled_pt == 30
    pages.add(50, row=9)
    pages.add(10, row=10)  # every page is ended by us, not by the renderer's own estimate
    assert pages.breaks == [6, 9] and pages.filled_pt == 20


def test_exported_page_breaks_fall_before_a_heading_or_a_numbered_row(sample_ledger, tmp_path):
    inspection = sample_ledger.inspections()[0]["id"]
    found_break = False
    for count in range(14, 26):
        with sample_ledger.writing():
            first = sample_ledger.add_category(inspection, "前面的大类", index=0)
            for n in range(count):
                sample_ledger.add_problem(first, description=f"第{n}个问题")
        ws = load_workbook(export(sample_ledger, tmp_path / f"{count}.xlsx").path).active
        for brk in ws.row_breaks.brk:
            found_break = True
            top = ws.cell(brk.id + 1, 1).value  # the first row of the next page
            assert isinstance(top, int) or (isinstance(top, str) and top[0] in "一二三四（"), top
            above = ws.cell(brk.id, 1).value  # and the last of this page is no heading
            assert not (isinstance(above, str) and above[0] in "一二三四（"), above
            assert (brk.min, brk.max, brk.man) == (0, 16383, True)  # manual, across the sheet
        ids = [brk.id for brk in ws.row_breaks.brk]
        assert ids == sorted(set(ids))  # each page ended once, in order
        sample_ledger.delete("category", first)
    assert found_break


def test_a_long_batch_name_wraps_in_the_statistics_sheet(sample_ledger, tmp_path):
    inspection = sample_ledger.inspections()[0]["id"]
    name = "中央生态环境保护督察“回头看”及长江流域生态问题专项督察反馈问题整改（第二批次交办）"
    sample_ledger.update("inspection", inspection, name=name)
    ws = load_workbook(export(sample_ledger, tmp_path / "x.xlsx").path)["统计"]
    row = next(r for r in range(1, ws.max_row + 1)
               if str(ws.cell(r, 1).value or "").startswith(name))
    assert ws.cell(row, 1).alignment.wrap_text
    assert ws.row_dimensions[row].height >= 2 * 14  # two lines at least: nothing cut off


def _sheet_xml(path) -> bytes:
    return zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")


def _sheet_data(path) -> bytes:
    xml = _sheet_xml(path)
    return xml[xml.index(b"<sheetData>"):xml.index(b"</sheetData>")]


def test_rows_are_written_as_openpyxl_writes_styled_cells(tmp_path):
    """SheetRows writes its rows' XML itself: the same bytes as openpyxl's own cells and rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.worksheet.dimensions import RowDimension

    from desktop_app.formats.exporting.xlsx_sheets import SheetRows
    rows = [([("反馈问题 <a> &amp; b", "text"), (" 前后空格 ", "text"), ("=SUM(A1)", "text"), ("", "text"),
              (None, "count"), None, (12, "number"), (2.5, "count")], 30.06),
            ([], 14.8), ([None, ("1.整改措施\n2.第二条", "text")], 409),
            ([("\"引号\" '单引号' ]]> 😀 e\u0301\t制表\r回车 \u2028\ufeff\x7f\x85", "text"),
              ("\n换行开头", "text"), (10**17, "count"), (-0.1, "count")], 24.5)]
    ours, theirs = Workbook(write_only=True), Workbook(write_only=True)
    sheet = SheetRows(ours.create_sheet("表"), [10] * 8)
    for cells, height in rows:
        sheet.append([sheet.styles.cell(*c) if c else None for c in cells], height)
    ws = theirs.create_sheet("表")
    styles = SheetRows(ws, [10] * 8).styles  # the same styles, in the same order
    for index, (cells, height) in enumerate(rows, start=1):
        written = []
        for spec in cells:
            if spec is None:
                written.append(None)
                continue
            value, style, kind = styles.cell(*spec)
            cell = WriteOnlyCell(ws)
            cell._value, cell.data_type = value, "s" if kind == "inlineStr" else "n"
            cell._style = theirs._cell_styles[int(style)]
            written.append(cell)
        ws.row_dimensions[index] = RowDimension(ws, index, ht=round(height, 1), customHeight=True)
        ws.append(written)
    ours.save(tmp_path / "ours.xlsx")
    theirs.save(tmp_path / "theirs.xlsx")
    assert b"<c r=\"G1\"" in _sheet_data(tmp_path / "ours.xlsx")
    assert _sheet_data(tmp_path / "ours.xlsx") == _sheet_data(tmp_path / "theirs.xlsx")
    assert _sheet_xml(tmp_path / "ours.xlsx") == _sheet_xml(tmp_path / "theirs.xlsx")  # top, tail too


def test_text_lxml_cannot_write_is_refused_as_lxml_refuses_it(tmp_path):
    """Rows are made without lxml, which refuses (ValueError) what XML cannot hold: so do they."""
    from openpyxl import Workbook

    from desktop_app.formats.exporting.xlsx_sheets import SheetRows
    for text in ["不是字符\uffff", "控制\x01字符", "代理\ud800"]:
        sheet = SheetRows(Workbook(write_only=True).create_sheet("表"), [10])
        with pytest.raises(ValueError):
            sheet.append([sheet.styles.cell(text, "text")], 15)


def test_plain_rows_are_written_as_openpyxl_writes_values(tmp_path):
    """The identity sheet's rows (write_values) are the bytes ws.append writes for them."""
    from openpyxl import Workbook

    from desktop_app.formats.exporting.xlsx_sheets import write_values
    rows = [("督察整改台账软件生成的标识",), ("meta", "kind", "ledger"), ("span", "表 1", 4, 9, 12),
            ("span", None, " 空格 ", 0, "")]
    ours, theirs = Workbook(write_only=True), Workbook(write_only=True)
    write_values(ours.create_sheet("标识"), rows)
    ws = theirs.create_sheet("标识")
    for row in rows:
        ws.append(list(row))
    ours.save(tmp_path / "ours.xlsx")
    theirs.save(tmp_path / "theirs.xlsx")
    assert b"<c r=\"E3\"" in _sheet_data(tmp_path / "ours.xlsx")
    assert _sheet_data(tmp_path / "ours.xlsx") == _sheet_data(tmp_path / "theirs.xlsx")


def _openpyxl_sheet_data(ws):
    """xlsx_sheets._sheet_data done by openpyxl: its own sheet writer and lxml stream, a
    WriteOnlyCell per cell written by its lxml_write_cell (the row's height as SheetRows puts it)."""
    from copy import copy

    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell._writer import lxml_write_cell
    ws._get_writer()
    xf = ws._writer.xf.send(True)
    with xf.element("sheetData"):
        try:
            while True:
                cells, r, height = yield
                attrs = {"r": r} if height is None else {"r": r, "ht": str(height),
                                                         "customHeight": "1"}
                with xf.element("row", attrs):
                    for column, spec in enumerate(cells, start=1):
                        if spec is None:
                            continue
                        value, style, kind = spec
                        cell = WriteOnlyCell(ws)
                        cell._value, cell.data_type = value, "s" if kind == "inlineStr" else "n"
                        if style is not None:
                            cell._style = copy(ws.parent._cell_styles[int(style)])
                        cell.row, cell.column = int(r), column
                        lxml_write_cell(xf, ws, cell, cell.has_style)
        except GeneratorExit:
            pass
    ws._writer.xf.send(None)


@pytest.mark.parametrize("options", [{}, {"columns": list(COLUMNS), "paper": "A3",
                                          "only_unfinished": True}])
def test_a_generated_ledger_exports_the_bytes_openpyxl_writes(tmp_path, monkeypatch, options):
    """Every part of the workbook (each sheet's XML, styles, the identity sheet) is what the same
    export writes when openpyxl writes each cell: tall problems over several rows, merged
    headings, page breaks, text with XML's special characters."""
    import sys
    from pathlib import Path

    from desktop_app.formats.exporting import xlsx_sheets
    from desktop_app.store.ledger import Ledger
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from generate_ledger import generate
    path = generate(tmp_path / "台账.db", problems=300, inspections=2, reports=60, evidence=0)
    ledger = Ledger.open(path)
    try:
        category = ledger.db.execute("SELECT min(id) FROM categories").fetchone()[0]
        ledger.add_problem(category, description=" <前后空格> & \"引号\" 😀 ", goal="=1+1",
                           measures=["a < b > c", "制表\t符\r\n回车"])
        export(ledger, tmp_path / "ours.xlsx", **options)
        monkeypatch.setattr(xlsx_sheets, "_sheet_data", _openpyxl_sheet_data)
        export(ledger, tmp_path / "openpyxl.xlsx", **options)
    finally:
        ledger.close()
    ours, theirs = zipfile.ZipFile(tmp_path / "ours.xlsx"), zipfile.ZipFile(tmp_path / "openpyxl.xlsx")
    names = [i.filename for i in ours.infolist() if i.filename != "docProps/core.xml"]  # its times
    assert names == [i.filename for i in theirs.infolist() if i.filename != "docProps/core.xml"]
    for name in names:
        assert ours.read(name) == theirs.read(name), name
    book = load_workbook(tmp_path / "ours.xlsx", read_only=True)
    spans = [row for row in book["台账标识"].values if row[0] == "span"]
    assert any(last > first for _, _, first, last, _ in spans)  # some problems ran over rows
    assert b"&lt;&#21069;" in ours.read("xl/worksheets/sheet1.xml")
