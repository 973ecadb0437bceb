"""One writer per ledger: a lock file beside it naming who holds it, since when, from which PC.

SQLite's own locks last one transaction; this one lasts while a window has the ledger open,
so a second copy of the app (or a second PC on a shared folder) is told who is editing.

Who holds it is decided by an operating-system lock on the lock file (flock, or msvcrt.locking
on Windows), taken without waiting and held for the session: two openers cannot both get it,
and it goes away by itself when the holder's process dies. The file's content only says who
holds it, for the message to the second opener, and its modification time is the heartbeat that
a PC on a network share whose file locks do not reach us is still there.
"""

import contextlib
import errno
import json
import os
import socket
import sys
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from .audit import os_user
from .errors import LedgerLockedError, OpenForWritingError, describe_failure

HEARTBEAT_SECONDS = 60
# A holder on another PC whose heartbeat stopped this long ago crashed or lost the network.
STALE_AFTER_SECONDS = 10 * 60
# Windows locks a byte range and then forbids others to read it: lock a byte past any content.
_WINDOWS_LOCK_OFFSET = 1 << 20
# The holder writes its name just after taking the OS lock: a second opener waits this long for it.
_NAME_WAIT_SECONDS = 1.0


@dataclass(frozen=True)
class Holder:
    user: str
    host: str
    pid: int
    since: str  # ISO time

    def describe(self) -> str:
        since = datetime.fromisoformat(self.since)
        return (f"{self.user}（电脑 {self.host}）从 {since.year}年{since.month}月{since.day}日 "
                f"{since:%H:%M} 起")


class LedgerHeldError(LedgerLockedError):
    def __init__(self, path, holder: Holder | None):
        self.holder = holder
        who = holder.describe() if holder else "另一个程序（可能在另一个窗口里）"
        Exception.__init__(
            self, f"台账文件“{path}”正由 {who}打开着。\n"
                  "同一个台账同时只能在一处修改，以免互相覆盖。请等对方关闭后再打开；"
                  "也可以先以只读方式打开查看。")


def lock_path(ledger_path: Path) -> Path:
    return Path(ledger_path).with_name(Path(ledger_path).name + ".lock")


def read_holder(ledger_path: Path) -> Holder | None:
    try:
        data = json.loads(lock_path(ledger_path).read_text(encoding="utf-8"))
        return Holder(str(data["user"]), str(data["host"]), int(data["pid"]), str(data["since"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _held_elsewhere(ledger_path: Path, holder: Holder | None) -> bool:
    """With the OS lock in our hand: does the file still name a live holder on another PC?

    A holder on this PC would hold the OS lock, so one named here is gone. A PC across a network
    share may hold a lock that does not reach us; its heartbeat says whether it is still there.
    """
    if holder is None or holder.host == socket.gethostname():
        return False
    try:
        age = time.time() - lock_path(ledger_path).stat().st_mtime
    except OSError:
        return False
    return age <= STALE_AFTER_SECONDS


if sys.platform == "win32":
    import msvcrt

    def _try_os_lock(fd: int) -> bool:
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _os_unlock(fd: int) -> None:
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_os_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _os_unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _same_file(fd: int, path: Path) -> bool:
    """Whether path still names the file we locked (a releasing holder may have removed it)."""
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except OSError:
        return False


class LedgerLock:
    """Held while a ledger is open for writing; release() on close, heartbeat() every minute."""

    def __init__(self, ledger_path: Path):
        self.path = lock_path(ledger_path)
        self.ledger_path = Path(ledger_path)
        self.holder = Holder(os_user(), socket.gethostname(), os.getpid(),
                             datetime.now().isoformat(timespec="seconds"))
        self._fd: int | None = None

    @classmethod
    def acquire(cls, ledger_path: Path) -> "LedgerLock":
        """The lock, or LedgerHeldError naming the holder; OpenForWritingError if the lock file
        cannot be written (a full disk), with nothing left behind."""
        lock = cls(ledger_path)
        while True:
            try:
                fd = os.open(lock.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as e:
                raise OpenForWritingError(ledger_path, describe_failure(e)) from e
            if not _try_os_lock(fd):
                os.close(fd)
                raise LedgerHeldError(ledger_path, _wait_for_name(ledger_path))
            if _same_file(fd, lock.path):
                break
            _os_unlock(fd)  # we locked a file its last holder had just removed: take the new one
            os.close(fd)
        lock._fd = fd
        holder = read_holder(ledger_path)
        if _held_elsewhere(ledger_path, holder):
            lock._fd = None
            _os_unlock(fd)
            os.close(fd)
            raise LedgerHeldError(ledger_path, holder)
        try:
            content = json.dumps(asdict(lock.holder), ensure_ascii=False).encode("utf-8")
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            if os.write(fd, content) != len(content):
                raise OSError(errno.ENOSPC, "No space left on device")
        except OSError as e:
            lock.release()  # no empty or half-named lock file stays behind
            raise OpenForWritingError(ledger_path, describe_failure(e)) from e
        return lock

    def heartbeat(self) -> None:
        try:
            os.utime(self.path)
        except OSError:
            pass  # a pulled USB stick: the next write reports it plainly

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        if sys.platform == "win32":  # an open file cannot be removed there: close it first
            _os_unlock(fd)
            os.close(fd)
            with contextlib.suppress(OSError):  # already opened by the next holder: theirs now
                self.path.unlink(missing_ok=True)
            return
        # Removed while still locked, so whoever opened it meanwhile sees it is gone (_same_file).
        with contextlib.suppress(OSError):
            if _same_file(fd, self.path):
                self.path.unlink()
        os.close(fd)


def _wait_for_name(ledger_path: Path) -> Holder | None:
    """The holder named in the file; a holder that has just taken the lock is still writing it."""
    deadline = time.monotonic() + _NAME_WAIT_SECONDS
    while (holder := read_holder(ledger_path)) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    return holder
