"""No workbook the app writes carries a formula: text a clerk (or a hostile file) typed stays text.

A ledger whose every field, and the 使用人 setting, starts with = + - @ goes through each
exporter (台账 with its 统计 sheet, 月调度表, 佐证材料目录, 修改记录); every cell read back with
openpyxl is data, and each hostile text reads back exactly as it was given.
"""

import zipfile
from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from desktop_app.formats.evidence.package import INDEX_NAME, export_evidence_package
from desktop_app.formats.exporting.ledger_xlsx import export_ledger_file
from desktop_app.formats.exporting.monthly_report import write_monthly_report
from desktop_app.jobs import finish
from desktop_app.store.audit_export import export_audit_log
from desktop_app.store.evidence_attach import attach_files
from desktop_app.store.progress import add_report

HOSTILE = {
    "description": '=HYPERLINK("http://example.com/x","点这里")',
    "lead_unit": "=cmd|' /C calc'!A0",
    "goal": "+1",
    "lead_official": "-2+3",
    "support_units": "@SUM(A1)",
    "completion": "=1+1",
}
USER = "=cmd|' /C notepad'!A0"
MEASURE = "@SUM(B1:B9)"
REPORT = '=HYPERLINK("http://example.com/y")'
CAPTION = "+照片说明"
OLD_UNIT = "-县住建局"


@pytest.fixture
def hostile_ledger(ledger, tmp_path):
    ledger.app_user = USER
    with ledger.writing():
        inspection = ledger.add_inspection("=督察批次", "中央", "2024-01-10")
        category = ledger.add_category(inspection, "-大类")
        problem = ledger.add_problem(category, measures=[MEASURE], deadline_text="2030年12月底前",
                                     status="整改中", **dict(HOSTILE, lead_unit=OLD_UNIT))
        add_report(ledger, problem, "2024-05-10", REPORT, reporter=USER)
    ledger.update("problem", problem, lead_unit=HOSTILE["lead_unit"])  # an edit: 原值 and 新值
    photo = tmp_path / "现场.txt"
    photo.write_bytes(b"evidence")
    finish(attach_files(ledger, problem, [photo], caption=CAPTION, added_by=USER))
    return ledger, inspection


def cell_values(workbook) -> list:
    """Every cell of every sheet; fails on any formula."""
    book = load_workbook(workbook)
    values = []
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                values.append(cell.value)
    return values


def test_ledger_export_and_its_statistics_carry_no_formula(hostile_ledger, tmp_path):
    ledger, _ = hostile_ledger
    export_ledger_file(ledger, tmp_path / "台账.xlsx")
    values = cell_values(tmp_path / "台账.xlsx")
    for text in (HOSTILE["description"], HOSTILE["lead_unit"], HOSTILE["goal"],
                 HOSTILE["lead_official"]):
        assert text in values
    assert any(isinstance(v, str) and MEASURE in v for v in values)


def test_monthly_report_carries_no_formula(hostile_ledger, tmp_path):
    ledger, inspection = hostile_ledger
    finish(write_monthly_report(ledger, tmp_path / "月调度表.xlsx", inspection, date(2024, 5, 31)))
    values = cell_values(tmp_path / "月调度表.xlsx")
    assert HOSTILE["description"] in values and HOSTILE["lead_unit"] in values
    assert any(isinstance(v, str) and REPORT in v for v in values)


def test_evidence_index_carries_no_formula(hostile_ledger, tmp_path):
    ledger, inspection = hostile_ledger
    target = tmp_path / "佐证材料.zip"
    finish(export_evidence_package(ledger, inspection, target, as_zip=True))
    with zipfile.ZipFile(target) as archive:
        index = next(n for n in archive.namelist() if n.endswith(INDEX_NAME))
        values = cell_values(BytesIO(archive.read(index)))
    assert CAPTION in values and USER in values  # 材料说明 and 添加人


def test_audit_log_export_carries_no_formula(hostile_ledger, tmp_path):
    ledger, _ = hostile_ledger
    export_audit_log(ledger, tmp_path / "修改记录.xlsx")
    values = cell_values(tmp_path / "修改记录.xlsx")
    assert USER in values  # the 使用人 column, as the clerk set it
    for text in (HOSTILE["description"], OLD_UNIT, HOSTILE["lead_unit"], MEASURE, REPORT, "=督察批次",
                 "-大类"):
        assert text in values
