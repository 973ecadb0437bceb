"""The Excel ledger's extra sheets for what follows the list: 回头看复查, 问题关联, 督办, 责任追究.

A sheet is written only when the exported inspections have such records, so a ledger without
them exports exactly as before.
"""

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from ...store import accountability, rechecks, supervision
from ...store.links import links_of

_HEADER_FONT = Font(name="黑体", bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


def _sheet(workbook, name: str, header: list[str], widths: list[int], rows: list[list]) -> None:
    if not rows:
        return
    ws = workbook.create_sheet(name)
    for index, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + index)].width = width
    cells = []
    for text in header:
        cell = WriteOnlyCell(ws, text)
        cell.font = _HEADER_FONT
        cells.append(cell)
    ws.append(cells)
    for row in rows:
        written = []
        for value in row:
            cell = WriteOnlyCell(ws, "" if value is None else value)
            cell.alignment = _WRAP
            written.append(cell)
        ws.append(written)


def write_follow_up_sheets(workbook, ledger, inspections: list[dict]) -> list[str]:
    """Add the sheets for the exported inspections; returns the names of those written."""
    before = len(workbook.worksheets)
    ids = {i["id"] for i in inspections}
    names = {i["id"]: i["name"] for i in ledger.inspections()}
    checks = [r for i in ids for r in rechecks.scope_rows(ledger, i)]
    _sheet(workbook, "回头看复查", ["督察批次", "问题编号", "反馈问题", "计划日期", "复查日期", "复查人",
                                   "复查结果", "说明"], [18, 12, 40, 12, 12, 12, 10, 40],
           [[names[r["inspection_id"]], r["code"], r["description"], r["planned_on"], r["done_on"],
             r["checker"], r["result"] or "未复查", r["note"]] for r in checks])
    pairs, seen = [], set()
    # Only the problems that have links (one query, not two per exported problem).
    linked = sorted((tuple(r) for i in ids for r in ledger.db.execute(
        "SELECT p.id, p.code, p.description FROM problems p JOIN categories c ON c.id = p.category_id"
        " WHERE c.inspection_id = ? AND EXISTS (SELECT 1 FROM links l"
        " WHERE l.problem_a = p.id OR l.problem_b = p.id)", [i])))
    for problem_id, code, description in linked:
        problem = {"code": code, "description": description}
        for link in links_of(ledger, problem_id):
            if link["id"] not in seen:
                seen.add(link["id"])
                pairs.append([problem["code"], problem["description"], link["kind"],
                              link["inspection"], link["code"], link["description"], link["note"]])
    _sheet(workbook, "问题关联", ["问题编号", "反馈问题", "关联类型", "关联问题所属督察", "关联问题编号",
                                 "关联问题", "说明"], [12, 40, 10, 18, 12, 40, 20], pairs)
    _sheet(workbook, "督办", ["督察批次", "督办方式", "督办日期", "督办单位", "被督办单位", "督办文书", "说明"],
           [18, 10, 12, 24, 24, 20, 30],
           [[names.get(r["inspection_id"], ""), r["kind"], r["issued_on"], r["issued_by"],
             r["target_unit"], r["document"], r["note"]]
            for i in ids for r in supervision.scope_rows(ledger, i)])
    people = []
    for i in ids:
        for case in accountability.cases(ledger, i):
            units = "、".join(u["name"] for u in case["units"])
            for person in case["persons"] or [{"name": "", "post": "", "level": "", "outcome": ""}]:
                people.append([case["title"], case["decided_on"], units, person["name"],
                               person["post"], person["level"], person["outcome"]])
    _sheet(workbook, "责任追究", ["案件", "处理日期", "党组织或单位", "姓名", "职务", "干部层级", "处理方式"],
           [28, 12, 30, 10, 20, 12, 20], people)
    return [ws.title for ws in workbook.worksheets[before:]]
