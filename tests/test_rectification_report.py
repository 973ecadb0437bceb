"""The 整改落实情况报告: written from the records, its figures read back equal to `stats`."""

import json
import shutil
import subprocess
import sys
from datetime import date

import docx
import pytest

from desktop_app.domain.rectification_report import NEXT_STEPS_PLACEHOLDER
from desktop_app.formats.documents.gongwen_docx import BODY_FONT, HEADING_STYLES, TITLE_FONT
from desktop_app.formats.documents.rectification_report_docx import write_rectification_report
from desktop_app.store import progress
from desktop_app.store.rectification_report import content
from desktop_app.store.statistics import statistics
from follow_up_helpers import fill_004
from report_ledgers import SEED_004_DATE, build_004

SENTENCE_004 = ("对19个党组织、81名责任人员（厅级干部11人、处级干部37人、科级及以下干部33人）进行责任追究。"
                "被处理人员中，党纪政务处分48人、党纪政务处分并组织处理9人、组织处理2人、诫勉谈话17人、"
                "书面检查1人、约谈3人、批评教育1人")


@pytest.fixture
def ledger_004(ledger):
    inspection = build_004(ledger)
    fill_004(ledger, inspection)
    return ledger


def paragraphs(path):
    return [p for p in docx.Document(str(path)).paragraphs if p.text.strip()]


def section(texts, heading, next_heading):
    return texts[texts.index(heading) + 1:texts.index(next_heading)]


def test_the_004_report_read_back_field_by_field(ledger_004, tmp_path):
    day = date.fromisoformat(SEED_004_DATE)
    iid = ledger_004.inspections()[0]["id"]
    first = ledger_004.tree(iid).problems[30]  # under way: gets a progress report
    progress.add_report(ledger_004, first.id, "2020-08-15", "已完成现场整治方案编制。", "单位2")
    ledger_004.update("problem", ledger_004.tree(iid).problems[0].id, completion="已全面完成整改。")
    stats = statistics(ledger_004, iid, day)
    out = write_rectification_report(content(ledger_004, iid, day), tmp_path / "报告.docx")
    found = paragraphs(out)
    texts = [p.text for p in found]
    assert "".join(texts[:2]) == "贵州省关于中央生态环境保护督察“回头看”反馈问题整改落实情况的报告"
    assert found[0].style.name == "公文标题" and found[0].style.font.name == TITLE_FONT
    headings = [p.text for p in found if p.style.name == HEADING_STYLES[1][0]]
    assert headings == ["一、基本情况", "二、整改工作开展情况", "三、督办和责任追究情况", "四、存在的问题",
                        "五、下一步工作打算"]
    basic = section(texts, "一、基本情况", "二、整改工作开展情况")
    assert basic[0] == ("2019年5月10日，中央生态环境保护督察“回头看”向贵州省反馈了督察意见。"
                        f"对照反馈意见，梳理形成整改任务{stats.categories}大类{stats.problems}项。")
    assert basic[1].startswith(f"截至2020年8月31日，贵州省梳理形成的{stats.problems}项问题，"
                               f"{stats.finished}项已完成整改，"
                               f"{stats.by_schedule['达到时序进度']}项达到时序进度要求。")
    subs = [p.text for p in found if p.style.name == HEADING_STYLES[2][0]]
    assert subs[:7] == [f"（{n}）{c.title}" for n, c in zip("一二三四五六七", stats.by_category)]
    for category in stats.by_category:
        assert f"该类问题共{category.problems}项，已完成整改{category.finished}项。" in texts
    assert any(t.startswith("第1项“问题1”") and "整改落实情况：已全面完成整改。" in t for t in texts)
    assert any(t.startswith("第31项“问题31”") and "最新进展：已完成现场整治方案编制。" in t for t in texts)
    measures = section(texts, "三、督办和责任追究情况", "四、存在的问题")
    assert measures == ["（一）督办", "向有关地方和部门致函14次、约谈3次、通报2次。", "（二）责任追究",
                        SENTENCE_004 + "。"]
    assert section(texts, "四、存在的问题", "五、下一步工作打算") == ["截至目前，没有逾期或滞后于时序进度的问题。"]
    assert texts[-3:] == [NEXT_STEPS_PLACEHOLDER, "贵州省", "2020年8月31日"]
    body = next(p for p in found if p.text == basic[0])
    assert body.style.font.name == BODY_FONT and body.style.font.size.pt == 16
    page = docx.Document(str(out)).sections[0]
    assert (round(page.page_width.mm), round(page.page_height.mm)) == (210, 297)


def test_overdue_and_lagging_items_named(sample_ledger, tmp_path):
    iid = sample_ledger.inspections()[0]["id"]
    day = date(2022, 3, 1)  # 问题编号三 (2021年底前) and 五 (2021年第四季度) are past their 时限
    stats = statistics(sample_ledger, iid, day)
    report = content(sample_ledger, iid, day)
    problems = next(s for s in report.sections if s.heading == "四、存在的问题").paragraphs
    overdue = stats.by_schedule["逾期"]
    assert overdue and problems[0].startswith(f"有{overdue}项问题已超过整改时限尚未完成：")
    assert "第5项（问题编号五）“青山河流域养殖污染问题突出。”（县农业农村局，时限2021年第四季度）" in problems[0]


def test_a_cell_mark_in_a_problem_does_not_stop_the_report(sample_ledger, tmp_path):
    iid = sample_ledger.inspections()[0]["id"]
    problem = sample_ledger.tree(iid).problems[4].id  # 问题编号五, overdue on this day: named
    with sample_ledger.change("粘贴", "测试"):
        sample_ledger.update("problem", problem, description="青山河流域\x07养殖污染\ufffe问题突出。")
    out = write_rectification_report(content(sample_ledger, iid, date(2022, 3, 1)), tmp_path / "报告.docx")
    assert any("“青山河流域养殖污染问题突出。”" in p.text for p in paragraphs(out))


def test_cli_report_has_the_stats_figures(ledger_004, ledger_path, tmp_path):
    ledger_004.close()
    out = tmp_path / "整改落实情况报告.docx"
    run = [sys.executable, "-m", "desktop_app"]
    made = subprocess.run([*run, "report", "--db", str(ledger_path), "--out", str(out),
                           "--date", SEED_004_DATE, "--inspection", "回头看"], capture_output=True,
                          timeout=120, cwd=tmp_path)
    assert made.returncode == 0, made.stderr.decode("utf-8")
    assert made.stdout.decode("utf-8").strip() == str(out)
    stats = json.loads(subprocess.run([*run, "stats", "--db", str(ledger_path), "--date",
                                       SEED_004_DATE, "--inspection", "回头看", "--json"],
                                      capture_output=True, timeout=60,
                                      cwd=tmp_path).stdout.decode("utf-8"))
    texts = [p.text for p in paragraphs(out)]
    assert stats["summary_text"] in texts
    assert SENTENCE_004 + "。" in texts
    bad = subprocess.run([*run, "report", "--db", str(ledger_path), "--out", str(tmp_path / "x.pdf")],
                         capture_output=True, timeout=60, cwd=tmp_path)
    assert bad.returncode == 2 and "请以 .docx 结尾" in bad.stderr.decode("utf-8")
    bad = subprocess.run([*run, "report", "--db", str(ledger_path), "--out", str(out),
                          "--inspection", "没有"], capture_output=True, timeout=60, cwd=tmp_path)
    assert bad.returncode == 2 and "不是台账里的督察批次" in bad.stderr.decode("utf-8")


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="needs LibreOffice Writer and pdftotext")
def test_libreoffice_converts_it_without_loss(ledger_004, tmp_path):
    day = date.fromisoformat(SEED_004_DATE)
    out = write_rectification_report(content(ledger_004, None, day), tmp_path / "报告.docx")
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                   check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", str(tmp_path / "报告.pdf"), "-"],
                          capture_output=True, check=True).stdout.decode("utf-8")
    flat = "".join(text.split())
    for paragraph in paragraphs(out):
        assert "".join(paragraph.text.split()) in flat
