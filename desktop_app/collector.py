"""Python's cyclic garbage collector, paused while a burst of objects is made and kept.

Reading an inspection into the window, reading a workbook or closing a big change set makes
hundreds of thousands of rows, dicts and strings at once, none of them in cycles; each full
collection the collector starts meanwhile re-scans all of them (a 488,000-row merge spent 60 of
its 97 s so). Paused, nothing waits that would have been freed.
"""

import gc
import threading
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_was_enabled = False


@contextmanager
def paused():
    """Collector off inside the block; back as it was once the last block (any thread) ends."""
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()
