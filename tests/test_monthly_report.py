"""月调度表: the workbook read back with openpyxl, the PDF read back with pdftotext, and the dialog."""

import shutil
import subprocess
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from desktop_app.formats.documents.monthly_docx import write_monthly_docx
from desktop_app.formats.exporting.monthly_content import ORG_HEADER, PROBLEM_HEADER, Filing, build
from desktop_app.formats.exporting.monthly_report import write_monthly_report
from desktop_app.jobs import finish
from desktop_app.store import progress, summary_texts
from desktop_app.store.ledger import Ledger

from report_ledgers import SEED_003_DATE, build_003, build_004
from window_helpers import answer_next_dialog, click_button, in_dialog, run_command

D003 = date.fromisoformat(SEED_003_DATE)
EDITED = "截至2024年4月30日，我县梳理形成的99项问题中，50项已完成整改。=另见附件"


@pytest.fixture
def report_ledger(ledger):
    """Seed 003's inspection after seed 004's, two progress reports on one unfinished problem
    (the second after the report date), and the clerk's own 情况概述 for 2024-04-30."""
    build_004(ledger)
    inspection = build_003(ledger)
    problem = ledger.tree(inspection).problems[50].id  # 限51, 整改中
    progress.add_report(ledger, problem, "2024-04-12", "=SUM 管网已铺设80%。")
    progress.add_report(ledger, problem, "2024-05-06", "五月的进展，不应出现。")
    summary_texts.keep(ledger, inspection, D003, summary_texts.KeptSummary(EDITED, "自动生成的文字"))
    return ledger, inspection


def rows_of(path) -> list[list]:
    sheet = load_workbook(path)["月调度表"]
    return sheet, [[c.value for c in row] for row in sheet.iter_rows()]


def row_after(rows, first_cell: str, offset: int = 0) -> list:
    at = next(i for i, row in enumerate(rows) if row[0] == first_cell)
    return rows[at + offset]


def test_workbook_of_one_inspection(report_ledger, tmp_path):
    ledger, inspection = report_ledger
    target = tmp_path / "月调度表.xlsx"
    filing = Filing("青山县生态环境保护委员会办公室", "张三")
    assert finish(write_monthly_report(ledger, target, inspection, D003, filing=filing)) == target
    sheet, rows = rows_of(target)
    assert rows[0][0] == "青山县第二轮中央生态环境保护督察反馈问题整改情况月调度表（截至2024年4月30日）"
    assert rows[1][0] == ("填报单位：青山县生态环境保护委员会办公室\u3000\u3000填报人：张三"
                          "\u3000\u3000填报日期：2024年4月30日")
    assert rows[2][0] == "　　" + EDITED  # the clerk's text, kept for this scope and date
    assert sheet.cell(3, 1).data_type == "s"  # "=另见附件" in it: still text
    assert row_after(rows, "整改类型") == ["整改类型", None, None, "问题数", "未启动", "整改中", "已完成",
                                       "销号中", "已销号"]
    assert row_after(rows, "限期整改") == ["限期整改", None, None, 64, 0, 14, 0, 4, 46]
    assert row_after(rows, "长期坚持") == ["长期坚持", None, None, 35, 0, 35, 0, 0, 0]
    assert row_after(rows, "合计") == ["合计", None, None, 99, 0, 49, 0, 4, 46]
    assert row_after(rows, "限期整改问题") == ["限期整改问题", None, None, 64, 50, 46, 14, 0, 0]
    assert row_after(rows, "二、信访件办理情况", 1)[0] == "交办信访件102件，已办结102件，已销号101件。"
    assert row_after(rows, "四、未完成问题整改进展（49项）", 1) == list(PROBLEM_HEADER)
    listed = rows[rows.index(list(PROBLEM_HEADER)) + 1:]
    assert [row[0] for row in listed] == list(range(51, 100))  # one row per unfinished problem
    assert listed[0] == [51, None, "=SUM 管网已铺设80%。", "2024-04-12", "县住建局",
                         "2024年12月底前", "限期整改", "整改中", "达到时序进度"]
    assert sheet.cell(sheet.max_row - 48, 3).data_type == "s"
    assert listed[1][2:4] == [None, None]  # no report yet
    assert listed[-1][6:] == ["长期坚持", "整改中", "达到时序进度"]
    header_row = len(rows) - 49
    assert sheet.print_title_rows == f"${header_row}:${header_row}"  # repeated on every page
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.oddFooter.center.text == "第 &P 页 共 &N 页"


def test_workbook_of_all_inspections(report_ledger, tmp_path):
    ledger, _inspection = report_ledger
    target = tmp_path / "全部.xlsx"
    finish(write_monthly_report(ledger, target, None, D003))
    _sheet, rows = rows_of(target)
    assert rows[0][0] == "生态环境保护督察反馈问题整改情况月调度表（截至2024年4月30日）"
    assert rows[1][0].startswith("填报单位：\u3000") and rows[1][0].endswith("填报日期：2024年4月30日")
    assert rows[2][0].startswith("　　截至2024年4月30日，梳理形成的141项问题，80项已完成整改")
    parts = ("贵州省：中央生态环境保护督察“回头看”", "青山县：第二轮中央生态环境保护督察")  # whose each is
    headings = [row[0] for row in rows if row[0] in parts]
    assert headings == list(parts) * 2  # 大类, then list
    assert row_after(rows, "合计", 0)[3] == 141
    assert rows[-1][0] == 99 and len([r for r in rows if isinstance(r[0], int)]) == 12 + 49


def test_cancelled_workbook_leaves_nothing(report_ledger, tmp_path):
    ledger, inspection = report_ledger
    steps = write_monthly_report(ledger, tmp_path / "月调度表.xlsx", inspection, D003)
    next(steps)
    next(steps)
    steps.close()
    assert list(tmp_path.glob("月调度表*")) == []


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_pdf_has_the_summary_and_the_list(report_ledger, tmp_path, qapp):
    from desktop_app.ui.exporting.monthly_report_print import monthly_report_pdf
    ledger, inspection = report_ledger
    report = build(ledger, inspection, D003)
    target = tmp_path / "月调度表.pdf"
    pages = monthly_report_pdf(report, target)
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, check=True).stdout.decode()
    flat = "".join(text.split())
    assert "".join(EDITED.split()) in flat
    assert "四、未完成问题整改进展（49项）" in flat
    assert "=SUM管网已铺设80%。" in flat and "五月的进展" not in flat
    assert f"第{pages}页共{pages}页" in flat and pages >= 2
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, check=True).stdout.decode()
    assert "842 x 595 pts (A4)" in info  # landscape


def test_dialog_writes_the_workbook_in_the_background(qtbot, open_window, tmp_path, monkeypatch):
    path = tmp_path / "台账.db"
    filled = Ledger.create(path)
    try:
        inspection = build_003(filled)
        summary_texts.keep(filled, inspection, date.today(), summary_texts.KeptSummary(EDITED, "x"))
    finally:
        filled.close()
    window = open_window(path)
    target = tmp_path / "输出.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))

    answered = []

    def answer_when_done(attempts=500):
        """月调度表已生成 comes from the background task's end: answer it once it is up."""
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.windowTitle() == "月调度表已生成":
            answered.append(box.text())
            click_button("关闭")(box)
        elif attempts:
            QTimer.singleShot(20, lambda: answer_when_done(attempts - 1))

    def drive(dialog):
        dialog.scope.setCurrentIndex(dialog.scope.findData(inspection))
        assert dialog.summary.toPlainText() == EDITED
        QTimer.singleShot(0, answer_when_done)
        dialog.xlsx_button.click()
        qtbot.waitUntil(lambda: bool(answered), timeout=10_000)

    in_dialog(window.overview.report_action.trigger, drive)
    assert answered == [f"已保存到：\n{target}"]
    _sheet, rows = rows_of(target)
    assert rows[2][0] == "　　" + EDITED


def test_dialog_saves_a_word_document_when_chosen(qtbot, open_window, settings, tmp_path,
                                                  monkeypatch):
    path = tmp_path / "台账.db"
    filled = Ledger.create(path)
    try:
        build_003(filled)
    finally:
        filled.close()
    settings.org_name, settings.reporter = "青山县生态环境保护委员会办公室", "张三"
    window = open_window(path)
    chosen = "Word 文档，可在 WPS、Word 里编辑 (*.docx)"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args, **kwargs: (str(tmp_path / "月报"), chosen))

    def drive(dialog):
        answer_next_dialog(click_button("关闭"))
        assert dialog.save_pdf() == tmp_path / "月报.docx"

    in_dialog(window.overview.report_action.trigger, drive)
    texts = [p.text for p in Document(str(tmp_path / "月报.docx")).paragraphs]
    assert any(t.startswith("填报单位：青山县生态环境保护委员会办公室\u3000\u3000填报人：张三")
               for t in texts)


def test_a_tall_problem_runs_on_over_rows(ledger, tmp_path):
    inspection = ledger.add_inspection("省级督察", "省级", org="青山县")
    long_text = "".join(f"第{i}处养殖场粪污直排入河，群众反映强烈。" for i in range(1, 121))
    ledger.add_problem(ledger.add_category(inspection, "大类"), description=long_text,
                       deadline_text="2030年底前", status="整改中")
    target = tmp_path / "长.xlsx"
    finish(write_monthly_report(ledger, target, inspection, date(2024, 6, 30)))
    _sheet, rows = rows_of(target)
    listed = rows[rows.index(list(PROBLEM_HEADER)) + 1:]
    assert len(listed) > 3  # one problem, several rows: no 409 pt cell hides the rest
    assert [row[0] for row in listed] == [1] * len(listed)  # the 序号 on every row: filters keep them
    assert "".join(row[1] for row in listed) == long_text  # nothing lost at the cuts
    assert listed[0][7] == "整改中" and all(row[7] is None for row in listed[1:])


# -- the command line and the Word document -------------------------------------------------------

def run_monthly(*args, cwd, config):
    return run_command("monthly", *args, cwd=cwd, config=config)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext")
def test_cli_writes_the_report_by_suffix(report_ledger, ledger_path, tmp_path):
    ledger, _ = report_ledger
    ledger.close()
    config = tmp_path / "cfg"
    (config / "dc-ledger").mkdir(parents=True)
    (config / "dc-ledger" / "dc-ledger.ini").write_text(
        "[org]\nname=青山县生态环境保护委员会办公室\n[progress]\nreporter=张三\n", encoding="utf-8")
    filing = "填报单位：青山县生态环境保护委员会办公室\u3000\u3000填报人：张三\u3000\u3000填报日期：2024年4月30日"
    outputs = {}
    for suffix in (".xlsx", ".pdf", ".docx"):
        out = tmp_path / f"月调度表{suffix}"
        result = run_monthly("--db", str(ledger_path), "--out", str(out), "--inspection", "第二轮",
                             "--date", SEED_003_DATE, cwd=tmp_path, config=config)
        assert result.returncode == 0, result.stderr.decode("utf-8")
        assert result.stdout.decode("utf-8").strip() == str(out)
        outputs[suffix] = out
    _, rows = rows_of(outputs[".xlsx"])
    assert rows[1][0] == filing
    pages = subprocess.run(["pdftotext", str(outputs[".pdf"]), "-"], capture_output=True,
                           check=True).stdout.decode("utf-8").split("\f")[:-1]
    assert filing.replace("\u3000", "") in "".join(pages[0].split())
    listing = [i for i, page in enumerate(pages) if "未完成问题整改进展" in page][0]
    # the problem list's header repeated on every page after its first
    assert all("序号" in page and "最新进展" in page for page in pages[listing:])
    document = Document(str(outputs[".docx"]))
    section = document.sections[0]
    assert round(section.page_width.mm) == 297 and round(section.page_height.mm) == 210
    texts = [p.text for p in document.paragraphs]
    assert filing in texts and "四、未完成问题整改进展（49项）" in texts
    problems = document.tables[-1]
    assert [c.text for c in problems.rows[0].cells] == list(PROBLEM_HEADER)
    assert "w:tblHeader" in problems.rows[0]._tr.xml  # repeated on every page
    assert [r.cells[0].text for r in problems.rows[1:]] == [str(n) for n in range(51, 100)]
    refused = run_monthly("--db", str(ledger_path), "--out", str(tmp_path / "x.txt"), cwd=tmp_path,
                          config=config)
    assert refused.returncode == 2 and ".docx" in refused.stderr.decode("utf-8")


@pytest.fixture
def merged_ledger(ledger):
    """A county ledger after 汇总: two townships' inspections, one of them reporting in April."""
    for org, statuses in (("东镇", ["已完成", "整改中", "整改中"]), ("西镇", ["整改中"])):
        inspection = ledger.add_inspection("第二轮中央生态环境保护督察", "中央", org=org)
        category = ledger.add_category(inspection, "水污染防治")
        for n, status in enumerate(statuses):
            problem = ledger.add_problem(category, description=f"{org}问题{n + 1}", status=status,
                                         deadline_text="2024年12月底前", lead_unit=f"{org}人民政府")
            if org == "东镇" and n == 1:
                progress.add_report(ledger, problem, "2024-04-20", "管网已铺设一半。")
    return ledger


def test_a_merged_ledger_reports_each_township(merged_ledger, tmp_path, qapp):
    report = build(merged_ledger, None, D003)
    assert report.orgs == [["东镇", 3, 1, 2, 0, 0, "2024-04-20"], ["西镇", 1, 0, 1, 0, 0, "未报送"]]

    target = tmp_path / "月调度表.xlsx"
    finish(write_monthly_report(merged_ledger, target, None, D003))
    _sheet, rows = rows_of(target)
    assert row_after(rows, "三、按乡镇/单位统计", 1) == ["乡镇/单位", None, None, *ORG_HEADER[1:]]
    assert row_after(rows, "东镇") == ["东镇", None, None, 3, 1, 2, 0, 0, "2024-04-20"]
    assert row_after(rows, "西镇") == ["西镇", None, None, 1, 0, 1, 0, 0, "未报送"]
    assert any(row[0] == "四、未完成问题整改进展（3项）" for row in rows)

    docx = tmp_path / "月调度表.docx"
    write_monthly_docx(report, docx)
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in Document(docx).tables]
    assert [list(ORG_HEADER), ["东镇", "3", "1", "2", "0", "0", "2024-04-20"],
            ["西镇", "1", "0", "1", "0", "0", "未报送"]] in tables

    if shutil.which("pdftotext"):
        from desktop_app.ui.exporting.monthly_report_print import monthly_report_pdf
        pdf = tmp_path / "月调度表.pdf"
        monthly_report_pdf(report, pdf)
        flat = "".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                      check=True).stdout.decode().split())
        assert "三、按乡镇/单位统计" in flat and "西镇1010" in flat and "未报送" in flat


def test_a_township_ledger_has_no_township_table(merged_ledger, tmp_path):
    one = merged_ledger.inspections()[0]["id"]
    report = build(merged_ledger, one, D003)
    assert report.orgs == []
    target = tmp_path / "月调度表.xlsx"
    finish(write_monthly_report(merged_ledger, target, one, D003))
    _sheet, rows = rows_of(target)
    assert not any(isinstance(row[0], str) and "按乡镇/单位统计" in row[0] for row in rows)


def test_each_townships_part_is_headed_with_its_name(merged_ledger):
    report = build(merged_ledger, None, D003)
    assert [g.heading for g in report.categories if g.heading] == [
        "东镇：第二轮中央生态环境保护督察", "西镇：第二轮中央生态环境保护督察"]
    assert [g.heading for g in report.problems] == [
        "东镇：第二轮中央生态环境保护督察", "西镇：第二轮中央生态环境保护督察"]
