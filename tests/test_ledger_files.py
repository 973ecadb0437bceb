"""Opening what a clerk might pick: foreign files, newer files, read-only and locked files, migrations."""

import os
import sqlite3
import zipfile

import openpyxl
import pytest

import desktop_app.store.backups as backups
import desktop_app.store.connection as connection
import desktop_app.store.evidence_check as evidence_check
import desktop_app.store.ledger as ledger_module
from desktop_app.store.backup_files import BackupReason, parse_name
from desktop_app.store.errors import (DamagedLedgerError, LedgerError, LedgerLockedError,
                                      NewerVersionError, NotALedgerError, ReadOnlyError)
from desktop_app.store.ledger import Ledger
from desktop_app.store.migrations import MIGRATIONS
from desktop_app.store.schema import APPLICATION_ID, SCHEMA_VERSION


def has_chinese(text):
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def rows(path, sql):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def problem_four(ledger):
    return ledger.db.conn.execute("SELECT id FROM problems WHERE code = '问题编号四'").fetchone()[0]


def content(ledger):
    return {t: ledger.db.conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall()
            for t in ("meta", "inspections", "categories", "problems", "measures", "audit_log")}


# -- what is not a ledger -----------------------------------------------------------------------

def test_text_file_is_not_a_ledger(tmp_path):
    path = tmp_path / "台账.db"
    path.write_text("一、思想认识还不到位\n1. 县委重视不够\n", encoding="utf-8")
    with pytest.raises(NotALedgerError) as error:
        Ledger.open(path)
    assert "不是督察整改台账文件" in str(error.value)


def test_empty_file_is_not_a_ledger(tmp_path):
    path = tmp_path / "空.db"
    path.write_bytes(b"")
    with pytest.raises(NotALedgerError):
        Ledger.open(path)
    assert path.read_bytes() == b""


def test_workbook_renamed_db_is_not_a_ledger(tmp_path):
    path = tmp_path / "整改台账.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["序号", "问题", "整改时限"])
    workbook.save(path)
    renamed = path.rename(tmp_path / "整改台账.db")
    assert zipfile.is_zipfile(renamed)
    with pytest.raises(NotALedgerError) as error:
        Ledger.open(renamed)
    assert "导入" in str(error.value)  # points the clerk to importing the workbook


@pytest.mark.parametrize("read_only", [False, True])
def test_sqlite_file_of_another_application_is_refused_untouched(tmp_path, read_only):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('别的软件的数据')")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NotALedgerError) as error:
        Ledger.open(path, read_only=read_only)
    assert has_chinese(str(error.value))
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]  # no -wal/-shm left behind


@pytest.mark.parametrize("read_only", [False, True])
def test_truncated_ledger_is_reported_damaged(sample_ledger_file, read_only):
    # What a copy cut short by a pulled USB stick looks like.
    data = sample_ledger_file.read_bytes()
    sample_ledger_file.write_bytes(data[:5000])
    with pytest.raises(DamagedLedgerError) as error:
        Ledger.open(sample_ledger_file, read_only=read_only)
    assert "已损坏" in str(error.value)


def test_missing_file_reports_in_chinese(tmp_path):
    with pytest.raises(LedgerError) as error:
        Ledger.open(tmp_path / "不存在.db")
    assert "找不到台账文件" in str(error.value)


# -- newer files --------------------------------------------------------------------------------

@pytest.mark.parametrize("read_only", [False, True])
def test_file_from_a_newer_version_is_refused(ledger_path, read_only):
    conn = sqlite3.connect(ledger_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(NewerVersionError) as error:
        Ledger.open(ledger_path, read_only=read_only)
    assert "更新版本" in str(error.value)
    assert rows(ledger_path, "PRAGMA user_version") == [(SCHEMA_VERSION + 1,)]


# -- read-only files ----------------------------------------------------------------------------

def _assert_refuses_writes(ledger, path):
    with pytest.raises(ReadOnlyError):
        with ledger.writing():
            pass
    with pytest.raises(ReadOnlyError):
        ledger.add_inspection("专项督察", "专项")
    with pytest.raises(ReadOnlyError):
        ledger.set_title("改不了")
    assert rows(path, "SELECT count(*) FROM inspections") == [(1,)]


def test_read_only_file_opens_read_only(sample_ledger_file):
    os.chmod(sample_ledger_file, 0o444)
    try:
        if os.access(sample_ledger_file, os.W_OK):
            pytest.skip("running as root: file modes do not stop writes "
                        "(see test_unwritable_file_opens_read_only_with_a_reason)")
        opened = Ledger.open(sample_ledger_file)
        try:
            assert opened.read_only
            assert "只读" in opened.read_only_reason
            assert opened.title == "测试台账"
            _assert_refuses_writes(opened, sample_ledger_file)
        finally:
            opened.close()
    finally:
        os.chmod(sample_ledger_file, 0o644)


def test_unwritable_file_opens_read_only_with_a_reason(sample_ledger_file, monkeypatch):
    # What a read-only attribute, a CD or a write-protected stick look like to the app.
    monkeypatch.setattr(ledger_module, "is_writable", lambda path: False)
    before = sample_ledger_file.read_bytes()
    opened = Ledger.open(sample_ledger_file)
    try:
        assert opened.read_only
        assert opened.read_only_reason and "只读" in opened.read_only_reason
        assert opened.tree(opened.inspections()[0]["id"]).summary == "2大类5项"
        _assert_refuses_writes(opened, sample_ledger_file)
    finally:
        opened.close()
    assert sample_ledger_file.read_bytes() == before


def test_open_read_only_on_request(sample_ledger_file):
    before = sample_ledger_file.read_bytes()
    opened = Ledger.open(sample_ledger_file, read_only=True)
    try:
        assert opened.read_only
        assert opened.title == "测试台账"
        assert opened.tree(opened.inspections()[0]["id"]).summary == "2大类5项"
        _assert_refuses_writes(opened, sample_ledger_file)
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            opened.db.conn.execute("DELETE FROM problems")  # even below the API
    finally:
        opened.close()
    assert sample_ledger_file.read_bytes() == before


# -- locked files -------------------------------------------------------------------------------

@pytest.fixture
def fast_busy_timeout(monkeypatch):
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 100)


def _hold_exclusive(path):
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    return holder


def test_file_locked_by_another_writer(sample_ledger_file, fast_busy_timeout):
    holder = _hold_exclusive(sample_ledger_file)
    try:
        with pytest.raises(LedgerLockedError) as error:
            Ledger.open(sample_ledger_file)
        assert "占用" in str(error.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    reopened = Ledger.open(sample_ledger_file)  # free again once the other side lets go
    try:
        assert not reopened.read_only
        reopened.set_title("解锁后可以修改")
    finally:
        reopened.close()


def test_rollback_journal_file_locked_by_another_writer(sample_ledger, tmp_path, fast_busy_timeout):
    # A copy (另存副本) is in rollback-journal mode, where an exclusive lock blocks even reading.
    copy = tmp_path / "副本.db"
    sample_ledger.save_copy(copy)
    holder = _hold_exclusive(copy)
    try:
        with pytest.raises(LedgerLockedError):
            Ledger.open(copy)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


# -- migrations ---------------------------------------------------------------------------------

def _add_priority_column(conn):
    conn.execute("ALTER TABLE problems ADD COLUMN priority TEXT NOT NULL DEFAULT '一般'")


def _columns(path, table):
    return [r[1] for r in rows(path, f"PRAGMA table_info({table})")]


@pytest.fixture
def next_version(monkeypatch):
    """Pretend the app is one schema version ahead of the files on disk."""
    for module in (connection, backups):
        monkeypatch.setattr(module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    return monkeypatch


def _upgrade_backups(ledger_path):
    """The 升级前 copies in the default backup folder beside the ledger."""
    folder = ledger_path.parent / f"{ledger_path.stem}-备份"
    return sorted(folder.glob(f"{ledger_path.stem}-*-升级前.db"))


def test_migration_upgrades_after_a_backup(sample_ledger_file, next_version):
    old_content = rows(sample_ledger_file, "SELECT id, code, description FROM problems ORDER BY id")
    next_version.setitem(MIGRATIONS, SCHEMA_VERSION, _add_priority_column)

    opened = Ledger.open(sample_ledger_file)
    try:
        assert not opened.read_only
        assert opened.tree(opened.inspections()[0]["id"]).summary == "2大类5项"
    finally:
        opened.close()
    assert "priority" in _columns(sample_ledger_file, "problems")
    assert rows(sample_ledger_file, "SELECT DISTINCT priority FROM problems") == [("一般",)]
    assert rows(sample_ledger_file, "PRAGMA user_version") == [(SCHEMA_VERSION + 1,)]

    upgrade_backups = _upgrade_backups(sample_ledger_file)
    assert len(upgrade_backups) == 1
    backup = upgrade_backups[0]
    assert parse_name(backup.name)[:1] == (sample_ledger_file.stem,)
    assert rows(backup, "PRAGMA application_id") == [(APPLICATION_ID,)]
    assert rows(backup, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert "priority" not in _columns(backup, "problems")
    assert rows(backup, "SELECT id, code, description FROM problems ORDER BY id") == old_content

    next_version.undo()  # back to today's version: the backup opens as the ledger it was
    restored = Ledger.open(backup, read_only=True)
    try:
        assert restored.title == "测试台账"
        assert restored.tree(restored.inspections()[0]["id"]).summary == "2大类5项"
    finally:
        restored.close()


def test_the_window_upgrades_an_old_ledger_off_the_ui_thread_before_it_opens(
        open_window, sample_ledger_file, next_version):
    import threading
    ran_on = []

    def step(conn):
        ran_on.append(threading.current_thread())
        _add_priority_column(conn)
    next_version.setitem(MIGRATIONS, SCHEMA_VERSION, step)
    assert connection.needs_upgrade(sample_ledger_file)

    window = open_window(sample_ledger_file)

    assert ran_on and threading.main_thread() not in ran_on
    assert not connection.needs_upgrade(sample_ledger_file)
    assert not window.document.read_only and window.inspections.model.rows
    assert "priority" in _columns(sample_ledger_file, "problems") and _upgrade_backups(sample_ledger_file)


def test_failed_migration_leaves_the_file_as_it_was(sample_ledger_file, next_version):
    def broken_step(conn):
        _add_priority_column(conn)
        raise sqlite3.OperationalError("step failed half-way")

    next_version.setitem(MIGRATIONS, SCHEMA_VERSION, broken_step)
    with pytest.raises(Exception):
        Ledger.open(sample_ledger_file)
    assert "priority" not in _columns(sample_ledger_file, "problems")
    assert rows(sample_ledger_file, "PRAGMA user_version") == [(SCHEMA_VERSION,)]


def test_old_file_on_read_only_media_is_not_migrated(sample_ledger_file, next_version):
    next_version.setitem(MIGRATIONS, SCHEMA_VERSION, _add_priority_column)
    with pytest.raises(LedgerError) as error:
        Ledger.open(sample_ledger_file, read_only=True)
    assert "升级" in str(error.value)
    assert "priority" not in _columns(sample_ledger_file, "problems")
    assert not list(sample_ledger_file.parent.rglob("*升级前*"))


def test_chain_of_migrations_runs_in_order_in_one_go(sample_ledger_file, monkeypatch):
    for module in (connection, backups):
        monkeypatch.setattr(module, "SCHEMA_VERSION", SCHEMA_VERSION + 2)
    steps = []

    def add_priority(conn):
        steps.append(SCHEMA_VERSION)
        _add_priority_column(conn)

    def fill_priority(conn):
        steps.append(SCHEMA_VERSION + 1)
        conn.execute("UPDATE problems SET priority = '重点' WHERE status = '未启动'")

    monkeypatch.setitem(MIGRATIONS, SCHEMA_VERSION, add_priority)
    monkeypatch.setitem(MIGRATIONS, SCHEMA_VERSION + 1, fill_priority)
    Ledger.open(sample_ledger_file).close()
    assert steps == [SCHEMA_VERSION, SCHEMA_VERSION + 1]
    assert rows(sample_ledger_file, "PRAGMA user_version") == [(SCHEMA_VERSION + 2,)]
    assert sorted(rows(sample_ledger_file, "SELECT DISTINCT priority FROM problems")) == [("一般",), ("重点",)]
    assert len(_upgrade_backups(sample_ledger_file)) == 1  # one copy before the whole upgrade


def test_migrated_ledger_passes_the_check_and_keeps_its_history(sample_ledger_file, next_version):
    old_audit = rows(sample_ledger_file, "SELECT * FROM audit_log ORDER BY id")
    next_version.setitem(MIGRATIONS, SCHEMA_VERSION, _add_priority_column)
    opened = Ledger.open(sample_ledger_file)
    try:
        assert evidence_check.check_ledger(opened) == []
        opened.set_title("升级后的第一次修改")  # the chain continues across the upgrade
        assert evidence_check.check_ledger(opened) == []
    finally:
        opened.close()
    assert rows(sample_ledger_file, "SELECT * FROM audit_log ORDER BY id")[:len(old_audit)] == old_audit


def test_upgrade_backup_is_listed_and_restores_into_the_upgraded_ledger(sample_ledger_file, next_version,
                                                                        tmp_path):
    next_version.setitem(MIGRATIONS, SCHEMA_VERSION, _add_priority_column)
    opened = Ledger.open(sample_ledger_file)
    try:
        opened.set_title("升级后改的标题")
        # Listed even when the clerk's backups go to a USB stick.
        stick = backups.BackupPolicy(folder=tmp_path / "U盘备份")
        listed = backups.list_backups(stick, sample_ledger_file)
        assert [(b.reason, b.problems, b.readable) for b in listed] == [
            (BackupReason.BEFORE_UPGRADE, 5, True)]
        # Restoring the old-format copy upgrades it again on the way in.
        backups.restore(opened, listed[0].path, stick)
        assert opened.title == "测试台账"
        assert "priority" in [r[1] for r in opened.db.conn.execute("PRAGMA table_info(problems)")]
        assert opened.db.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
        assert evidence_check.check_ledger(opened) == []
    finally:
        opened.close()


def test_restoring_an_old_backup_whose_upgrade_fails_changes_nothing(sample_ledger_file, next_version):
    next_version.setitem(MIGRATIONS, SCHEMA_VERSION, _add_priority_column)
    opened = Ledger.open(sample_ledger_file)
    try:
        opened.set_title("升级后改的标题")
        old_format = backups.list_backups(backups.BackupPolicy(), sample_ledger_file)[0].path

        def broken_step(conn):
            raise sqlite3.OperationalError("disk I/O error")

        next_version.setitem(MIGRATIONS, SCHEMA_VERSION, broken_step)
        before = content(opened)
        with pytest.raises(LedgerError, match="升级没有成功"):
            backups.restore(opened, old_format, backups.BackupPolicy())
        assert content(opened) == before
        assert opened.db.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
        assert evidence_check.check_ledger(opened) == []
    finally:
        opened.close()


# -- copies ---------------------------------------------------------------------------------------

def test_save_copy_writes_one_consistent_file(sample_ledger, tmp_path):
    # Changes still in the WAL of the open ledger must reach the copy.
    sample_ledger.update("problem", problem_four(sample_ledger), status="已完成",
                         completion="二期工程已通水运行。")
    target_dir = tmp_path / "U盘"
    target_dir.mkdir()
    target = target_dir / "台账副本.db"
    sample_ledger.save_copy(target)
    assert sorted(p.name for p in target_dir.iterdir()) == ["台账副本.db"]
    assert rows(target, "PRAGMA journal_mode") == [("delete",)]
    assert rows(target, "PRAGMA integrity_check") == [("ok",)]

    copy = Ledger.open(target)
    try:
        assert content(copy) == content(sample_ledger)
        assert copy.title == "测试台账"
        assert copy.row("problem", problem_four(copy))["completion"] == "二期工程已通水运行。"
    finally:
        copy.close()


def test_save_copy_replaces_an_older_copy(sample_ledger, tmp_path):
    target = tmp_path / "副本.db"
    sample_ledger.save_copy(target)
    sample_ledger.set_title("第二次另存")
    sample_ledger.save_copy(target)
    assert rows(target, "SELECT value FROM meta WHERE key = 'title'") == [("第二次另存",)]
    assert not list(tmp_path.glob("*.part"))
