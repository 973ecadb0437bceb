"""佐证材料 of a ledger: attach, edit, recycle, check and clean up, rows and files kept in step.

Order that makes a crash harmless: copy to a temporary name, fsync, rename into objects/, and
only then commit the rows. A crash before the commit leaves a stray temporary file or an object
no row names (startup_cleanup finds both); it never leaves a row without its file. Removing is
a deleted_at stamp (回收站); only empty_recycle deletes rows, and it deletes files after the
commit, for the same reason, and never one that a backup of the ledger still names.

attach_files and check_evidence are plain generators of Progress for the window to run off the
UI thread (closing one cancels it cleanly). They touch the database only before copying and in
the final commit, so the Ledger they are given must belong to the thread that runs them.
"""

import json
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Generator, Iterable

from ..domain.vocabulary import DEFAULT_EVIDENCE_KINDS
from ..jobs import Progress, finish
from . import audit
from .backups import BackupPolicy, evidence_named_by_backups
from .errors import (AttachFailedError, EvidenceTooLargeError, LedgerError, ReadOnlyError,
                     describe_failure)
from .evidence_files import (copy_out, display_name, hash_file, is_sha256, kib, named_objects,
                             object_path, objects_folder, store_file, store_folder,
                             stored_objects, temp_folder)
from .integrity import Finding
from .ledger import Ledger

DEFAULT_MAX_BYTES = 500 * 1024 * 1024
KINDS_KEY = "evidence_kinds"  # meta row: the ledger's own list of 佐证材料类型, JSON
RECENT_SECONDS = 3600  # a file no row names yet this young may be an attachment being copied in
ENTITY = "evidence"
EDITABLE = ("caption", "kind", "taken_on", "measure_id", "display_name")


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def _iso(value) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ValueError(f"拍摄或印发日期“{value}”不是有效日期，请按 YYYY-MM-DD 填写。") from None


# -- the list of kinds -----------------------------------------------------------------------

def evidence_kinds(ledger: Ledger) -> list[str]:
    """The 佐证材料类型 a clerk picks from: the ledger's own list, else the default one."""
    row = ledger.db.execute("SELECT value FROM meta WHERE key = ?", [KINDS_KEY]).fetchone()
    try:
        kinds = json.loads(row[0]) if row else None
    except ValueError:
        kinds = None
    if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds) or not kinds:
        return list(DEFAULT_EVIDENCE_KINDS)
    return kinds


def set_evidence_kinds(ledger: Ledger, kinds: Iterable[str]) -> list[str]:
    """Replace the list (blank and repeated names dropped); returns the old list for undo.
    Attachments filed under a kind taken off the list keep it."""
    cleaned = list(dict.fromkeys(k.strip() for k in kinds if k and k.strip()))
    if not cleaned:
        raise ValueError("佐证材料类型至少要有一种。")
    with ledger.writing() as conn:
        old = evidence_kinds(ledger)
        conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)"
                     " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                     [KINDS_KEY, json.dumps(cleaned, ensure_ascii=False)])
        return old


# -- reading -----------------------------------------------------------------------------------

def evidence_store(ledger: Ledger) -> Path:
    """The folder beside the ledger that holds its evidence files."""
    return store_folder(ledger.path)


def file_path(ledger: Ledger, evidence: dict | int) -> Path:
    """Where the bytes of one attachment are (named by hash, no extension: open a copy_to copy
    to hand it to another program under its own name)."""
    row = evidence if isinstance(evidence, dict) else ledger.db["evidence"].get(evidence)
    return object_path(evidence_store(ledger), row["sha256"])


def evidence_for(ledger: Ledger, problem_id: int, recycled: bool = False) -> list[dict]:
    """A problem's live attachments (or, with recycled, those in the 回收站), measure order."""
    return list(ledger.db.query(
        "SELECT * FROM evidence WHERE problem_id = ? AND (deleted_at IS NOT NULL) = ?"
        " ORDER BY measure_id IS NOT NULL, measure_id, id", [problem_id, int(recycled)]))


def recycle_bin(ledger: Ledger) -> list[dict]:
    """Every removed attachment not yet emptied, newest removal first."""
    return list(ledger.db.query(
        "SELECT * FROM evidence WHERE deleted_at IS NOT NULL ORDER BY deleted_at DESC, id DESC"))


def copy_to(ledger: Ledger, evidence_id: int, folder: Path) -> Path:
    """Copy one attachment out to folder under its display name (made safe; never overwrites)."""
    row = ledger.db["evidence"].get(evidence_id)
    return copy_out(file_path(ledger, row), Path(folder), row["display_name"])


# -- attaching ---------------------------------------------------------------------------------
# Three steps, so the window can copy off the UI thread without sharing the Ledger's connection:
# prepare_attach (GUI thread: checks, measures) → copy_files (any thread: files only) →
# commit_attach (GUI thread: the rows), or abandon_attach after a failure or 取消.
# attach_files runs all three in one generator (command line, tests).

@dataclass(frozen=True)
class _Source:
    path: Path
    name: str
    size: int


@dataclass
class AttachPlan:
    """One batch of files to attach, checked and measured; filled in as it is copied."""
    problem_id: int
    measure_id: int | None
    kind: str
    caption: str
    taken_on: str | None
    added_by: str
    max_bytes: int
    store: Path
    sources: list[_Source]
    stored: list[tuple[_Source, str, int]] = field(default_factory=list)  # (source, sha, size)
    created: list[str] = field(default_factory=list)  # objects this batch put in the store

    @property
    def total(self) -> int:
        """Progress units (KiB) of the whole batch."""
        return max(1, kib(sum(s.size for s in self.sources)))


def _check_target(ledger: Ledger, problem_id: int, measure_id: int | None, kind: str) -> None:
    if ledger.read_only:
        raise ReadOnlyError(ledger.path)
    if ledger.db["problems"].count_where("id = ?", [problem_id]) == 0:
        raise LedgerError(f"台账里没有 id 为 {problem_id} 的问题，佐证材料没有添加。")
    if measure_id is not None and ledger.db["measures"].count_where(
            "id = ? AND problem_id = ?", [measure_id, problem_id]) == 0:
        raise LedgerError(f"这个问题下没有 id 为 {measure_id} 的整改措施，佐证材料没有添加。")
    if kind not in evidence_kinds(ledger):
        raise ValueError(f"“{kind}”不是佐证材料类型，可选：{'、'.join(evidence_kinds(ledger))}。")


def _measure_sources(paths: Iterable, max_bytes: int) -> list[_Source]:
    """Every file measured before any is copied: a refusal comes before anything is written."""
    sources = []
    for raw in paths:
        path = Path(raw)
        name = display_name(path)
        try:
            if not path.is_file():
                raise LedgerError(f"找不到要添加的文件“{path}”（或它是一个文件夹），佐证材料没有添加。")
            size = path.stat().st_size
        except OSError as e:
            raise AttachFailedError(name, describe_failure(e)) from e
        if size > max_bytes:
            raise EvidenceTooLargeError(name, size, max_bytes)
        sources.append(_Source(path, name, size))
    if not sources:
        raise ValueError("没有选择要添加的文件。")
    return sources


def prepare_attach(ledger: Ledger, problem_id: int, paths: Iterable, caption: str = "",
                   kind: str = "文件", measure_id: int | None = None, added_by: str = "",
                   taken_on: date | str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
                   ) -> AttachPlan:
    """Check a batch before anything is copied. Raises EvidenceTooLargeError (with the file's
    name, size and the limit), LedgerError (no such problem, measure or file), ValueError.
    added_by defaults to the ledger's app_user, then the OS user."""
    _check_target(ledger, problem_id, measure_id, kind)
    return AttachPlan(problem_id, measure_id, kind, caption.strip(), _iso(taken_on),
                      added_by or ledger.app_user or audit.os_user(), max_bytes,
                      evidence_store(ledger), _measure_sources(paths, max_bytes))


def copy_files(plan: AttachPlan) -> Generator[Progress, None, AttachPlan]:
    """Copy a batch into the store (no database: safe on a worker thread); yields Progress in
    KiB. Raises AttachFailedError (full disk, unreadable file) or EvidenceTooLargeError (a file
    grew); then, or after close(), call abandon_attach on the ledger's thread."""
    done = 0
    current = plan.sources[0]
    try:
        yield Progress(0, plan.total, "准备复制佐证材料……")
        for number, current in enumerate(plan.sources, 1):
            message = f"正在复制“{current.name}”（{number}/{len(plan.sources)}）"
            copying = store_file(plan.store, current.path, plan.max_bytes, current.name)
            while True:
                try:
                    copied = next(copying)
                except StopIteration as end:
                    sha, size, is_new = end.value
                    break
                yield Progress(min(plan.total, kib(done + copied)), plan.total, message)
            done += size
            plan.stored.append((current, sha, size))
            if is_new:
                plan.created.append(sha)
        yield Progress(plan.total, plan.total, f"正在保存{len(plan.stored)}个佐证材料……")
    except OSError as e:
        raise AttachFailedError(current.name, describe_failure(e)) from e
    return plan


def commit_attach(ledger: Ledger, plan: AttachPlan) -> list[int]:
    """Add the rows of a copied batch in one transaction; returns their ids (remove() them to
    undo). On failure the batch's new files are discarded and the error raised."""
    if len(plan.stored) != len(plan.sources):
        raise ValueError("佐证材料还没有复制完，不能保存。")
    try:
        ids = []
        now = _now()
        with ledger.writing():
            for source, sha, size in plan.stored:
                values = {"problem_id": plan.problem_id, "measure_id": plan.measure_id,
                          "sha256": sha, "display_name": source.name, "size": size,
                          "kind": plan.kind, "caption": plan.caption, "taken_on": plan.taken_on,
                          "added_by": plan.added_by, "added_at": now, "deleted_at": None}
                new_id = ledger.db["evidence"].insert(values).last_pk
                ids.append(new_id)
        return ids
    except BaseException:
        abandon_attach(ledger, plan)
        raise


def abandon_attach(ledger: Ledger, plan: AttachPlan) -> None:
    """After a failed or cancelled batch: delete the files it added that no row names."""
    _discard_unreferenced(ledger, plan.created)
    plan.created.clear()


def attach_files(ledger: Ledger, problem_id: int, paths: Iterable, caption: str = "",
                 kind: str = "文件", measure_id: int | None = None, added_by: str = "",
                 taken_on: date | str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
                 ) -> Generator[Progress, None, list[int]]:
    """Attach files to a problem (or one of its measures), all or none; returns the new ids.

    The three steps above in one generator, all on the caller's thread. Raises as they do;
    close() mid-way cancels with nothing kept.
    """
    plan = prepare_attach(ledger, problem_id, paths, caption, kind, measure_id, added_by,
                          taken_on, max_bytes)
    try:
        yield from copy_files(plan)
    except BaseException:  # failed, or cancelled (GeneratorExit)
        abandon_attach(ledger, plan)
        raise
    # No yield after the commit: a close() there would lose the ids of committed rows.
    return commit_attach(ledger, plan)


def _discard_unreferenced(ledger: Ledger, hashes: Iterable[str],
                          keep: Iterable[str] = ()) -> tuple[int, int]:
    """Delete the objects among hashes that no row (live or recycled) names, nor keep;
    returns (files, bytes) deleted."""
    try:
        referenced = named_objects(ledger.db.conn)
    except sqlite3.Error:
        return 0, 0  # cannot tell: an unneeded file is harmless, startup_cleanup lists it later
    files = freed = 0
    for sha in set(hashes) - referenced - set(keep):
        path = object_path(evidence_store(ledger), sha)
        try:
            size = path.stat().st_size
            path.unlink()
        except OSError:
            continue
        files, freed = files + 1, freed + size
    return files, freed


# -- editing, recycling ------------------------------------------------------------------------

def update_evidence(ledger: Ledger, evidence_id: int, /, **fields) -> dict:
    """Change caption, kind, taken_on, measure_id or display_name; returns old values (undo)."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"evidence has no editable fields {sorted(unknown)}")
    if "taken_on" in fields:
        fields["taken_on"] = _iso(fields["taken_on"])
    if "display_name" in fields:
        fields["display_name"] = display_name(fields["display_name"])
    with ledger.writing():
        current = dict(ledger.db["evidence"].get(evidence_id))
        if "kind" in fields and fields["kind"] != current["kind"] \
                and fields["kind"] not in evidence_kinds(ledger):
            raise ValueError(f"“{fields['kind']}”不是佐证材料类型。")
        if fields.get("measure_id") is not None and ledger.db["measures"].count_where(
                "id = ? AND problem_id = ?", [fields["measure_id"], current["problem_id"]]) == 0:
            raise ValueError("只能挂到本问题自己的整改措施下。")
        changed = {k: v for k, v in fields.items() if current[k] != v}
        if changed:
            ledger.db["evidence"].update(evidence_id, changed)
        return {k: current[k] for k in changed}


def remove(ledger: Ledger, evidence_ids: Iterable[int]) -> list[int]:
    """Move attachments to the 回收站; returns those actually moved (restore() them to undo)."""
    return _stamp(ledger, evidence_ids, _now())


def restore(ledger: Ledger, evidence_ids: Iterable[int]) -> list[int]:
    """Bring attachments back from the 回收站; returns those actually restored."""
    return _stamp(ledger, evidence_ids, None)


def _stamp(ledger: Ledger, evidence_ids, stamp: str | None) -> list[int]:
    moved = []
    with ledger.writing() as conn:
        for evidence_id in evidence_ids:
            row = conn.execute("SELECT deleted_at FROM evidence WHERE id = ?", [evidence_id]).fetchone()
            if row is None or (row[0] is None) == (stamp is None):
                continue
            conn.execute("UPDATE evidence SET deleted_at = ? WHERE id = ?", [stamp, evidence_id])
            moved.append(evidence_id)
    return moved


@dataclass(frozen=True)
class Emptied:
    rows: int  # attachments removed for good
    files: int  # files deleted (content still attached elsewhere stays)
    bytes: int
    kept: int = 0  # files no row names but a backup does (or may: its folder is unreachable)


def empty_recycle(ledger: Ledger, evidence_ids: Iterable[int] | None = None,
                  policy: BackupPolicy | None = None) -> Emptied:
    """Delete recycled attachments for good (all, or those of evidence_ids), then every file
    that neither the ledger nor any backup of it names. Cannot be undone.

    A backup copies the database only, so a file one still names is kept (Emptied.kept): after
    restoring that backup it is needed. Once the backups naming it are pruned, a later emptying
    deletes it. With the backup folder unreachable (pulled USB stick) every such file is kept.
    policy says where the backups are: the window passes the one from its settings.
    """
    with ledger.writing() as conn:
        rows = [dict(r) for r in ledger.db.query(
            "SELECT * FROM evidence WHERE deleted_at IS NOT NULL ORDER BY id")]
        if evidence_ids is not None:
            wanted = set(evidence_ids)
            rows = [r for r in rows if r["id"] in wanted]
        for row in rows:
            conn.execute("DELETE FROM evidence WHERE id = ?", [row["id"]])
    # After the commit: a crash here leaves files no row names, which startup_cleanup lists.
    candidates = {r["sha256"] for r in rows} | _unnamed_objects(ledger)
    named = evidence_named_by_backups(policy or BackupPolicy(), ledger.path)
    keep = candidates if named is None else named
    files, freed = _discard_unreferenced(ledger, candidates, keep)
    unnamed = candidates - named_objects(ledger.db.conn)
    kept = sum(1 for sha in unnamed if object_path(evidence_store(ledger), sha).is_file())
    return Emptied(len(rows), files, freed, kept)


def _unnamed_objects(ledger: Ledger) -> set[str]:
    """Files in objects/ that no row names: kept by an earlier emptying for a backup, or left by
    a crash. Not the recent ones: a batch being copied in has no rows until it is committed."""
    named = named_objects(ledger.db.conn)
    objects = objects_folder(evidence_store(ledger))
    found = set()
    now = time.time()
    for path in objects.glob("??/*"):
        try:
            if (is_sha256(path.name) and path.parent.name == path.name[:2]
                    and path.name not in named and now - path.stat().st_mtime > RECENT_SECONDS):
                found.add(path.name)
        except OSError:
            continue
    return found


# -- checking ----------------------------------------------------------------------------------

def _label(conn: sqlite3.Connection, problem_id: int) -> str:
    row = conn.execute("SELECT code, description FROM problems WHERE id = ?", [problem_id]).fetchone()
    if row is None:
        return f"问题（id {problem_id}）"
    code, description = row
    text = (description or "").strip().replace("\n", " ")
    text = text[:20] + ("…" if len(text) > 20 else "")
    return f"问题“{code or text or '（无描述）'}”（id {problem_id}）"


def problem_label(conn: sqlite3.Connection, problem_id: int | None) -> str:
    """How a finding's problem is named in a report: its 问题编号 (or description) and id."""
    return "整个台账" if problem_id is None else _label(conn, problem_id)


def evidence_finding(conn, kind: str, row, what: str) -> Finding:
    """A finding about one attachment; row: (id, problem_id, sha256, display_name, size,
    deleted_at), what: MISSING or ALTERED."""
    evidence_id, problem_id, _sha, name, _size, deleted_at = row
    where = "（在回收站里）" if deleted_at else ""
    return Finding(kind, f"{_label(conn, problem_id)}的佐证材料“{name}”{where}{what}",
                   problem_id)


MAX_STRAY_LISTED = 20
MISSING = "找不到了：佐证材料文件夹里没有它的文件（被删除或移走了）。请从备份或原件重新添加。"
ALTERED = "的文件被改动过：内容与添加时的校验值对不上。请从原件重新添加。"


def check_evidence(conn: sqlite3.Connection, ledger_path: Path
                   ) -> Generator[Progress, None, list[Finding]]:
    """Hash every stored file (once per content) against the rows naming it; yields Progress in
    KiB, returns findings kind evidence_missing / evidence_altered, each with its problem_id."""
    store = store_folder(ledger_path)
    rows = conn.execute("SELECT id, problem_id, sha256, display_name, size, deleted_at"
                        " FROM evidence ORDER BY problem_id, id").fetchall()
    by_hash: dict[str, list] = {}
    for row in rows:
        by_hash.setdefault(row[2], []).append(row)
    total = max(1, kib(sum(group[0][4] for group in by_hash.values())))
    findings, done = [], 0
    yield Progress(0, total, "正在核对佐证材料……")
    for sha, group in by_hash.items():
        path = object_path(store, sha) if is_sha256(sha) else None
        if path is None or not path.is_file():
            findings += [evidence_finding(conn, "evidence_missing", row, MISSING) for row in group]
        elif path.stat().st_size != group[0][4]:
            findings += [evidence_finding(conn, "evidence_altered", row, ALTERED) for row in group]
        else:
            hashing = hash_file(path)
            message = f"正在核对“{group[0][3]}”"
            while True:
                try:
                    read = next(hashing)
                except StopIteration as end:
                    actual = end.value
                    break
                yield Progress(min(total, kib(done + read)), total, message)
            if actual != sha:
                findings += [evidence_finding(conn, "evidence_altered", row, ALTERED) for row in group]
        done += group[0][4]
    findings.sort(key=lambda f: (f.problem_id or 0))
    yield Progress(total, total, "佐证材料核对完毕。")
    return findings


def leftover_findings(conn: sqlite3.Connection, ledger_path: Path) -> list[Finding]:
    """Files in the evidence folder no row names (evidence_stray: a crash after copying, or put
    there from outside) and copies a crash cut short in tmp/ (evidence_temp)."""
    store = store_folder(ledger_path)
    stray = find_unmatched(conn, ledger_path).orphans
    findings = [Finding("evidence_stray", f"佐证材料文件夹里的“{path.relative_to(store)}”没有对应的"
                        "佐证材料记录：可能是添加时程序中断留下的，也可能是在本软件之外放进去的。"
                        "可以在窗口的“检查佐证材料”里把它另存出来，看过后重新添加。")
                for path in stray[:MAX_STRAY_LISTED]]
    if len(stray) > MAX_STRAY_LISTED:
        findings.append(Finding("evidence_stray", f"另有{len(stray) - MAX_STRAY_LISTED}个文件"
                                "同样没有对应的佐证材料记录。"))
    temp = temp_folder(store)
    left = [p for p in temp.iterdir() if p.is_file()] if temp.is_dir() else []
    if left:
        findings.append(Finding("evidence_temp", f"佐证材料文件夹的 tmp 里有{len(left)}个复制到一半的"
                                "临时文件（添加时程序中断留下的）。下次打开台账修改时会自动清理。"))
    return findings


def verify_evidence(ledger: Ledger) -> list[Finding]:
    """Every evidence file against its hash, at once (the command line and tests)."""
    return finish(check_evidence(ledger.db.conn, ledger.path))


def by_problem(findings: Iterable[Finding]) -> dict[int | None, list[Finding]]:
    """Findings grouped by problem_id (None: about the whole ledger), in first-seen order."""
    grouped: dict[int | None, list[Finding]] = {}
    for item in findings:
        grouped.setdefault(item.problem_id, []).append(item)
    return grouped


# -- start-up ----------------------------------------------------------------------------------

@dataclass
class Cleanup:
    removed_temp: list[Path] = field(default_factory=list)  # copies interrupted by a crash
    orphans: list[Path] = field(default_factory=list)  # files no row names: offer to discard
    missing: list[Finding] = field(default_factory=list)  # rows whose file is gone

    @property
    def clean(self) -> bool:
        return not (self.orphans or self.missing)


def clear_temp(ledger: Ledger) -> list[Path]:
    """Remove the temporary copies a crash interrupted; returns them. Not on a read-only ledger:
    the program that has it open for writing may be copying. Cheap: run as the ledger opens."""
    temp = temp_folder(evidence_store(ledger))
    removed = []
    if temp.is_dir() and not ledger.read_only:
        for path in sorted(temp.iterdir()):
            try:
                if path.is_file() or path.is_symlink():
                    path.unlink()
                    removed.append(path)
            except OSError:
                pass  # still open elsewhere (Windows): next start-up tries again
    return removed


def find_unmatched(conn: sqlite3.Connection, ledger_path: Path) -> Cleanup:
    """Files no row names (orphans) and rows with no file (missing); reads only, so a worker
    runs it on its own connection. Orphans are only listed: a backup may still name them;
    discard_orphans deletes those none names, on request."""
    store = store_folder(ledger_path)
    placed, others = stored_objects(store)
    unnamed = placed - named_objects(conn)
    result = Cleanup(orphans=sorted(others + [object_path(store, sha) for sha in unnamed]))
    for row in conn.execute("SELECT id, problem_id, sha256, display_name, size, deleted_at"
                            " FROM evidence ORDER BY problem_id, id").fetchall():
        if row[2] not in placed:
            result.missing.append(evidence_finding(conn, "evidence_missing", row, MISSING))
    return result


def startup_cleanup(ledger: Ledger) -> Cleanup:
    """clear_temp and find_unmatched at once (command line, tests). Cheap: no hashing, no
    backups read."""
    removed = clear_temp(ledger)
    result = find_unmatched(ledger.db.conn, ledger.path)
    result.removed_temp = removed
    return result


def discard_orphans(ledger: Ledger, paths: Iterable[Path], policy: BackupPolicy | None = None
                    ) -> int:
    """Delete files startup_cleanup listed as orphans, if still so and no backup names them
    (policy: where the backups are; none of a hash's name goes while they are unreachable);
    returns how many."""
    if ledger.read_only:
        raise ReadOnlyError(ledger.path)
    objects = objects_folder(evidence_store(ledger)).resolve()
    named = evidence_named_by_backups(policy or BackupPolicy(), ledger.path)
    protected = named_objects(ledger.db.conn) | (named or set())
    count = 0
    for path in paths:
        path = Path(path)
        if named is None and is_sha256(path.name):
            continue  # a backup out of reach may name it
        if objects not in path.resolve().parents or path.name in protected:
            continue  # only ever a file inside objects/ that nothing names
        try:
            if not path.is_file():
                continue
            path.unlink()
            count += 1
        except OSError:
            pass
    return count
