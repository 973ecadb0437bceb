"""Backups: made consistently, named and kept by the policy, listed, restored (and undone)."""

import os
import shutil
import sqlite3
from datetime import datetime, timedelta

import pytest

from desktop_app.store import backups as backups_module
from desktop_app.store.backup_files import BackupReason, new_backup_path, parse_name
from desktop_app.store.backups import (BackupPolicy, daily_backup_if_due, list_backups,
                                       make_backup, newest_good_backup, prune, restore,
                                       restore_damaged, startup_check)
from desktop_app.store.errors import BackupFolderError, BadBackupError, ReadOnlyError
from desktop_app.store.history import audit_entries
from desktop_app.store.evidence_check import check_ledger
from desktop_app.store.integrity import verify_file
from desktop_app.store.ledger import Ledger
from desktop_app.store.lock import LedgerHeldError
from desktop_app.store.schema import SCHEMA_VERSION
from file_damage import dump, rows, scramble_page, truncate


def problem_id(ledger, code):
    return ledger.db.conn.execute("SELECT id FROM problems WHERE code = ?", [code]).fetchone()[0]


@pytest.fixture
def policy(tmp_path):
    return BackupPolicy(folder=tmp_path / "备份")


# -- making -------------------------------------------------------------------------------------

def test_default_folder_is_beside_the_ledger(sample_ledger):
    path = make_backup(sample_ledger, "手动")
    assert path.parent == sample_ledger.path.parent / "台账-备份"
    stem, taken, reason = parse_name(path.name)
    assert (stem, reason) == ("台账", BackupReason.MANUAL)
    assert abs(datetime.now() - taken) < timedelta(minutes=1)
    assert path.name == f"台账-{taken:%Y%m%d-%H%M%S}-手动.db"


def test_backup_is_one_consistent_file_with_uncommitted_wal_content(sample_ledger, policy):
    sample_ledger.update("problem", problem_id(sample_ledger, "问题编号四"), status="整改中")
    path = make_backup(sample_ledger, BackupReason.BEFORE_IMPORT, policy)
    assert sorted(p.name for p in policy.folder.iterdir()) == [path.name]  # no -wal, no .part
    assert rows(path, "PRAGMA journal_mode") == [("delete",)]
    assert dump(path) == dump(sample_ledger.path)
    assert verify_file(path) == []


def test_two_backups_in_one_second_both_kept(sample_ledger, policy):
    first = make_backup(sample_ledger, "手动", policy)
    second = make_backup(sample_ledger, "手动", policy)
    assert first != second and first.exists() and second.exists()


def test_refused_inside_a_transaction(sample_ledger, policy):
    with pytest.raises(RuntimeError):
        with sample_ledger.writing():
            sample_ledger.set_title("未提交")
            make_backup(sample_ledger, "导入前", policy)


def test_daily_backup_once_a_day(sample_ledger, policy):
    assert daily_backup_if_due(sample_ledger, policy) is not None
    assert daily_backup_if_due(sample_ledger, policy) is None
    tomorrow = datetime.now() + timedelta(days=1)
    assert daily_backup_if_due(sample_ledger, policy, now=tomorrow) is not None


def test_no_daily_backup_of_a_ledger_opened_read_only(sample_ledger_file, policy):
    viewer = Ledger.open(sample_ledger_file, read_only=True)
    try:
        assert daily_backup_if_due(viewer, policy) is None
    finally:
        viewer.close()
    assert not policy.folder.exists()


def test_any_backup_today_makes_the_daily_one_unnecessary(sample_ledger, policy):
    make_backup(sample_ledger, "导入前", policy)
    assert daily_backup_if_due(sample_ledger, policy) is None


def test_a_pulled_usb_stick_is_reported_and_nothing_is_created(sample_ledger, tmp_path):
    stick = tmp_path / "U盘"
    policy = BackupPolicy(folder=stick / "台账备份")
    before = dump(sample_ledger.path)
    for attempt in (lambda: make_backup(sample_ledger, "手动", policy),
                    lambda: daily_backup_if_due(sample_ledger, policy),
                    lambda: list_backups(policy, sample_ledger.path)):
        with pytest.raises(BackupFolderError) as error:
            attempt()
        assert "U盘拔出了吗" in str(error.value) and "台账本身没有改动" in str(error.value)
    assert not stick.exists()  # never a look-alike folder on the PC's own disk
    assert dump(sample_ledger.path) == before
    sample_ledger.set_title("之后照常修改")


def test_a_read_only_backup_folder_is_reported(sample_ledger, policy, monkeypatch):
    policy.folder.mkdir()
    real_access = os.access
    monkeypatch.setattr(backups_module.os, "access",
                        lambda path, mode: False if str(path) == str(policy.folder) else real_access(path, mode))
    with pytest.raises(BackupFolderError, match="只读"):
        make_backup(sample_ledger, "手动", policy)


# -- keeping ------------------------------------------------------------------------------------

def _fake_backups(folder, stem, stamps):
    folder.mkdir(exist_ok=True)
    made = []
    for when, reason in stamps:
        path = new_backup_path(folder, stem, reason, now=when)
        path.write_bytes(b"backup")
        made.append(path)
    return made


def test_prune_keeps_the_newest_of_each_of_the_last_days_and_months(tmp_path):
    folder = tmp_path / "备份"
    policy = BackupPolicy(folder=folder, keep_daily=14, keep_monthly=12)
    now = datetime(2026, 11, 23, 9, 0)
    day = datetime(2025, 1, 1, 8, 30)
    stamps = []
    while day <= now:
        stamps += [(day, "每日"), (day + timedelta(hours=2), "导入前")]
        day += timedelta(days=1)
    # At 05:00, never the newest of their day: only the protection can keep them.
    stamps += [(now - timedelta(days=10, hours=4), "恢复前"),  # younger than 30 days: kept
               (now - timedelta(days=40, hours=4), "升级前"),  # too old to be protected
               (now - timedelta(days=200, hours=4), "恢复前")]
    _fake_backups(folder, "台账", stamps)
    others = _fake_backups(folder, "另一个台账", [(datetime(2025, 1, 1, 9), "每日")])
    (folder / "说明.txt").write_text("县里的说明", encoding="utf-8")
    stale = folder / "台账-20250101-090000-每日.db.part"
    stale.write_bytes(b"half")
    old = now.timestamp() - 86400
    os.utime(stale, (old, old))

    prune(policy, tmp_path / "台账.db", now=now)

    kept = sorted(parse_name(p.name)[1:] for p in folder.iterdir() if parse_name(p.name)
                  and parse_name(p.name)[0] == "台账")
    days = {t.date() for t, _ in kept}
    last_14 = {(now - timedelta(days=i)).date() for i in range(14)}
    assert last_14 <= days
    # The newest of each day is the 导入前 one two hours after the daily one.
    assert all(r == BackupReason.BEFORE_IMPORT for t, r in kept if t.date() in last_14 and t.hour == 10)
    month_ends = {(t.year, t.month) for t, _ in kept if t.date() not in last_14}
    assert month_ends == {(2025, m) for m in range(12, 13)} | {(2026, m) for m in range(1, 11)}
    assert (now - timedelta(days=10, hours=4), BackupReason.BEFORE_RESTORE) in kept
    assert not any(r == BackupReason.BEFORE_UPGRADE for _, r in kept)
    assert len(kept) == 14 + 11 + 1
    assert all(p.exists() for p in others) and (folder / "说明.txt").exists()
    assert not stale.exists()


def test_prune_with_gaps_keeps_days_that_have_backups(tmp_path):
    # The PC was off for weeks: "the last 14 days" means the last 14 days with a backup.
    folder = tmp_path / "备份"
    stamps = [(datetime(2026, 1, d, 9), "每日") for d in range(1, 21)]
    _fake_backups(folder, "台账", stamps)
    prune(BackupPolicy(folder=folder, keep_daily=14, keep_monthly=0), tmp_path / "台账.db",
          now=datetime(2026, 3, 1))
    assert len(list(folder.iterdir())) == 14


def test_daily_backup_prunes(sample_ledger, tmp_path):
    policy = BackupPolicy(folder=tmp_path / "备份", keep_daily=2, keep_monthly=2)
    _fake_backups(policy.folder, "台账", [(datetime(2020, 1, d, 9), "每日") for d in range(1, 29)])
    today = daily_backup_if_due(sample_ledger, policy)
    assert sorted(p.name for p in policy.folder.iterdir()) == ["台账-20200128-090000-每日.db",
                                                                today.name]


# -- listing ------------------------------------------------------------------------------------

def test_list_shows_date_size_reason_and_contents(sample_ledger, policy):
    first = make_backup(sample_ledger, "每日", policy)
    sample_ledger.delete("problem", problem_id(sample_ledger, "问题编号五"))
    sample_ledger.add_inspection("省级督察", "省级")
    second = make_backup(sample_ledger, "导入前", policy)
    listed = list_backups(policy, sample_ledger.path)
    assert [b.path for b in listed] == [second, first]  # newest first
    assert [(b.reason, b.inspections, b.problems, b.readable, b.title) for b in listed] == [
        (BackupReason.BEFORE_IMPORT, 2, 4, True, "测试台账"),
        (BackupReason.DAILY, 1, 5, True, "测试台账")]
    assert listed[0].size == second.stat().st_size


def test_a_damaged_backup_is_listed_as_unreadable(sample_ledger, policy):
    good = make_backup(sample_ledger, "每日", policy)
    bad = make_backup(sample_ledger, "手动", policy)
    truncate(bad, 3000)
    listed = {b.path: b for b in list_backups(policy, sample_ledger.path)}
    assert listed[good].readable
    assert not listed[bad].readable and listed[bad].problems is None and "损坏" in listed[bad].detail
    assert newest_good_backup(policy, sample_ledger.path).path == good


def test_a_backup_damaged_inside_is_skipped_for_the_newest_good_one(sample_ledger, policy):
    good = make_backup(sample_ledger, "每日", policy)
    bad = make_backup(sample_ledger, "手动", policy)
    scramble_page(bad, "problems_category")  # still opens and counts, fails integrity_check
    assert {b.path for b in list_backups(policy, sample_ledger.path) if b.readable} == {good, bad}
    assert newest_good_backup(policy, sample_ledger.path).path == good


# -- restoring ----------------------------------------------------------------------------------

def test_restore_round_trip(sample_ledger, policy):
    backup = make_backup(sample_ledger, "手动", policy)
    backed_up = dump(backup)
    sample_ledger.update("problem", problem_id(sample_ledger, "问题编号一"), status="已完成")
    sample_ledger.delete("problem", problem_id(sample_ledger, "问题编号五"))
    sample_ledger.set_title("恢复前的标题")
    before_restore = dump(sample_ledger.path)

    saved = restore(sample_ledger, backup, policy)

    restored = dump(sample_ledger.path)
    audit_of_restore = restored.pop("audit_log")
    assert restored == {k: v for k, v in backed_up.items() if k != "audit_log"}
    assert audit_of_restore[:-1] == backed_up["audit_log"]  # the chain continues from the backup's
    last = list(audit_entries(sample_ledger.db.conn))[-1]
    assert (last["action_label"], last["new"]["backup"]) == ("从备份恢复", backup.name)
    assert last["new"]["saved_before_as"] == saved.name
    assert check_ledger(sample_ledger) == []
    assert sample_ledger.title == "测试台账"
    assert rows(sample_ledger.path, "PRAGMA journal_mode") == [("wal",)]

    assert parse_name(saved.name)[2] == BackupReason.BEFORE_RESTORE
    assert dump(saved) == before_restore  # so the restore can be undone
    restore(sample_ledger, saved, policy)
    assert sample_ledger.title == "恢复前的标题"
    assert check_ledger(sample_ledger) == []


def test_restored_ledger_reopens_equal(sample_ledger, policy):
    backup = make_backup(sample_ledger, "手动", policy)
    sample_ledger.set_title("改过")
    restore(sample_ledger, backup, policy)
    expected = dump(sample_ledger.path)
    path = sample_ledger.path
    sample_ledger.close()
    reopened = Ledger.open(path)
    try:
        assert dump(path) == expected
        assert reopened.tree(reopened.inspections()[0]["id"]).summary == "2大类5项"
        reopened.set_title("恢复后继续修改")
        assert check_ledger(reopened) == []
    finally:
        reopened.close()


def test_restore_refuses_a_damaged_backup_and_changes_nothing(sample_ledger, policy):
    backup = make_backup(sample_ledger, "手动", policy)
    scramble_page(backup, "problems_category")
    sample_ledger.set_title("现在的标题")
    before = dump(sample_ledger.path)
    with pytest.raises(BadBackupError, match="已损坏"):
        restore(sample_ledger, backup, policy)
    assert dump(sample_ledger.path) == before
    assert not [p for p in policy.folder.iterdir() if "恢复前" in p.name]


def test_restore_refuses_other_files(sample_ledger, policy, tmp_path):
    text = tmp_path / "别的.db"
    text.write_text("不是台账", encoding="utf-8")
    with pytest.raises(BadBackupError):
        restore(sample_ledger, text, policy)
    with pytest.raises(BadBackupError, match="台账文件本身"):
        restore(sample_ledger, sample_ledger.path, policy)
    newer = make_backup(sample_ledger, "手动", policy)
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(BadBackupError, match="更新版本"):
        restore(sample_ledger, newer, policy)


def test_restore_needs_a_writable_ledger(sample_ledger_file, policy):
    viewer = Ledger.open(sample_ledger_file, read_only=True)
    try:
        backup = make_backup(viewer, "手动", policy)  # backing up a read-only ledger is fine
        with pytest.raises(ReadOnlyError):
            restore(viewer, backup, policy)
    finally:
        viewer.close()


def test_restore_stops_if_the_current_state_cannot_be_saved_first(sample_ledger, tmp_path):
    good = BackupPolicy(folder=tmp_path / "备份")
    backup = make_backup(sample_ledger, "手动", good)
    sample_ledger.set_title("不能丢的修改")
    gone = BackupPolicy(folder=tmp_path / "拔出的U盘" / "备份")
    with pytest.raises(BackupFolderError):
        restore(sample_ledger, backup, gone)
    assert sample_ledger.title == "不能丢的修改"


# -- the start-up check and restoring a damaged ledger --------------------------------------------

@pytest.fixture
def backed_up_file(sample_ledger_file, policy):
    ledger = Ledger.open(sample_ledger_file)
    try:
        backup = make_backup(ledger, "每日", policy)
        ledger.set_title("备份之后的修改")
    finally:
        ledger.close()
    return sample_ledger_file, backup


def test_startup_check_of_a_sound_ledger(backed_up_file, policy):
    check = startup_check(backed_up_file[0], policy)
    assert check.ok and not check.damaged and check.newest_good is None


@pytest.mark.parametrize("damage", [lambda p: scramble_page(p, "problems"), truncate,
                                    lambda p: p.write_bytes(b"\0" * 8192)])
def test_damaged_ledger_restored_from_the_newest_good_backup(backed_up_file, policy, damage):
    path, backup = backed_up_file
    damage(path)
    damaged_bytes = path.read_bytes()

    check = startup_check(path, policy)
    assert check.damaged and check.newest_good.path == backup

    aside = restore_damaged(path, check.newest_good.path, policy, app_user="王五")
    assert aside.read_bytes() == damaged_bytes and parse_name(aside.name)[2] == BackupReason.DAMAGED
    assert all(b.reason != BackupReason.DAMAGED for b in list_backups(policy, path))
    assert verify_file(path) == []
    ledger = Ledger.open(path)
    try:
        assert ledger.title == "测试台账"
        last = list(audit_entries(ledger.db.conn))[-1]
        assert (last["action_label"], last["app_user"], last["new"]["backup"]) == (
            "从备份恢复", "王五", backup.name)
        ledger.set_title("恢复后继续")
        assert check_ledger(ledger) == []
    finally:
        ledger.close()
    prune(policy, path)
    assert aside.exists()  # a damaged ledger put aside is evidence: never pruned


def test_damaged_ledger_with_a_stale_wal_is_not_mixed_with_the_backup(backed_up_file, policy):
    path, backup = backed_up_file
    wal = path.with_name(path.name + "-wal")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE meta SET value = '只在WAL里' WHERE key = 'title'")
    shutil.copyfile(wal, wal.with_name("saved-wal"))
    writer.close()
    scramble_page(path, "problems_category")
    shutil.copyfile(wal.with_name("saved-wal"), wal)  # what a crash leaves beside the file
    aside = restore_damaged(path, backup, policy)
    assert aside.with_name(aside.name + "-wal").read_bytes() == wal.with_name("saved-wal").read_bytes()
    assert not wal.exists() or wal.stat().st_size == 0
    assert rows(path, "SELECT value FROM meta WHERE key = 'title'") == [("测试台账",)]


def test_restore_damaged_is_refused_while_the_ledger_is_open(backed_up_file, policy):
    path, backup = backed_up_file
    holder = Ledger.open(path)
    try:
        with pytest.raises(LedgerHeldError):
            restore_damaged(path, backup, policy)
    finally:
        holder.close()


def test_a_missing_ledger_can_be_restored(backed_up_file, policy):
    path, backup = backed_up_file
    path.unlink()
    assert restore_damaged(path, backup, policy) is None
    assert verify_file(path) == []


# -- evidence files: in 另存副本, and never emptied while a backup names them -------------------

def attach_new(ledger, tmp_path, name: str, size: int = 5000) -> int:
    from desktop_app.jobs import finish
    from desktop_app.store import evidence_attach
    source = tmp_path / "来源" / name
    source.parent.mkdir(exist_ok=True)
    source.write_bytes(os.urandom(size))
    (new_id,) = finish(evidence_attach.attach_files(ledger, problem_id(ledger, "问题编号一"), [source]))
    return new_id


def objects_in(store) -> list[str]:
    return sorted(p.name for p in (store / "objects").glob("*/*"))


def test_save_copy_takes_the_evidence_files_along(sample_ledger, tmp_path):
    from desktop_app.jobs import finish
    from desktop_app.store import evidence, evidence_check
    from desktop_app.store.evidence_files import store_folder
    kept, recycled = (attach_new(sample_ledger, tmp_path, n) for n in ("照片.jpg", "纪要.pdf"))
    evidence.remove(sample_ledger, [recycled])  # the 回收站 goes along: it can still be restored
    target = tmp_path / "U盘" / "台账副本.db"
    target.parent.mkdir()
    steps = []
    assert finish(sample_ledger.save_copy_steps(target), steps.append) == target
    assert steps and steps[-1].done == steps[-1].total
    assert [s.done for s in steps] == sorted(s.done for s in steps)
    copied = store_folder(target)
    assert copied == target.parent / "台账副本-佐证材料"
    assert objects_in(copied) == objects_in(evidence.evidence_store(sample_ledger))
    assert len(objects_in(copied)) == 2 and not list((copied / "tmp").iterdir())
    copy = Ledger.open(target)
    try:
        assert evidence_check.verify_evidence(copy) == [] and evidence_check.startup_cleanup(copy).clean
    finally:
        copy.close()
    worker = Ledger.open(sample_ledger.path, read_only=True)  # as the window's worker thread has
    try:
        second = finish(worker.save_copy_steps(tmp_path / "第二份.db"))
    finally:
        worker.close()
    assert objects_in(store_folder(second)) == objects_in(copied)
    steps.clear()
    sample_ledger.save_copy(target)  # again: nothing to copy, files already there
    attach_new(sample_ledger, tmp_path, "新的.jpg")
    finish(sample_ledger.save_copy_steps(target), steps.append)
    assert "（1/1）" in steps[0].message and len(objects_in(copied)) == 3


def test_save_copy_cancelled_or_failing_leaves_no_copy_without_its_files(sample_ledger, tmp_path,
                                                                        monkeypatch):
    from desktop_app.store import evidence_files
    from desktop_app.store.errors import ExportFailedError
    for n in range(3):
        attach_new(sample_ledger, tmp_path, f"照片{n}.jpg", 20_000)
    monkeypatch.setattr(evidence_files, "CHUNK_SIZE", 4096)
    target = tmp_path / "副本.db"
    steps = sample_ledger.save_copy_steps(target)
    for step in steps:
        if "（2/3）" in step.message:
            break
    steps.close()  # 取消
    copied = evidence_files.store_folder(target)
    assert not target.exists() and len(objects_in(copied)) == 1
    assert not list((copied / "tmp").iterdir())

    def full(fd):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(evidence_files.os, "fsync", full)
    with pytest.raises(ExportFailedError, match="磁盘空间不足"):
        sample_ledger.save_copy(target)
    assert not target.exists() and not list((copied / "tmp").iterdir())


def _age(ledger, hours: int) -> None:
    """Make every stored file as old as a real store's files are."""
    from desktop_app.store import evidence
    then = datetime.now().timestamp() - hours * 3600
    for path in (evidence.evidence_store(ledger) / "objects").glob("*/*"):
        os.utime(path, (then, then))


def test_emptying_the_recycle_bin_keeps_files_a_backup_names(sample_ledger, policy, tmp_path):
    from desktop_app.store import evidence, evidence_check
    photo = attach_new(sample_ledger, tmp_path, "整改前.jpg")
    stored = evidence.file_path(sample_ledger, photo)
    backup = make_backup(sample_ledger, "手动", policy)
    evidence.remove(sample_ledger, [photo])
    emptied = evidence.empty_recycle(sample_ledger, policy=policy)
    assert (emptied.rows, emptied.files, emptied.kept) == (1, 0, 1)
    assert stored.is_file()  # the backup still names it

    restore(sample_ledger, backup, policy)  # the attachment is back, and so is its file
    assert evidence_check.verify_evidence(sample_ledger) == []
    assert [r["id"] for r in evidence.evidence_for(sample_ledger, problem_id(sample_ledger, "问题编号一"))] == [photo]

    evidence.remove(sample_ledger, [photo])
    assert evidence.empty_recycle(sample_ledger, policy=policy).kept == 1
    _age(sample_ledger, hours=2)
    assert evidence.empty_recycle(sample_ledger, policy=policy).kept == 1  # still named
    for old in policy.folder.iterdir():  # the backups are pruned in time
        old.unlink()
    emptied = evidence.empty_recycle(sample_ledger, policy=policy)  # the next emptying lets it go
    assert (emptied.rows, emptied.files, emptied.bytes, emptied.kept) == (0, 1, 5000, 0)
    assert not stored.exists()


def test_a_backup_folder_out_of_reach_keeps_every_file(sample_ledger, tmp_path):
    from desktop_app.store import evidence, evidence_check
    stick = BackupPolicy(folder=tmp_path / "拔出的U盘" / "备份")
    photo = attach_new(sample_ledger, tmp_path, "整改后.jpg")
    stored = evidence.file_path(sample_ledger, photo)
    evidence.remove(sample_ledger, [photo])
    assert backups_module.evidence_named_by_backups(stick, sample_ledger.path) is None
    emptied = evidence.empty_recycle(sample_ledger, policy=stick)
    assert (emptied.rows, emptied.files, emptied.kept) == (1, 0, 1) and stored.is_file()
    orphans = evidence_check.startup_cleanup(sample_ledger).orphans
    assert orphans == [stored]
    assert evidence_check.discard_orphans(sample_ledger, orphans, stick) == 0 and stored.is_file()
    assert evidence_check.discard_orphans(sample_ledger, orphans) == 1  # default folder: no backups
    assert not stored.exists()


def test_discarding_orphans_spares_what_a_backup_names(sample_ledger, policy, tmp_path):
    from desktop_app.store import evidence, evidence_check
    photo = attach_new(sample_ledger, tmp_path, "现场.jpg")
    stored = evidence.file_path(sample_ledger, photo)
    make_backup(sample_ledger, "每日", policy)
    with sample_ledger.writing() as conn:  # as an older version's emptying left it
        conn.execute("DELETE FROM evidence WHERE id = ?", [photo])
    orphans = evidence_check.startup_cleanup(sample_ledger).orphans
    assert orphans == [stored]
    assert evidence_check.discard_orphans(sample_ledger, orphans, policy) == 0 and stored.is_file()
    assert backups_module.evidence_named_by_backups(policy, sample_ledger.path) == {stored.name}
