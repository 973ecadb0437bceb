"""`check` finds what it claims to: every way of changing a ledger behind the app's back is
reported (exit 1, in Chinese, under the problem it touches), crash leftovers included, and a
ledger after many real edits checks clean.

Each tampering is made with plain sqlite3 or plain file operations on a ledger built through
the real API, then `python -m desktop_app check` runs on it as a clerk's IT person would.
"""

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.jobs import finish
from desktop_app.store import evidence_attach, holidays, seeds
from desktop_app.store.backups import BackupPolicy, make_backup, restore
from desktop_app.store.errors import FailsQuickCheckError
from desktop_app.store.evidence_files import object_path, store_folder, temp_folder
from desktop_app.store.evidence_check import verify_ledger_file
from desktop_app.store.ledger import Ledger


def problem_id(ledger, code):
    return ledger.db.execute("SELECT id FROM problems WHERE code = ?", [code]).fetchone()[0]


@pytest.fixture
def worked_file(tmp_path, sample_data):
    """A ledger after a month of real work: edits, deletes and undo, measures, evidence,
    holidays, a backup restored, a title changed; closed again."""
    path = tmp_path / "台账.db"
    ledger = Ledger.create(path)
    try:
        seeds.fill(ledger, sample_data)
        one, four = problem_id(ledger, "问题编号一"), problem_id(ledger, "问题编号四")
        photos = []
        for number in range(3):
            photo = tmp_path / f"现场照片{number}.jpg"
            photo.write_bytes(f"照片{number}".encode() * 50)
            photos.append(photo)
        finish(evidence_attach.attach_files(ledger, one, photos[:2], caption="整改前后"))
        finish(evidence_attach.attach_files(ledger, four, photos[2:], kind="现场照片"))
        ledger.update("problem", four, status="整改中", completion="二期工程已开工。")
        ledger.delete("problem", problem_id(ledger, "问题编号五"))
        ledger.revert(ledger.last_change)
        holidays.set_day(ledger, "2026-10-10", True, "调休上班")
        holidays.set_day(ledger, "2026-10-08", False, "国庆")
        holidays.remove(ledger, "2026-10-10")
        policy = BackupPolicy(folder=tmp_path / "备份")
        backup = make_backup(ledger, "手动", policy)
        ledger.set_title("恢复前改的标题")
        restore(ledger, backup, policy)
        ledger.set_title("青山县整改台账")
    finally:
        ledger.close()
    return path


def run_check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "desktop_app", "check", "--db", str(path)],
                          capture_output=True, text=True, encoding="utf-8",
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})


def sql(path: Path, statement: str, params=()):
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(statement, params).fetchall()
        conn.commit()
        return rows
    finally:
        conn.close()


def test_a_worked_ledger_checks_clean(worked_file):
    assert verify_ledger_file(worked_file) == []
    result = run_check(worked_file)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "检查通过" in result.stdout


# Each: what is done behind the app's back, and what `check` must then print (fragments).

def delete_evidence_row(path):
    evidence_id, problem = sql(path, "SELECT id, problem_id FROM evidence ORDER BY id")[0]
    sql(path, "DELETE FROM evidence WHERE id = ?", [evidence_id])
    return problem, [f"佐证材料第{evidence_id}条在本软件之外被删除了", "没有对应的佐证材料记录"]


def point_evidence_at_another_object(path):
    (first, problem, _sha), (_other, _p, other_sha) = sql(
        path, "SELECT id, problem_id, sha256 FROM evidence ORDER BY id")[:2]
    sql(path, "UPDATE evidence SET sha256 = ? WHERE id = ?", [other_sha, first])
    return problem, [f"佐证材料第{first}条在本软件之外被改动过", "没有对应的佐证材料记录"]


def edit_a_problem(path):
    problem = sql(path, "SELECT id FROM problems WHERE code = '问题编号二'")[0][0]
    sql(path, "UPDATE problems SET status = '已销号' WHERE id = ?", [problem])
    return problem, [f"反馈问题第{problem}条在本软件之外被改动过"]


def delete_measures(path):
    problem = sql(path, "SELECT id FROM problems WHERE code = '问题编号三'")[0][0]
    measures = [r[0] for r in sql(path, "SELECT id FROM measures WHERE problem_id = ?", [problem])]
    sql(path, "DELETE FROM measures WHERE problem_id = ?", [problem])
    return problem, [f"整改措施第{m}条在本软件之外被删除了" for m in measures]


def cut_the_audit_tail_and_move_the_head_back(path):
    rows = sql(path, "SELECT id, hash FROM audit_log ORDER BY id")
    kept = rows[:-3]
    sql(path, "DELETE FROM audit_log WHERE id > ?", [kept[-1][0]])
    sql(path, "UPDATE meta SET value = ? WHERE key = 'audit_head'",
        [json.dumps({"entries": len(kept), "hash": kept[-1][1]})])
    return None, [f"修改记录第{entry_id}条在本软件之外被删除了" for entry_id, _h in rows[-3:]]


def drop_a_stray_object(path):
    stray = object_path(store_folder(path), "ab" * 32)
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"not from the app")
    return None, ["没有对应的佐证材料记录", stray.name]


def leave_a_half_copy(path):
    temp = temp_folder(store_folder(path))
    temp.mkdir(parents=True, exist_ok=True)
    (temp / "3f9a.part").write_bytes(b"half a photo")
    return None, ["复制到一半的临时文件"]


def orphan_from_a_killed_attach(path):
    # What kill -9 between copying the file in and committing its row leaves.
    content = b"a scan copied in, its row never committed"
    orphan = object_path(store_folder(path), hashlib.sha256(content).hexdigest())
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(content)
    return None, ["没有对应的佐证材料记录", "添加时程序中断留下的"]


TAMPERINGS = [delete_evidence_row, point_evidence_at_another_object, edit_a_problem,
              delete_measures, cut_the_audit_tail_and_move_the_head_back, drop_a_stray_object,
              leave_a_half_copy, orphan_from_a_killed_attach]


@pytest.mark.parametrize("tampering", TAMPERINGS, ids=[t.__name__ for t in TAMPERINGS])
def test_check_reports_each_tampering_by_problem(worked_file, tampering):
    problem, expected = tampering(worked_file)
    result = run_check(worked_file)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    for fragment in expected:
        assert fragment in result.stdout, result.stdout
    if problem is not None:  # listed under the heading of the problem it touches
        conn = sqlite3.connect(worked_file)
        code = conn.execute("SELECT code FROM problems WHERE id = ?", [problem]).fetchone()[0]
        conn.close()
        heading = next(line for line in result.stdout.splitlines()
                       if line.startswith(f"问题“{code}”"))
        section = result.stdout.split(heading, 1)[1]
        assert expected[0] in section.split("\n问题“")[0]


def test_command_line_writers_tidy_half_copies_as_the_window_does(worked_file, tmp_path):
    leave_a_half_copy(worked_file)
    photo = tmp_path / "新照片.jpg"
    photo.write_bytes(b"new photo")
    result = subprocess.run(
        [sys.executable, "-m", "desktop_app", "attach", "--db", str(worked_file), "--problem", "1",
         str(photo)], capture_output=True, text=True, encoding="utf-8",
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert result.returncode == 0, result.stderr
    assert list(temp_folder(store_folder(worked_file)).iterdir()) == []
    assert run_check(worked_file).returncode == 0


# -- a damaged page: nothing more is written into the file or copied from it ---------------------

def overwrite_a_page(path: Path, table: str = "problems") -> None:
    """A page of table overwritten with 0xff, as a failing disk or a bad USB stick does."""
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    with open(path, "r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(b"\xff" * page_size)


def test_a_ledger_failing_quick_check_is_neither_written_nor_backed_up(worked_file, tmp_path):
    policy = BackupPolicy(folder=tmp_path / "每日备份")
    reader = Ledger.open(worked_file, read_only=True)
    good = make_backup(reader, "每日", policy)
    reader.close()
    overwrite_a_page(worked_file)
    damaged = worked_file.read_bytes()

    with pytest.raises(FailsQuickCheckError) as refused:
        Ledger.open(worked_file)
    assert "恢复" in str(refused.value) and "不再往里写入" in str(refused.value)
    reader = Ledger.open(worked_file, read_only=True)
    try:
        with pytest.raises(FailsQuickCheckError):
            make_backup(reader, "手动", policy)
    finally:
        reader.close()
    assert sorted(policy.folder.iterdir()) == [good]  # the good backup is still the only one

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    for argv in (["backup", "--db", str(worked_file), "--out", str(policy.folder)],
                 ["attach", "--db", str(worked_file), "--problem", "1", str(good)]):
        result = subprocess.run([sys.executable, "-m", "desktop_app", *argv],
                                capture_output=True, text=True, encoding="utf-8", env=env)
        assert result.returncode == 2, result.stdout + result.stderr
        assert "恢复" in result.stderr and "Traceback" not in result.stderr
    assert worked_file.read_bytes() == damaged
    assert sorted(policy.folder.iterdir()) == [good]


def test_a_writer_naming_its_rows_can_digest_them(worked_file):
    # For a writer that names the rows it wrote: seal_rows re-reads them, no triggers needed.
    from desktop_app.store import row_digests
    conn = sqlite3.connect(worked_file)
    problem = conn.execute("SELECT rowid, * FROM problems WHERE code = '问题编号二'").fetchone()
    conn.execute("UPDATE problems SET status = '已销号' WHERE id = ?", [problem[0]])
    row_digests.seal_rows(conn, [("problems", problem[0])])
    conn.commit()
    conn.close()
    assert verify_ledger_file(worked_file) == []


def test_a_float_the_change_set_holds_rounded_is_digested_as_stored(worked_file):
    # The change set's JSON rounds a REAL to 15 digits; its digest must be of the stored value.
    ledger = Ledger.open(worked_file)
    try:
        measure = ledger.db.execute("SELECT id FROM measures LIMIT 1").fetchone()[0]
        with ledger.writing() as conn:
            conn.execute("UPDATE measures SET position = ? WHERE id = ?", [0.1 + 0.2, measure])
    finally:
        ledger.close()
    assert verify_ledger_file(worked_file) == []


def test_rows_deleted_and_added_in_one_change_are_digested(worked_file):
    ledger = Ledger.open(worked_file)
    try:
        category = ledger.db.execute(  # one without evidence, whose files would stay behind
            "SELECT id FROM categories c WHERE NOT EXISTS (SELECT 1 FROM problems p JOIN evidence e"
            " ON e.problem_id = p.id WHERE p.category_id = c.id) LIMIT 1").fetchone()[0]
        with ledger.change("删改"):
            added = ledger.add_problem(category, description="新增的问题", measures=["措施一"])
            ledger.delete("problem", added)
            ledger.add_problem(category, description="又一个", measures=["措施二", "措施三"])
            ledger.delete("category", category)
    finally:
        ledger.close()
    assert verify_ledger_file(worked_file) == []
