"""One writer per ledger: the lock file, who holds it, and locks left behind by a crash."""

import json
import os
import socket
import subprocess
import sys
import time

import pytest

from desktop_app.store import lock as lock_module
from desktop_app.store.errors import OpenForWritingError
from desktop_app.store.ledger import Ledger
from desktop_app.store.lock import LedgerHeldError, lock_path, read_holder


def test_second_writer_is_refused_with_the_holders_name(ledger_path):
    first = Ledger.open(ledger_path)
    try:
        holder = read_holder(ledger_path)
        assert holder.pid == os.getpid() and holder.host == socket.gethostname()
        # Another process on this PC (a second copy of the app) is refused.
        result = subprocess.run(
            [sys.executable, "-c", "import sys; from desktop_app.store.ledger import Ledger\n"
             "from desktop_app.store.lock import LedgerHeldError\n"
             f"try:\n    Ledger.open({str(ledger_path)!r})\nexcept LedgerHeldError as e:\n"
             "    print(e); sys.exit(3)"],
            capture_output=True, text=True, encoding="utf-8")
        assert result.returncode == 3, result.stderr
        assert holder.user in result.stdout and "打开着" in result.stdout and "只读" in result.stdout
        # Read-only opening is still possible.
        viewer = Ledger.open(ledger_path, read_only=True)
        assert viewer.read_only
        viewer.close()
    finally:
        first.close()
    assert not lock_path(ledger_path).exists()
    Ledger.open(ledger_path).close()  # free again


def test_stale_lock_of_a_dead_process_is_cleared(ledger_path):
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()  # a pid that surely no longer runs
    lock_path(ledger_path).write_text(json.dumps(
        {"user": "张三", "host": socket.gethostname(), "pid": child.pid, "since": "2026-11-20T09:00:00"},
        ensure_ascii=False), encoding="utf-8")
    ledger = Ledger.open(ledger_path)
    assert read_holder(ledger_path).pid == os.getpid()
    ledger.close()


def test_lock_from_another_pc_is_respected_until_its_heartbeat_stops(ledger_path, monkeypatch):
    lock_path(ledger_path).write_text(json.dumps(
        {"user": "李四", "host": "乡镇-PC-02", "pid": 4242, "since": "2026-11-23T08:30:00"},
        ensure_ascii=False), encoding="utf-8")
    with pytest.raises(LedgerHeldError) as refused:
        Ledger.open(ledger_path)
    assert "李四（电脑 乡镇-PC-02）从 2026年11月23日 08:30 起" in str(refused.value)
    old = time.time() - lock_module.STALE_AFTER_SECONDS - 5
    os.utime(lock_path(ledger_path), (old, old))
    ledger = Ledger.open(ledger_path)
    assert read_holder(ledger_path).host == socket.gethostname()
    ledger.close()


def test_heartbeat_keeps_the_lock_fresh(ledger_path):
    ledger = Ledger.open(ledger_path)
    old = time.time() - 3600
    os.utime(lock_path(ledger_path), (old, old))
    ledger.heartbeat()
    assert time.time() - lock_path(ledger_path).stat().st_mtime < 60
    ledger.close()


def test_unreadable_lock_left_half_written_is_cleared(ledger_path):
    lock_path(ledger_path).write_text("{", encoding="utf-8")
    ledger = Ledger.open(ledger_path)
    assert read_holder(ledger_path) is not None
    ledger.close()


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.mark.parametrize("stale_lock", [False, True], ids=["no_lock_file", "stale_lock_of_a_dead_pid"])
def test_many_simultaneous_openers_get_exactly_one_writer(ledger_path, stale_lock):
    from lock_openers import writers_per_trial
    dead = _dead_pid()

    def prepare(_trial):
        if stale_lock:
            lock_path(ledger_path).write_text(json.dumps(
                {"user": "张三", "host": socket.gethostname(), "pid": dead,
                 "since": "2026-11-20T09:00:00"}, ensure_ascii=False), encoding="utf-8")
        else:
            assert not lock_path(ledger_path).exists()  # the last writer removed it on close

    outcomes = writers_per_trial(ledger_path, openers=8, trials=25, prepare=prepare)
    for trial, found in enumerate(outcomes):
        assert sorted(found) == ["held"] * 7 + ["writer"], (trial, found)
    assert not lock_path(ledger_path).exists()


@pytest.mark.skipif(sys.platform == "win32", reason="holds the lock with fcntl.flock")
def test_an_empty_lock_file_held_by_a_live_opener_is_not_taken_over(ledger_path):
    # The moment between taking the lock and writing the name in it: the file is still empty.
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import fcntl, os, sys, time\n"
         f"fd = os.open({str(lock_path(ledger_path))!r}, os.O_RDWR | os.O_CREAT)\n"
         "fcntl.flock(fd, fcntl.LOCK_EX)\nprint('locked', flush=True)\ntime.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        assert lock_path(ledger_path).read_bytes() == b""
        with pytest.raises(LedgerHeldError) as refused:
            Ledger.open(ledger_path)
        assert "另一个程序" in str(refused.value)
    finally:
        holder.kill()
        holder.wait()
    Ledger.open(ledger_path).close()  # its death freed the lock


def test_lock_file_that_cannot_be_written_is_named_and_not_left_behind(ledger_path, monkeypatch):
    def no_space(*_args):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(lock_module.os, "write", no_space)
    with pytest.raises(OpenForWritingError) as refused:
        Ledger.open(ledger_path)
    assert "磁盘空间不足" in str(refused.value) and "没有任何改动" in str(refused.value)
    assert not lock_path(ledger_path).exists()
