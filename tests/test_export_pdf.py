"""The exported workbook opens and prints in LibreOffice: converted to PDF, read back as text."""

import re
import shutil
import subprocess

import pytest

from desktop_app.formats.ledger_xlsx import ExportOptions, export_ledger_file
from desktop_app.store import seeds

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="pdftotext (poppler-utils) is not installed")
HEADING = re.compile(r"^\s*([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")


def to_pdf(workbook, tmp_path):
    # A private profile: works in CI, and never touches (or waits for) a user's running office.
    profile = (tmp_path / "lo-profile").as_uri()
    result = subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless",
                             "--convert-to", "pdf", "--outdir", str(tmp_path), str(workbook)],
                            capture_output=True, timeout=180)
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
def test_printed_pages_read_like_the_ledger(demo, tmp_path):
    workbook = tmp_path / "演示.xlsx"
    export_ledger_file(demo, workbook, ExportOptions())
    pdf = to_pdf(workbook, tmp_path)
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

    # Every text ends on paper: a row too short for its text would lose its last line.
    printed = "".join(pdftotext(pdf, "-raw").split())
    for inspection in demo.inspections():
        for problem in demo.tree(inspection["id"]).problems:
            texts = [problem.row["description"], problem.row["goal"],
                     *(m["text"] for m in problem.row["measures"])]
            for text in filter(None, ("".join(t.split()) for t in texts)):
                assert text[-6:] in printed, (problem.number, text[-20:])
