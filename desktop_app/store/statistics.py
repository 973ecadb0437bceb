"""The overview's figures from the ledger file: a handful of queries, then domain/statistics.py.

One inspection or all of them, as of a date (default today; see domain/statistics.py for what
"as of" means). Each query reads all problems of the scope at once, so 10,000 problems with a
year of monthly reports take a fraction of a second.
"""

from dataclasses import dataclass, field, replace
from datetime import date

from ..domain import ledger_warnings, statistics as rules
from ..domain.accountability import count_accountability
from ..domain.links import count_links
from ..domain.recheck import count_rechecks
from ..domain.supervision import count_supervision
from ..domain.ledger_tree import build_tree
from ..domain.report_text import summary_paragraph
from ..domain.schedule import ScheduleSettings
from ..domain.signoff import STATUS_OF_STAGE, Stage
from . import accountability, rechecks, supervision
from .ledger import Ledger
from .links import all_links

_PROBLEM_COLUMNS = ("p.id, p.category_id, p.position, p.code, p.description, p.lead_unit,"
                    " p.deadline_text, p.deadline, p.start_date, p.term, p.status,"
                    " c.inspection_id, coalesce(c.parent_id, c.id) AS top_category_id,"
                    " (SELECT org FROM inspections WHERE id = c.inspection_id) AS org")


@dataclass(frozen=True)
class Gathered:
    """The rows behind the figures, as of one date."""
    as_of: date
    problems: list[dict]  # as of as_of, each with number (1..M in its inspection), inspection_id
    categories: list[tuple[int, str]]  # the 大类 (id, title), inspections in order
    petitions: list[dict]
    last_reports: dict[int, str]  # problem id → newest report_date on or before as_of
    publicity_ends: dict[int, str]  # problem id → end of the 公示 it was in on as_of
    rechecks: list[dict] = field(default_factory=list)  # 回头看 rechecks of the scope
    links: list[tuple] = field(default_factory=list)  # (problem_a, problem_b, kind), all of them
    supervisions: list[dict] = field(default_factory=list)  # 督办 issued by as_of
    cases: list[dict] = field(default_factory=list)  # 责任追究 decided by as_of, units and persons


@dataclass(frozen=True)
class Overview:
    statistics: rules.Statistics
    warnings: list[ledger_warnings.LedgerWarning]
    summary_text: str
    problems: dict[int, dict]  # id → the problem row as of the date (number, code, lead_unit …)


def _scope(inspection_id: int | None) -> tuple[str, list]:
    if inspection_id is None:
        return "1", []
    return "c.inspection_id = ?", [inspection_id]


def _rows(ledger: Ledger, sql: str, params) -> list[dict]:
    cursor = ledger.db.execute(sql, params)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def _changed_after(day: str) -> tuple[str, dict]:
    """SQL selecting the problems with a dated status record after day (usually few or none)."""
    return ("SELECT problem_id FROM progress_reports WHERE status IS NOT NULL AND report_date > :d"
            " UNION SELECT s.problem_id FROM signoff_events e JOIN signoffs s ON s.id = e.signoff_id"
            " WHERE e.on_date > :d"), {"d": day}


def _status_events(ledger: Ledger, which: str, params) -> dict[int, list[tuple[str, str]]]:
    """Dated status records (day, status) of the problems the SQL `which` selects."""
    events: dict[int, list] = {}
    for pid, on, status in ledger.db.execute(
            f"SELECT problem_id, report_date, status FROM progress_reports WHERE status IS NOT NULL"
            f" AND problem_id IN ({which}) ORDER BY id", params).fetchall():
        events.setdefault(pid, []).append((on, status))
    for pid, on, stage in ledger.db.execute(
            f"SELECT s.problem_id, e.on_date, e.to_stage FROM signoff_events e"
            f" JOIN signoffs s ON s.id = e.signoff_id WHERE s.problem_id IN ({which})"
            f" ORDER BY e.id", params).fetchall():
        events.setdefault(pid, []).append((on, STATUS_OF_STAGE[Stage(stage)].value))
    return events


def gather(ledger: Ledger, inspection_id: int | None = None,
           as_of: date | None = None) -> Gathered:
    as_of = as_of or date.today()
    day = as_of.isoformat()
    where, params = _scope(inspection_id)
    problems = _rows(ledger, f"SELECT {_PROBLEM_COLUMNS} FROM problems p"
                             f" JOIN categories c ON c.id = p.category_id WHERE {where}", params)
    categories = _rows(ledger, f"SELECT * FROM categories c WHERE {where}", params)
    inspections = [r["id"] for r in ledger.inspections()
                   if inspection_id is None or r["id"] == inspection_id]

    top: list[tuple[int, str]] = []
    for iid in inspections:  # numbers and 大类 order as the tree shows them
        tree = build_tree([c for c in categories if c["inspection_id"] == iid],
                          [p for p in problems if p["inspection_id"] == iid])
        top.extend((node.id, node.title) for node in tree.categories)
        for node in tree.problems:
            node.row["number"] = node.number

    events = _status_events(ledger, *_changed_after(day))
    changes: dict[int, list] = {}
    for pid, on, old in ledger.db.execute(
            "SELECT problem_id, changed_on, old_text FROM deadline_changes WHERE changed_on > ?"
            " ORDER BY id", [day]).fetchall():
        changes.setdefault(pid, []).append((on, old))
    problems = [rules.problem_as_of(p, events.get(p["id"], ()), changes.get(p["id"], ()), as_of)
                if p["id"] in events or p["id"] in changes else p for p in problems]

    last_reports = dict(ledger.db.execute(
        "SELECT problem_id, max(report_date) FROM progress_reports WHERE report_date <= ?"
        " GROUP BY problem_id", [day]).fetchall())
    publicity_ends = dict(ledger.db.execute(
        "SELECT s.problem_id, s.publicity_end FROM signoffs s WHERE s.publicity_end IS NOT NULL"
        " AND (SELECT to_stage FROM signoff_events e WHERE e.signoff_id = s.id AND e.on_date <= ?"
        " ORDER BY e.on_date DESC, e.id DESC LIMIT 1) = ? ORDER BY s.id",
        [day, Stage.PUBLICITY.value]).fetchall())
    petition_sql, petition_params = "SELECT * FROM petitions", []
    if inspection_id is not None:
        petition_sql, petition_params = petition_sql + " WHERE inspection_id = ?", [inspection_id]
    petitions = _rows(ledger, petition_sql, petition_params)
    return Gathered(as_of, problems, top, petitions, last_reports, publicity_ends,
                    rechecks.scope_rows(ledger, inspection_id), all_links(ledger),
                    supervision.scope_rows(ledger, inspection_id, as_of),
                    accountability.cases(ledger, inspection_id, as_of))


def statistics_of(rows: Gathered, settings: ScheduleSettings = ScheduleSettings()) -> rules.Statistics:
    stats = rules.count(rows.problems, rows.categories, rows.as_of, rows.petitions, settings,
                        rows.last_reports)
    return replace(
        stats, rechecks=count_rechecks(rows.rechecks, rows.as_of),
        links=count_links([p["id"] for p in rows.problems], rows.links),
        supervision=count_supervision(s["kind"] for s in rows.supervisions),
        accountability=count_accountability([u for c in rows.cases for u in c["units"]],
                                            [p for c in rows.cases for p in c["persons"]]))


def warnings_of(rows: Gathered, settings: ScheduleSettings = ScheduleSettings()
                ) -> list[ledger_warnings.LedgerWarning]:
    return ledger_warnings.ordered(
        ledger_warnings.warnings(rows.problems, rows.as_of, rows.last_reports, rows.publicity_ends,
                                 settings) + ledger_warnings.recheck_warnings(rows.rechecks, rows.as_of))


def statistics(ledger: Ledger, inspection_id: int | None = None, as_of: date | None = None,
               settings: ScheduleSettings = ScheduleSettings()) -> rules.Statistics:
    """The counts of one inspection (None: all) on as_of (None: today)."""
    return statistics_of(gather(ledger, inspection_id, as_of), settings)


def warnings(ledger: Ledger, inspection_id: int | None = None, as_of: date | None = None,
             settings: ScheduleSettings = ScheduleSettings()) -> list[ledger_warnings.LedgerWarning]:
    """The warnings list of one inspection (None: all) on as_of (None: today), most urgent first."""
    return warnings_of(gather(ledger, inspection_id, as_of), settings)


def overview(ledger: Ledger, inspection_id: int | None = None, as_of: date | None = None,
             settings: ScheduleSettings = ScheduleSettings(), subject: str = "") -> Overview:
    """Counts, warnings and the summary paragraph from one gathering: what the overview page shows."""
    rows = gather(ledger, inspection_id, as_of)
    stats = statistics_of(rows, settings)
    return Overview(stats, warnings_of(rows, settings), summary_paragraph(stats, subject),
                    {p["id"]: p for p in rows.problems})


def finished_over_time(ledger: Ledger, inspection_id: int | None, days) -> list[tuple[date, int, int]]:
    """(day, finished, 已销号) of one inspection (None: all) on each of days, from one reading of
    the status records: a year of month ends costs little more than one day."""
    where, params = ("1", {}) if inspection_id is None else ("c.inspection_id = :i", {"i": inspection_id})
    scope = f"SELECT p.id FROM problems p JOIN categories c ON c.id = p.category_id WHERE {where}"
    problems = _rows(ledger, f"SELECT p.id, p.status FROM problems p JOIN categories c"
                             f" ON c.id = p.category_id WHERE {where}", params)
    return rules.finished_over_time(problems, _status_events(ledger, scope, params), days)


def latest_progress(ledger: Ledger, inspection_id: int | None, as_of: date) -> dict[int, dict]:
    """{problem id: its newest progress report on or before as_of} (report_date, text)."""
    where, params = _scope(inspection_id)
    rows = _rows(ledger, f"SELECT r.problem_id, r.report_date, r.text FROM problems p"
                         f" JOIN categories c ON c.id = p.category_id"
                         f" JOIN progress_reports r ON r.id = (SELECT id FROM progress_reports"
                         f" WHERE problem_id = p.id AND report_date <= ?"
                         f" ORDER BY report_date DESC, id DESC LIMIT 1) WHERE {where}",
                 [as_of.isoformat(), *params])
    return {row["problem_id"]: row for row in rows}
