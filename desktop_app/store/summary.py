"""The "N大类M项" summary of every inspection, as the window's header and `summary` show it."""

from .ledger import Ledger


def summarize(ledger: Ledger) -> dict:
    inspections, by_org = [], {}
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
        org = by_org.setdefault(inspection["org"], {"org": inspection["org"], "inspections": 0,
                                                    "problems": 0})
        org["inspections"] += 1
        org["problems"] += len(tree.problems)
    return {"title": ledger.title, "inspections": inspections, "by_org": list(by_org.values())}


def summary_lines(summary: dict) -> list[str]:
    lines = [summary["title"]] if summary["title"] else []
    for inspection in summary["inspections"]:
        lines.append(f"{inspection['name']}：{inspection['summary']}")
        lines.extend(f"  {c['label']}{c['title']}：{c['problems']}项" for c in inspection["by_category"])
    if len(summary["by_org"]) > 1:  # a merged (汇总) ledger: the townships at a glance
        lines.append("各单位：")
        lines.extend(f"  {o['org'] or '（未填写单位）'}：{o['inspections']}个督察批次，{o['problems']}项"
                     for o in summary["by_org"])
    return lines
