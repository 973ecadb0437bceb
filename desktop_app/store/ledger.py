"""The ledger file's API: read the tree, and make every change as one audited transaction."""

import errno
import sqlite3
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Generator

from .. import collector
from ..domain.deadlines import infer_term, parse_deadline
from ..domain.ledger_tree import LedgerTree, build_tree
from ..domain.vocabulary import InspectionKind, Status, Term
from ..jobs import Step, finish
from .dates import now_text
from . import audit, bulk, changes, row_digests
from .changes import ChangeSet
from .connection import copy_database, create_file, dict_rows, is_writable, open_file
from .deferred_check import DeferredCheck
from .errors import (DISK_FULL, ExportFailedError, ReadOnlyError, WriteFailedError,
                     as_disk_full, describe_failure)
from .evidence_files import copy_objects, named_objects, store_folder
from .lock import LedgerLock


@dataclass(frozen=True)
class Kind:
    table: str
    parent: str | None  # the column naming the parent; siblings share it
    scope: str | None  # a further column siblings share (categories: their inspection)
    fields: tuple[str, ...]  # what a user may edit


KINDS = {
    "inspection": Kind("inspections", None, None,
                       ("name", "kind", "feedback_date", "org", "notes")),
    "category": Kind("categories", "parent_id", "inspection_id", ("title",)),
    "problem": Kind("problems", "category_id", None,
                    ("code", "description", "goal", "lead_official", "lead_unit", "support_units",
                     "deadline_text", "term", "status", "completion", "remarks", "start_date")),
    "measure": Kind("measures", "problem_id", None, ("text", "completion")),
}
_VOCABULARY = {("inspection", "kind"): InspectionKind, ("problem", "term"): Term,
               ("problem", "status"): Status}


def _measure_fields(measure) -> dict:
    """A measure given as its text or as {"text", "completion"}."""
    if isinstance(measure, str):
        measure = {"text": measure}
    return {"text": measure.get("text", ""), "completion": measure.get("completion", "")}


def _failure_reason(error: BaseException) -> str:
    text = str(error).lower()
    if "full" in text or getattr(error, "errno", None) == errno.ENOSPC:
        return DISK_FULL
    if "locked" in text or "busy" in text:
        return "文件正被其他程序占用。请关闭在别处打开的同一个台账。"
    if "readonly" in text or "read-only" in text:
        return "文件是只读的。"
    if "i/o" in text:
        return "读写磁盘出错。如果台账在U盘上，请确认U盘没有被拔出。"
    return str(error)


def upgrade(path: Path) -> Generator[Step, None, None]:
    """Upgrade a ledger of an older version in place, as opening it does (connection.migrate: a
    升级前 copy first, then every row digested), as a job: a county's ledger takes seconds."""
    yield Step(0, 0, "正在把台账升级为新版本的格式（先另存一份“升级前”备份）……")
    Ledger.open(path).close()


class Ledger:
    """One open ledger file. Not thread-safe: one Ledger per thread."""

    def __init__(self, path: Path, conn: sqlite3.Connection, read_only: bool = False,
                 read_only_reason: str | None = None, lock: LedgerLock | None = None):
        self.path = Path(path)
        self.lock = lock
        self.conn = conn
        self._db = None
        self.read_only = read_only
        self.read_only_reason = read_only_reason
        self.app_user = ""
        self._depth = 0  # writing() blocks open; the outermost one makes the change set
        self._audit_from = 0  # the newest audit entry before the open transaction
        self._label, self._source, self._replay = "", "", False
        self.last_change: ChangeSet | None = None
        self._replayed = []  # ranges an undo or redo wrote (store.bulk), for its change set
        self.pending_check: DeferredCheck | None = None  # opened with check_later: writes wait
        self._columns = {} if read_only else changes.install(conn)

    @property
    def db(self):
        """sqlite_utils over the connection, made at first use: importing it takes 0.1 s, and
        what the window reads to open goes through self.conn (store.connection.dict_rows)."""
        if self._db is None:
            from sqlite_utils import Database
            self._db = Database(self.conn)
        return self._db

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path) -> "Ledger":
        if Path(path).exists():
            raise FileExistsError(path)
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        lock = LedgerLock.acquire(path)
        try:
            return cls(path, create_file(path), lock=lock)
        except BaseException:
            lock.release()
            raise

    @classmethod
    def open(cls, path: Path, read_only: bool = False, check_later: bool = False) -> "Ledger":
        """Open a ledger; a file we may not write opens read-only, with the reason kept.

        Opening for writing takes the ledger's lock (store.lock): one writer at a time.
        check_later: SQLite's quick check of the file is left to pending_check, to run on a
        worker thread (pending_check.run); writing() waits for it and refuses a damaged file.
        """
        reason = None
        if not read_only and Path(path).exists() and not is_writable(path):
            read_only, reason = True, str(ReadOnlyError(path))
        lock = None if read_only or not Path(path).exists() else LedgerLock.acquire(path)
        check_later = check_later and not read_only
        try:
            ledger = cls(path, open_file(path, read_only, quick_check=not check_later), read_only,
                         reason, lock)
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        if check_later:
            ledger.pending_check = DeferredCheck(path)
        return ledger

    @classmethod
    def open_beside(cls, path: Path) -> "Ledger":
        """A second writing connection to a ledger this process already holds open (and
        locked), for a worker thread: SQLite serialises the two connections' writes."""
        return cls(path, open_file(path))

    def heartbeat(self) -> None:
        """Tell other PCs this ledger is still open here (call every lock.HEARTBEAT_SECONDS)."""
        if self.lock is not None:
            self.lock.heartbeat()

    def close(self) -> None:
        if not self.read_only and (self.pending_check is None or self.pending_check.passed):
            # Fold the WAL back in, so the file alone can be copied to a USB stick; never into a
            # file the quick check found damaged, or has not yet passed.
            try:
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:
                pass  # a held lock or a pulled stick: the WAL stays and SQLite recovers it
        self.conn.close()
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def save_copy(self, target: Path) -> None:
        """Write a consistent copy of the whole ledger to target (另存副本), 佐证材料 included."""
        finish(self.save_copy_steps(target))

    def save_copy_steps(self, target: Path) -> Generator[Step, None, Path]:
        """save_copy as a generator of Step (KiB of evidence files), for a worker thread with
        its own Ledger. The evidence files go into "<target stem>-佐证材料" first, so a copy cut
        short has spare files, never a row without its file; closing it cancels."""
        target = Path(target)
        source, copied = store_folder(self.path), store_folder(target)

        def copy_files():
            try:
                yield from copy_objects(source, copied, named_objects(self.conn))
            except OSError as e:
                raise ExportFailedError(copied, describe_failure(e)) from e
        yield from copy_files()
        copy_database(self.conn, target)
        yield from copy_files()  # rows attached meanwhile (the window kept working) need theirs
        return target

    # -- writing ---------------------------------------------------------------------------

    @contextmanager
    def writing(self):
        """One transaction; nested calls join the outer one. Failures become WriteFailedError.

        When the outermost block ends, what it wrote becomes self.last_change (a ChangeSet),
        recorded in the audit trail in the same transaction.
        """
        if self.read_only:
            raise ReadOnlyError(self.path)
        if self.pending_check is not None:
            self.pending_check.wait(self.conn)  # FailsQuickCheckError: nothing is written
            self.pending_check = None
        outer = self._depth == 0
        if outer:
            self.last_change = None
        self._depth += 1
        try:
            with self.db.atomic(), (collector.paused() if outer else nullcontext()):
                if outer:  # the audit entries after this one are the transaction's own
                    self._audit_from = self.conn.execute(
                        "SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0]
                yield self.conn
                if outer:
                    self.last_change = self._close_change_set()
        except sqlite3.OperationalError as e:
            raise WriteFailedError(self.path, _failure_reason(as_disk_full(e, self.path))) from e
        finally:
            self._depth -= 1
            if outer:
                self._label, self._source, self._replay = "", "", False
                self._replayed = []

    @contextmanager
    def change(self, label: str, source: str = "", replay: bool = False):
        """writing() for one user action: label names it (the undo text), source says where it
        came from (窗口, 命令行, a file's name); both go into the audit trail. Inside another
        writing() block it joins that one, whose label stands."""
        if self._depth == 0:
            self._label, self._source, self._replay = label, source, replay
        with self.writing() as conn:
            yield conn

    def capture_in_bulk(self, *tables: str) -> None:
        """Inside writing(): the rows these tables gain until the change ends are kept as ranges
        of ids (store.bulk), not row by row; for imports and merges. Parents first."""
        assert self._depth, "capture_in_bulk outside writing()"
        bulk.begin(self.conn, tables, self._columns)

    def unlogged_inserts(self, table: str):
        """Inside capture_in_bulk, around inserts of rows the range covers (bulk.unlogged_inserts);
        yields the range's first rowid."""
        return bulk.unlogged_inserts(self.conn, table, self._columns[table])

    def _close_change_set(self) -> ChangeSet:
        conn = self.conn
        ranges = bulk.close(conn, self._columns) + self._replayed  # digested already
        logged = changes.collect(conn, self._columns)
        rows = logged + ranges
        change_set = ChangeSet(self._label, self._source, rows, changes.summarize(conn, rows),
                               self._replay)
        if rows:
            audit.record_change_set(conn, change_set, self.app_user)
        # Digest what the transaction wrote (store.row_digests): its rows, and the audit entries
        # with their head, whether from this change set or written directly (a merge's notes).
        row_digests.seal_change(conn, logged, self._audit_from, audit.HEAD_KEY)
        changes.collect(conn, self._columns)  # the audit head and digests are no change
        return change_set

    def schema_changed(self) -> None:
        """The file's tables were replaced (a restore): capture changes of the tables as now."""
        self._columns = changes.install(self.conn, replace=True)

    def revert(self, change_set: ChangeSet, source: str = "") -> ChangeSet:
        """Undo: put back every row as it was before change_set, in one transaction.
        Raises ReplayConflictError, with nothing changed, if the ledger has moved on."""
        with self.change(f"撤销：{change_set.label}", source, replay=True):
            self._replayed = bulk.replay(self.conn, change_set.rows, self._columns, forward=False)
        return self.last_change

    def reapply(self, change_set: ChangeSet, source: str = "") -> ChangeSet:
        """Redo: make change_set again, rows and ids as they were."""
        with self.change(f"重做：{change_set.label}", source, replay=True):
            self._replayed = bulk.replay(self.conn, change_set.rows, self._columns, forward=True)
        return self.last_change

    @property
    def title(self) -> str:
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'title'").fetchone()
        return row[0] if row else ""

    def set_title(self, title: str) -> None:
        with self.writing() as conn:
            conn.execute("INSERT INTO meta (key, value) VALUES ('title', ?)"
                         " ON CONFLICT(key) DO UPDATE SET value = excluded.value", (title,))

    def _siblings_where(self, kind: Kind, row: dict) -> tuple[str, list]:
        clauses, params = [], []
        for column in (kind.scope, kind.parent):
            if column:
                clauses.append(f"{column} IS ?")
                params.append(row[column])
        return (" AND ".join(clauses) or "1"), params

    def _count_siblings(self, kind: Kind, row: dict, excluding: int | None = None) -> int:
        where, params = self._siblings_where(kind, row)
        return self.conn.execute(f"SELECT count(*) FROM {kind.table} WHERE {where} AND id IS NOT ?",
                               [*params, excluding]).fetchone()[0]

    def _shift(self, kind: Kind, row: dict, from_position: int, delta: int) -> None:
        where, params = self._siblings_where(kind, row)
        self.conn.execute(f"UPDATE {kind.table} SET position = position + ? WHERE {where}"
                        " AND position >= ?", [delta, *params, from_position])

    def _insert(self, kind_name: str, values: dict, index: int | None) -> int:
        kind = KINDS[kind_name]
        with self.writing():
            count = self._count_siblings(kind, values)
            index = count if index is None else max(0, min(index, count))
            self._shift(kind, values, index, +1)
            row = {**values, "position": index}
            # Plain SQL: sqlite-utils' insert reads the table's columns again at every call.
            new_id = self.conn.execute(
                f"INSERT INTO {kind.table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                list(row.values())).lastrowid
            return new_id

    def add_inspection(self, name: str, kind: str = InspectionKind.CENTRAL, feedback_date=None,
                       org: str = "", notes: str = "", index: int | None = None) -> int:
        now = now_text()
        return self._insert("inspection", {
            "name": name, "kind": InspectionKind(kind).value, "feedback_date": feedback_date,
            "org": org, "notes": notes, "created_at": now, "updated_at": now}, index)

    def add_category(self, inspection_id: int, title: str, parent_id: int | None = None,
                     index: int | None = None) -> int:
        if parent_id is not None:
            parent = self.row("category", parent_id)
            if parent["parent_id"] is not None:
                raise ValueError("小类下面不能再分小类")
            inspection_id = parent["inspection_id"]
        return self._insert("category", {"inspection_id": inspection_id, "parent_id": parent_id,
                                          "title": title}, index)

    def add_problem(self, category_id: int, index: int | None = None, measures=(),
                    **fields) -> int:
        """Add a problem; measures is a list of texts or {"text", "completion"} dicts."""
        values = self._problem_values(category_id, fields)
        with self.writing():
            problem_id = self._insert("problem", values, index)
            for measure in measures:
                measure = _measure_fields(measure)
                self.add_measure(problem_id, measure["text"], measure["completion"])
            return problem_id

    @staticmethod
    def _problem_values(category_id: int, fields: dict) -> dict:
        unknown = set(fields) - set(KINDS["problem"].fields)
        if unknown:
            raise ValueError(f"unknown problem fields: {sorted(unknown)}")
        values = {name: fields.get(name) or "" for name in KINDS["problem"].fields}
        values["term"] = Term(fields.get("term") or infer_term(values["deadline_text"])).value
        values["status"] = Status(fields.get("status") or Status.NOT_STARTED).value
        values["start_date"] = fields.get("start_date")
        deadline = parse_deadline(values["deadline_text"])
        now = now_text()
        values.update(category_id=category_id, deadline=deadline.isoformat() if deadline else None,
                      created_at=now, updated_at=now)
        return values

    def add_problems(self, items) -> list[int]:
        """Append many problems at the ends of their categories, as add_problem would one by one
        (same rows, positions and audit entries), in one transaction: items are (category_id,
        fields with an optional "measures" list). Rows go in with executemany: the import of a
        10,000-problem workbook spent seconds in per-row inserts and sibling counts.
        """
        items = [(category_id, dict(fields)) for category_id, fields in items]
        with self.writing() as conn:
            next_position = {}
            problem_rows, measure_rows = [], []
            problem_id = conn.execute("SELECT coalesce(max(id), 0) FROM problems").fetchone()[0]
            measure_id = conn.execute("SELECT coalesce(max(id), 0) FROM measures").fetchone()[0]
            ids = []
            for category_id, fields in items:
                measures = [_measure_fields(m) for m in fields.pop("measures", ())]
                values = self._problem_values(category_id, fields)
                if category_id not in next_position:
                    next_position[category_id] = self._count_siblings(KINDS["problem"], values)
                values["position"] = next_position[category_id]
                next_position[category_id] += 1
                problem_id += 1
                ids.append(problem_id)
                problem_rows.append({"id": problem_id, **values})
                for position, measure in enumerate(measures):
                    measure_id += 1
                    row = {"problem_id": problem_id, **measure}
                    measure_rows.append({"id": measure_id, **row, "position": position})
            for table, rows in (("problems", problem_rows), ("measures", measure_rows)):
                if rows:
                    columns = list(rows[0])
                    conn.executemany(
                        f"INSERT INTO {table} ({', '.join(columns)})"
                        f" VALUES ({', '.join('?' * len(columns))})",
                        [[row[c] for c in columns] for row in rows])
            return ids

    def add_measure(self, problem_id: int, text: str = "", completion: str = "",
                    index: int | None = None) -> int:
        return self._insert("measure", {"problem_id": problem_id, "text": text,
                                        "completion": completion}, index)

    def update(self, kind_name: str, row_id: int, /, **fields) -> dict:
        """Change fields of one row; returns their old values (for undo)."""
        kind = KINDS[kind_name]
        unknown = set(fields) - set(kind.fields)
        if unknown:
            raise ValueError(f"{kind_name} has no editable fields {sorted(unknown)}")
        for name, value in fields.items():
            vocabulary = _VOCABULARY.get((kind_name, name))
            if vocabulary is not None:
                fields[name] = vocabulary(value).value
        with self.writing():
            current = self.row(kind_name, row_id)
            changed = {k: v for k, v in fields.items() if current[k] != v}
            if not changed:
                return {}
            stored = dict(changed)
            if "deadline_text" in changed:
                deadline = parse_deadline(changed["deadline_text"])
                stored["deadline"] = deadline.isoformat() if deadline else None
            if "updated_at" in current:
                stored["updated_at"] = now_text()
            self.db[kind.table].update(row_id, stored)
            return {k: current[k] for k in changed}

    def move(self, kind_name: str, row_id: int, index: int, parent_id=...) -> tuple:
        """Move a row to index among the children of parent_id (default: its own parent).

        index counts the new siblings without the moved row. Returns (old parent, old index)
        so the move can be undone.
        """
        kind = KINDS[kind_name]
        with self.writing():
            row = self.row(kind_name, row_id)
            old_parent = row[kind.parent] if kind.parent else None
            old_index = row["position"]
            if parent_id is ...:
                parent_id = old_parent
            if kind_name == "category":
                self._check_category_move(row, parent_id)
            elif kind_name == "problem" and parent_id != old_parent:
                self._check_same_inspection(old_parent, parent_id)
            self._shift(kind, row, old_index + 1, -1)
            target = dict(row)
            if kind.parent:
                target[kind.parent] = parent_id
            self.conn.execute(f"UPDATE {kind.table} SET position = -1 WHERE id = ?", [row_id])
            count = self._count_siblings(kind, target, excluding=row_id)
            index = max(0, min(index, count))
            self._shift(kind, target, index, +1)
            changes = {"position": index}
            if kind.parent:
                changes[kind.parent] = parent_id
            self.db[kind.table].update(row_id, changes)
            return old_parent, old_index

    def _check_category_move(self, row: dict, parent_id) -> None:
        if parent_id is None:
            return
        parent = self.row("category", parent_id)
        if parent["parent_id"] is not None or parent_id == row["id"]:
            raise ValueError("大类只能放到另一个大类下面作为小类")
        if parent["inspection_id"] != row["inspection_id"]:
            raise ValueError("不能把类别移到另一个督察批次")
        has_children = self.conn.execute("SELECT 1 FROM categories WHERE parent_id = ? LIMIT 1",
                                       [row["id"]]).fetchone()
        if has_children:
            raise ValueError("含有小类的大类不能再变成小类")

    def _check_same_inspection(self, old_category: int, new_category: int) -> None:
        inspections = {self.row("category", c)["inspection_id"] for c in (old_category, new_category)}
        if len(inspections) != 1:
            raise ValueError("不能把问题移到另一个督察批次")

    # -- delete ----------------------------------------------------------------

    def delete(self, kind_name: str, row_id: int) -> None:
        """Delete a row and, by the schema's cascades, everything under it."""
        kind = KINDS[kind_name]
        with self.writing():
            row = self.row(kind_name, row_id)
            self.conn.execute(f"DELETE FROM {kind.table} WHERE id = ?", [row_id])
            self._shift(kind, row, row["position"] + 1, -1)

    # -- reading ---------------------------------------------------------------------------

    def row(self, kind_name: str, row_id: int) -> dict:
        found = dict_rows(self.conn, f"SELECT * FROM {KINDS[kind_name].table} WHERE id = ?", [row_id])
        if not found:
            raise LookupError(f"no {kind_name} {row_id}")
        return found[0]

    def exists(self, kind_name: str, row_id: int) -> bool:
        return self.db[KINDS[kind_name].table].count_where("id = ?", [row_id]) > 0

    def inspection_of(self, kind_name: str, row_id: int) -> int | None:
        """The inspection a category, problem or measure belongs to (None: no such row)."""
        sql = {"category": "SELECT inspection_id FROM categories WHERE id = ?",
               "problem": "SELECT c.inspection_id FROM problems p"
                          " JOIN categories c ON c.id = p.category_id WHERE p.id = ?",
               "measure": "SELECT c.inspection_id FROM measures m JOIN problems p ON p.id ="
                          " m.problem_id JOIN categories c ON c.id = p.category_id WHERE m.id = ?"}
        found = self.conn.execute(sql[kind_name], [row_id]).fetchone()
        return found[0] if found else None

    def inspections(self) -> list[dict]:
        return dict_rows(self.conn, "SELECT * FROM inspections ORDER BY position, id")

    def categories(self, inspection_id: int) -> list[dict]:
        return dict_rows(self.conn, "SELECT * FROM categories WHERE inspection_id = ?", [inspection_id])

    def problem(self, problem_id: int) -> dict:
        row = self.row("problem", problem_id)
        row["measures"] = self.measures(problem_id)
        return row

    def measures(self, problem_id: int) -> list[dict]:
        return dict_rows(self.conn, "SELECT * FROM measures WHERE problem_id = ? ORDER BY position",
                         [problem_id])

    def tree(self, inspection_id: int) -> LedgerTree:
        """The numbered tree of one inspection, each problem row holding its measures."""
        problems = dict_rows(self.conn, "SELECT p.* FROM problems p JOIN categories c"
                             " ON c.id = p.category_id WHERE c.inspection_id = ?", [inspection_id])
        by_problem: dict[int, list] = {p["id"]: [] for p in problems}
        # Sorted here, not by ORDER BY: SQLite's sort of 24,000 measures cost a quarter of the read.
        for measure in dict_rows(self.conn, "SELECT m.* FROM measures m JOIN problems p"
                                 " ON p.id = m.problem_id JOIN categories c ON c.id = p.category_id"
                                 " WHERE c.inspection_id = ?", [inspection_id]):
            by_problem[measure["problem_id"]].append(measure)
        for problem in problems:
            measures = problem["measures"] = by_problem[problem["id"]]
            measures.sort(key=itemgetter("position"))
        return build_tree(self.categories(inspection_id), problems)
