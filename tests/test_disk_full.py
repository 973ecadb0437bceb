"""A full disk (or a stick pulled mid-write) during backup, copy, export and restore: a clear
message, nothing half-written, the previous file untouched.

The errors are injected where the operating system or SQLite would raise them: SQLITE_FULL from
the copy's own connection (max_page_count), OSError(ENOSPC) from the final rename or the save.
"""

import contextlib
import errno
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from desktop_app.formats.exporting.ledger_xlsx import export_ledger_file
from desktop_app.store import audit_export, connection
from desktop_app.store.audit_export import export_audit_log
from desktop_app.store.backups import BackupPolicy, make_backup, restore
from desktop_app.store.errors import BackupFailedError, ExportFailedError, WriteFailedError
from desktop_app.store.evidence_check import check_ledger
from desktop_app.store.ledger import Ledger
from file_damage import dump


class _SqliteOnAFullDisk:
    """The sqlite3 module, except that new files cannot grow past two pages."""

    def __getattr__(self, name):
        return getattr(sqlite3, name)

    @staticmethod
    def connect(*args, **kwargs):
        conn = sqlite3.connect(*args, **kwargs)
        conn.execute("PRAGMA max_page_count = 2")
        return conn


def _no_space(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture
def policy(tmp_path):
    return BackupPolicy(folder=tmp_path / "备份")


@pytest.fixture(params=["sqlite_full", "enospc_on_rename"])
def full_disk(request, monkeypatch):
    """Arm the failure for the next copy_database."""
    def arm():
        if request.param == "sqlite_full":
            monkeypatch.setattr(connection, "sqlite3", _SqliteOnAFullDisk())
        else:
            monkeypatch.setattr(connection.os, "replace", _no_space)
    return arm


def test_backup_on_a_full_disk(sample_ledger, policy, full_disk):
    previous = make_backup(sample_ledger, "每日", policy)
    previous_bytes = previous.read_bytes()
    sample_ledger.set_title("备份之后改的")
    ledger_before = dump(sample_ledger.path)

    full_disk()
    with pytest.raises(BackupFailedError) as error:
        make_backup(sample_ledger, "导入前", policy)

    assert "磁盘空间不足" in str(error.value) and "台账本身没有改动" in str(error.value)
    assert sorted(p.name for p in policy.folder.iterdir()) == [previous.name]  # no .part
    assert previous.read_bytes() == previous_bytes
    assert dump(sample_ledger.path) == ledger_before
    sample_ledger.set_title("之后照常修改")
    assert check_ledger(sample_ledger) == []


def test_save_copy_over_an_older_copy_on_a_full_disk(sample_ledger, tmp_path, full_disk):
    target = tmp_path / "U盘" / "台账副本.db"
    target.parent.mkdir()
    sample_ledger.save_copy(target)
    old_copy = target.read_bytes()
    sample_ledger.set_title("第二次另存")
    full_disk()
    with pytest.raises((sqlite3.Error, OSError)):
        sample_ledger.save_copy(target)
    assert target.read_bytes() == old_copy
    assert sorted(p.name for p in target.parent.iterdir()) == ["台账副本.db"]


def test_audit_export_on_a_full_disk(sample_ledger, tmp_path, monkeypatch):
    target = tmp_path / "修改记录.xlsx"
    export_audit_log(sample_ledger, target)
    old_export = target.read_bytes()
    sample_ledger.set_title("导出之后改的")

    def save_half_then_fail(workbook, filename):
        with open(filename, "wb") as f:
            f.write(b"PK\x03\x04 half a workbook")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(audit_export, "save_workbook", save_half_then_fail)
    with pytest.raises(ExportFailedError) as error:
        export_audit_log(sample_ledger, target)
    assert "磁盘空间不足" in str(error.value)
    assert target.read_bytes() == old_export
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("修改记录")) == ["修改记录.xlsx"]
    monkeypatch.undo()
    assert openpyxl.load_workbook(target).active.max_row > 1


def test_cancelled_audit_export_leaves_nothing(sample_ledger, tmp_path, monkeypatch):
    monkeypatch.setattr(audit_export, "PROGRESS_EVERY", 2)
    target = tmp_path / "修改记录.xlsx"
    steps = audit_export.export_audit_log_steps(sample_ledger, target)
    next(steps)
    steps.close()  # the clerk pressed 取消
    assert list(tmp_path.glob("修改记录*")) == []


def test_restore_onto_a_full_disk_leaves_the_ledger_as_it_was(sample_ledger, tmp_path, policy):
    # A backup larger than the room left for the ledger.
    bigger_path = tmp_path / "大台账.db"
    bigger = Ledger.create(bigger_path)
    try:
        inspection = bigger.add_inspection("第二轮中央生态环境保护督察")
        category = bigger.add_category(inspection, "突出生态环境问题整改不力")
        with bigger.writing():
            for i in range(300):
                bigger.add_problem(category, description=f"问题{i}：" + "污水直排" * 40)
        backup = make_backup(bigger, "手动", policy)
    finally:
        bigger.close()
    sample_ledger.set_title("不能丢的修改")
    before = dump(sample_ledger.path)
    pages = sample_ledger.db.conn.execute("PRAGMA page_count").fetchone()[0]
    sample_ledger.db.conn.execute(f"PRAGMA max_page_count = {pages}")

    with pytest.raises(WriteFailedError) as error:
        restore(sample_ledger, backup, policy)

    assert "磁盘空间不足" in str(error.value)
    assert dump(sample_ledger.path) == before
    assert check_ledger(sample_ledger) == []
    # The state before the attempt was saved too, as for any restore.
    assert any("恢复前" in name for name in os.listdir(policy.folder))


# -- every command on a really full disk ---------------------------------------------------------
# A small tmpfs, filled up to the last few KB: SQLite, openpyxl and our own writes all meet the
# real ENOSPC (and SQLite its "disk I/O error" when a -shm cannot grow), as on a clerk's PC.

MOUNT_SIZE = "4m"


@pytest.fixture
def small_disk(tmp_path):
    folder = tmp_path / "小磁盘"
    folder.mkdir()
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (CI runs as root)")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={MOUNT_SIZE}", "tmpfs",
                              str(folder)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=True)


def _fill(folder: Path, free_kib: int) -> None:
    """Fill the disk, then give back free_kib: tmpfs frees the pages of a truncated file."""
    filler = folder / "占满磁盘.bin"
    with contextlib.suppress(OSError), open(filler, "wb", buffering=0) as f:
        while True:
            f.write(b"\0" * 4096)
    with contextlib.suppress(OSError):
        os.truncate(filler, max(0, filler.stat().st_size - free_kib * 1024))
    assert shutil.disk_usage(folder).free <= (free_kib + 4) * 1024


def _listing(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else b"/")
            for p in sorted(folder.rglob("*")) if p.name != "占满磁盘.bin"}


COMMANDS = {
    "attach": ["attach", "--db", "{db}", "--problem", "1", "{evidence}"],
    "import": ["import", "--db", "{db}", "{plan}"],
    "restore": ["restore", "--db", "{db}", "--from", "{backup}"],
    "summary": ["summary", "--db", "{db}"],
    "backup": ["backup", "--db", "{db}"],
    "check": ["check", "--db", "{db}"],
    "export": ["export", "--db", "{db}", "--out", "{out}"],
}
# What each command can still do with no room: read. Everything else must say the disk is full.
READS = {"summary": "2大类5项", "check": "检查通过"}


@pytest.mark.parametrize("free_kib", [0, 12, 24])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_on_a_full_disk_names_it_and_leaves_nothing(small_disk, sample_ledger_file,
                                                                 tmp_path, command, free_kib):
    db = small_disk / "台账.db"
    shutil.copy(sample_ledger_file, db)  # closed: the WAL is folded back into the file
    backup = small_disk / "备份.db"
    shutil.copy(db, backup)
    evidence = small_disk / "现场照片说明.txt"
    evidence.write_text("整改后现场已清理。", encoding="utf-8")
    plan = small_disk / "整改方案.xlsx"
    reader = Ledger.open(db, read_only=True)
    try:
        export_ledger_file(reader, tmp_path / "方案.xlsx")
    finally:
        reader.close()
    shutil.copy(tmp_path / "方案.xlsx", plan)
    for companion in ("-wal", "-shm"):  # as a closed ledger is left when the reader ends too
        db.with_name(db.name + companion).unlink(missing_ok=True)
    out = small_disk / "导出.xlsx"
    _fill(small_disk, free_kib)
    before = _listing(small_disk)

    argv = [a.format(db=db, evidence=evidence, plan=plan, backup=backup, out=out)
            for a in COMMANDS[command]]
    result = subprocess.run([sys.executable, "-m", "desktop_app", *argv], capture_output=True,
                            text=True, encoding="utf-8", cwd=tmp_path,
                            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})

    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr, result.stderr
    assert "已损坏" not in result.stdout + result.stderr
    after = _listing(small_disk)
    if command == "export" and result.returncode == 0:  # a small workbook may still fit
        after.pop("导出.xlsx")
        assert openpyxl.load_workbook(out)["整改任务清单"].max_row > 5
    elif command in READS:
        assert result.returncode == 0, result.stderr
        assert READS[command] in result.stdout
    else:
        assert result.returncode == 2, (result.stdout, result.stderr)
        assert "磁盘空间不足" in result.stderr and "请清理磁盘" in result.stderr, result.stderr
    assert after == before  # nothing half-written, nothing left behind, the ledger as it was
