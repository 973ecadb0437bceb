"""The ledger export comes back: importing what this app exported rebuilds the same tree, field by field."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop_app.formats.exporting import ledger_xlsx
from desktop_app.formats.importing.apply import apply_plan
from desktop_app.formats.exporting.workbook_identity import IDENTITY_SHEET
from desktop_app.formats.importing.workbook_reader import read_workbook
from desktop_app.jobs import finish
from desktop_app.store import seeds
from desktop_app.store.collect import is_own_export
from desktop_app.store.ledger import Ledger

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from generate_ledger import generate  # noqa: E402

# Every column that maps back to one field (整改进展情况 and 整改落实情况 would both be completion).
# A measure's own 完成情况 is shown only inside 整改进展情况, so it is compared where that is exported.
ALL_COLUMNS = [c for c in ledger_xlsx.COLUMNS if c != "progress"]
FIELDS = ("code", "description", "goal", "lead_official", "lead_unit", "support_units",
          "deadline_text", "deadline", "term", "status", "completion", "remarks")
VISIBLE = ("description", "goal", "lead_official", "lead_unit", "deadline_text", "remarks")


def contents(ledger, inspection_id, fields=FIELDS, completions=False):
    tree = ledger.tree(inspection_id)
    categories = [(c.label, c.title, [(s.label, s.title) for s in c.children])
                  for c in tree.categories]
    problems = [(p.number, p.parent.title, {f: p.row[f] for f in fields},
                 [(m["text"], m["completion"] if completions else "") for m in p.row["measures"]])
                for p in tree.problems]
    return categories, problems


def round_trip(ledger, tmp_path, columns):
    """Export each inspection alone, import it into a fresh ledger: (original id, new id, new ledger)."""
    again = Ledger.create(tmp_path / "再导入.db")
    pairs = []
    for n, inspection in enumerate(ledger.inspections()):
        options = ledger_xlsx.ExportOptions(inspection_ids=[inspection["id"]], columns=columns)
        target = tmp_path / f"导出{n}.xlsx"
        ledger_xlsx.export_ledger_file(ledger, target, options)
        plan = finish(read_workbook(target))
        result = apply_plan(again, plan, inspection_fields={"name": inspection["name"]})
        pairs.append((inspection["id"], result["inspection_id"]))
    return pairs, again


@pytest.fixture
def demo_ledger(ledger):
    seeds.fill_demo(ledger)
    return ledger


def assert_comes_back(ledger, tmp_path, columns, fields=FIELDS):
    pairs, again = round_trip(ledger, tmp_path, columns)
    try:
        for original, imported in pairs:
            assert contents(again, imported, fields) == contents(ledger, original, fields)
    finally:
        again.close()


def test_demo_ledger_comes_back_field_by_field(demo_ledger, tmp_path):
    assert_comes_back(demo_ledger, tmp_path, ALL_COLUMNS)


def test_default_columns_bring_back_the_same_tree_and_texts(demo_ledger, tmp_path):
    assert_comes_back(demo_ledger, tmp_path, list(ledger_xlsx.DEFAULT_COLUMNS), VISIBLE)


def _long_problem(ledger, sentence_end: str) -> None:
    inspection = ledger.add_inspection("测试督察")
    category = ledger.add_category(inspection, "水污染防治方面")
    sentence = "城区污水处理厂超负荷运行，部分污水直排青山河。群众反映强烈，"
    ledger.add_problem(category, description=sentence * 40, lead_unit="县住建局",
                       measures=[f"第{k}条措施，" + f"完成管网建设和雨污分流改造{sentence_end}" * 30
                                 for k in range(1, 6)], deadline_text="2022年6月30日前")


def test_long_cells_cut_over_pages_stay_one_problem(ledger, tmp_path):
    _long_problem(ledger, "。")
    pairs, again = round_trip(ledger, tmp_path, ALL_COLUMNS)
    try:
        [(original, imported)] = pairs
        assert len(again.tree(imported).problems) == 1
        assert contents(again, imported) == contents(ledger, original)
    finally:
        again.close()


def test_continuation_rows_without_the_identity_sheet_stay_one_problem(ledger, tmp_path):
    """A workbook that lost its hidden sheet (or came from elsewhere): rows with no 序号 whose
    text carries on mid-sentence belong to the problem above."""
    _long_problem(ledger, "，")
    target = tmp_path / "导出.xlsx"
    ledger_xlsx.export_ledger_file(ledger, target, ledger_xlsx.ExportOptions(columns=ALL_COLUMNS))
    book = load_workbook(target)
    del book[IDENTITY_SHEET]
    book.save(target)
    plan = finish(read_workbook(target))
    assert plan.summary == "1大类1项"
    [problem] = plan.problems()
    original = ledger.tree(ledger.inspections()[0]["id"]).problems[0].row
    assert problem.description == original["description"]
    assert [m.text for m in problem.measures] == [m["text"] for m in original["measures"]]


def test_a_generated_2000_problem_ledger_comes_back(tmp_path):
    path = generate(tmp_path / "大台账.db", problems=2000, inspections=2, reports=0, evidence=0)
    big = Ledger.open(path)
    try:
        assert_comes_back(big, tmp_path, ALL_COLUMNS)
    finally:
        big.close()


def test_an_export_of_this_ledger_offers_to_update_it(sample_ledger, tmp_path):
    from desktop_app.store.collect import apply_collect, plan_update_from_export
    target = tmp_path / "导出.xlsx"
    for columns in (list(ledger_xlsx.DEFAULT_COLUMNS), ALL_COLUMNS):
        ledger_xlsx.export_ledger_file(sample_ledger, target,
                                       ledger_xlsx.ExportOptions(columns=columns))
        untouched = finish(read_workbook(target))
        assert is_own_export(sample_ledger, untouched)
        assert plan_update_from_export(sample_ledger, untouched).changes == []  # nothing edited
    book = load_workbook(target)
    ws = book["整改任务清单"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == 4)
    goal = [c.column for c in ws[3] if c.value == "整改目标"][0]
    ws.cell(row, goal).value = "污水处理厂出水稳定达到一级A标准，管网全覆盖。"
    book.save(target)
    plan = plan_update_from_export(sample_ledger, finish(read_workbook(target)))
    assert [c.to_json() for c in plan.changes] == [{
        "problem": "第二轮中央生态环境保护督察 第4项", "field": "整改目标",
        "old": "污水处理厂出水稳定达到一级A标准。", "new": "污水处理厂出水稳定达到一级A标准，管网全覆盖。"}]
    assert plan.files[0].matched == 5
    apply_collect(sample_ledger, plan)
    assert sample_ledger.tree(sample_ledger.inspections()[0]["id"]).problems[3].row["goal"] == \
        "污水处理厂出水稳定达到一级A标准，管网全覆盖。"
    assert len(sample_ledger.inspections()) == 1  # updated, no duplicate inspection


def test_an_export_of_another_ledger_is_no_update(sample_ledger, ledger_path, tmp_path):
    target = tmp_path / "导出.xlsx"
    ledger_xlsx.export_ledger_file(sample_ledger, target)
    other = Ledger.create(tmp_path / "另一个.db")
    try:
        assert not is_own_export(other, finish(read_workbook(target)))
    finally:
        other.close()


def test_the_import_command_says_when_it_is_given_this_ledgers_own_export(sample_ledger_file,
                                                                         tmp_path, capsys):
    from desktop_app.cli import main
    target = tmp_path / "导出.xlsx"
    assert main(["export", "--db", str(sample_ledger_file), "--out", str(target)]) == 0
    assert main(["import", str(target), "--db", str(sample_ledger_file)]) == 0
    assert "从本台账导出的" in capsys.readouterr().err
    assert main(["import", str(target), "--db", str(tmp_path / "新台账.db")]) == 0
    assert "从本台账导出的" not in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_an_export_saved_by_libreoffice_still_comes_back_whole(ledger, tmp_path):
    _long_problem(ledger, "。")
    target = tmp_path / "导出.xlsx"
    ledger_xlsx.export_ledger_file(ledger, target, ledger_xlsx.ExportOptions(columns=ALL_COLUMNS))
    saved = tmp_path / "LibreOffice"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "xlsx", "--outdir", str(saved), str(target)],
                   check=True, capture_output=True, timeout=180)
    plan = finish(read_workbook(saved / target.name))
    assert plan.summary == "1大类1项" and is_own_export(ledger, plan)
    [problem] = plan.problems()
    original = ledger.tree(ledger.inspections()[0]["id"]).problems[0].row
    assert problem.description == original["description"]
    assert [m.text for m in problem.measures] == [m["text"] for m in original["measures"]]
