"""The day a JPEG photo was taken (EXIF DateTimeOriginal), read from its first bytes with the stdlib."""

import struct
from datetime import date
from pathlib import Path

SEGMENTS = 16  # EXIF is the first or second segment; the image data is never read
_EXIF_IFD, _TAKEN, _DIGITIZED, _CHANGED = 0x8769, 0x9003, 0x9004, 0x0132


def photo_date(path: Path) -> date | None:
    """DateTimeOriginal (else DateTimeDigitized, else DateTime) of a JPEG; None when it has none."""
    try:
        with open(path, "rb") as f:
            tiff = _exif_block(f)
    except OSError:
        return None
    if tiff is None:
        return None
    try:
        order = {b"II": "<", b"MM": ">"}[tiff[:2]]
        first = struct.unpack(order + "I", tiff[4:8])[0]
        main = _entries(tiff, order, first)
        exif = _entries(tiff, order, main[_EXIF_IFD][1]) if _EXIF_IFD in main else {}
    except (KeyError, struct.error, IndexError):
        return None
    for tag, entries in ((_TAKEN, exif), (_DIGITIZED, exif), (_CHANGED, main)):
        if tag in entries:
            found = _as_date(tiff, entries[tag])
            if found:
                return found
    return None


def _exif_block(f) -> bytes | None:
    """The TIFF structure inside the JPEG's APP1 "Exif" segment, reading segment headers only."""
    if f.read(2) != b"\xff\xd8":
        return None
    for _ in range(SEGMENTS):
        header = f.read(4)
        if len(header) < 4 or header[0] != 0xFF or header[1] in (0xDA, 0xD9):
            return None  # image data (or the end) begins: no EXIF before it
        length = struct.unpack(">H", header[2:])[0]
        if header[1] == 0xE1:
            block = f.read(length - 2)
            if block[:6] == b"Exif\0\0":
                return block[6:]
        else:
            f.seek(length - 2, 1)
    return None


def _entries(tiff: bytes, order: str, offset: int) -> dict[int, tuple[int, int]]:
    """{tag: (count, value or offset)} of one IFD."""
    (count,) = struct.unpack(order + "H", tiff[offset:offset + 2])
    entries = {}
    for n in range(count):
        at = offset + 2 + 12 * n
        tag, _kind, number, value = struct.unpack(order + "HHII", tiff[at:at + 12])
        entries[tag] = (number, value)
    return entries


def _as_date(tiff: bytes, entry: tuple[int, int]) -> date | None:
    count, offset = entry
    text = tiff[offset:offset + min(count, 20)].decode("ascii", "replace")  # "2024:03:05 10:20:00"
    try:
        return date(int(text[0:4]), int(text[5:7]), int(text[8:10]))
    except ValueError:
        return None
