"""The full check of an open ledger (SQLite's checks, the audit chain, the row digests) in a
process of its own.

It is seconds of pure Python on a county ledger (5.8 s on 60,000 problems). In a thread of the
window it shares Python's lock with the UI thread, and every keystroke typed meanwhile took up
to twice as long (a worst keystroke of 50–80 ms instead of 33 ms); another process, at low
priority, leaves the window alone. A small file, or where no process can be started: here.
"""

import os
import sys
from pathlib import Path

from .errors import LedgerError


# Below this size the check takes well under half a second, less than starting a child costs.
APART_FROM_BYTES = 32 * 2**20


def _lower_priority() -> None:
    """The child yields the processor to the window (and to anything else the clerk runs)."""
    try:
        if sys.platform == "win32":
            import ctypes
            kernel32 = ctypes.windll.kernel32
            kernel32.SetPriorityClass(kernel32.GetCurrentProcess(), 0x4000)  # BELOW_NORMAL
        else:
            os.nice(19)
    except (OSError, AttributeError):
        pass  # at normal priority it still runs, only less politely


def _check(path: str) -> list | str:
    """verify_file; a LedgerError comes back as its message (it is not picklable)."""
    from .integrity import verify_file  # after _lower_priority in the child, not before
    try:
        return verify_file(Path(path))
    except LedgerError as e:
        return str(e)


class CheckStopped(LedgerError):
    """The check was stopped (the ledger closed while it ran): it has no findings."""

    def __init__(self):
        super().__init__("台账已关闭，打开时的检查没有做完，下次打开时再做。")


def check_file_apart(path: Path, apart_from: int = APART_FROM_BYTES, stop=None) -> list:
    """integrity.verify_file's findings (read-only, audit chain included, evidence files not),
    worked out in a child process (spawned: no Qt, no fork of the window's threads) for a file
    of apart_from bytes or more; here for a smaller one, or if the child cannot run. Raises
    LedgerError where verify_file does. stop (a threading.Event): set, it ends the child at
    once and raises CheckStopped; closing a county ledger need not wait seconds for its check."""
    try:
        size = Path(path).stat().st_size
    except OSError:
        size = 0  # verify_file says what is wrong with it
    found = _check(str(path)) if size < apart_from else _in_child(str(path), stop)
    if isinstance(found, str):
        raise LedgerError(found)
    return found


def _child(path: str, results) -> None:
    _lower_priority()
    results.send(_check(path))
    results.close()


def _in_child(path: str, stop) -> list | str:
    import multiprocessing  # here, not at the top: the window imports this module at start-up
    try:
        context = multiprocessing.get_context("spawn")
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_child, args=(path, send), daemon=True)
        child.start()
    except (OSError, RuntimeError):
        return _check(path)
    send.close()  # the child holds its end: its exit without a result reads as EOF
    try:
        while stop is None or not stop.is_set():
            if receive.poll(0.1):
                return receive.recv()
        child.terminate()
        raise CheckStopped()
    except (EOFError, OSError):
        return _check(path)  # the child died without answering: check here after all
    finally:
        receive.close()
        child.join()
