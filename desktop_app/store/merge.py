"""汇总 (merge): a county takes many townships' 上报包 into its ledger, each org's rows kept apart.

Every package is checked whole (store.report_package) before anything is written. A newer package
from an org replaces that org's previous snapshot row by row: the township's rows keep the county
ids they got the first time (table merged_rows), so only what moved is written. The county's own
备注 on a merged problem is never overwritten; where the township changed it too, it is a conflict.

The work is set-based SQL. A staging file, built by its own connection, gathers the packages
(ATTACH + INSERT … SELECT each) and works out ids and differences; the county connection then
writes from it in ONE ledger.writing() transaction, with plain INSERT/UPDATE/DELETE statements, so
the change-set triggers see every row and one merge is one undo step.
"""

import shutil
import sqlite3
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Generator, Iterable

from ..jobs import Step, finish
from . import audit, bulk
from .backup_files import BackupReason
from .backups import BackupPolicy, make_backup
from .errors import LedgerError
from .evidence_files import copy_objects, store_folder
from .ledger import Ledger
from .report_package import Package, PackageRefused, open_package

LABEL = "汇总上报包"  # the change's name: the undo step and the audit trail
# The township's content, parents first. meta, holidays and the audit trail stay at the township.
CONTENT_TABLES = ("inspections", "categories", "problems", "measures", "progress_reports",
                  "deadline_changes", "evidence", "signoffs", "signoff_events", "petitions",
                  "accountability")
# The problem a row belongs to (alias r; {db} the schema holding its signoff), for "what moved".
PROBLEM_OF = {"problems": "r.id", "measures": "r.problem_id", "progress_reports": "r.problem_id",
              "deadline_changes": "r.problem_id", "evidence": "r.problem_id",
              "signoffs": "r.problem_id",
              "signoff_events": "(SELECT problem_id FROM {db}signoffs WHERE id = r.signoff_id)"}


@dataclass
class PackageOutcome:
    """What one package did (or would do) to the county ledger."""
    file: str
    org: str = ""
    period: str = ""
    problems: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    refused: str | None = None
    note: str | None = None  # an identical or older package: why nothing changed
    new_reports: int = 0
    status_changes: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"file": self.file, "org": self.org, "period": self.period,
                "problems": self.problems, "added": self.added, "updated": self.updated,
                "unchanged": self.unchanged, "removed": self.removed, "refused": self.refused,
                "note": self.note, "new_reports": self.new_reports,
                "status_changes": self.status_changes}


@dataclass
class MergeResult:
    packages: list[PackageOutcome]
    conflicts: list[dict]
    applied: bool

    def to_json(self) -> dict:
        return {"packages": [p.to_json() for p in self.packages], "conflicts": self.conflicts,
                "applied": self.applied}

    @property
    def changes(self) -> bool:
        return any(p.added or p.updated or p.removed for p in self.packages)


@dataclass
class Checked:
    """One file after checking: a sound Package, or the reason it was refused."""
    path: Path
    package: Package | None
    refused: str | None = None


def is_merged(ledger: Ledger) -> bool:
    """Whether this is a county's 汇总 ledger: it has taken in at least one 上报包."""
    return ledger.db.execute("SELECT 1 FROM merge_sources LIMIT 1").fetchone() is not None


def merged_digests(ledger: Ledger) -> frozenset[str]:
    """The packages the county merged last (by manifest digest): check_packages need not unpack them."""
    return frozenset(r[0] for r in ledger.db.execute("SELECT package_sha256 FROM merge_sources"))


def check_packages(paths: Iterable[Path], merged: frozenset[str] = frozenset()
                   ) -> Generator[Step, None, list[Checked]]:
    """Check every hash of every package (no ledger needed: runs in a worker thread)."""
    paths = [Path(p) for p in paths]
    # Unzipping, hashing and writing out let go of Python's lock: two packages at a time keep
    # both cores of a clerk's PC busy (200 packages: 1.9 → 0.7 s).
    pool = ThreadPoolExecutor(2)
    futures = [pool.submit(_check, path, merged) for path in paths]
    try:
        for number, path in enumerate(paths, 1):
            yield Step(number - 1, len(paths), f"正在校验上报包（{number}/{len(paths)}）：{path.name}")
            futures[number - 1].result()
    except BaseException:
        for future in futures:
            future.cancel()
        pool.shutdown()
        close_checked(f.result() for f in futures if not f.cancelled() and f.exception() is None)
        raise
    pool.shutdown()
    yield Step(len(paths), len(paths), "校验完毕。")
    return [f.result() for f in futures]


def _check(path: Path, merged: frozenset[str]) -> Checked:
    try:
        return Checked(path, open_package(path, merged))
    except PackageRefused as e:
        return Checked(path, None, str(e))


def close_checked(checked: Iterable[Checked]) -> None:
    for item in checked:
        if item.package is not None:
            item.package.close()


def package_files(paths: Iterable[Path]) -> list[Path]:
    """The files given, a folder standing for the 上报包 in it (by suffix, sorted)."""
    from .report_package import SUFFIX
    found = []
    for path in map(Path, paths):
        found.extend(sorted(p for p in path.iterdir() if p.suffix.lower() == SUFFIX)
                     if path.is_dir() else [path])
    return found


def _choose(ledger: Ledger, checked: list[Checked]) -> tuple[list[PackageOutcome], list[tuple]]:
    """Each file's outcome so far, and (outcome, package) of those that change the ledger: per
    org only the newest, and only if newer than what the county merged last."""
    stored = {row["org"]: row for row in ledger.db.query("SELECT * FROM merge_sources")}
    outcomes, newest = [], {}
    for item in checked:
        outcome = PackageOutcome(item.path.name, refused=item.refused)
        outcomes.append(outcome)
        if item.package is None:
            continue
        manifest = item.package.manifest
        outcome.org, outcome.period = manifest["org"], manifest["period"]
        outcome.problems = int(manifest.get("problems") or 0)
        key = (manifest["period"], manifest["made_at"])
        if outcome.org in newest and newest[outcome.org][0] >= key:
            outcome.note = "本次还有同一单位更新的上报包，这一份未作改动。"
            continue
        if outcome.org in newest:
            newest[outcome.org][1].note = "本次还有同一单位更新的上报包，这一份未作改动。"
        newest[outcome.org] = (key, outcome, item.package)
    chosen = []
    for org, (key, outcome, package) in newest.items():
        before = stored.get(org)
        if before is not None and before["package_sha256"] == package.digest:
            outcome.note = f"与上次汇总的上报包（截至{before['period']}）相同，未作改动。"
        elif before is not None and key <= (before["period"], before["made_at"]):
            outcome.note = (f"比上次汇总的上报包（截至{before['period']}，{before['made_at']}生成）旧，"
                            "未作改动。")
        else:
            chosen.append((outcome, package))
            continue
        outcome.unchanged = outcome.problems
    return outcomes, chosen


class _Stage:
    """The staging file and its own connection: packages gathered, ids mapped, differences found.

    incoming_T holds each package's rows as they will stand in the county ledger. A first package
    from an org goes straight there, its ids shifted by one offset per table (as a plain copy's
    would be); a package from an org merged before goes through stage_T, its ids looked up in map.
    """

    def __init__(self, county: Path):
        self.folder = Path(tempfile.mkdtemp(prefix="merge-stage-"))
        self.path = self.folder / "stage.db"
        # Prepared on one worker thread, applied from another: used by one thread at a time.
        self.conn = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
        self.conn.execute("PRAGMA page_size = 65536")  # written once, read in long runs
        self.conn.execute("PRAGMA journal_mode = OFF")  # scratch: a crash just loses the scratch
        self.conn.execute("PRAGMA synchronous = OFF")
        self.conn.execute("ATTACH ? AS county", (f"{Path(county).resolve().as_uri()}?mode=ro",))
        info = {t: self.conn.execute(f"PRAGMA county.table_info({t})").fetchall() for t in CONTENT_TABLES}
        self.columns = {t: [r[1] for r in rows] for t, rows in info.items()}
        self.defaults = {t: {r[1]: r[4] for r in rows} for t, rows in info.items()}
        self.parents = {t: {r[3]: r[2] for r in self.conn.execute(f"PRAGMA county.foreign_key_list({t})")}
                        for t in CONTENT_TABLES}
        # The next free county id of each table: above every row and every id merged ids may take.
        self.next_id = {t: self.conn.execute(
            f"SELECT max(coalesce((SELECT max(id) FROM county.{t}), 0), coalesce((SELECT max(local_id)"
            " FROM county.merged_rows WHERE tbl = ?1), 0), coalesce((SELECT max(high + shift)"
            " FROM county.merged_ranges WHERE tbl = ?1), 0))", (t,)).fetchone()[0] for t in CONTENT_TABLES}
        c = self.conn
        c.execute("CREATE TABLE pkgs (pkg INTEGER PRIMARY KEY, org TEXT NOT NULL UNIQUE, known INTEGER NOT NULL)")
        # listed: the mapping is (to be) a merged_rows row; otherwise a merged_ranges one covers it.
        c.execute("CREATE TABLE map (tbl TEXT, org TEXT, source_id INTEGER, local_id INTEGER,"
                  " listed INTEGER NOT NULL DEFAULT 1, PRIMARY KEY (tbl, org, source_id))")
        c.execute("CREATE TABLE ranges (tbl TEXT, org TEXT, low INTEGER, high INTEGER, shift INTEGER)")
        for table in CONTENT_TABLES:
            cols = ", ".join(self.columns[table])
            extra = ", '' AS _township_remarks" if table == "problems" else ""
            c.execute(f"CREATE TABLE stage_{table} AS SELECT {cols}, 0 AS _pkg FROM county.{table} WHERE 0")
            c.execute(f"CREATE TABLE incoming_{table} AS SELECT {cols}, '' AS _org{extra}"
                      f" FROM county.{table} WHERE 0")

    def close(self) -> None:
        self.conn.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def county_version(self) -> int:
        """Changes when another connection commits to the county ledger (PRAGMA data_version)."""
        return self.conn.execute("PRAGMA county.data_version").fetchone()[0]

    def add(self, number: int, package: Package) -> None:
        c = self.conn
        c.execute("INSERT INTO pkgs VALUES (?1, ?2, EXISTS (SELECT 1 FROM county.merged_ranges"
                  " WHERE org = ?2) OR EXISTS (SELECT 1 FROM county.merged_rows WHERE tbl = 'problems'"
                  " AND org = ?2))",
                  (number, package.org))
        known = c.execute("SELECT known FROM pkgs WHERE pkg = ?", (number,)).fetchone()[0]
        c.execute("ATTACH ? AS pkg", (f"{package.snapshot.resolve().as_uri()}?mode=ro",))
        try:
            c.execute("BEGIN")
            offsets: dict[str, int] = {}
            for table in CONTENT_TABLES:  # parents first: a child's offsets are known by then
                have = {r[1] for r in c.execute(f"PRAGMA pkg.table_info({table})")}
                if not have:
                    continue
                cols = ", ".join(self.columns[table])
                if known:
                    values = [col if col in have else (self.defaults[table][col] or "NULL")
                              for col in self.columns[table]]
                    c.execute(f"INSERT INTO stage_{table} ({cols}, _pkg)"
                              f" SELECT {', '.join(values)}, {number} FROM pkg.{table}")
                    continue
                low, high = c.execute(f"SELECT min(id), max(id) FROM pkg.{table}").fetchone()
                if low is None:
                    continue
                offsets[table] = off = self.next_id[table] - low + 1
                self.next_id[table] += high - low + 1
                listed = int(table == "problems")  # problems keep their township 备注 by row
                if not listed:
                    c.execute("INSERT INTO ranges VALUES (?, ?, ?, ?, ?)", (table, package.org, low, high, off))
                values = ", ".join(self._first_value(table, col, have, offsets) for col in self.columns[table])
                extra = ", remarks" if table == "problems" else ""
                c.execute(f"INSERT INTO incoming_{table} SELECT {values}, :org{extra} FROM pkg.{table}",
                          {"org": package.org})
                if listed:  # a range's rows are found by their ids (merged_ranges), not in map
                    c.execute(f"INSERT INTO map SELECT ?, ?, id, id + {off}, 1 FROM pkg.{table}",
                              (table, package.org))
            c.execute("COMMIT")
        finally:
            c.execute("DETACH pkg")

    def _first_value(self, table: str, column: str, have: set, offsets: dict) -> str:
        """One column of a first package's row in incoming_T: its ids shifted by their offsets."""
        if column not in have:
            return self.defaults[table][column] or "NULL"
        parent = self.parents[table].get(column)
        if column == "id" or (table == "inspections" and column == "position"):
            return f"id + {offsets[table]}"  # inspections: orgs in the order first merged
        if parent is not None:
            return f"{column} + {offsets.get(parent, 'NULL')}"
        if table == "inspections" and column == "org":
            return ":org"
        return column

    def map_ids(self) -> None:
        """map, for orgs merged before: the county id each row had, or a new one above all."""
        c = self.conn
        c.execute("BEGIN")
        c.execute("INSERT INTO map SELECT tbl, org, source_id, local_id, 1 FROM county.merged_rows"
                  " WHERE org IN (SELECT org FROM pkgs WHERE known)")
        for table in CONTENT_TABLES:
            # The rows a range covers, as far as the county still holds them.
            c.execute(f"INSERT OR IGNORE INTO map SELECT r.tbl, r.org, t.id - r.shift, t.id, 0"
                      f" FROM county.merged_ranges r CROSS JOIN county.{table} t"
                      f" ON t.id BETWEEN r.low + r.shift AND r.high + r.shift"
                      f" WHERE r.tbl = ? AND r.org IN (SELECT org FROM pkgs WHERE known)", (table,))
            c.execute(f"INSERT INTO map SELECT ?, k.org, s.id, ? + row_number() OVER (ORDER BY s._pkg, s.id), 1"
                      f" FROM stage_{table} s JOIN pkgs k ON k.pkg = s._pkg WHERE NOT EXISTS"
                      f" (SELECT 1 FROM map m WHERE m.tbl = ? AND m.org = k.org AND m.source_id = s.id)",
                      (table, self.next_id[table], table))
        c.execute("COMMIT")

    def build_incoming(self) -> None:
        """incoming_T gains the rows of orgs merged before, their ids looked up in map."""
        c = self.conn
        c.execute("BEGIN")
        for table in CONTENT_TABLES:
            values = ", ".join(self._known_value(table, column) for column in self.columns[table])
            extra = ", s.remarks" if table == "problems" else ""
            # CROSS JOIN fixes the order: the planner would scan the stage once per map row
            c.execute(f"INSERT INTO incoming_{table} SELECT {values}, k.org{extra}"
                      f" FROM stage_{table} s CROSS JOIN pkgs k ON k.pkg = s._pkg"
                      f" CROSS JOIN map m ON m.tbl = '{table}' AND m.org = k.org AND m.source_id = s.id")
            c.execute(f"CREATE UNIQUE INDEX incoming_{table}_id ON incoming_{table}(id)")
        c.execute("COMMIT")

    def _known_value(self, table: str, column: str) -> str:
        parent = self.parents[table].get(column)
        if column == "id" or (table == "inspections" and column == "position"):
            return "m.local_id"
        if parent is not None:
            return (f"(SELECT x.local_id FROM map x WHERE x.tbl = '{parent}'"
                    f" AND x.org = k.org AND x.source_id = s.{column})")
        if table == "inspections" and column == "org":
            return "k.org"
        return f"s.{column}"

    def keep_county_remarks(self) -> list[dict]:
        """The county's own 备注 stays; conflicts where the township changed it as well."""
        c = self.conn
        rows = c.execute(
            "SELECT i._org, i.code, i.description, p.remarks, r.source_remarks, i._township_remarks"
            " FROM incoming_problems i JOIN county.problems p ON p.id = i.id"
            " JOIN county.merged_rows r ON r.tbl = 'problems' AND r.local_id = i.id AND r.org = i._org"
            " WHERE p.remarks IS NOT r.source_remarks AND i._township_remarks IS NOT r.source_remarks"
            " AND i._township_remarks IS NOT p.remarks ORDER BY i._org, i.id").fetchall()
        c.execute("BEGIN")
        c.execute("UPDATE incoming_problems SET remarks = (SELECT p.remarks FROM county.problems p"
                  " WHERE p.id = incoming_problems.id) WHERE id IN (SELECT p.id FROM county.problems p"
                  " JOIN county.merged_rows r ON r.tbl = 'problems' AND r.local_id = p.id"
                  " WHERE p.remarks IS NOT r.source_remarks)")
        c.execute("COMMIT")
        return [{"org": org, "problem": code or description[:30], "field": "备注", "county": county,
                 "township": township, "township_before": before or ""}
                for org, code, description, county, before, township in rows]

    @staticmethod
    def removed_sql(table: str, stage: str = "", county: str = "county.") -> str:
        """The county ids of this table's township rows the new packages no longer hold (stage and
        county: the schema prefixes as the running connection names them)."""
        return (f"SELECT local_id FROM {stage}map WHERE tbl = '{table}' AND local_id NOT IN"
                f" (SELECT id FROM {stage}incoming_{table}) AND local_id IN (SELECT id FROM {county}{table})")

    def differences(self, outcomes: dict[str, PackageOutcome]) -> None:
        """added / updated / unchanged / removed problems, new reports and status changes, per org."""
        c = self.conn
        c.execute("CREATE TABLE touched (problem_id INTEGER PRIMARY KEY)")
        c.execute("BEGIN")
        for table, problem_of in PROBLEM_OF.items():
            cols = ", ".join(self.columns[table])
            # Only orgs merged before can have rows that changed; a first package is all new.
            c.execute(f"INSERT OR IGNORE INTO touched SELECT {problem_of.format(db='incoming_')}"
                      f" FROM (SELECT {cols} FROM incoming_{table} WHERE _org IN"
                      f" (SELECT org FROM pkgs WHERE known) EXCEPT SELECT {cols}"
                      f" FROM county.{table} WHERE id IN (SELECT id FROM incoming_{table})) r")
            c.execute(f"INSERT OR IGNORE INTO touched SELECT {problem_of.format(db='county.')}"
                      f" FROM county.{table} r WHERE r.id IN ({self.removed_sql(table)})")
        c.execute("COMMIT")
        existing = "i.id IN (SELECT id FROM county.problems)"
        for org, added, updated, total in c.execute(
                f"SELECT i._org, sum(NOT {existing}), sum({existing} AND i.id IN (SELECT problem_id FROM touched)),"
                " count(*) FROM incoming_problems i GROUP BY i._org"):
            outcome = outcomes[org]
            outcome.problems, outcome.added, outcome.updated = total, added, updated
            outcome.unchanged = total - added - updated
        for org, removed in c.execute(
                f"SELECT org, count(*) FROM map WHERE tbl = 'problems' AND local_id IN"
                f" ({self.removed_sql('problems')}) GROUP BY org"):
            outcomes[org].removed = removed
        for org, reports in c.execute(
                "SELECT _org, count(*) FROM incoming_progress_reports WHERE id NOT IN"
                " (SELECT id FROM county.progress_reports) AND problem_id IN"
                " (SELECT id FROM county.problems) GROUP BY _org"):
            outcomes[org].new_reports = reports
        for org, code, description, old, new in c.execute(
                "SELECT i._org, i.code, i.description, p.status, i.status FROM incoming_problems i"
                " JOIN county.problems p ON p.id = i.id WHERE p.status IS NOT i.status ORDER BY i.id"):
            outcomes[org].status_changes.append(
                {"problem": code or description[:30], "from": old, "to": new})


def _apply(ledger: Ledger, stage: _Stage, chosen: list[tuple]) -> None:
    """Write what the stage worked out: one transaction, rows upserted only where they differ."""
    conn = ledger.db.conn
    alias = _attach(conn, stage.path)
    try:
        with ledger.writing():
            # A new org's rows are many and all above the county's ids: kept as ranges (store.bulk).
            ledger.capture_in_bulk(*CONTENT_TABLES, "merged_rows", "merged_ranges")
            for table in CONTENT_TABLES:
                cols = stage.columns[table]
                changed = " OR ".join(f"{table}.{c} IS NOT excluded.{c}" for c in cols if c != "id")
                assign = ", ".join(f"{c} = excluded.{c}" for c in cols if c != "id")
                # Rows the county has (or had: ids are never reused) are upserted and logged;
                # the new ones, all above, are the range's.
                conn.execute(f"INSERT INTO main.{table} ({', '.join(cols)}) SELECT {', '.join(cols)}"
                             f" FROM {alias}.incoming_{table} WHERE id < ?"
                             f" ON CONFLICT(id) DO UPDATE SET {assign} WHERE {changed}",
                             [bulk.low(conn, table)])
                with ledger.unlogged_inserts(table) as first:
                    conn.execute(f"INSERT INTO main.{table} ({', '.join(cols)}) SELECT {', '.join(cols)}"
                                 f" FROM {alias}.incoming_{table} WHERE id >= ?", [first])
            for table in reversed(CONTENT_TABLES):
                removed = stage.removed_sql(table, f"{alias}.", "main.")
                conn.execute(f"DELETE FROM main.{table} WHERE id IN ({removed})")
                conn.execute(f"DELETE FROM main.merged_rows WHERE tbl = ? AND org IN"
                             f" (SELECT org FROM {alias}.pkgs) AND local_id NOT IN"
                             f" (SELECT id FROM {alias}.incoming_{table})", (table,))
                remarks = (f"(SELECT _township_remarks FROM {alias}.incoming_problems WHERE id = m.local_id)"
                           if table == "problems" else "NULL")
                conn.execute(f"INSERT INTO main.merged_rows (tbl, org, source_id, local_id, source_remarks)"
                             f" SELECT m.tbl, m.org, m.source_id, m.local_id, {remarks} FROM {alias}.map m"
                             f" WHERE m.tbl = ? AND m.listed AND m.local_id IN"
                             f" (SELECT id FROM {alias}.incoming_{table}) ON CONFLICT DO NOTHING", (table,))
            conn.execute(f"INSERT INTO main.merged_ranges SELECT * FROM {alias}.ranges")
            conn.execute(f"UPDATE main.merged_rows SET source_remarks = (SELECT i._township_remarks"
                         f" FROM {alias}.incoming_problems i WHERE i.id = merged_rows.local_id)"
                         f" WHERE tbl = 'problems' AND org IN (SELECT org FROM {alias}.pkgs)"
                         f" AND source_remarks IS NOT (SELECT i._township_remarks"
                         f" FROM {alias}.incoming_problems i WHERE i.id = merged_rows.local_id)")
            now = datetime.now().isoformat(timespec="seconds")
            for outcome, package in chosen:
                m = package.manifest
                conn.execute(
                    "INSERT INTO merge_sources (org, period, made_at, made_by, package_sha256, file,"
                    " merged_at) VALUES (?,?,?,?,?,?,?) ON CONFLICT(org) DO UPDATE SET"
                    " period = excluded.period, made_at = excluded.made_at, made_by = excluded.made_by,"
                    " package_sha256 = excluded.package_sha256, file = excluded.file,"
                    " merged_at = excluded.merged_at",
                    (m["org"], m["period"], m["made_at"], str(m.get("made_by", "")), package.digest,
                     package.path.name, now))
                audit.record(conn, "merge", "report_package", None, None, None,
                             {"org": outcome.org, "period": outcome.period, "file": outcome.file,
                              "added": outcome.added, "updated": outcome.updated,
                              "removed": outcome.removed}, ledger.app_user)
    finally:
        _detach(conn, alias)


def _attach(conn: sqlite3.Connection, path: Path) -> str:
    """ATTACH the stage under a free name. A name left attached by a merge that ran inside an
    outer transaction (where SQLite cannot DETACH) is let go now, if we may."""
    names = {row[1] for row in conn.execute("PRAGMA database_list")}
    for number in range(1, 10):
        alias = f"merge_stage_{number}"
        if alias in names and not conn.in_transaction:
            conn.execute(f"DETACH {alias}")
            names.discard(alias)
        if alias not in names:
            conn.execute(f"ATTACH ? AS {alias}", (f"{path.resolve().as_uri()}?mode=ro",))
            return alias
    raise sqlite3.OperationalError("too many merges in one transaction")


def _detach(conn: sqlite3.Connection, alias: str) -> None:
    if not conn.in_transaction:
        conn.execute(f"DETACH {alias}")


@dataclass
class Prepared:
    """The checked packages staged against the county ledger as it stood (prepare): what the
    merge would do, for the clerk to see, and the staging file apply writes it from. Close it."""
    checked: list[Checked]
    outcomes: list[PackageOutcome] = field(default_factory=list)
    chosen: list[tuple[PackageOutcome, Package]] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)
    stage: "_Stage | None" = None
    county_version: int | None = None  # the county's PRAGMA data_version when staged

    def result(self, applied: bool = False) -> MergeResult:
        return MergeResult(self.outcomes, self.conflicts, applied)

    def stale(self) -> bool:
        """Whether any connection has written to the county ledger since it was staged."""
        return self.stage is not None and self.stage.county_version() != self.county_version

    def close(self) -> None:
        if self.stage is not None:
            self.stage.close()
            self.stage = None


def prepare(ledger: Ledger, checked: list[Checked]) -> Generator[Step, None, Prepared]:
    """Work out, and stage, what merging the checked packages does to the county ledger; nothing
    is written to it (a read-only ledger will do, on any thread)."""
    prepared = Prepared(checked)
    try:
        yield from _stage(ledger, prepared)
    except BaseException:
        prepared.close()
        raise
    return prepared


def _stage(ledger: Ledger, prepared: Prepared) -> Generator[Step, None, None]:
    prepared.close()
    stage = prepared.stage = _Stage(ledger.path)
    prepared.county_version = stage.county_version()  # before anything of the county is read
    outcomes, chosen = _choose(ledger, prepared.checked)
    sound = []
    for outcome, package in chosen:  # unpacked now, hashes checked again: all before any write
        try:
            package.snapshot
            sound.append((outcome, package))
        except PackageRefused as e:
            outcome.refused = str(e)
    prepared.outcomes, prepared.chosen, prepared.conflicts = outcomes, sound, []
    if not sound:
        return
    for number, (outcome, package) in enumerate(sound, 1):
        yield Step(number - 1, len(sound), f"正在读入上报包（{number}/{len(sound)}）")
        stage.add(number, package)
    yield Step(len(sound), len(sound), "正在比对上报包与县级台账……")
    stage.map_ids()
    stage.build_incoming()
    prepared.conflicts = stage.keep_county_remarks()
    stage.differences({outcome.org: outcome for outcome, _ in sound})


def apply(ledger: Ledger, prepared: Prepared) -> Generator[Step, None, MergeResult]:
    """Write what prepare staged into the county ledger: its evidence files first, then ONE
    transaction. Staged again first if the ledger has changed since (the clerk's preview was
    of the ledger as it stood then)."""
    if prepared.stale():
        yield from _stage(ledger, prepared)
    if not prepared.chosen:
        return prepared.result()
    county_store = store_folder(ledger.path)
    for _, package in prepared.chosen:  # files first: spare files, never a row without its file
        yield from copy_objects(package.evidence_store, county_store, package.evidence)
    yield Step(0, 0, "正在写入县级台账……")
    _apply(ledger, prepared.stage, prepared.chosen)
    return prepared.result(applied=True)


def merge(ledger: Ledger, prepared: Prepared, source: str,
          policy: BackupPolicy | None = None) -> Generator[Step, None, MergeResult]:
    """The merge the clerk confirmed: a backup of the ledger (汇总前) when it changes anything,
    then apply as one change labelled LABEL. Outside a transaction."""
    if not prepared.chosen:
        return prepared.result()
    try:
        make_backup(ledger, BackupReason.BEFORE_MERGE, policy)
    except LedgerError as e:
        raise LedgerError(f"汇总前要先备份台账，但备份没有成功：\n{e}\n\n台账没有任何改动。") from e
    with ledger.change(LABEL, source):
        return (yield from apply(ledger, prepared))


def merge_files(ledger: Ledger, paths: Iterable[Path], dry_run: bool = False,
                source: str | None = None) -> MergeResult:
    """Check, stage and write package files on this thread (the command line's way; the window
    runs the same steps on workers). Call it outside a transaction."""
    paths = package_files(paths)
    checked = finish(check_packages(paths, merged_digests(ledger)))
    try:
        prepared = finish(prepare(ledger, checked))
        try:
            if dry_run:
                return prepared.result()
            return finish(merge(ledger, prepared, source or "、".join(p.name for p in paths)))
        finally:
            prepared.close()
    finally:
        close_checked(checked)


def result_lines(result: MergeResult, dry_run: bool = False) -> list[str]:
    """The plain-Chinese account of a merge (or of what it would do), one package a line, after
    the totals when there are several."""
    lines = []
    packages = result.packages
    if len(packages) > 1:
        verb = "将" if dry_run else ""
        taken = [p for p in packages if not p.refused and not p.note]
        lines.append(f"合计：{len(packages)}个上报包，{len(taken)}个{verb}汇总（{verb}新增"
                     f"{sum(p.added for p in taken)}个问题，{verb}更新{sum(p.updated for p in taken)}个，"
                     f"{verb}移除{sum(p.removed for p in taken)}个），"
                     f"{sum(1 for p in packages if p.note)}个无需改动，"
                     f"{sum(1 for p in packages if p.refused)}个未汇总。")
    for p in packages:
        if p.refused:
            lines.append(f"未汇总：{p.refused}")
            continue
        head = f"{p.org}（截至{p.period}，{p.file}）：{p.problems}个问题"
        if p.note:
            lines.append(f"{head}。{p.note}")
            continue
        verb = "将" if dry_run else ""
        lines.append(f"{head}，{verb}新增{p.added}个，{verb}更新{p.updated}个，未变{p.unchanged}个，"
                     f"{verb}移除{p.removed}个；新报进展{p.new_reports}条，状态变化{len(p.status_changes)}个。")
        lines.extend(f"  {c['problem']}：{c['from']} → {c['to']}" for c in p.status_changes[:20])
        if len(p.status_changes) > 20:
            lines.append(f"  ……另有{len(p.status_changes) - 20}个问题状态变化")
    for c in result.conflicts:
        lines.append(f"冲突：{c['org']} {c['problem']} 的{c['field']}：县里填的“{c['county']}”已保留，"
                     f"上报包里改成了“{c['township']}”。请核对后手工处理。")
    if dry_run:
        lines.append("（预览：台账没有改动）")
    elif not result.applied:
        lines.append("台账没有改动。")
    return lines
