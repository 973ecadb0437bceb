"""The window opens a ledger before SQLite's quick check is done: writes wait for its verdict,
a damaged file is never written, and the clerk is told and offered the newest good backup."""

import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop_app.store.backups import BackupPolicy, make_backup
from desktop_app.store.errors import FailsQuickCheckError
from desktop_app.store.ledger import Ledger
from file_damage import scramble_page
from window_helpers import answer_next_dialog, click_button


@pytest.fixture
def damaged_file(sample_ledger_file):
    """A ledger with a good backup, then a page of its audit log torn: the window's first page
    reads fine, and only the check of every page finds the damage."""
    ledger = Ledger.open(sample_ledger_file)
    make_backup(ledger, "每日", BackupPolicy())
    ledger.close()
    scramble_page(sample_ledger_file, "audit_log")
    return sample_ledger_file


def test_a_write_waits_for_the_check_and_a_damaged_file_is_not_written(damaged_file):
    before = damaged_file.read_bytes()
    ledger = Ledger.open(damaged_file, check_later=True)
    check = ledger.pending_check
    assert check is not None and not check.passed
    started = threading.Event()

    def run_later():
        started.wait()
        check.run(BackupPolicy())
    worker = threading.Thread(target=run_later)
    worker.start()
    started.set()
    try:
        with pytest.raises(FailsQuickCheckError) as refused:  # waits for the worker's verdict
            ledger.set_title("改过的标题")
        assert "不再往里写入" in str(refused.value) and "恢复" in str(refused.value)
        with pytest.raises(FailsQuickCheckError):  # and every later write too
            ledger.set_title("再改一次")
    finally:
        worker.join()
        ledger.close()
    assert damaged_file.read_bytes() == before


def test_a_check_that_could_not_run_leaves_the_first_write_to_check_the_file(damaged_file):
    ledger = Ledger.open(damaged_file, check_later=True)
    moved = damaged_file.with_name("挪走了.db")
    damaged_file.rename(moved)  # the background check finds no file; the writer still has it
    try:
        assert ledger.pending_check.run(BackupPolicy()) is None
        with pytest.raises(FailsQuickCheckError):  # the writer's own quick check refuses
            ledger.set_title("改过的标题")
    finally:
        ledger.close()


def test_a_sound_file_is_written_once_its_check_passes(sample_ledger_file):
    ledger = Ledger.open(sample_ledger_file, check_later=True)
    try:
        assert ledger.pending_check.run(BackupPolicy()) is not None
        assert ledger.pending_check.passed
        ledger.set_title("新标题")
        assert ledger.pending_check is None and ledger.title == "新标题"
    finally:
        ledger.close()


def test_a_file_that_needs_upgrading_is_checked_before_it_is_opened(damaged_file):
    import sqlite3

    from desktop_app.store.schema import SCHEMA_VERSION
    conn = sqlite3.connect(damaged_file)  # as an older version left it (before its upgrade)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    conn.commit()
    conn.close()
    before = damaged_file.read_bytes()
    with pytest.raises(FailsQuickCheckError):  # an upgrade writes: the check cannot wait
        Ledger.open(damaged_file, check_later=True)
    assert damaged_file.read_bytes() == before


@pytest.fixture
def answer_every_dialog():
    """answer(seen, button): note each box that opens, press button where it has one, else the
    first; until the test ends."""
    running = [True]

    def answer(seen: list, button: str) -> None:
        def poll():
            if running[0]:
                answer_one(seen, button)
                QTimer.singleShot(10, poll)
        QTimer.singleShot(0, poll)
    yield answer
    running[0] = False


def answer_one(seen: list, button: str) -> None:
    box = QApplication.activeModalWidget()
    if box is not None and box.isVisible() and box not in [b for b, _ in seen]:
        seen.append((box, box.text()))
        labels = [b.text() for b in box.buttons()]
        click_button(button if button in labels else labels[0])(box)


def test_the_window_refuses_edits_and_offers_the_backup_when_the_check_fails(
        qtbot, open_window, damaged_file, answer_every_dialog):
    seen = []
    answer_every_dialog(seen, "用这份备份恢复")
    window = open_window(damaged_file)
    assert window.document is not None and not window.document.read_only  # shown at once
    first = window.document
    failures = []
    first.failed.connect(failures.append)
    assert window.document.run_change("改标题", lambda: window.document.ledger.set_title("改过")) is None
    assert failures and "不再往里写入" in failures[0]  # said in Chinese, nothing written
    qtbot.waitUntil(lambda: any("最近一份完好的备份" in text for _, text in seen), timeout=10000)
    # restored from the backup (SQLite's check passed on it) and reopened
    qtbot.waitUntil(lambda: window.document not in (None, first), timeout=10000)
    window.document.run_change("改标题", lambda: window.document.ledger.set_title("恢复后"))
    assert window.document.ledger.title == "恢复后" and not window.document.read_only


def test_the_window_opens_read_only_when_the_clerk_chooses_so(qtbot, open_window, damaged_file):
    answer_next_dialog(click_button("以只读方式打开"))
    window = open_window(damaged_file)
    qtbot.waitUntil(lambda: window.document is not None and window.document.read_only, timeout=10000)
    assert window.banner.isVisibleTo(window)
