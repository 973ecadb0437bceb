"""The 佐证材料 package of one inspection: a folder or .zip laid out as the ledger, with an index.

    一、<大类>/（一）<小类>/3.<问题简称>/照片1.jpg   numbered as the window and the Excel export
    佐证材料目录.xlsx                              one printable row per file, SHA-256 included

export_evidence_package is a plain generator of Step (KiB copied) for a worker thread with
its own read-only Ledger. It writes under a temporary name beside the target and renames at
the end, so closing it (取消) or a failure leaves nothing behind. Files are streamed and their
hashes checked on the way: a file missing from the store is listed, one whose content no longer
matches is packaged and flagged; neither stops the package.
"""

import hashlib
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Generator

from ...jobs import Step
from ...store.evidence_check import ALTERED, MISSING, evidence_finding
from ...store.evidence_files import kib, object_path, safe_filename, store_folder, stream
from ...store.integrity import Finding
from ..exporting.errors import BadTargetError, ExportError, FolderMissingError
from .index import write_index
from ..exporting.safe_file import check_target, replacing

INDEX_NAME = "佐证材料目录.xlsx"
SHORT_CHARS = 20  # 问题简称: the description up to its first pause, at most this long
FOLDER_CHARS = 30  # a 大类 or 小类 folder: label and title cut here (Windows' 260 for the path)
CAPTION_CHARS = 40
KIND_FILE_NAMES = {"现场照片": "照片"}  # other kinds name their files after themselves
# Compressed already: deflating them again costs time and saves nothing.
STORED_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".pdf", ".ofd",
                             ".docx", ".xlsx", ".pptx", ".zip", ".rar", ".7z", ".mp4", ".mov"})
_PAUSE = re.compile(r"[。；;，,：:！!？?\n]")
_SUFFIX = re.compile(r"\.[0-9A-Za-z]{1,10}$")


@dataclass
class EvidencePackage:
    path: Path  # the folder or .zip written
    files: int  # evidence files in it (the index not counted)
    bytes: int
    missing: list[Finding] = field(default_factory=list)  # missing or altered, by problem


@dataclass
class PackageItem:
    """One attachment and where it goes in the package."""
    row: dict  # the evidence row
    number: int  # the problem's 序号
    problem: str  # 问题简称
    measure: str  # "2.措施的文字" when attached to a measure, else ""
    relative: str  # path inside the package, "/"-separated
    state: str = ""  # "", "missing" or "altered", known once it has been copied


def short_name(problem: dict) -> str:
    """问题简称: the description up to its first pause (at most SHORT_CHARS), else the 问题编号."""
    text = " ".join((problem.get("description") or "").split())
    pause = _PAUSE.search(text, 4)  # not at 关于： or 一是，
    if pause:
        text = text[:pause.start()]
    return text[:SHORT_CHARS].rstrip("、 ") or (problem.get("code") or "").strip() or "问题"


def package_name(inspection_name: str, as_zip: bool) -> str:
    """A default name for the package of an inspection: 第二轮中央督察-佐证材料(.zip)."""
    return safe_filename(f"{inspection_name[:60]}-佐证材料") + (".zip" if as_zip else "")


def _name(text: str) -> str:
    """A file or folder name from a clerk's words: a / or \\ in them is only a character."""
    return safe_filename(text.replace("/", "_").replace("\\", "_"))


def _suffix(name: str) -> str:
    found = _SUFFIX.search(name)
    return found.group(0) if found else ""


def _file_name(row: dict, counters: dict[str, int]) -> str:
    caption = " ".join((row["caption"] or "").split())[:CAPTION_CHARS].rstrip(" .")
    if caption:
        stem = caption
    else:
        kind = KIND_FILE_NAMES.get(row["kind"], row["kind"])
        counters[kind] = counters.get(kind, 0) + 1
        stem = f"{kind}{counters[kind]}"
    return _name(stem + _suffix(row["display_name"]))


def _unique(name: str, taken: set[str]) -> str:
    """name, or name（2）… where the folder has it already (case-blind, as on Windows)."""
    suffix = _suffix(name)
    stem = name[:len(name) - len(suffix)]
    candidate, n = name, 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{stem}（{n}）{suffix}"
    taken.add(candidate.casefold())
    return candidate


def plan_package(ledger, inspection_id: int) -> list[PackageItem]:
    """Every live attachment of the inspection, in ledger order, with its place in the package."""
    rows: dict[int, list[dict]] = {}
    for row in ledger.db.query(
            "SELECT e.* FROM evidence e JOIN problems p ON p.id = e.problem_id"
            " JOIN categories c ON c.id = p.category_id"
            " WHERE c.inspection_id = ? AND e.deleted_at IS NULL ORDER BY e.id", [inspection_id]):
        rows.setdefault(row["problem_id"], []).append(row)
    items = []
    for problem in ledger.tree(inspection_id).problems:
        if problem.id not in rows:
            continue
        measures = {m["id"]: (i, m["text"]) for i, m in enumerate(problem.row["measures"], 1)}
        owners, node = [], problem.parent
        while node is not None:
            owners.insert(0, _name((node.label + node.title)[:FOLDER_CHARS]))
            node = node.parent
        short = short_name(problem.row)
        folder = "/".join(owners + [_name(f"{problem.number}.{short}")])
        ordered = sorted(rows[problem.id], key=lambda r: (
            measures.get(r["measure_id"], (0,))[0], r["id"]))
        counters: dict[str, int] = {}
        taken: set[str] = set()
        for row in ordered:
            position, text = measures.get(row["measure_id"], (0, ""))
            name = _unique(_file_name(row, counters), taken)
            items.append(PackageItem(row, problem.number, short,
                                     f"{position}.{text}" if position else "", f"{folder}/{name}"))
    return items


def _inspection(ledger, inspection_id: int) -> dict:
    found = [i for i in ledger.inspections() if i["id"] == inspection_id]
    if not found:
        raise ExportError("要导出佐证材料的督察批次已不在台账中（可能刚被删除）。请重新选择。")
    return found[0]


def _check_folder_target(target: Path) -> None:
    if not target.parent.is_dir():
        raise FolderMissingError(target.parent)
    if target.is_file() or (target.is_dir() and any(target.iterdir())):
        raise BadTargetError(f"“{target}”已经存在，而且不是空文件夹。请换一个名字或位置再导出，"
                             "原有的文件不会被改动。")


def export_evidence_package(ledger, inspection_id: int, target: Path, as_zip: bool
                            ) -> Generator[Step, None, EvidencePackage]:
    """Write the package of one inspection to target: a folder (which must not exist, or be
    empty) or a .zip (replaced whole if it exists). Raises ExportError with a clerk's message
    (no evidence, folder gone, disk full …); the target is then as it was."""
    target = Path(target)
    if as_zip:
        check_target(target, ".zip")
    else:
        _check_folder_target(target)
    inspection = _inspection(ledger, inspection_id)
    items = plan_package(ledger, inspection_id)
    if not items:
        raise ExportError(f"“{inspection['name']}”还没有佐证材料（回收站里的不算），没有可以导出的内容。")
    store = store_folder(ledger.path)
    total = max(1, kib(sum(item.row["size"] for item in items))) + 1  # + 1: the index
    yield Step(0, total, "正在准备导出佐证材料……")
    done = written = 0  # bytes: gone through (for the progress), and put in the package
    partial = None
    try:
        with replacing(target) as partial:
            with (_ZipOut if as_zip else _FolderOut)(partial) as out:
                for number, item in enumerate(items, 1):
                    source = object_path(store, item.row["sha256"])
                    if not source.is_file():
                        item.state = "missing"
                        done += item.row["size"]
                        continue
                    message = f"正在导出“{item.row['display_name']}”（{number}/{len(items)}）"
                    digest, copied = hashlib.sha256(), 0
                    for copied in out.write(item, source, digest):
                        yield Step(min(total - 1, kib(done + copied)), total, message)
                    if digest.hexdigest() != item.row["sha256"]:
                        item.state = "altered"  # packaged as it is, flagged in the index
                    done, written = done + item.row["size"], written + copied
                yield Step(total - 1, total, "正在写佐证材料目录……")
                out.write_index(write_index(inspection, items))
            if not as_zip and target.is_dir():
                target.rmdir()  # empty (checked above): Windows renames only onto nothing
    finally:
        if partial is not None and partial.is_dir():  # a folder cut short: replacing leaves it
            shutil.rmtree(partial, ignore_errors=True)
    conn = ledger.db.conn
    missing = [evidence_finding(conn, f"evidence_{i.state}", _finding_row(i),
                                MISSING if i.state == "missing" else ALTERED)
               for i in items if i.state]
    yield Step(total, total, "佐证材料导出完成。")
    return EvidencePackage(target, sum(1 for i in items if i.state != "missing"), written, missing)


def _finding_row(item: PackageItem) -> tuple:
    row = item.row  # as evidence_finding reads it
    return row["id"], row["problem_id"], row["sha256"], row["display_name"], row["size"], None


class _FolderOut:
    def __init__(self, root: Path):
        self.root = root
        root.mkdir()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False  # nothing to close: each file is closed as soon as it is written

    def write(self, item: PackageItem, source: Path, digest) -> Generator[int, None, None]:
        path = self.root.joinpath(*item.relative.split("/"))
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(source, "rb") as src, open(path, "xb") as dst:
            yield from stream(src, dst, digest)

    def write_index(self, data: bytes) -> None:
        (self.root / INDEX_NAME).write_bytes(data)


class _ZipOut:
    def __init__(self, path: Path):
        self.zip = zipfile.ZipFile(path, "x", zipfile.ZIP_DEFLATED)  # zip64 when it needs it

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.zip.close()
        return False

    def write(self, item: PackageItem, source: Path, digest) -> Generator[int, None, None]:
        info = _zip_info(item.relative, _added(item.row))
        if Path(item.relative).suffix.lower() in STORED_SUFFIXES:
            info.compress_type = zipfile.ZIP_STORED
        info.file_size = item.row["size"]  # so zipfile picks zip64 for a big file before writing
        with open(source, "rb") as src, self.zip.open(info, "w") as dst:
            yield from stream(src, dst, digest)

    def write_index(self, data: bytes) -> None:
        info = _zip_info(INDEX_NAME, datetime.now())
        info.compress_type = zipfile.ZIP_STORED
        self.zip.writestr(info, data)


def _zip_info(name: str, when: datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=max(when, datetime(1980, 1, 1)).timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16  # readable once unpacked on Linux and macOS
    return info


def _added(row: dict) -> datetime:
    """When the file was attached: its date in the zip (a clock set wrong may have written
    anything, so anything unreadable is today)."""
    try:
        return datetime.fromisoformat(row["added_at"])
    except (TypeError, ValueError):
        return datetime.now()
