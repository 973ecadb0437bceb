"""The start-up and `check` verification: SQLite's checks and the audit chain, tampering found."""

import json
import sqlite3
import threading

import pytest

from desktop_app.store.errors import LedgerError, NewerVersionError, NotALedgerError
from desktop_app.store.evidence_check import check_ledger
from desktop_app.store.integrity import QUICK, verify_file
from desktop_app.store.ledger import Ledger
from desktop_app.store.schema import SCHEMA_VERSION
from file_damage import scramble_page, truncate


def has_chinese(text):
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def problem_id(ledger, code):
    return ledger.db.conn.execute("SELECT id FROM problems WHERE code = ?", [code]).fetchone()[0]


@pytest.fixture
def edited_file(sample_ledger_file):
    """The sample file after a few more everyday changes, closed again."""
    ledger = Ledger.open(sample_ledger_file)
    try:
        four = problem_id(ledger, "问题编号四")
        ledger.update("problem", four, status="整改中", completion="二期工程已开工。")
        ledger.delete("problem", problem_id(ledger, "问题编号五"))
        ledger.revert(ledger.last_change)
        ledger.set_title("青山县整改台账")
    finally:
        ledger.close()
    return sample_ledger_file


def tamper(path, *statements):
    """What a clerk 'fixing' history with a database browser does (it bypasses the app)."""
    conn = sqlite3.connect(path)
    try:
        for sql, *params in statements:
            conn.execute(sql, *params)
        conn.commit()
    finally:
        conn.close()


def audit_ids(path):
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT id FROM audit_log ORDER BY id")]
    finally:
        conn.close()


def kinds(findings):
    return [f.kind for f in findings]


# -- sound files --------------------------------------------------------------------------------

def test_a_sound_ledger_passes(edited_file):
    assert verify_file(edited_file) == []
    ledger = Ledger.open(edited_file)
    try:
        assert check_ledger(ledger) == []
    finally:
        ledger.close()


def test_an_empty_new_ledger_passes(ledger):
    assert check_ledger(ledger) == []


def test_verify_file_writes_nothing(edited_file):
    before = edited_file.read_bytes()
    verify_file(edited_file)
    assert edited_file.read_bytes() == before


def test_audit_head_counts_every_entry_in_the_same_transaction(sample_ledger):
    conn = sample_ledger.db.conn
    head = json.loads(conn.execute("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()[0])
    count, last = conn.execute("SELECT count(*), (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1)"
                               " FROM audit_log").fetchone()
    assert head == {"entries": count, "hash": last}
    with pytest.raises(RuntimeError):
        with sample_ledger.writing():
            sample_ledger.set_title("不会保存")
            raise RuntimeError("cancel")
    assert json.loads(conn.execute("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()[0]) == head


# -- tampered history ---------------------------------------------------------------------------

def test_an_edited_entry_is_found(edited_file):
    target = audit_ids(edited_file)[5]
    tamper(edited_file, ("UPDATE audit_log SET new_value = '\"已完成\"' WHERE id = ?", [target]))
    findings = verify_file(edited_file)
    assert kinds(findings) == ["audit_edited"]
    assert f"第{target}条" in findings[0].message and "改动" in findings[0].message
    assert not findings[0].is_damage


def test_an_edited_entry_with_its_hash_recomputed_is_found_by_the_next_link(edited_file):
    target = audit_ids(edited_file)[5]
    conn = sqlite3.connect(edited_file)
    row = conn.execute("SELECT prev_hash, at, os_user, app_user, action, entity, entity_id, field,"
                       " old_value FROM audit_log WHERE id = ?", [target]).fetchone()
    conn.close()
    from desktop_app.store.audit import entry_hash
    forged = entry_hash(*row, '"伪造"')
    tamper(edited_file, ("UPDATE audit_log SET new_value = '\"伪造\"', hash = ? WHERE id = ?",
                         [forged, target]))
    findings = verify_file(edited_file)
    assert kinds(findings) == ["audit_missing"]
    assert f"第{target}条" in findings[0].message


def test_a_deleted_entry_in_the_middle_is_found(edited_file):
    ids = audit_ids(edited_file)
    tamper(edited_file, ("DELETE FROM audit_log WHERE id = ?", [ids[10]]))
    findings = verify_file(edited_file)
    assert "audit_missing" in kinds(findings)
    assert any(f"第{ids[9]}条和第{ids[11]}条之间" in f.message for f in findings)
    assert any(f.kind == "audit_count" and "有记录被删除" in f.message for f in findings)


def test_the_first_entry_deleted_is_found(edited_file):
    ids = audit_ids(edited_file)
    tamper(edited_file, ("DELETE FROM audit_log WHERE id = ?", [ids[0]]))
    assert "audit_missing" in kinds(verify_file(edited_file))


def test_deleted_last_entries_are_found_by_the_head(edited_file):
    # A chain alone cannot show this: what is left still links up perfectly.
    ids = audit_ids(edited_file)
    tamper(edited_file, ("DELETE FROM audit_log WHERE id >= ?", [ids[-3]]))
    findings = verify_file(edited_file)
    assert kinds(findings) == ["audit_count"]
    assert f"应有{len(ids)}条，现在只有{len(ids) - 3}条" in findings[0].message


def test_deleted_last_entries_stay_found_after_further_changes(edited_file):
    ids = audit_ids(edited_file)
    tamper(edited_file, ("DELETE FROM audit_log WHERE id >= ?", [ids[-3]]))
    ledger = Ledger.open(edited_file)
    try:
        ledger.set_title("之后又改了一次")  # links onto the shortened chain
        assert kinds(check_ledger(ledger)) == ["audit_count"]
    finally:
        ledger.close()


def test_the_last_entry_replaced_is_found(edited_file):
    last = audit_ids(edited_file)[-1]
    tamper(edited_file, ("UPDATE audit_log SET hash = ? WHERE id = ?", ["f" * 64, last]))
    assert set(kinds(verify_file(edited_file))) == {"audit_edited", "audit_count"}


def test_an_entry_added_outside_the_app_is_found(edited_file):
    conn = sqlite3.connect(edited_file)
    last_hash = conn.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()[0]
    conn.close()
    from desktop_app.store.audit import entry_hash
    values = ["2026-01-01T00:00:00", "某人", "", "update", "problem", 1, "status", '"未启动"', '"已销号"']
    tamper(edited_file, ("INSERT INTO audit_log (at, os_user, app_user, action, entity, entity_id,"
                         " field, old_value, new_value, prev_hash, hash)"
                         " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                         [*values, last_hash, entry_hash(last_hash, *values)]))
    findings = verify_file(edited_file)
    assert kinds(findings) == ["audit_count"] and "不是由本软件写入" in findings[0].message


def test_a_removed_head_is_reported(edited_file):
    tamper(edited_file, ("DELETE FROM meta WHERE key = 'audit_head'",))
    findings = verify_file(edited_file)
    assert kinds(findings) == ["audit_head_missing", "row_deleted"]
    assert "台账信息第" in findings[1].message and "之外被删除" in findings[1].message


# -- damaged files ------------------------------------------------------------------------------

def test_a_broken_relation_is_found_with_its_problem(edited_file):
    conn = sqlite3.connect(edited_file)
    conn.execute("PRAGMA foreign_keys = OFF")
    measure, problem = conn.execute("SELECT id, problem_id FROM measures LIMIT 1").fetchone()
    conn.execute("DELETE FROM problems WHERE id = ?", [problem])
    conn.commit()
    conn.close()
    findings = [f for f in verify_file(edited_file) if f.kind == "foreign_key"]
    assert findings and all(f.is_damage for f in findings)
    assert any(f"整改措施第{measure}条所属的反馈问题已不存在" in f.message for f in findings)


def test_a_damaged_index_is_found(edited_file):
    scramble_page(edited_file, "problems_category")
    findings = verify_file(edited_file)
    assert kinds(findings) == ["integrity"]
    assert findings[0].is_damage and "已损坏" in findings[0].message


@pytest.mark.parametrize("table", ["problems", "audit_log"])
def test_an_unreadable_table_is_a_finding_not_a_crash(edited_file, table):
    scramble_page(edited_file, table)
    findings = verify_file(edited_file)
    assert kinds(findings) == ["unreadable"] and has_chinese(findings[0].message)


def test_a_truncated_file_is_a_finding(edited_file):
    truncate(edited_file)
    findings = verify_file(edited_file)
    assert [f.is_damage for f in findings] == [True]
    assert "已损坏" in findings[0].message


# -- files that cannot be checked at all ----------------------------------------------------------

def test_files_that_cannot_be_checked_raise(tmp_path, ledger_path):
    with pytest.raises(LedgerError, match="找不到"):
        verify_file(tmp_path / "没有.db")
    text = tmp_path / "台账.txt"
    text.write_text("一、思想认识还不到位", encoding="utf-8")
    with pytest.raises(NotALedgerError):
        verify_file(text)
    conn = sqlite3.connect(ledger_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(NewerVersionError):
        verify_file(ledger_path)


def test_chain_check_reads_one_snapshot_while_a_writer_commits(ledger_path, monkeypatch):
    """The window checks the chain in the background while the clerk keeps editing."""
    import sqlite3

    from desktop_app.store import audit, integrity
    from desktop_app.store.ledger import Ledger
    writer = Ledger.open(ledger_path)
    inspection = writer.add_inspection("省级督察")
    reader = sqlite3.connect(str(ledger_path))
    read_head = audit.read_head

    def head_read_after_a_commit(conn):
        if conn is reader:  # the writer commits between the reader's two reads
            writer.update("inspection", inspection, name="省级生态环境保护督察")
        return read_head(conn)
    monkeypatch.setattr(audit, "read_head", head_read_after_a_commit)
    try:
        assert integrity.check_audit_chain(reader) == []
    finally:
        reader.close()
        writer.close()


def test_an_index_out_of_step_passes_the_quick_check_and_is_found_after_opening(edited_file, tmp_path, qtbot):
    """Start-up opens after SQLite's quick check; the full check runs in the background job and
    a damaged file gets no daily backup (it could push the last good one out)."""
    from desktop_app.store.backups import BackupPolicy
    from desktop_app.ui.safety.actions import _after_open
    # The index's stored definition now names its columns the other way round: its entries no
    # longer match the table, which only the full integrity_check compares.
    conn = sqlite3.connect(edited_file)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = replace(sql, '(category_id, position)',"
                 " '(position, category_id)') WHERE name = 'problems_category'")
    conn.commit()
    conn.close()
    assert verify_file(edited_file, audit=False, depth=QUICK) == []
    assert kinds(verify_file(edited_file, audit=False)) == ["integrity"]
    backups = tmp_path / "backups"
    _unmatched, damage, _tampered, _backup_failed = _after_open(
        edited_file, BackupPolicy(backups), True, threading.Event())()
    assert "已损坏" in damage
    assert not backups.exists() or not any(backups.iterdir())
