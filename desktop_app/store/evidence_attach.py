"""Attaching files to a problem as 佐证材料: check the batch, copy it in, then commit its rows.

Order that makes a crash harmless: copy to a temporary name, fsync, rename into objects/, and
only then commit the rows. A crash before the commit leaves a stray temporary file or an object
no row names (evidence_check.startup_cleanup finds both); it never leaves a row without its file.

attach_files is a plain generator of Step for the window to run off the UI thread (closing it
cancels cleanly). It touches the database only before copying and in the final commit, so the
Ledger it is given must belong to the thread that runs it.
"""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Generator, Iterable

from ..jobs import Step
from . import audit
from .errors import AttachFailedError, EvidenceTooLargeError, LedgerError, ReadOnlyError, describe_failure
from .dates import iso_date, now_text
from .evidence import (DEFAULT_MAX_BYTES, TAKEN_ON, discard_unreferenced, evidence_kinds,
                       evidence_store)
from .evidence_files import display_name, kib, store_files
from .ledger import Ledger


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
        """Step units (KiB) of the whole batch."""
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
    return AttachPlan(problem_id, measure_id, kind, caption.strip(), iso_date(taken_on, TAKEN_ON),
                      added_by or ledger.app_user or audit.os_user(), max_bytes,
                      evidence_store(ledger), _measure_sources(paths, max_bytes))


def copy_files(plan: AttachPlan) -> Generator[Step, None, AttachPlan]:
    """Copy a batch into the store (no database: safe on a worker thread); yields Step in
    KiB. Raises AttachFailedError (full disk, unreadable file) or EvidenceTooLargeError (a file
    grew); then, or after close(), call abandon_attach on the ledger's thread."""
    total, count = plan.total, len(plan.sources)

    def placed(index: int, sha: str, size: int, created: bool) -> None:
        plan.stored.append((plan.sources[index], sha, size))
        if created:
            plan.created.append(sha)

    yield Step(0, total, "准备复制佐证材料……")
    files = [(source.path, source.name) for source in plan.sources]
    for index, copied in store_files(plan.store, files, plan.max_bytes, placed):
        yield Step(min(total, kib(copied)), total,
                   f"正在复制“{plan.sources[index].name}”（{index + 1}/{count}）")
    yield Step(total, total, f"正在保存{len(plan.stored)}个佐证材料……")
    return plan


def commit_attach(ledger: Ledger, plan: AttachPlan) -> list[int]:
    """Add the rows of a copied batch in one transaction; returns their ids (remove() them to
    undo). On failure the batch's new files are discarded and the error raised."""
    if len(plan.stored) != len(plan.sources):
        raise ValueError("佐证材料还没有复制完，不能保存。")
    try:
        ids = []
        now = now_text()
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
    discard_unreferenced(ledger, plan.created)
    plan.created.clear()


def attach_files(ledger: Ledger, problem_id: int, paths: Iterable, caption: str = "",
                 kind: str = "文件", measure_id: int | None = None, added_by: str = "",
                 taken_on: date | str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
                 ) -> Generator[Step, None, list[int]]:
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
