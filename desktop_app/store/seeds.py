"""Filling a ledger from the structured data in seeds/ (the demo ledger and templates)."""

import json
from datetime import date, timedelta
from pathlib import Path

from ..paths import seeds_dir
from . import evidence_attach, progress, signoff
from .ledger import Ledger

DEMO_LEDGER = "demo_ledger.json"


def fill(ledger: Ledger, data: dict) -> None:
    """Add the inspections of a seed document (format: seeds/README.md), in one transaction."""
    with ledger.writing():
        if data.get("title"):
            ledger.set_title(data["title"])
        for inspection in data.get("inspections", []):
            inspection_id = ledger.add_inspection(
                inspection["name"], inspection.get("kind", "其他"), inspection.get("feedback_date"),
                inspection.get("org", ""), inspection.get("notes", ""))
            for category in inspection.get("categories", []):
                _add_category(ledger, inspection_id, category, None)


def _add_category(ledger: Ledger, inspection_id: int, category: dict, parent_id) -> None:
    category_id = ledger.add_category(inspection_id, category["title"], parent_id)
    for problem in category.get("problems", []):
        problem = dict(problem)
        work = {key: problem.pop(key, None) for key in ("progress", "evidence", "signoff")}
        problem_id = ledger.add_problem(category_id, **problem)
        _add_work(ledger, problem_id, work)
    for child in category.get("children", []):
        _add_category(ledger, inspection_id, child, category_id)


def _day(value):
    """A date as written, or a number of days from today: the demo's month of work ends today."""
    return date.today() + timedelta(days=value) if isinstance(value, int) else value


def _add_work(ledger: Ledger, problem_id: int, work: dict) -> None:
    for report in work["progress"] or []:
        progress.add_report(ledger, problem_id, _day(report["day"]), report["text"],
                            report.get("reporter", ""), report.get("status"),
                            update_problem_status="status" in report)
    for item in work["evidence"] or []:
        attaching = evidence_attach.attach_files(ledger, problem_id, [seeds_dir() / item["file"]],
                                          item.get("caption", ""), item.get("kind", "文件"),
                                          taken_on=_day(item.get("day")))
        for _step in attaching:
            pass
    if work["signoff"]:
        _sign_off(ledger, problem_id, work["signoff"])


def _sign_off(ledger: Ledger, problem_id: int, steps: dict) -> None:
    """Take the problem through 销号 as far as the seed says: applied, accepted, 公示, 已销号."""
    contacts = {name: steps[name] for name in signoff.CONTACT_FIELDS if name in steps}
    signoff_id = signoff.apply(ledger, problem_id, _day(steps["applied"]), contacts=contacts).signoff_id
    if "accepted" not in steps:
        return
    for index, _item in enumerate(signoff.signoff(ledger, signoff_id)["checklist"]):
        signoff.tick(ledger, signoff_id, index)
    signoff.advance(ledger, signoff_id, _day(steps["accepted"]))
    if "publicity_start" not in steps:
        return
    signoff.set_publicity(ledger, signoff_id, _day(steps["publicity_start"]), steps.get("working_days"))
    signoff.advance(ledger, signoff_id)
    if "signed_off" in steps:
        signoff.advance(ledger, signoff_id, _day(steps["signed_off"]))


def load(path: Path) -> dict:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def fill_demo(ledger: Ledger) -> None:
    fill(ledger, load(seeds_dir() / DEMO_LEDGER))
