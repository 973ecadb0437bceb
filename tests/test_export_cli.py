"""`python -m desktop_app export`: the workbook a county IT script asks for, run as it runs it."""

import subprocess
import sys

from openpyxl import load_workbook

from desktop_app.store import seeds
from desktop_app.store.ledger import Ledger


def visible_sheets(book) -> list[str]:
    """The sheets a clerk sees (the hidden 台账标识 is the ledger's identity)."""
    return [ws.title for ws in book.worksheets if ws.sheet_state == "visible"]


def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "desktop_app", *args], cwd=cwd,
                          capture_output=True, timeout=120)


def text(stream: bytes) -> str:
    return stream.decode("utf-8")


def _assert_clean_failure(result):
    assert result.returncode != 0
    err = text(result.stderr)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err), err
    assert "Traceback" not in err


def test_export_prints_path_and_summary(sample_ledger_file, tmp_path):
    out = tmp_path / "整改任务清单.xlsx"
    before = sample_ledger_file.read_bytes()
    result = run("export", "--db", str(sample_ledger_file), "--out", str(out), cwd=tmp_path)
    assert result.returncode == 0, text(result.stderr)
    lines = text(result.stdout).splitlines()
    assert lines[0] == str(out)
    assert lines[1:] == ["第二轮中央生态环境保护督察：2大类5项"]
    wb = load_workbook(out)
    assert visible_sheets(wb) == ["整改任务清单", "统计"]
    assert int(wb.active.page_setup.paperSize) == 9
    assert sample_ledger_file.read_bytes() == before  # opened read-only


def test_export_one_inspection_on_a3(tmp_path):
    db = tmp_path / "演示.db"
    ledger = Ledger.create(db)
    seeds.fill_demo(ledger)
    names = [i["name"] for i in ledger.inspections()]
    ledger.close()
    out = tmp_path / "a3.xlsx"
    result = run("export", "--db", str(db), "--out", str(out), "--inspection", names[0],
                 "--paper", "A3", cwd=tmp_path)
    assert result.returncode == 0, text(result.stderr)
    assert text(result.stdout).splitlines()[1:] == [f"{names[0]}：7大类42项"]
    ws = load_workbook(out)["整改任务清单"]
    assert int(ws.page_setup.paperSize) == 8


def test_unknown_inspection_lists_the_names(sample_ledger_file, tmp_path):
    out = tmp_path / "x.xlsx"
    result = run("export", "--db", str(sample_ledger_file), "--out", str(out),
                 "--inspection", "没有这个督察", cwd=tmp_path)
    assert result.returncode == 2
    _assert_clean_failure(result)
    err = text(result.stderr)
    assert "没有这个督察" in err and "第二轮中央生态环境保护督察" in err
    assert not out.exists()


def test_missing_folder_and_missing_ledger(sample_ledger_file, tmp_path):
    result = run("export", "--db", str(sample_ledger_file),
                 "--out", str(tmp_path / "不存在的文件夹" / "x.xlsx"), cwd=tmp_path)
    _assert_clean_failure(result)
    assert "找不到要保存到的文件夹" in text(result.stderr)
    result = run("export", "--db", str(tmp_path / "没有.db"), "--out", str(tmp_path / "x.xlsx"),
                 cwd=tmp_path)
    _assert_clean_failure(result)
    assert "找不到台账文件" in text(result.stderr)


def test_wrong_paper_and_help(sample_ledger_file, tmp_path):
    result = run("export", "--db", str(sample_ledger_file), "--out", str(tmp_path / "x.xlsx"),
                 "--paper", "B5", cwd=tmp_path)
    assert result.returncode != 0 and "Traceback" not in text(result.stderr)
    assert "export" in text(run("--help", cwd=tmp_path).stdout)
