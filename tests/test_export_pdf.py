"""The exported workbook opens and prints in LibreOffice: converted to PDF, read back as text."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from desktop_app.formats.exporting.ledger_xlsx import ExportOptions, export_ledger_file
from desktop_app.store import seeds

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="pdftotext (poppler-utils) is not installed")
HEADING = re.compile(r"^\s*([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")


# Each a machine with only this CJK font set: the pages must break the same with any of them.
FONT_SETS = {"noto": Path("/usr/share/fonts/opentype/noto"),
             "wqy": Path("/usr/share/fonts/truetype/wqy")}
LATIN_FONTS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/crosextra",
               "/usr/share/fonts/truetype/liberation2")


def font_config(tmp_path, font_set: str) -> dict:
    """The environment of a LibreOffice that sees the Latin fonts and one CJK font set only."""
    folder = FONT_SETS[font_set]
    if not folder.is_dir():
        pytest.skip(f"the {font_set} CJK fonts are not installed")
    dirs = "".join(f"<dir>{d}</dir>" for d in (*LATIN_FONTS, folder))
    config = tmp_path / f"fonts-{font_set}.conf"
    config.write_text(f'<?xml version="1.0"?><fontconfig>{dirs}'
                      f"<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>",
                      encoding="utf-8")
    return {**os.environ, "FONTCONFIG_FILE": str(config)}


def to_pdf(workbook, tmp_path, env=None):
    # A private profile: works in CI, and never touches (or waits for) a user's running office.
    profile = (tmp_path / "lo-profile").as_uri()
    result = subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless",
                             "--convert-to", "pdf", "--outdir", str(tmp_path), str(workbook)],
                            capture_output=True, timeout=180, env=env)
    pdf = tmp_path / (workbook.stem + ".pdf")
    assert result.returncode == 0 and pdf.exists(), result.stderr.decode(errors="replace")
    return pdf


def pdftotext(pdf, mode: str) -> str:
    return subprocess.run(["pdftotext", mode, str(pdf), "-"], capture_output=True,
                          check=True).stdout.decode("utf-8")


@pytest.fixture
def demo(ledger):
    seeds.fill_demo(ledger)
    return ledger


@pytest.mark.parametrize("paper", ["A4", "A3"])
def test_demo_ledger_converts_to_pdf(demo, tmp_path, paper):
    workbook = tmp_path / f"演示-{paper}.xlsx"
    export_ledger_file(demo, workbook, ExportOptions(paper=paper))
    pdf = to_pdf(workbook, tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")


@needs_pdftotext
@pytest.mark.parametrize("font_set", sorted(FONT_SETS))
def test_printed_pages_read_like_the_ledger(demo, tmp_path, font_set):
    workbook = tmp_path / "演示.xlsx"
    export_ledger_file(demo, workbook, ExportOptions())
    pdf = to_pdf(workbook, tmp_path, font_config(tmp_path, font_set))
    pages = pdftotext(pdf, "-layout").split("\f")[:-1]
    squeezed = ["".join(page.split()) for page in pages]
    assert "反馈意见整改任务清单" in squeezed[0]
    table_pages = [p for p in squeezed if "整改任务统计" not in p]
    assert all("序号" in p and "整改措施" in p for p in table_pages)  # the header on every page
    assert all(f"共{len(pages)}页" in p for p in squeezed)  # 第 N 页 共 M 页
    assert "共7大类42项" in "".join(squeezed)
    for number, page in enumerate(pages, start=1):  # no 一、 or （一） left alone at a page's foot
        lines = [line for line in page.splitlines() if line.strip() and "页" not in line]
        assert not HEADING.match(lines[-1]), f"page {number} ends with a heading: {lines[-1]}"
        header = next((i for i, line in enumerate(lines) if line.split()[0] == "序号"), None)
        if header is not None and header + 1 < len(lines):  # the first row: a 序号 or a heading
            top = lines[header + 1]
            assert re.match(r"^\s*\d+\s", top) or HEADING.match(top), f"page {number}: {top}"

    # Every text ends on paper: a row too short for its text would lose its last line.
    printed = "".join(pdftotext(pdf, "-raw").split())
    for inspection in demo.inspections():
        for problem in demo.tree(inspection["id"]).problems:
            texts = [problem.row["description"], problem.row["goal"],
                     *(m["text"] for m in problem.row["measures"])]
            for text in filter(None, ("".join(t.split()) for t in texts)):
                assert text[-6:] in printed, (problem.number, text[-20:])


@needs_pdftotext
@pytest.mark.parametrize("font_set", sorted(FONT_SETS))
def test_monthly_report_pages_hold_with_any_font_set(demo, tmp_path, font_set):
    from datetime import date

    from desktop_app.formats.exporting.monthly_report import write_monthly_report
    from desktop_app.jobs import finish
    workbook = tmp_path / "月调度表.xlsx"
    finish(write_monthly_report(demo, workbook, None, date(2024, 4, 30)))
    pages = pdftotext(to_pdf(workbook, tmp_path, font_config(tmp_path, font_set)),
                      "-layout").split("\f")[:-1]
    listing = next(i for i, page in enumerate(pages) if "未完成问题整改进展" in page)
    for number, page in enumerate(pages, start=1):
        lines = [line for line in page.splitlines() if line.strip() and "页" not in line]
        assert not HEADING.match(lines[-1]), f"page {number} ends with a heading: {lines[-1]}"
        if number > listing + 1:  # the list's header repeated, then a numbered row or a group
            header = next(i for i, line in enumerate(lines) if line.split()[0] == "序号")
            assert "最新进展" in lines[header]
            assert not lines[header + 1].startswith(" " * 8) or "督察" in lines[header + 1]
