"""What a 整改销号公示 and a 销号审批表 say about one problem, gathered from the ledger file.

The window and the command line both print through these, so a notice reads the same from
either. The notice text a clerk edited (signoffs.notice_text) wins over a freshly composed one.
"""

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Iterable

from ..domain import notice as notices
from ..domain.notice import Contacts, Notice, Publicity
from ..domain.signoff import SignoffDefaults
from ..domain.signoff_form import SignoffForm, compose_form
from ..domain.workdays import WorkingPeriod
from . import signoff as signoffs
from .errors import LedgerError
from .ledger import Ledger


@dataclass(frozen=True)
class ProblemContext:
    problem: dict  # the problems row
    measures: list[dict]
    inspection: dict  # the inspections row
    number: int  # 序号 1..M within the inspection
    signoff: dict | None  # its newest sign-off (checklist decoded), if any


@dataclass(frozen=True)
class NoticeResult:
    notice: Notice
    period: WorkingPeriod | None  # the 公示期 computed here (None: stored or not set)
    edited: bool  # the clerk's edited text was used
    warning: str | None = None  # a year counted Monday to Friday for want of a 放假安排


def contexts(ledger: Ledger, problem_ids: Iterable[int]) -> list[ProblemContext]:
    """The contexts of many problems. A 序号 counts across its whole inspection, so its tree is
    built once for all of them (once per notice, 100 notices took 20 s on 10,000 problems)."""
    numbers: dict[int, dict[int, int]] = {}  # inspection id → problem id → 序号
    result = []
    for problem_id in problem_ids:
        problem = ledger.row("problem", problem_id)
        inspection_id = ledger.row("category", problem["category_id"])["inspection_id"]
        if inspection_id not in numbers:
            numbers[inspection_id] = {node.id: node.number
                                      for node in ledger.tree(inspection_id).problems}
        result.append(ProblemContext(problem, ledger.measures(problem_id),
                                     ledger.row("inspection", inspection_id),
                                     numbers[inspection_id][problem_id],
                                     signoffs.current(ledger, problem_id)))
    return result


def notice_for(ledger: Ledger, problem_id: int, defaults: SignoffDefaults = SignoffDefaults(),
               start: date | None = None, working_days: int | None = None,
               end: date | None = None, issued_on: date | None = None,
               use_edited: bool = True) -> NoticeResult:
    """The notice of one problem (see notices_for)."""
    return notices_for(ledger, [problem_id], defaults, start, working_days, end, issued_on,
                       use_edited)[0]


def notices_for(ledger: Ledger, problem_ids: Iterable[int],
                defaults: SignoffDefaults = SignoffDefaults(), start: date | None = None,
                working_days: int | None = None, end: date | None = None,
                issued_on: date | None = None, use_edited: bool = True) -> list[NoticeResult]:
    """The notices of problems, in their order (批量打印公示).

    With start (and working_days or end; working days default to the sign-off's, then to
    defaults') the 公示期 is computed with the ledger's holidays and a fresh notice composed.
    Without start: the clerk's edited text if kept (and use_edited), else a notice composed
    with the sign-off's stored 公示期 (blanks to fill by hand when none is set).
    Contacts come from the sign-off, then from defaults, then 单位名称 (defaults.org_name).
    """
    return [_notice(ledger, ctx, defaults, start, working_days, end, issued_on, use_edited)
            for ctx in contexts(ledger, problem_ids)]


def _notice(ledger: Ledger, ctx: ProblemContext, defaults: SignoffDefaults, start, working_days,
            end, issued_on, use_edited) -> NoticeResult:
    row = ctx.signoff or {}
    contacts = defaults.contacts_for(Contacts.from_row(row))
    if start is None and use_edited and (row.get("notice_text") or "").strip():
        edited = notices.parse(row["notice_text"])
        if not edited.issuer:  # edited before 单位名称 was set: sign it now
            edited = replace(edited, issuer=contacts.issuer)
        return NoticeResult(edited, None, edited=True)
    period = None
    if start is not None:
        if working_days is None and end is None:
            working_days = row.get("publicity_working_days") or defaults.working_days
        period = signoffs.preview_publicity(ledger, start, working_days, end)
        publicity = Publicity(period.start, period.end, period.working_days)
    elif row.get("publicity_start") and row.get("publicity_end"):
        publicity = Publicity(date.fromisoformat(row["publicity_start"]),
                              date.fromisoformat(row["publicity_end"]),
                              row.get("publicity_working_days"))
    else:
        publicity = Publicity()
    notice = notices.compose(ctx.problem, ctx.measures, ctx.inspection["name"], publicity,
                             contacts, ctx.number,
                             issued_on, defaults.basis)
    return NoticeResult(notice, period, edited=False,
                        warning=period.warning if period else None)


def form_for(ledger: Ledger, problem_id: int,
             defaults: SignoffDefaults = SignoffDefaults()) -> SignoffForm:
    """The 销号审批表 of one problem, with its live 佐证材料."""
    [ctx] = contexts(ledger, [problem_id])
    evidence = list(ledger.db.query(
        "SELECT * FROM evidence WHERE problem_id = ? AND deleted_at IS NULL"
        " ORDER BY measure_id IS NOT NULL, measure_id, id", [problem_id]))
    return compose_form(ctx.problem, ctx.measures, ctx.inspection["name"], ctx.number,
                        ctx.signoff, evidence, defaults.checklist)


_NUMBER = re.compile(r"^(?:第\s*(\d+)\s*项|(\d+)\s*项|序号\s*(\d+)|[Nn](\d+)|(\d+))$")


def problem_by_id(ledger: Ledger, problem_id: int) -> int:
    """problem_id itself, or LedgerError when the ledger has no such problem (--id)."""
    if ledger.db["problems"].count_where("id = ?", [problem_id]) == 0:
        raise LedgerError(f"台账里没有 id 为 {problem_id} 的问题。按台账里显示的序号指定请用 --problem。")
    return problem_id


def find_problem(ledger: Ledger, spec: str, inspection: str | None = None) -> int:
    """The id of the problem with the 序号 a command line names, as the ledger shows it.

    "12", "第12项", "12项", "序号12" or "N12" is 序号 12 in the ledger's only inspection, or in
    the inspection named by `inspection` (its full name, or a part only one name contains).
    Raises LedgerError with the clerk's message when there is no such problem.
    """
    match = _NUMBER.match(spec.strip())
    if match is None:
        raise LedgerError(f"看不懂问题序号“{spec}”：请写台账里显示的序号（如 12 或 第12项）；"
                          "按数据库 id 指定请用 --id。")
    number = int(next(g for g in match.groups() if g))
    chosen = inspection_named(ledger, inspection)
    problems = ledger.tree(chosen["id"]).problems
    if not 1 <= number <= len(problems):
        raise LedgerError(f"“{chosen['name']}”只有{len(problems)}项问题，没有第{number}项。")
    return problems[number - 1].id


def inspection_named(ledger: Ledger, name: str | None) -> dict:
    """The inspection a command line names: its full name, or a part only one name contains;
    with no name, the ledger's only inspection. LedgerError listing the names otherwise."""
    inspections = ledger.inspections()
    if name is None:
        if len(inspections) == 1:
            return inspections[0]
        names = "、".join(f"“{i['name']}”" for i in inspections) or "（无）"
        raise LedgerError(f"台账里有{len(inspections)}个督察批次，请用 --inspection 指明是哪一个："
                          f"{names}。")
    exact = [i for i in inspections if i["name"] == name.strip()]
    partial = [i for i in inspections if name.strip() in i["name"]]
    found = exact or partial
    if len(found) != 1:
        known = "、".join(f"“{i['name']}”" for i in (found or inspections)) or "（无）"
        raise LedgerError(f"“{name}”{'对应多个' if found else '不是'}台账里的督察批次"
                          f"（{'其中' if found else '已有'}：{known}）。")
    return found[0]
