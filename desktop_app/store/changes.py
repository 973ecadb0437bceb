"""Change sets: every row a transaction wrote, with old and new values, for undo, audit and views.

Temporary triggers (this connection only) log each insert, update and delete into a temporary
table while a write runs; Ledger.writing() turns the log into a ChangeSet when its outermost
transaction ends. Foreign-key cascades fire the triggers too, so what a delete took with it is in
the set. Undo replays the inverse in reverse order, redo replays the set forward; each replay is
itself a write, so it is audited like any other.
"""

import json
import sqlite3
from dataclasses import dataclass, field

from .errors import LedgerError

LOG = "temp.change_log"
# Rows of a table with rowid low..high that are written in bulk (store.bulk): not logged here.
BULK = "temp.bulk_rows"
# The audit trail is the record of change sets, not part of one; its head marker and the row
# digests (store.row_digests) likewise.
UNTRACKED_TABLES = {"audit_log", "row_digests"}
UNTRACKED_META_KEYS = ("audit_head", "row_digests")

# Table → the name the audit trail and the views use (GLOSSARY).
ENTITIES = {"inspections": "inspection", "categories": "category", "problems": "problem",
            "measures": "measure", "progress_reports": "progress_report",
            "deadline_changes": "deadline_change", "evidence": "evidence", "signoffs": "signoff",
            "signoff_events": "signoff_event", "petitions": "petition", "holidays": "holiday",
            "meta": "meta", "rechecks": "recheck", "links": "link", "supervisions": "supervision",
            "accountability_cases": "accountability", "accountable_units": "accountable_unit",
            "accountable_persons": "accountable_person"}
# The tables whose rows make the numbered tree: adding, removing or moving one renumbers.
STRUCTURE = {"inspections", "categories", "problems", "measures"}
_TREE_COLUMNS = {"position", "category_id", "parent_id", "inspection_id", "problem_id"}


class ReplayConflictError(LedgerError):
    """Undo or redo found the ledger no longer as the change left it."""


@dataclass(frozen=True)
class RowChange:
    table: str
    op: str  # "insert", "update" or "delete"
    rowid: int
    old: dict | None  # the row before (update, delete)
    new: dict | None  # the row after (insert, update)
    # A REAL was read back from the log's JSON, which keeps 15 digits: new may not be as stored.
    rounded: bool = False

    @property
    def changed_columns(self) -> list[str]:
        if self.op != "update":
            return list((self.new or self.old).keys())
        return [k for k in self.new if self.old.get(k) != self.new[k]]


@dataclass
class RowRange:
    """Rows one change created ("insert") or removed ("delete") in bulk (store.bulk): every row
    of table with rowid low..high, as the change left them or as they were. Their values are not
    held here (a merge makes 488,000); count and digest (the sum of their row digests) tell
    whether they are still as the change left them."""
    table: str
    op: str
    low: int
    high: int
    count: int
    digest: int
    kept: str | None = None  # a temp table of the connection that removed them, for putting back


@dataclass(frozen=True)
class OpChanges:
    """What one change did, for views: refresh only what it touched."""
    tables: frozenset = frozenset()
    inspections: frozenset = frozenset()  # inspections it touched (their rows or anything under them)
    categories: frozenset = frozenset()  # categories whose row or whose problems changed
    problems: frozenset = frozenset()  # problems whose row or whose measures, reports … changed
    structure: bool = False  # rows of the tree added, removed or moved: numbering may change
    removed: frozenset = frozenset()  # (entity, id) of rows gone after the change
    focus: tuple | None = None  # (entity, id) of the row the change is about, to select
    everything: bool = False  # the whole file changed (a restore) or a bulk write: read it all again
    rows: frozenset = frozenset()  # (entity, id) of every row written that is still there

    def touches(self, *tables: str) -> bool:
        return self.everything or bool(self.tables.intersection(tables))

    def ids(self, entity: str) -> list[int]:
        """The ids of the rows of one kind the change wrote and left in place."""
        return sorted(i for e, i in self.rows if e == entity)


@dataclass
class ChangeSet:
    label: str
    source: str
    rows: list[RowChange | RowRange] = field(default_factory=list)  # in the order written
    changes: OpChanges = field(default_factory=OpChanges)
    replay: bool = False  # an undo or redo: rows it puts back are restored, not new

    @property
    def empty(self) -> bool:
        return not self.rows

    @property
    def row_count(self) -> int:
        return sum(r.count if isinstance(r, RowRange) else 1 for r in self.rows)

    def followed_by(self, later: "ChangeSet") -> "ChangeSet":
        """One set doing both (typing merged into one undo step)."""
        return ChangeSet(self.label, self.source, self.rows + later.rows,
                         merge_changes(self.changes, later.changes), self.replay)


def merge_changes(a: OpChanges, b: OpChanges) -> OpChanges:
    """One summary of a change followed by another."""
    return OpChanges(a.tables | b.tables, a.inspections | b.inspections,
                     a.categories | b.categories, a.problems | b.problems,
                     a.structure or b.structure, (a.removed - b.rows) | b.removed,
                     b.focus or a.focus, a.everything or b.everything,
                     (a.rows - b.removed) | b.rows)


# -- capture ---------------------------------------------------------------------------------

def tracked_tables(conn: sqlite3.Connection) -> dict[str, list[str]]:
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {t: [c[1] for c in conn.execute(f"PRAGMA main.table_info({t})")]
            for t in tables if t not in UNTRACKED_TABLES}


def install(conn: sqlite3.Connection, replace: bool = False) -> dict[str, list[str]]:
    """Create the log and its triggers on this connection; returns the tracked tables' columns.
    replace: drop the triggers made for an earlier schema first."""
    # REPLACE deletes rows silently unless recursive triggers are on.
    conn.execute("PRAGMA recursive_triggers = ON")
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS change_log (seq INTEGER PRIMARY KEY,"
                 " tbl TEXT NOT NULL, op TEXT NOT NULL, rid INTEGER NOT NULL, old TEXT, new TEXT)")
    # created: ranges Ledger.capture_in_bulk opened (store.bulk.close makes their RowRanges)
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS bulk_rows (seq INTEGER PRIMARY KEY,"
                 " tbl TEXT NOT NULL, low INTEGER NOT NULL, high INTEGER NOT NULL,"
                 " created INTEGER NOT NULL)")
    if replace:
        for (name,) in conn.execute("SELECT name FROM temp.sqlite_master WHERE type = 'trigger'"
                                    " AND name LIKE 'cs\\_%' ESCAPE '\\'").fetchall():
            conn.execute(f'DROP TRIGGER temp."{name}"')
    tables = tracked_tables(conn)
    for table, columns in tables.items():
        skip = _unless_bulk(table, "NEW")
        old_skip = _unless_bulk(table, "OLD")
        conn.executescript(f"""
            {_insert_trigger(table, columns, skip)};
            CREATE TEMP TRIGGER IF NOT EXISTS cs_{table}_u AFTER UPDATE ON main."{table}"{old_skip}
            BEGIN INSERT INTO change_log (tbl, op, rid, old, new)
                  VALUES ('{table}', 'update', OLD.rowid, {_values(columns, 'OLD')}, {_values(columns, 'NEW')}); END;
            CREATE TEMP TRIGGER IF NOT EXISTS cs_{table}_d AFTER DELETE ON main."{table}"{old_skip}
            BEGIN INSERT INTO change_log (tbl, op, rid, old)
                  VALUES ('{table}', 'delete', OLD.rowid, {_values(columns, 'OLD')}); END;
        """)
    return tables


def _values(columns: list[str], alias: str) -> str:
    return "json_array(" + ", ".join(f"{alias}.\"{c}\"" for c in columns) + ")"


def _unless_bulk(table: str, alias: str) -> str:
    """WHEN: the row is none of those written in bulk (nor a meta row the log leaves out)."""
    when = (f" WHEN NOT EXISTS (SELECT 1 FROM {BULK} WHERE tbl = '{table}'"
            f" AND {alias}.rowid BETWEEN low AND high)")
    if table == "meta":
        keys = ", ".join(f"'{k}'" for k in UNTRACKED_META_KEYS)
        when += f" AND coalesce({alias}.key, '') NOT IN ({keys})"
    return when


def _insert_trigger(table: str, columns: list[str], when: str) -> str:
    return (f'CREATE TEMP TRIGGER IF NOT EXISTS cs_{table}_i AFTER INSERT ON main."{table}"{when}'
            f" BEGIN INSERT INTO change_log (tbl, op, rid, new)"
            f" VALUES ('{table}', 'insert', NEW.rowid, {_values(columns, 'NEW')}); END")


def log_inserts_below(conn: sqlite3.Connection, table: str, columns: list[str], low: int) -> None:
    """Until log_every_insert, inserts into table from rowid low up are not logged (store.bulk
    captures them): a comparison with a number where the usual trigger looks the bulk ranges
    up for every row (0.4 s of a 488,000-row merge). Inside the transaction: a rollback
    brings the usual trigger back."""
    stop_logging_inserts(conn, table)
    conn.execute(_insert_trigger(table, columns, f" WHEN NEW.rowid < {int(low)}"))


def log_every_insert(conn: sqlite3.Connection, table: str, columns: list[str]) -> None:
    stop_logging_inserts(conn, table)
    conn.execute(_insert_trigger(table, columns, _unless_bulk(table, "NEW")))


def stop_logging_inserts(conn: sqlite3.Connection, table: str) -> None:
    """No insert into table is logged until log_inserts_below or log_every_insert."""
    conn.execute(f'DROP TRIGGER IF EXISTS temp."cs_{table}_i"')


def collect(conn: sqlite3.Connection, columns: dict[str, list[str]]) -> list[RowChange]:
    """The rows logged since the last collect, in the order they were written; empties the log."""
    reals = 0

    def real(text: str) -> float:
        nonlocal reals
        reals += 1
        return float(text)
    decode = json.JSONDecoder(parse_float=real).decode
    rows = []
    for table, op, rid, old, new in conn.execute(f"SELECT tbl, op, rid, old, new FROM {LOG}"
                                                 " ORDER BY seq"):
        names = columns[table]
        old_row = dict(zip(names, decode(old))) if old is not None else None
        before = reals
        new_row = dict(zip(names, decode(new))) if new is not None else None
        if op == "update" and old_row == new_row:
            continue
        rows.append(RowChange(table, op, rid, old_row, new_row, reals != before))
    conn.execute(f"DELETE FROM {LOG}")
    return rows


# -- what a change touched -------------------------------------------------------------------

def summarize(conn: sqlite3.Connection, rows: list[RowChange | RowRange]) -> OpChanges:
    ranges = [r for r in rows if isinstance(r, RowRange)]
    rows = [r for r in rows if not isinstance(r, RowRange)]
    summary = _summarize_rows(conn, rows)
    if not ranges:
        return summary
    # Thousands of rows at once (an import, a merge): the views read everything again.
    return OpChanges(summary.tables | {r.table for r in ranges}, summary.inspections,
                     summary.categories, summary.problems,
                     summary.structure or any(r.table in STRUCTURE for r in ranges),
                     summary.removed, summary.focus, everything=True, rows=summary.rows)


def _summarize_rows(conn: sqlite3.Connection, rows: list[RowChange]) -> OpChanges:
    tables, inspections, problems = set(), set(), set()
    categories, structure, removed, focus = set(), False, set(), None
    for change in rows:
        tables.add(change.table)
        row = change.new or change.old
        entity = ENTITIES.get(change.table, change.table)
        if change.table in STRUCTURE and (
                change.op != "update" or _TREE_COLUMNS.intersection(change.changed_columns)):
            structure = True
        if change.op == "delete":
            removed.add((entity, change.rowid))
        else:
            removed.discard((entity, change.rowid))
        if change.table == "inspections":
            inspections.add(change.rowid)
        elif change.table == "categories":
            inspections.add(row["inspection_id"])
            categories.add(change.rowid)
        elif change.table == "problems":
            problems.add(change.rowid)
            categories.add(row["category_id"])
            if change.op == "update" and change.old["category_id"] != row["category_id"]:
                categories.add(change.old["category_id"])
        elif "problem_id" in row and row["problem_id"] is not None:
            problems.add(row["problem_id"])
        elif "inspection_id" in row and row["inspection_id"] is not None:
            inspections.add(row["inspection_id"])
        if focus is None and change.table in STRUCTURE and change.op == "insert":
            focus = (entity, change.rowid)
    if focus is None:
        for change in rows:
            if change.table in STRUCTURE and change.op == "update":
                focus = (ENTITIES[change.table], change.rowid)
                break
    inspections |= _inspections_of(conn, rows, categories, problems)
    return OpChanges(frozenset(tables), frozenset(inspections), frozenset(categories),
                     frozenset(problems), structure, frozenset(removed), focus,
                     rows=frozenset((ENTITIES.get(c.table, c.table), c.rowid) for c in rows) - removed)


def _inspections_of(conn, rows, categories: set, problems: set) -> set:
    """Inspections of the categories and problems touched, from the set itself where rows are
    gone (a deleted category no longer answers a query)."""
    gone_categories = {c.rowid: (c.new or c.old)["inspection_id"]
                       for c in rows if c.table == "categories"}
    gone_problems = {c.rowid: (c.new or c.old)["category_id"] for c in rows if c.table == "problems"}
    for problem in problems - set(gone_problems):
        found = conn.execute("SELECT category_id FROM problems WHERE id = ?", [problem]).fetchone()
        if found:
            categories.add(found[0])
    categories |= set(gone_problems.values())  # (the caller's set: OpChanges names them too)
    inspections = {gone_categories[c] for c in categories if c in gone_categories}
    rest = [c for c in categories if c not in gone_categories]
    for start in range(0, len(rest), 500):
        chunk = rest[start:start + 500]
        inspections.update(r[0] for r in conn.execute(
            f"SELECT inspection_id FROM categories WHERE id IN ({','.join('?' * len(chunk))})",
            chunk))
    return inspections


# -- replay ----------------------------------------------------------------------------------

def _current(conn, table: str, rowid: int, columns: list[str]) -> dict | None:
    found = conn.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in columns)}'
                         f' FROM main."{table}" WHERE rowid = ?', [rowid]).fetchone()
    return dict(zip(columns, found)) if found else None


def _conflict(change: RowChange, what: str) -> ReplayConflictError:
    return conflict(change.table, str(change.rowid), what)


def conflict(table: str, rows: str, what: str) -> ReplayConflictError:
    entity = ENTITIES.get(table, table)
    return ReplayConflictError(f"{what}（{entity} {rows}）。台账保持原样，没有改动。")


def _put(conn, change: RowChange, before: dict | None, after: dict | None,
         columns: list[str]) -> None:
    """Take one row from before to after (None: absent), checking it is as before expects.

    A row already as after expects is left alone: a cascade of an earlier step in the same
    replay (a deleted parent took its children, SET NULL cleared a reference) got there first.
    """
    table, rowid = change.table, change.rowid
    now = _current(conn, table, rowid, columns)
    if now == after:
        return
    if now != before:
        raise _conflict(change, "这一步之后台账又有了改动，不能再撤销或重做")
    if after is None:
        conn.execute(f'DELETE FROM main."{table}" WHERE rowid = ?', [rowid])
    elif before is None:
        names = ", ".join(f'"{c}"' for c in after)
        conn.execute(f'INSERT INTO main."{table}" (rowid, {names}) VALUES (?{", ?" * len(after)})',
                     [rowid, *after.values()])
    else:
        changed = [c for c in after if before.get(c) != after[c]]
        sets = ", ".join(f'"{c}" = ?' for c in changed)
        conn.execute(f'UPDATE main."{table}" SET {sets} WHERE rowid = ?',
                     [*(after[c] for c in changed), rowid])


def replay_row(conn: sqlite3.Connection, change: RowChange, columns: dict[str, list[str]],
               forward: bool) -> None:
    """Apply one row change forward (redo) or its inverse (undo), inside the caller's transaction
    (store.bulk.replay: all of a change set, in order); raises ReplayConflictError (and the
    caller rolls back) if the ledger moved on."""
    if change.table not in columns:
        raise _conflict(change, "台账的结构已经改变，不能再撤销或重做")
    before, after = (change.old, change.new) if forward else (change.new, change.old)
    _put(conn, change, before, after, columns[change.table])
