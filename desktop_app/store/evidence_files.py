"""The evidence store on disk: where a file's bytes live, and copying them in crash-safely.

Beside the ledger, so its folder still copies whole to a USB stick:

    <ledger stem>-佐证材料/objects/ab/abcdef…   one file per SHA-256 of its content, no extension
    <ledger stem>-佐证材料/tmp/<random>.part    copies in flight; anything here after a crash is stray

Names from outside (a clerk's file name) are kept only as display names and never become a
path in the store; writing a copy out uses safe_filename.
"""

import hashlib
import os
import re
import sqlite3
import unicodedata
import uuid
from pathlib import Path
from typing import BinaryIO, Generator, Iterable

from ..jobs import Step
from .errors import EvidenceTooLargeError

CHUNK_SIZE = 1024 * 1024  # streamed: a 500 MB video never sits in memory whole
UNIT = 1024  # Step counts KiB: a QProgressDialog's int would overflow at 2 GB of bytes
FALLBACK_NAME = "未命名文件"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
# Windows device names: "NUL.txt" opens the null device, not a file, on any folder.
_DEVICES = frozenset({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
                     | {f"{p}{n}" for p in ("COM", "LPT") for n in "123456789¹²³"})
MAX_NAME = 120  # characters of a written-out name: leaves room for the folder in Windows' 260


def store_folder(ledger_path: Path) -> Path:
    ledger_path = Path(ledger_path)
    return ledger_path.parent / f"{ledger_path.stem}-佐证材料"


def objects_folder(store: Path) -> Path:
    return Path(store) / "objects"


def temp_folder(store: Path) -> Path:
    return Path(store) / "tmp"


def is_sha256(text: str) -> bool:
    return bool(_SHA256.match(text or ""))


def object_path(store: Path, sha256: str) -> Path:
    if not is_sha256(sha256):  # a hash read back from the file is still checked before use
        raise ValueError(f"not a SHA-256: {sha256!r}")
    return objects_folder(store) / sha256[:2] / sha256


def display_name(path) -> str:
    """The name a clerk sees: the last component only, printable, NFC; never used as a path."""
    name = re.split(r"[\\/]", str(path))[-1]
    name = unicodedata.normalize("NFC", "".join(c for c in name if c.isprintable())).strip()
    return FALLBACK_NAME if name in ("", ".", "..") else name[:255]


def safe_filename(name: str) -> str:
    """A file name safe on Windows and Linux for a display name: no separators, no `..`, no
    device names, no trailing dots or spaces. Chinese characters are kept."""
    name = _UNSAFE.sub("_", display_name(name)).strip(" .")
    if not name:
        return FALLBACK_NAME
    stem, dot, suffix = name.partition(".")
    if stem.strip(" ").upper() in _DEVICES:
        name = "_" + name
    if len(name) > MAX_NAME:
        suffix = Path(name).suffix[:16]
        name = name[:MAX_NAME - len(suffix)] + suffix
    return name


def fsync_folder(folder: Path) -> None:
    """Make a rename in folder durable (POSIX); Windows cannot open a folder and needs none."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def kib(size: int) -> int:
    """Bytes as the KiB units of a Step, rounded up."""
    return -(-size // UNIT)


def stream(src: BinaryIO, dst: BinaryIO | None = None, digest=None) -> Generator[int, None, None]:
    """Read the open file src to its end a chunk at a time, into dst and digest when given;
    yields the bytes read so far. The one loop every copy and hash of evidence goes through."""
    done = 0
    while chunk := src.read(CHUNK_SIZE):
        if digest is not None:
            digest.update(chunk)
        if dst is not None:
            dst.write(chunk)
        done += len(chunk)
        yield done


def _copy_durably(source: Path, temp: Path, digest=None) -> Generator[int, None, None]:
    """Copy source into the new file temp and fsync it; yields bytes so far. On any failure,
    or close(), temp is removed."""
    try:
        with open(source, "rb") as src, open(temp, "xb") as dst:
            yield from stream(src, dst, digest)
            dst.flush()
            os.fsync(dst.fileno())
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _temp_in(store: Path) -> Path:
    folder = temp_folder(store)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{uuid.uuid4().hex}.part"


def store_file(store: Path, source: Path, max_bytes: int,
               name: str | None = None) -> Generator[int, None, tuple[str, int, bool]]:
    """Copy source into the store; yields bytes copied so far, returns (sha256, size, created).

    Hashes while copying (one read), to tmp/, fsynced, then renamed into place: at no moment
    does objects/ hold a partial file. On any failure or close() the temporary file is removed.
    created is False when the store already held this content (the copy is dropped).
    """
    temp = _temp_in(store)
    placed = None  # the object this call renamed into place, where there was none before
    try:
        digest, size = hashlib.sha256(), 0
        for size in _copy_durably(source, temp, digest):
            if size > max_bytes:  # the file grew after it was measured
                raise EvidenceTooLargeError(name or display_name(source), size, max_bytes)
            yield size
        sha = digest.hexdigest()
        target = object_path(store, sha)
        if target.is_file() and target.stat().st_size == size:
            temp.unlink()
            return sha, size, False
        # Absent, or present with the wrong size (damaged): this good copy takes its place.
        target.parent.mkdir(parents=True, exist_ok=True)
        existed = target.exists()
        os.replace(temp, target)
        placed = None if existed else target
        fsync_folder(target.parent)
        return sha, size, True
    except BaseException:
        temp.unlink(missing_ok=True)
        if placed is not None:  # failed after the rename: the caller never learns of it
            placed.unlink(missing_ok=True)
        raise


def hash_file(path: Path) -> Generator[int, None, str]:
    """The SHA-256 of a file, streamed; yields bytes read so far."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        yield from stream(f, None, digest)
    return digest.hexdigest()


def copy_out(source: Path, folder: Path, name: str) -> Path:
    """Copy a stored object to folder under a safe form of name, never overwriting a file there."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    base = safe_filename(name)
    stem, suffix = Path(base).stem, Path(base).suffix
    target, n = folder / base, 2
    while target.exists():
        target, n = folder / f"{stem} ({n}){suffix}", n + 1
    temp = folder / f".{uuid.uuid4().hex}.part"
    for _ in _copy_durably(source, temp):
        pass
    try:
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return target


# -- a whole store copied beside a copy of its ledger (另存副本) ------------------------------

def named_objects(conn: sqlite3.Connection) -> set[str]:
    """The hashes every evidence row (live or in the 回收站) of a ledger names."""
    return {sha for (sha,) in conn.execute("SELECT DISTINCT sha256 FROM evidence")
            if is_sha256(sha)}


def stored_objects(store: Path) -> tuple[set[str], list[Path]]:
    """What objects/ holds: the hashes stored where object_path looks for them, and every other
    entry (misplaced, misnamed, folders). One os.scandir per folder and no Path per object: a
    stat per row cost a second at start-up on 20,000 files. A folder it cannot list counts as
    empty (its rows read as missing, which they are to the program)."""
    placed, others = set(), []

    def entries(folder):
        try:
            with os.scandir(folder) as found:
                return sorted(found, key=lambda entry: entry.name)
        except OSError:
            return []
    for folder in entries(objects_folder(store)):
        if not folder.is_dir():
            others.append(Path(folder.path))
            continue
        for entry in entries(folder.path):
            if entry.name[:2] == folder.name and is_sha256(entry.name) and entry.is_file():
                placed.add(entry.name)
            else:
                others.append(Path(entry.path))
    return placed, others


def copy_objects(store: Path, target_store: Path, hashes: Iterable[str]
                 ) -> Generator[Step, None, int]:
    """Copy the objects among hashes into target_store (objects only), each to tmp/, fsynced,
    renamed; yields Step in KiB, returns how many were copied. Objects target_store already
    holds at the right size are skipped (saving a copy again is quick); objects missing from
    store stay missing (the copy reports them as the original does)."""
    store, target_store = Path(store), Path(target_store)
    if store.resolve() == target_store.resolve():
        return 0
    wanted = []
    for sha in sorted(hashes):
        try:
            size = object_path(store, sha).stat().st_size
        except OSError:
            continue
        target = object_path(target_store, sha)
        if not (target.is_file() and target.stat().st_size == size):
            wanted.append((sha, size))
    if not wanted:
        return 0
    total, done = max(1, kib(sum(size for _, size in wanted))), 0
    for number, (sha, size) in enumerate(wanted, 1):
        message = f"正在复制佐证材料（{number}/{len(wanted)}）……"
        temp = _temp_in(target_store)
        for copied in _copy_durably(object_path(store, sha), temp):
            yield Step(min(total, kib(done + copied)), total, message)
        target = object_path(target_store, sha)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temp, target)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        fsync_folder(target.parent)
        done += size
    yield Step(total, total, f"已复制{len(wanted)}个佐证材料文件。")
    return len(wanted)


# The first bytes of the kinds of file clerks attach, for a stored file whose row (and with it
# its name) was lost: written out again it needs an extension to open with a double-click.
_MAGIC = ((b"\xff\xd8\xff", ".jpg"), (b"\x89PNG", ".png"), (b"%PDF", ".pdf"), (b"GIF8", ".gif"),
          (b"\xd0\xcf\x11\xe0", ".doc"), (b"II*\x00", ".tif"), (b"MM\x00*", ".tif"))
_ZIPPED_OFFICE = ((b"word/", ".docx"), (b"xl/", ".xlsx"), (b"ppt/", ".pptx"))


def guess_suffix(path: Path) -> str:
    """An extension for a file from its first bytes ("" when unknown)."""
    with open(path, "rb") as f:
        head = f.read(4096)
    for magic, suffix in _MAGIC:
        if head.startswith(magic):
            return suffix
    if head.startswith(b"PK\x03\x04"):
        return next((suffix for marker, suffix in _ZIPPED_OFFICE if marker in head), ".zip")
    return ""

