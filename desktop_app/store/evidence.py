"""佐证材料 rows of a ledger: the kinds, reading, editing, the 回收站 and emptying it.

Removing is a deleted_at stamp (回收站); only empty_recycle deletes rows, and it deletes files
after the commit (a crash then leaves only files no row names, which the start-up check lists),
never one that a backup of the ledger still names. Attaching is evidence_attach.py, checking
evidence_check.py, the bytes on disk evidence_files.py.
"""

import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..domain.vocabulary import DEFAULT_EVIDENCE_KINDS
from .backups import BackupPolicy, evidence_named_by_backups
from .dates import iso_date, now_text
from .evidence_files import (copy_out, display_name, is_sha256, named_objects, object_path,
                             objects_folder, store_folder)
from .ledger import Ledger

DEFAULT_MAX_BYTES = 500 * 1024 * 1024
KINDS_KEY = "evidence_kinds"  # meta row: the ledger's own list of 佐证材料类型, JSON
RECENT_SECONDS = 3600  # a file no row names yet this young may be an attachment being copied in
TAKEN_ON = "拍摄或印发日期"
EDITABLE = ("caption", "kind", "taken_on", "measure_id", "display_name")


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


def discard_unreferenced(ledger: Ledger, hashes: Iterable[str],
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
        fields["taken_on"] = iso_date(fields["taken_on"], TAKEN_ON)
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
    return _stamp(ledger, evidence_ids, now_text())


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
    files, freed = _discard_unless_backed_up(ledger, candidates, policy)
    unnamed = candidates - named_objects(ledger.db.conn)
    kept = sum(1 for sha in unnamed if object_path(evidence_store(ledger), sha).is_file())
    return Emptied(len(rows), files, freed, kept)


def _discard_unless_backed_up(ledger: Ledger, hashes: set[str],
                              policy: BackupPolicy | None) -> tuple[int, int]:
    """discard_unreferenced, keeping what a backup names (all, with the backups out of reach)."""
    named = evidence_named_by_backups(policy or BackupPolicy(), ledger.path)
    return discard_unreferenced(ledger, hashes, hashes if named is None else named)


def discard_undone(ledger: Ledger, hashes: Iterable[str], policy: BackupPolicy | None = None
                   ) -> tuple[int, int]:
    """When the window closes its undo stack: the files attachments of this session brought in
    (hashes) that no row names any more, because their attaching was undone, go — unless a backup
    names them. Their redo died with the stack. Returns (files, bytes) deleted."""
    if ledger.read_only:
        return 0, 0
    return _discard_unless_backed_up(ledger, set(hashes), policy)


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
