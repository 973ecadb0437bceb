"""`python -m desktop_app import`: the command-line twin of the import dialog, run as scripts run it."""

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from import_workbooks import ROWS_TITLE, column_layout, rows_layout

DATA = Path(__file__).parent / "data"


def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "desktop_app", "import", *map(str, args)], cwd=cwd,
                          capture_output=True, timeout=120)


def text(stream: bytes) -> str:
    return stream.decode("utf-8")  # the CLI promises UTF-8 whatever the console


def dump(path: Path) -> list[str]:
    """Everything in a ledger file, to compare before and after."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_import_json_into_a_new_ledger_file(tmp_path):
    workbook = rows_layout(tmp_path / "台账.xlsx")
    db = tmp_path / "新台账.db"
    result = run(workbook, "--db", db, "--json", cwd=tmp_path)
    assert result.returncode == 0, text(result.stderr)
    data = json.loads(text(result.stdout))
    assert {"inspection", "categories", "problems", "summary", "warnings"} <= set(data)
    assert (data["inspection"], data["categories"], data["problems"], data["summary"]) == (
        ROWS_TITLE, 2, 4, "2大类4项")
    assert data["created_inspection"] is True and data["layout"] == "rows"
    assert any("尽快" in w for w in data["warnings"])
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM problems").fetchone()[0] == 4
    assert conn.execute("SELECT count(*) FROM measures").fetchone()[0] == 7
    conn.close()


def test_import_text_output_and_merging_into_a_named_inspection(sample_ledger_file, tmp_path):
    workbook = column_layout(tmp_path / "类别列.xlsx")
    result = run(workbook, "--db", sample_ledger_file, "--inspection", "第二轮中央生态环境保护督察",
                 cwd=tmp_path)
    assert result.returncode == 0, text(result.stderr)
    out = text(result.stdout)
    assert "导入到督察批次“第二轮中央生态环境保护督察”：3大类5项" in out
    assert "这个督察批次现在共5大类10项" in out

    again = run(workbook, "--db", sample_ledger_file, "--inspection", "新的批次", "--json", cwd=tmp_path)
    data = json.loads(text(again.stdout))
    assert data["inspection"] == "新的批次" and data["created_inspection"] is True


def test_import_a_plan_text(tmp_path):
    db = tmp_path / "台账.db"
    result = run(DATA / "seed_001_plan.txt", "--db", db, "--json", cwd=tmp_path)
    assert result.returncode == 0, text(result.stderr)
    data = json.loads(text(result.stdout))
    assert data["summary"] == "1大类1项" and data["layout"] == "text"


def test_a_bad_file_exits_2_and_leaves_the_ledger_unchanged(sample_ledger_file, tmp_path):
    before = dump(sample_ledger_file)
    whole = rows_layout(tmp_path / "台账.xlsx").read_bytes()
    (tmp_path / "半截.xlsx").write_bytes(whole[: len(whole) // 2])
    for bad in (tmp_path / "半截.xlsx", DATA / "encrypted.xlsx", DATA / "seed_003_speech.txt",
                tmp_path / "没有这个文件.xlsx"):
        result = run(bad, "--db", sample_ledger_file, "--json", cwd=tmp_path)
        assert result.returncode == 2, bad
        assert text(result.stdout) == ""
        assert text(result.stderr).startswith("错误：") and "台账没有任何改动" in text(result.stderr)
    assert dump(sample_ledger_file) == before


def test_a_failed_import_creates_no_ledger_file(tmp_path):
    result = run(DATA / "encrypted.xlsx", "--db", tmp_path / "新.db", cwd=tmp_path)
    assert result.returncode == 2 and "密码" in text(result.stderr)
    assert not (tmp_path / "新.db").exists()


def test_a_file_that_is_not_a_ledger_is_left_alone(tmp_path):
    not_ledger = tmp_path / "别的.db"
    not_ledger.write_bytes(b"not a database at all" * 100)
    result = run(rows_layout(tmp_path / "台账.xlsx"), "--db", not_ledger, cwd=tmp_path)
    assert result.returncode == 2 and "不是督察整改台账文件" in text(result.stderr)
    assert not_ledger.read_bytes() == b"not a database at all" * 100


def test_help_documents_the_json_keys(tmp_path):
    result = run("--help", cwd=tmp_path)
    assert result.returncode == 0
    out = text(result.stdout)
    for key in ("inspection", "categories", "problems", "summary", "warnings", "--inspection", "--db"):
        assert key in out


def test_import_backs_up_the_ledger_first(tmp_path):
    """Issue 8: a consistent copy before every import, in the backup folder beside the ledger."""
    import subprocess
    import sys

    from openpyxl import Workbook

    from desktop_app.store.backups import BackupPolicy, list_backups
    from desktop_app.store.ledger import Ledger
    db = tmp_path / "台账.db"
    Ledger.create(db).close()
    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "反馈问题", "整改目标", "责任单位", "整改时限"])
    sheet.append(["一、水污染防治"])
    sheet.append([1, "污水直排", "消除直排", "县住建局", "2025年6月底前"])
    source = tmp_path / "清单.xlsx"
    book.save(source)
    result = subprocess.run([sys.executable, "-m", "desktop_app", "import", str(source), "--db", str(db)],
                            capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0, result.stderr
    backups = list_backups(BackupPolicy(), db)
    assert [str(b.reason) for b in backups] == ["导入前"]
    assert backups[0].problems == 0  # the state before the import
