"""上报包 (report_package): one sealed zip a township sends up — a ledger snapshot, optional 佐证材料
objects and manifest.json with the SHA-256 of every part. Writing it, and opening it checked.

A package is the unit of exchange, not a database anyone edits: open_package checks every part
against the manifest before anything reads the snapshot, and refuses in plain Chinese.
"""

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Generator

import desktop_app

from .. import APP_NAME
from ..jobs import Step
from . import row_digests
from .audit import os_user
from .connection import SQLITE_HEADER, copy_database
from .errors import ExportFailedError, LedgerError, describe_failure
from .evidence_files import CHUNK_SIZE, is_sha256, kib, object_path, store_folder
from .ledger import Ledger
from .schema import APPLICATION_ID, SCHEMA_VERSION

FORMAT = "dc-ledger-report-package"
FORMAT_VERSION = 1
SUFFIX = ".sbb"  # 上报包: its own suffix, so a clerk never mistakes it for a ledger .db
MANIFEST = "manifest.json"
SNAPSHOT = "ledger.db"
EVIDENCE_PREFIX = "evidence/"


class PackageRefused(LedgerError):
    """A file that is not a sound 上报包; str() says why and what to do."""


@dataclass(frozen=True)
class PackageOptions:
    org: str  # 单位名称 of the reporting township
    period: date  # 截至 date
    inspection_ids: list[int] | None = None  # None: every inspection
    with_evidence: bool = False


@dataclass
class Package:
    """A checked package. Its parts are unpacked into a temporary folder when first used (an
    identical package merged again never is); close() removes the folder."""
    path: Path
    manifest: dict
    digest: str  # SHA-256 of manifest.json: two packages with the same digest are the same
    evidence: list[str] = field(default_factory=list)
    folder: Path | None = None

    @property
    def snapshot(self) -> Path:
        return self._unpacked() / SNAPSHOT

    @property
    def evidence_store(self) -> Path:
        """The unpacked objects, laid out as a ledger's evidence store (for copy_objects)."""
        return self._unpacked() / "store"

    def _unpacked(self) -> Path:
        if self.folder is None:
            self.folder = _unpack_all(self.path, self.manifest)
        return self.folder

    @property
    def org(self) -> str:
        return self.manifest["org"]

    @property
    def period(self) -> str:
        return self.manifest["period"]

    def close(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def default_org(ledger: Ledger, inspection_ids: list[int] | None) -> str:
    """The 所属单位 the chosen inspections share; "" when they name none or several."""
    orgs = {row["org"].strip() for row in ledger.inspections()
            if inspection_ids is None or row["id"] in inspection_ids}
    return orgs.pop() if len(orgs) == 1 else ""


def _evidence_rows(conn, inspection_ids: list[int] | None) -> list[tuple[str, int]]:
    scope, params = "", []
    if inspection_ids is not None:
        scope = f" AND c.inspection_id IN ({','.join('?' * len(inspection_ids))})"
        params = list(inspection_ids)
    return conn.execute(
        "SELECT DISTINCT e.sha256, e.size FROM evidence e JOIN problems p ON p.id = e.problem_id"
        " JOIN categories c ON c.id = p.category_id WHERE e.deleted_at IS NULL" + scope
        + " ORDER BY e.sha256", params).fetchall()


def estimate_size(ledger: Ledger, options: PackageOptions) -> tuple[int, int]:
    """(bytes of ledger content, bytes of 佐证材料) the package will hold, before packing."""
    page = ledger.db.execute("PRAGMA page_size").fetchone()[0]
    pages = ledger.db.execute("PRAGMA page_count").fetchone()[0]
    evidence = sum(size for _, size in _evidence_rows(ledger.db.conn, options.inspection_ids)) \
        if options.with_evidence else 0
    return page * pages, evidence


def describe_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def _snapshot(ledger: Ledger, target: Path, inspection_ids: list[int] | None) -> int:
    """The chosen inspections only, without the audit trail (it stays at the township)."""
    copy_database(ledger.db.conn, target)
    conn = sqlite3.connect(str(target), isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = ON")  # deleting an inspection takes its rows along
        conn.execute("PRAGMA synchronous = OFF")  # a scratch copy: the package is what is kept
        conn.execute("BEGIN")
        if inspection_ids is not None:
            marks = ",".join("?" * len(inspection_ids))
            conn.execute(f"DELETE FROM inspections WHERE id NOT IN ({marks})", inspection_ids)
            conn.execute("DELETE FROM petitions WHERE inspection_id IS NULL")
        conn.execute("DELETE FROM audit_log")
        conn.execute("DELETE FROM meta WHERE key = 'audit_head'")
        # The row digests guard the township's own file; the county digests the rows it takes in.
        # Stale once the deletes above are made, they were half of a package's compressed bytes.
        conn.execute(f"DROP TABLE IF EXISTS {row_digests.TABLE}")
        conn.execute("DELETE FROM meta WHERE key = ?", [row_digests.TOTALS_KEY])
        # A county's own merge records are no part of what it reports further up.
        present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table in {"merge_sources", "merged_rows", "merged_ranges"} & present:
            conn.execute(f"DELETE FROM {table}")
        problems = conn.execute("SELECT count(*) FROM problems").fetchone()[0]
        conn.execute("COMMIT")
        conn.execute("VACUUM")
        return problems
    finally:
        conn.close()


def _hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK_SIZE), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_package(ledger: Ledger, out: Path, options: PackageOptions
                  ) -> Generator[Step, None, dict]:
    """Write the package to out (temp file + os.replace: never half a package); yields Step
    in KiB, the size estimate first; returns the manifest. Closing the generator cancels."""
    out = Path(out)
    if not options.org.strip():
        raise LedgerError("上报包需要写明单位名称。请在设置里填写本单位名称，或在督察批次里填写所属单位。")
    content, evidence_bytes = estimate_size(ledger, options)
    total = max(1, kib(content + evidence_bytes))
    yield Step(0, total, f"预计上报包大小约 {describe_size(content + evidence_bytes)}"
                   + (f"（其中佐证材料 {describe_size(evidence_bytes)}）" if evidence_bytes else "")
                   + "，正在打包台账……")
    work = Path(tempfile.mkdtemp(prefix="report-package-"))
    partial = out.with_name(out.name + ".part")
    try:
        problems = _snapshot(ledger, work / SNAPSHOT, options.inspection_ids)
        parts = {SNAPSHOT: {"sha256": _hash(work / SNAPSHOT), "size": (work / SNAPSHOT).stat().st_size}}
        inspections = [row["name"] for row in ledger.inspections()
                       if options.inspection_ids is None or row["id"] in options.inspection_ids]
        done = kib(content)
        yield Step(min(done, total), total, "台账已打包。")
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(work / SNAPSHOT, SNAPSHOT)
            store = store_folder(ledger.path)
            rows = _evidence_rows(ledger.db.conn, options.inspection_ids) if options.with_evidence else []
            for number, (sha, size) in enumerate(rows, 1):
                source = object_path(store, sha)
                if not source.is_file():
                    raise LedgerError(f"佐证材料文件缺失（{sha[:12]}…），无法打包。请先用“工具 → 检查台账”找回或移除它。")
                # Photos and PDFs are compressed already: stored as they are, packed quickly.
                archive.write(source, EVIDENCE_PREFIX + sha, zipfile.ZIP_STORED)
                parts[EVIDENCE_PREFIX + sha] = {"sha256": sha, "size": size}
                done += kib(size)
                yield Step(min(done, total), total, f"正在打包佐证材料（{number}/{len(rows)}）……")
            manifest = {
                "format": FORMAT, "format_version": FORMAT_VERSION, "app": APP_NAME,
                "app_version": desktop_app.__version__, "schema_version": SCHEMA_VERSION,
                "org": options.org.strip(), "period": options.period.isoformat(),
                "made_by": os_user(), "made_at": datetime.now().isoformat(timespec="seconds"),
                "title": ledger.title, "inspections": inspections, "problems": problems,
                "parts": parts,
            }
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        with open(partial, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(partial, out)
    except OSError as e:
        raise ExportFailedError(out, describe_failure(e)) from e
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)
    yield Step(total, total, f"已生成上报包：{out.name}")
    return manifest


def _version(text: str) -> tuple[int, ...]:
    parts = []
    for piece in str(text).split("."):
        digits = "".join(c for c in piece if c.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def _refuse(path: Path, reason: str) -> PackageRefused:
    return PackageRefused(f"“{path.name}”不能汇总：{reason}")


def _read_manifest(path: Path, archive: zipfile.ZipFile) -> tuple[dict, str]:
    try:
        raw = archive.read(MANIFEST)
    except KeyError:
        raise _refuse(path, "里面没有清单（manifest.json），不是本软件生成的上报包。") from None
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _refuse(path, "清单（manifest.json）已损坏。请让报送单位重新生成上报包。") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _refuse(path, "不是本软件生成的上报包。")
    if not isinstance(manifest.get("format_version"), int) or manifest["format_version"] > FORMAT_VERSION \
            or not isinstance(manifest.get("schema_version"), int) \
            or manifest["schema_version"] > SCHEMA_VERSION \
            or _version(manifest.get("app_version", "")) > _version(desktop_app.__version__):
        raise _refuse(path, f"它是由更新版本的本软件（{manifest.get('app_version', '未知版本')}）生成的，"
                            f"本软件是 {desktop_app.__version__}。请先把本软件升级到最新版本再汇总。")
    for key in ("org", "period", "made_at"):
        if not isinstance(manifest.get(key), str) or not manifest[key].strip():
            raise _refuse(path, f"清单缺少“{key}”。请让报送单位重新生成上报包。")
    if not isinstance(manifest.get("parts"), dict) or SNAPSHOT not in manifest["parts"]:
        raise _refuse(path, "清单没有列出台账内容。请让报送单位重新生成上报包。")
    return manifest, hashlib.sha256(raw).hexdigest()


def _unpack(path: Path, archive: zipfile.ZipFile, name: str, expected: dict,
            target: Path | None = None) -> None:
    """Hash one part (and copy it out to target, hashing the very bytes written): a mismatch
    refuses the package."""
    digest = hashlib.sha256()
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with archive.open(name) as src, \
                (open(target, "wb") if target is not None else contextlib.nullcontext()) as dst:
            for chunk in iter(lambda: src.read(CHUNK_SIZE), b""):
                digest.update(chunk)
                if dst is not None:
                    dst.write(chunk)
    except (zipfile.BadZipFile, EOFError, zlib.error) as e:
        raise _refuse(path, f"“{name}”已损坏（{e}）。文件可能没有传完整，请让报送单位重新发送。") from None
    if digest.hexdigest() != expected.get("sha256"):
        raise _refuse(path, f"“{name}”的校验值与清单不符：上报包在生成后被改动过。请让报送单位重新生成上报包。")


def _check_snapshot(path: Path, snapshot: Path) -> None:
    try:
        conn = sqlite3.connect(f"{snapshot.resolve().as_uri()}?mode=ro", uri=True)
        try:
            if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                raise _refuse(path, "里面的台账内容不是本软件的台账。")
            if conn.execute("PRAGMA user_version").fetchone()[0] > SCHEMA_VERSION:
                raise _refuse(path, "里面的台账是更新版本的格式。请先把本软件升级到最新版本再汇总。")
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        raise _refuse(path, "里面的台账内容已损坏。请让报送单位重新生成上报包。") from None


def open_package(path: Path, merged: frozenset[str] = frozenset()) -> Package:
    """Check every part of the package at path against its manifest; PackageRefused (a
    plain-Chinese reason) for anything that is not a whole, untouched package we can read.
    Unless its digest is among merged (the county has it already), it is unpacked in the same
    pass: each part is read and hashed once."""
    path = Path(path)
    try:
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        raise _refuse(path, "找不到这个文件。") from None
    except IsADirectoryError:
        raise _refuse(path, "这是一个文件夹。请选择文件夹里的上报包文件。") from None
    except OSError as e:
        raise _refuse(path, f"读不了这个文件：{e.strerror or e}。") from None
    if head == SQLITE_HEADER:
        raise _refuse(path, "这是一个台账文件（.db），不是上报包。请在报送单位用“文件 → 生成上报包…”"
                            "生成上报包后再汇总；台账文件本身不能直接汇总。")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise _refuse(path, "文件不完整或不是上报包（可能没有传完整、被截断）。请让报送单位重新发送。") from None
    with archive:
        manifest, digest = _read_manifest(path, archive)
        if digest in merged:
            return Package(path, manifest, digest, _check_parts(path, archive, manifest["parts"]))
        folder = Path(tempfile.mkdtemp(prefix="report-package-open-"))
        try:
            evidence = _check_parts(path, archive, manifest["parts"], folder)
            _check_snapshot(path, folder / SNAPSHOT)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
    return Package(path, manifest, digest, evidence, folder)


def _target(folder: Path | None, name: str) -> Path | None:
    if folder is None:
        return None
    if name == SNAPSHOT:
        return folder / SNAPSHOT
    return object_path(folder / "store", name[len(EVIDENCE_PREFIX):])


def _check_parts(path: Path, archive: zipfile.ZipFile, parts: dict, folder: Path | None = None
                 ) -> list[str]:
    """Every part the manifest lists is there, nothing else is, and each hash matches; with a
    folder, the parts are unpacked into it as they are hashed. Returns the evidence hashes."""
    names = set(archive.namelist()) - {MANIFEST}
    missing = sorted(set(parts) - names)
    if missing:
        raise _refuse(path, f"缺少清单里列出的部分（{'、'.join(missing[:3])}）。请让报送单位重新生成上报包。")
    extra = sorted(names - set(parts))
    if extra:
        raise _refuse(path, f"含有清单里没有的文件（{'、'.join(extra[:3])}）：上报包在生成后被改动过。")
    evidence = []
    for name in sorted(parts):
        if name.startswith(EVIDENCE_PREFIX) and is_sha256(name[len(EVIDENCE_PREFIX):]):
            if parts[name].get("sha256") != name[len(EVIDENCE_PREFIX):]:
                raise _refuse(path, f"“{name}”的校验值与清单不符：上报包在生成后被改动过。")
            evidence.append(name[len(EVIDENCE_PREFIX):])
        elif name != SNAPSHOT:
            raise _refuse(path, f"含有不认识的部分“{name}”。")
        _unpack(path, archive, name, parts[name], _target(folder, name))
    return evidence


def _unpack_all(path: Path, manifest: dict) -> Path:
    """Unpack a checked package, checking every hash again on the bytes written (the file may
    have changed since it was checked) and that its snapshot is one of our ledgers. No integrity
    check of the snapshot: it was written whole by the backup API and its hash matches."""
    folder = Path(tempfile.mkdtemp(prefix="report-package-open-"))
    try:
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError):
            raise _refuse(path, "文件在校验之后被改动或移走了。请重新汇总。") from None
        with archive:
            if json.loads(archive.read(MANIFEST)) != manifest:
                raise _refuse(path, "文件在校验之后被改动了。请重新汇总。")
            _check_parts(path, archive, manifest["parts"], folder)
        _check_snapshot(path, folder / SNAPSHOT)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder
