"""The "N大类M项" summary of every inspection, as the window's header and `summary` show it."""

from .ledger import Ledger


def summarize(ledger: Ledger) -> dict:
    inspections = []
    for inspection in ledger.inspections():
        tree = ledger.tree(inspection["id"])
        inspections.append({
            "name": inspection["name"],
            "categories": len(tree.categories),
            "problems": len(tree.problems),
            "summary": tree.summary,
            "by_category": [{"title": c.title, "label": c.label, "problems": len(c.all_problems())}
                            for c in tree.categories],
        })
    return {"title": ledger.title, "inspections": inspections}


def summary_lines(summary: dict) -> list[str]:
    lines = [summary["title"]] if summary["title"] else []
    for inspection in summary["inspections"]:
        lines.append(f"{inspection['name']}：{inspection['summary']}")
        lines.extend(f"  {c['label']}{c['title']}：{c['problems']}项" for c in inspection["by_category"])
    return lines
