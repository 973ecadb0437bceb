"""The evidence store on disk: where a file's bytes live, and copying them in crash-safely.

Beside the ledger, so its folder still copies whole to a USB stick:

    <ledger stem>-佐证材料/objects/ab/abcdef…   one file per SHA-256 of its content, no extension
    <ledger stem>-佐证材料/tmp/<random>.part    copies in flight; anything here after a crash is stray

Names from outside (a clerk's file name) are kept only as display names and never become a
path in the store; writing a copy out uses safe_filename.
"""

import hashlib
import os
import queue
import re
import sqlite3
import threading
import unicodedata
import uuid
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO, Callable, Generator, Iterable, Iterator, Sequence

from ..jobs import Step
from .errors import AttachFailedError, EvidenceTooLargeError, describe_failure

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


def _copy_durably(source: Path, temp: Path) -> Generator[int, None, None]:
    """Copy source into the new file temp and fsync it; yields bytes so far. On any failure,
    or close(), temp is removed."""
    try:
        with open(source, "rb") as src, open(temp, "xb") as dst:
            yield from stream(src, dst)
            dst.flush()
            os.fsync(dst.fileno())
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _temp_in(store: Path) -> Path:
    folder = temp_folder(store)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{uuid.uuid4().hex}.part"


READ_AHEAD = 8  # chunks the reading thread may hold ready: 8 MiB of memory at most
IN_FLIGHT = 4  # copies written and waiting for their fsync: bounds open files, not speed


class _ReadAhead:
    """Reads files in order on a thread of its own, a chunk at a time, into a short queue: the
    disk reads the next chunk while the copying thread hashes and writes the last one."""

    _END = object()  # after the last chunk of each file

    def __init__(self, paths: Iterable[Path]):
        self._queue = queue.Queue(READ_AHEAD)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(list(paths),), daemon=True,
                                        name="佐证材料读取")
        self._thread.start()

    def _run(self, paths: list[Path]) -> None:
        try:
            for path in paths:
                with open(path, "rb") as f:
                    while chunk := f.read(CHUNK_SIZE):
                        if not self._put(chunk):
                            return
                if not self._put(self._END):
                    return
        except BaseException as e:  # handed to the copying thread, which raises it
            self._put(e)

    def _put(self, item) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def chunks(self) -> Iterator[bytes]:
        """The next file's chunks; raises what reading it raised."""
        while (item := self._queue.get()) is not self._END:
            if isinstance(item, BaseException):
                raise item
            yield item

    def close(self) -> None:
        self._stop.set()
        self._thread.join()


def _place(store: Path, dst: BinaryIO, temp: Path, sha: str, size: int) -> tuple[str, int, bool]:
    """fsync a finished copy and rename it into objects/; (sha, size, created). created is False
    when the store already held this content (the copy is dropped). On failure nothing of this
    copy is left."""
    placed = None  # the object renamed into place, where there was none before
    try:
        try:
            os.fsync(dst.fileno())
        finally:
            dst.close()
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


def store_files(store: Path, files: Sequence[tuple[Path, str]], max_bytes: int,
                placed: Callable[[int, str, int, bool], None]
                ) -> Generator[tuple[int, int], None, None]:
    """Copy files ((path, display name) each) into the store in order; yields (index of the
    file being copied, bytes of the batch copied so far).

    Each is hashed while copied (one read) to tmp/, fsynced, then renamed into place: at no
    moment does objects/ hold a partial file. Three things overlap, because each waits on a
    different part of the machine: one thread reads ahead from the source disk, this one hashes
    and writes, and another fsyncs and places the finished copies. placed(index, sha, size,
    created) is called on this thread for each file once it is in place, in order, also on the
    way out of a failure or close(): the caller learns of every object it has to discard.
    Raises AttachFailedError naming the file, or EvidenceTooLargeError when a file grew past
    max_bytes after it was measured.
    """
    reading = _ReadAhead(path for path, _ in files)
    in_flight: deque = deque()  # (index, future of _place)

    def finished(index, future) -> None:
        try:
            placed(index, *future.result())
        except OSError as e:
            raise AttachFailedError(files[index][1], describe_failure(e)) from e

    done = 0
    with ThreadPoolExecutor(1, thread_name_prefix="佐证材料落盘") as placing:
        try:
            for index, (_, name) in enumerate(files):
                yield index, done
                temp, dst = _temp_in(store), None
                digest, size = hashlib.sha256(), 0
                try:
                    dst = open(temp, "xb")
                    for chunk in reading.chunks():
                        size += len(chunk)
                        if size > max_bytes:
                            raise EvidenceTooLargeError(name, size, max_bytes)
                        digest.update(chunk)
                        dst.write(chunk)
                        done += len(chunk)
                        yield index, done
                    dst.flush()
                except BaseException as e:
                    if dst is not None:
                        dst.close()
                    temp.unlink(missing_ok=True)
                    if isinstance(e, OSError):
                        raise AttachFailedError(name, describe_failure(e)) from e
                    raise
                in_flight.append((index, placing.submit(_place, store, dst, temp,
                                                        digest.hexdigest(), size)))
                while in_flight and (len(in_flight) > IN_FLIGHT or in_flight[0][1].done()):
                    finished(*in_flight.popleft())
            while in_flight:
                finished(*in_flight.popleft())
        finally:
            reading.close()
            for index, future in in_flight:  # leaving early: what got placed is still told
                try:
                    placed(index, *future.result())
                except Exception:  # noqa: BLE001 - _place removed its own files; the first error is raised
                    pass


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

