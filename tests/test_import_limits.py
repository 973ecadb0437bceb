"""Small files that ask for a huge amount of work are refused, saying which figure was too big.

Every file of hostile_files.BUILDERS goes through the real import (in process, and for peak
memory as `python -m desktop_app import` in a child); the limits sit in formats/reading/limits.py.
A plan of more than 999 numbered problems is read whole, none folded into another.
"""

import subprocess
import sys

import pytest

from desktop_app.formats.reading import limits as read_limits
from desktop_app.formats.importing.errors import FileTooLarge, ImportFailed, TooMuchToRead
from desktop_app.formats.importing.importer import read_source
from desktop_app.formats.importing.plan_text import read_plan_text
from desktop_app.jobs import finish
from hostile_files import BUILDERS
from test_import_cli import dump

# What each file's message must name: the figure, as the clerk reads it, and the limit.
NAMED = {
    "两万个整行合并.xlsx": ("合并单元格的列数", "16,384", read_limits.MAX_COLUMNS),
    "合并整张表.xlsx": ("合并单元格的列数", "16,384", read_limits.MAX_COLUMNS),
    "每行XFD列一格.xlsx": ("的列数", "16,384", read_limits.MAX_COLUMNS),
    # Cells without a reference are counted row by row: the width's bound adds the named columns.
    "一行一万六千格无编号.xlsx": ("的列数", "16,389", read_limits.MAX_COLUMNS),
    "一格1.9亿字.xlsx": ("单元格的字数", "63,333,", read_limits.MAX_CELL_CHARS),
    "共享字符串一格1.9亿字.xlsx": ("单元格的字数", "63,333,", read_limits.MAX_CELL_CHARS),
    "横跨五千万列.docx": ("横跨的列数", "50,000,000", read_limits.MAX_COLUMNS),
    "一万个上下合并.docx": ("上下合并的单元格个数", "10,000", read_limits.MAX_VERTICAL_MERGES),
    "六万行.txt": ("行数", "60,002", read_limits.MAX_TEXT_LINES),
}
MEMORY_LIMIT_MIB = 300


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    return {name: build(folder / name) for name, build in BUILDERS.items()}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_refused_with_the_figure_and_the_limit(hostile, name):
    with pytest.raises(ImportFailed) as caught:
        finish(read_source(hostile[name]))
    message = str(caught.value)
    assert name in message and "台账没有任何改动" in message
    if name == "19MB.txt":
        assert isinstance(caught.value, FileTooLarge) and "19.0 MB" in message
        return
    what, figure, limit = NAMED[name]
    assert isinstance(caught.value, TooMuchToRead)
    assert what in message and figure in message and f"{limit:,}" in message


def test_refusals_stay_under_300_mb_and_leave_the_ledger_alone(hostile, sample_ledger_file, tmp_path):
    """Each import in a child of its own, its peak memory read from the kernel's account of it."""
    before = dump(sample_ledger_file)
    # VmHWM: the child's own peak (ru_maxrss would carry pytest's, inherited through fork).
    script = ("import re, sys\nfrom pathlib import Path\nfrom desktop_app.cli import main\n"
              "code = main(sys.argv[1:])\nstatus = Path('/proc/self/status').read_text()\n"
              "print(re.search(r'VmHWM:\\s*(\\d+)', status).group(1), file=sys.stderr)\n"
              "sys.exit(code)")
    for name, path in hostile.items():
        result = subprocess.run([sys.executable, "-c", script, "import", str(path), "--db",
                                 str(sample_ledger_file)], capture_output=True, timeout=300, cwd=tmp_path)
        stderr = result.stderr.decode("utf-8")
        assert result.returncode == 2 and stderr.startswith("错误：") and name in stderr, stderr
        peak_mib = int(stderr.strip().splitlines()[-1]) / 1024  # kB
        assert peak_mib < MEMORY_LIMIT_MIB, (name, peak_mib)
    assert dump(sample_ledger_file) == before


def test_a_plan_of_1200_problems_is_read_whole():
    text = "一、大类\n" + "".join(f"{n}.第{n}个问题。\n责任单位：单位{n}\n" for n in range(1, 1201))
    plan = read_plan_text(text)
    problems = plan.problems()
    assert [p.description for p in problems] == [f"第{n}个问题。" for n in range(1, 1201)]
    assert [p.lead_unit for p in problems][998:1001] == ["单位999", "单位1000", "单位1001"]


# -- how far a sheet's cells reach, before the parser lays them out --------------------------

def _scan(xml: bytes, chunk: int = 1 << 20) -> "SheetScan":
    import io
    from desktop_app.formats.reading.sheet_xml_scan import SheetScan
    scan = SheetScan()
    scan.CHUNK = chunk
    scan.read(io.BytesIO(xml))
    return scan


@pytest.mark.parametrize("chunk", [7, 64, 1 << 20])  # rows cut by a chunk's end count whole
def test_the_span_of_cells_with_and_without_references(chunk):
    named = b'<sheetData><row r="2"><c r="B2"/><c r="AB2"/></row><row r="9"><c r="C9"/></row></sheetData>'
    scan = _scan(named, chunk)
    assert (scan.height, scan.width) == (9, 28)
    unnamed = (b'<sheetData><row><c/><c t="s"><v>0</v></c><c/></row><row><c/></row>'
               b'<row r="5"><c r="D5"/><c/></row></sheetData>')
    scan = _scan(unnamed, chunk)
    # Cells reach column E at most (D5 and the cell after it) and row 3 (two rows before row 5):
    # the bounds are the named reach plus every unnamed row, and the widest row's cell count.
    assert (scan.height, scan.width) == (5 + 3, 4 + 3)


def test_cells_and_rows_without_references_are_read_in_place(tmp_path):
    from desktop_app.formats.reading.workbook_source import open_sheets
    from openpyxl import Workbook
    from import_workbooks import replace_in_member
    path = tmp_path / "无编号.xlsx"
    wb = Workbook()
    wb.active["A1"] = "序号"
    wb.save(path)
    replace_in_member(path, "xl/worksheets/sheet1.xml", b"</sheetData>",
                      b'<row><c t="inlineStr"><is><t>1</t></is></c><c/><c t="inlineStr"><is><t>'
                      b"\xe9\x97\xae\xe9\xa2\x98</t></is></c></row></sheetData>")
    with open_sheets(path) as sheets:
        assert list(sheets[0].rows()) == [("序号", "", ""), ("1", "", "问题")]
