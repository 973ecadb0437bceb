"""The 整改落实情况报告's content from the ledger file: the overview's statistics, the tree's
completion texts and the newest progress of each problem, all as of one date."""

from datetime import date

from ..domain import rectification_report as report
from ..domain.report_text import subject_of
from ..domain.schedule import ScheduleSettings
from .ledger import Ledger
from .statistics import gather, latest_progress, statistics_of


def _completion(node) -> str:
    texts = [node.row["completion"].strip()] if node.row["completion"].strip() else []
    texts += [m["completion"].strip() for m in node.row["measures"] if m["completion"].strip()]
    return "".join(t if t.endswith(("。", "；", "！")) else t + "。" for t in texts)


def content(ledger: Ledger, inspection_id: int | None = None, as_of: date | None = None,
            settings: ScheduleSettings = ScheduleSettings()) -> report.RectificationReport:
    """The report of one inspection (None: all) on as_of (None: today)."""
    rows = gather(ledger, inspection_id, as_of)
    stats = statistics_of(rows, settings)
    inspections = [i for i in ledger.inspections() if inspection_id in (None, i["id"])]
    as_of_rows = {p["id"]: p for p in rows.problems}
    progress = latest_progress(ledger, inspection_id, rows.as_of)
    categories, problems = [], {}
    for inspection in inspections:
        tree = ledger.tree(inspection["id"])
        for node in tree.categories:
            found = []
            for p in node.all_problems():
                now = as_of_rows[p.id]
                found.append(report.ReportProblem(
                    p.number, p.row["code"], p.row["description"], p.row["lead_unit"],
                    now["status"], _completion(p), (progress.get(p.id) or {}).get("text", ""),
                    now["deadline_text"]))
                problems[p.id] = found[-1]
            finished = sum(1 for p in node.all_problems() if stats.facets[p.id].finished)
            categories.append(report.ReportCategory(node.title, found, finished))
    subject = subject_of(inspections)
    return report.compose(stats, categories, problems,
                          inspections[0] if len(inspections) == 1 else None, subject,
                          [i["name"] for i in inspections])
