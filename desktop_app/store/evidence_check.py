"""Checking 佐证材料: every stored file against its row, leftovers of a crash, and the whole
ledger's check (the file, its audit chain and rows, then its evidence).

check_evidence is a plain generator of Step for the window to run off the UI thread.
"""

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generator, Iterable

from ..jobs import Step, finish
from .connection import _connect
from .backups import BackupPolicy, evidence_named_by_backups
from .errors import ReadOnlyError
from .evidence import evidence_store
from .evidence_files import (hash_file, is_sha256, kib, named_objects, object_path, objects_folder,
                             store_folder, stored_objects, temp_folder)
from .integrity import Finding, check_connection, verify_file
from .ledger import Ledger


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
                   ) -> Generator[Step, None, list[Finding]]:
    """Hash every stored file (once per content) against the rows naming it; yields Step in
    KiB, returns findings kind evidence_missing / evidence_altered, each with its problem_id."""
    store = store_folder(ledger_path)
    rows = conn.execute("SELECT id, problem_id, sha256, display_name, size, deleted_at"
                        " FROM evidence ORDER BY problem_id, id").fetchall()
    by_hash: dict[str, list] = {}
    for row in rows:
        by_hash.setdefault(row[2], []).append(row)
    total = max(1, kib(sum(group[0][4] for group in by_hash.values())))
    findings, done = [], 0
    yield Step(0, total, "正在核对佐证材料……")
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
                yield Step(min(total, kib(done + read)), total, message)
            if actual != sha:
                findings += [evidence_finding(conn, "evidence_altered", row, ALTERED) for row in group]
        done += group[0][4]
    findings.sort(key=lambda f: (f.problem_id or 0))
    yield Step(total, total, "佐证材料核对完毕。")
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


# -- the whole ledger --------------------------------------------------------------------------

def _with_evidence(conn: sqlite3.Connection, path: Path, findings: list[Finding]) -> list[Finding]:
    if any(f.is_damage for f in findings):
        return findings  # rows of a damaged file cannot be trusted to name the right files
    return findings + finish(check_evidence(conn, path)) + leftover_findings(conn, path)


def check_ledger(ledger: Ledger) -> list[Finding]:
    """Every check on an open ledger, its 佐证材料 files included; empty means all is well."""
    return _with_evidence(ledger.db.conn, ledger.path, check_connection(ledger.db.conn))


def verify_ledger_file(path: Path) -> list[Finding]:
    """integrity.verify_file (read-only, full depth, audit chain), then every 佐证材料 file."""
    findings = verify_file(path)
    if any(f.kind == "unreadable" for f in findings):
        return findings
    conn = _connect(Path(path), read_only=True)
    try:
        return _with_evidence(conn, Path(path), findings)
    finally:
        conn.close()
