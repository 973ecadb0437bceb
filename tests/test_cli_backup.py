"""`python -m desktop_app backup | restore | check`: the command-line twins, run as scripts run them."""

import sqlite3
import subprocess
import sys

from desktop_app.store.backup_files import BackupReason, parse_name
from desktop_app.store.ledger import Ledger
from file_damage import dump, scramble_page


def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "desktop_app", *args], cwd=cwd,
                          capture_output=True, timeout=60)


def text(stream: bytes) -> str:
    return stream.decode("utf-8")


def set_title(path, title):
    ledger = Ledger.open(path)
    try:
        ledger.set_title(title)
    finally:
        ledger.close()


# -- check --------------------------------------------------------------------------------------

def test_check_passes_a_sound_ledger(sample_ledger_file, tmp_path):
    result = run("check", "--db", str(sample_ledger_file), cwd=tmp_path)
    assert result.returncode == 0, text(result.stderr)
    assert text(result.stdout).strip() == "检查通过：数据库完好，修改记录链完整。"


def test_check_reports_tampered_history_one_line_each(sample_ledger_file, tmp_path):
    conn = sqlite3.connect(sample_ledger_file)
    conn.execute("UPDATE audit_log SET new_value = '\"已销号\"' WHERE id = 3")
    conn.execute("DELETE FROM audit_log WHERE id = 7")
    conn.commit()
    conn.close()
    result = run("check", "--db", str(sample_ledger_file), cwd=tmp_path)
    assert result.returncode == 1
    lines = [line for line in text(result.stdout).splitlines() if "修改记录" in line]
    assert len(lines) == 3  # one line each (the break is listed under the problem it is about)
    assert any("第3条" in line and "改动" in line for line in lines)
    assert any("第6条和第8条之间" in line for line in lines)
    assert any("有记录被删除" in line for line in lines)


def test_check_reports_a_damaged_file(sample_ledger_file, tmp_path):
    scramble_page(sample_ledger_file, "problems")
    result = run("check", "--db", str(sample_ledger_file), cwd=tmp_path)
    assert result.returncode == 1
    assert "损坏" in text(result.stdout)


def test_check_of_a_file_that_cannot_be_opened(tmp_path):
    result = run("check", "--db", str(tmp_path / "没有.db"), cwd=tmp_path)
    assert result.returncode == 2 and "找不到" in text(result.stderr)
    other = tmp_path / "笔记.db"
    other.write_text("不是台账", encoding="utf-8")
    result = run("check", "--db", str(other), cwd=tmp_path)
    assert result.returncode == 2 and "不是督察整改台账文件" in text(result.stderr)


# -- backup -------------------------------------------------------------------------------------

def test_backup_into_the_default_folder(sample_ledger_file, tmp_path):
    result = run("backup", "--db", str(sample_ledger_file), cwd=tmp_path)
    assert result.returncode == 0, text(result.stderr)
    made = list((tmp_path / "样例台账-备份").iterdir())
    assert len(made) == 1 and parse_name(made[0].name)[2] == BackupReason.MANUAL
    assert str(made[0]) in text(result.stdout)
    assert dump(made[0]) == dump(sample_ledger_file)


def test_backup_to_a_folder_or_a_file(sample_ledger_file, tmp_path):
    folder = tmp_path / "U盘"
    folder.mkdir()
    assert run("backup", "--db", str(sample_ledger_file), "--out", str(folder), cwd=tmp_path).returncode == 0
    assert [parse_name(p.name)[0] for p in folder.iterdir()] == ["样例台账"]
    exact = folder / "给县里的副本.db"
    assert run("backup", "--db", str(sample_ledger_file), "--out", str(exact), cwd=tmp_path).returncode == 0
    assert dump(exact) == dump(sample_ledger_file)


def test_backup_while_the_window_has_the_ledger_open(sample_ledger_file, tmp_path):
    window = Ledger.open(sample_ledger_file)
    try:
        window.set_title("窗口里刚改的")
        result = run("backup", "--db", str(sample_ledger_file), "--out", str(tmp_path / "副本.db"),
                     cwd=tmp_path)
    finally:
        window.close()
    assert result.returncode == 0, text(result.stderr)
    assert dump(tmp_path / "副本.db")["meta"] == dump(sample_ledger_file)["meta"]


def test_backup_to_a_pulled_stick(sample_ledger_file, tmp_path):
    result = run("backup", "--db", str(sample_ledger_file), "--out", str(tmp_path / "E盘" / "备份"),
                 cwd=tmp_path)
    assert result.returncode == 2 and "U盘拔出了吗" in text(result.stderr)


# -- restore ------------------------------------------------------------------------------------

def test_restore_round_trip(sample_ledger_file, tmp_path):
    backup = tmp_path / "备份.db"
    assert run("backup", "--db", str(sample_ledger_file), "--out", str(backup), cwd=tmp_path).returncode == 0
    set_title(sample_ledger_file, "备份之后改的")
    result = run("restore", "--db", str(sample_ledger_file), "--from", str(backup), cwd=tmp_path)
    assert result.returncode == 0, text(result.stderr)
    assert "恢复前" in text(result.stdout)
    restored = dump(sample_ledger_file)
    expected = dump(backup)
    assert restored["audit_log"][:-1] == expected["audit_log"]
    assert {k: v for k, v in restored.items() if k != "audit_log"} == \
        {k: v for k, v in expected.items() if k != "audit_log"}
    saved = [p for p in (tmp_path / "样例台账-备份").iterdir() if "恢复前" in p.name]
    assert len(saved) == 1
    assert ("title", "备份之后改的") in dump(saved[0])["meta"]
    assert run("check", "--db", str(sample_ledger_file), cwd=tmp_path).returncode == 0


def test_restore_is_refused_while_the_ledger_is_open_elsewhere(sample_ledger_file, tmp_path):
    backup = tmp_path / "备份.db"
    run("backup", "--db", str(sample_ledger_file), "--out", str(backup), cwd=tmp_path)
    window = Ledger.open(sample_ledger_file)
    try:
        window.set_title("窗口里正在改")
        result = run("restore", "--db", str(sample_ledger_file), "--from", str(backup), cwd=tmp_path)
        assert result.returncode == 2
        assert "打开着" in text(result.stderr) and "同时只能在一处修改" in text(result.stderr)
        assert window.title == "窗口里正在改"
    finally:
        window.close()


def test_restore_over_a_damaged_ledger(sample_ledger_file, tmp_path):
    backup = tmp_path / "备份.db"
    run("backup", "--db", str(sample_ledger_file), "--out", str(backup), cwd=tmp_path)
    scramble_page(sample_ledger_file, "problems")
    result = run("restore", "--db", str(sample_ledger_file), "--from", str(backup), cwd=tmp_path)
    assert result.returncode == 0, text(result.stderr)
    assert "已损坏" in text(result.stdout)
    assert [parse_name(p.name)[2] for p in (tmp_path / "样例台账-备份").glob("*.db")] == [BackupReason.DAMAGED]
    assert run("check", "--db", str(sample_ledger_file), cwd=tmp_path).returncode == 0


def test_restore_from_a_damaged_backup_is_refused(sample_ledger_file, tmp_path):
    backup = tmp_path / "备份.db"
    run("backup", "--db", str(sample_ledger_file), "--out", str(backup), cwd=tmp_path)
    scramble_page(backup, "problems_category")
    before = dump(sample_ledger_file)
    result = run("restore", "--db", str(sample_ledger_file), "--from", str(backup), cwd=tmp_path)
    assert result.returncode == 2 and "不能用" in text(result.stderr)
    assert dump(sample_ledger_file) == before
