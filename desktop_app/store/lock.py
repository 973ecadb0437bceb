"""One writer per ledger: a lock file beside it naming who holds it, since when, from which PC.

SQLite's own locks last one transaction; this one lasts while a window has the ledger open,
so a second copy of the app (or a second PC on a shared folder) is told who is editing.
"""

import json
import os
import socket
import sys
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from .audit import os_user
from .errors import LedgerLockedError

HEARTBEAT_SECONDS = 60
# A holder on another PC whose heartbeat stopped this long ago crashed or lost the network.
STALE_AFTER_SECONDS = 10 * 60


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
    def __init__(self, path, holder: Holder):
        self.holder = holder
        Exception.__init__(
            self, f"台账文件“{path}”正由 {holder.describe()}打开着。\n"
                  "同一个台账同时只能在一处修改，以免互相覆盖。请等对方关闭后再打开；"
                  "也可以先以只读方式打开查看。")


def lock_path(ledger_path: Path) -> Path:
    return Path(ledger_path).with_name(Path(ledger_path).name + ".lock")


def _pid_alive(pid: int) -> bool:
    if sys.platform == "win32":
        import ctypes
        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        exit_code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(exit_code))
        kernel32.CloseHandle(handle)
        return exit_code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_holder(ledger_path: Path) -> Holder | None:
    try:
        data = json.loads(lock_path(ledger_path).read_text(encoding="utf-8"))
        return Holder(str(data["user"]), str(data["host"]), int(data["pid"]), str(data["since"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def is_stale(ledger_path: Path, holder: Holder | None) -> bool:
    """A lock left by a crash: its process is gone (same PC) or its heartbeat stopped (other PC)."""
    if holder is None:
        return True  # unreadable: half-written by a crash
    if holder.host == socket.gethostname():
        return holder.pid != os.getpid() and not _pid_alive(holder.pid)
    try:
        age = datetime.now().timestamp() - lock_path(ledger_path).stat().st_mtime
    except OSError:
        return True
    return age > STALE_AFTER_SECONDS


class LedgerLock:
    """Held while a ledger is open for writing; release() on close, heartbeat() every minute."""

    def __init__(self, ledger_path: Path):
        self.path = lock_path(ledger_path)
        self.ledger_path = Path(ledger_path)
        self.holder = Holder(os_user(), socket.gethostname(), os.getpid(),
                             datetime.now().isoformat(timespec="seconds"))

    @classmethod
    def acquire(cls, ledger_path: Path) -> "LedgerLock":
        lock = cls(ledger_path)
        for _attempt in range(2):
            try:
                fd = os.open(lock.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = read_holder(ledger_path)
                if not is_stale(ledger_path, holder):
                    raise LedgerHeldError(ledger_path, holder) from None
                lock.path.unlink(missing_ok=True)  # stale after a crash: clear it and try again
                continue
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(asdict(lock.holder), f, ensure_ascii=False)
            return lock
        raise LedgerHeldError(ledger_path, read_holder(ledger_path) or lock.holder)

    def heartbeat(self) -> None:
        try:
            os.utime(self.path)
        except OSError:
            pass  # a pulled USB stick: the next write reports it plainly

    def release(self) -> None:
        if read_holder(self.ledger_path) == self.holder:
            self.path.unlink(missing_ok=True)
