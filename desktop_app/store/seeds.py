"""Filling a ledger from the structured data in seeds/ (the demo ledger and templates)."""

import json
from pathlib import Path

from ..paths import seeds_dir
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
        ledger.add_problem(category_id, **problem)
    for child in category.get("children", []):
        _add_category(ledger, inspection_id, child, category_id)


def load(path: Path) -> dict:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def fill_demo(ledger: Ledger) -> None:
    fill(ledger, load(seeds_dir() / DEMO_LEDGER))
