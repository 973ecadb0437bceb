"""The one boundary every reader runs inside: whatever a damaged file makes a parsing library raise
(zipfile, zlib, struct, lxml, xlrd, python-docx, a codec…) reaches the clerk as an ImportFailed
naming the file and what to do, never as a traceback.
"""

import logging
from pathlib import Path
from typing import Generator, TypeVar

from ..importing.errors import (DocumentCorrupt, ImportFailed, TextDamaged, TextUnreadable,
                            TooBigToRead, WorkbookCorrupt, what_broke)
from ...jobs import Step

T = TypeVar("T")
log = logging.getLogger(__name__)


def guarded(path: Path | None, steps: Generator[Step, None, T], kind: str
            ) -> Generator[Step, None, T]:
    """steps as they are, their unexpected failures turned into the message for kind
    ("workbook", "document" or "text"); path None for pasted text."""
    try:
        return (yield from steps)
    except ImportFailed:
        raise
    except MemoryError as e:  # a limit should have caught it first: say what, not how
        raise TooBigToRead(path) from e
    except Exception as e:  # noqa: BLE001 — the boundary itself: every reader fault ends here
        # The traceback is kept for whoever turns logging on (a fault of our own reader must stay
        # findable), below the level Python prints to stderr when nobody has.
        log.info("reading %s failed", path, exc_info=True)
        raise damaged(path, kind, e) from e


def damaged(path: Path | None, kind: str, error: Exception) -> ImportFailed:
    detail = what_broke(error)
    if kind == "text":
        return TextUnreadable(path) if isinstance(error, UnicodeError) else TextDamaged(path, detail)
    if kind == "document":
        return DocumentCorrupt(path, detail)
    return WorkbookCorrupt(path, detail)
