"""The checks after opening wait for a pause in the clerk's typing, and still run and report."""

import threading
import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from desktop_app.store.backups import BackupPolicy, list_backups
from desktop_app.store.check_apart import CheckStopped, check_file_apart
from desktop_app.ui import after_idle
from desktop_app.ui.safety import actions as safety


def type_for(qtbot, widget, keys: int) -> float:
    """A key every 100 ms; returns when the last one was pressed."""
    for _ in range(keys):
        qtbot.keyClick(widget, Qt.Key_A)
        pressed = time.monotonic()
        qtbot.wait(100)
    return pressed


def test_the_full_check_waits_while_the_clerk_types_then_runs_and_backs_up(
        qtbot, open_window, sample_ledger_file, monkeypatch):
    monkeypatch.setattr(after_idle, "IDLE_MS", 300)
    started = []
    monkeypatch.setattr(safety, "check_file_apart", lambda path, stop: (
        started.append(time.monotonic()), check_file_apart(path, stop=stop))[1])
    window = open_window(sample_ledger_file)
    last_key = type_for(qtbot, window.ledger_view.search, 12)  # four pauses' worth, none long enough
    assert started == [] and list_backups(BackupPolicy(), sample_ledger_file) == []
    qtbot.waitUntil(lambda: [str(b.reason) for b in list_backups(BackupPolicy(), sample_ledger_file)]
                    == ["每日"], timeout=20000)
    assert len(started) == 1 and started[0] > last_key
    assert window.safety.notices.buttons == []  # a sound ledger: nothing to report


def test_a_clerk_who_never_pauses_still_gets_the_work_done(qtbot, monkeypatch):
    monkeypatch.setattr(after_idle, "IDLE_MS", 300)
    monkeypatch.setattr(after_idle, "LONGEST_WAIT_MS", 600)
    box = QLineEdit()
    qtbot.addWidget(box)
    box.show()
    ran = []
    after_idle.after_idle(box, lambda: ran.append(box.text()))
    type_for(qtbot, box, 12)
    assert len(ran) == 1 and 0 < len(ran[0]) < 12  # during the typing, once
    qtbot.wait(500)
    assert len(ran) == 1  # and never again


def test_closing_the_ledger_stops_its_check_instead_of_waiting_for_it(
        qtbot, open_window, sample_ledger_file, monkeypatch):
    monkeypatch.setattr(after_idle, "IDLE_MS", 100)
    running, stopped = threading.Event(), []

    def a_long_check(path, stop):
        running.set()
        stop.wait()  # as a county ledger's check would run on for seconds; without stop, forever
        stopped.append(path)
        raise CheckStopped()
    monkeypatch.setattr(safety, "check_file_apart", a_long_check)
    window = open_window(sample_ledger_file)
    qtbot.waitUntil(running.is_set, timeout=10000)
    window.close_ledger()  # drains the background work: returns only because the check stopped
    assert stopped == [sample_ledger_file]
    assert list_backups(BackupPolicy(), sample_ledger_file) == []  # nor any work after it
