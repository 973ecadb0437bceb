"""`stats`: the overview's counts and summary paragraph, for a county script or a report draft.

    python -m desktop_app stats --db FILE [--inspection NAME] [--date YYYY-MM-DD] [--json]

Without --json: the summary paragraph, then the counts, one group a line. With --json the keys
problems, categories, by_term, by_status, by_schedule, by_category ([{title, problems, finished}]),
petitions ({received, concluded, signed_off}), by_org ([{org, problems, finished, behind, overdue,
last_report}]), rechecks ({planned, done, 巩固, 反弹, 衍生新问题, due, overdue}), links ({fed_back,
distinct}), supervision ({督办方式: count}), accountability ({orgs, people, by_level, by_outcome})
and summary_text: a contract, keep them.
Exit 2 and a Chinese message on stderr for an unknown inspection or a bad date.
"""

import json
import sys
from datetime import date, datetime

HELP = "统计整改情况：按整改类型、整改状态、时序进度、大类计数，信访件计数，并生成汇报用的情况概述"


def add_parser(sub) -> None:
    """Register the subcommand on the main parser's subparsers."""
    command = sub.add_parser("stats", help=HELP, description=HELP + "。")
    command.add_argument("--db", metavar="FILE", required=True, help="台账文件（只读打开）")
    command.add_argument("--inspection", metavar="NAME", help="只统计这个督察批次（全称或其中能唯一认出的一段；默认：全部批次合计）")
    command.add_argument("--date", metavar="YYYY-MM-DD", help="统计截至这一天（默认：今天）")
    command.add_argument("--json", action="store_true", help="以 JSON 输出")
    command.set_defaults(handler=run)


def _items(counts: dict, unit: str = "项") -> str:
    return "，".join(f"{name}{n}{unit}" for name, n in counts.items())


def lines(stats, text: str) -> list[str]:
    """The plain-text output: the paragraph, a blank line, the counts."""
    out = [text, "", f"问题：{stats.problems}项（{stats.categories}大类）",
           f"整改类型：{_items(stats.by_term)}", f"整改状态：{_items(stats.by_status)}",
           f"时序进度：{_items(stats.by_schedule)}"]
    if stats.by_category:
        out.append("各大类：")
        out.extend(f"  {c.title}：{c.problems}项，已完成{c.finished}项" for c in stats.by_category)
    if len(stats.by_org) > 1:
        out.append("各单位：")
        out.extend(f"  {o.org or '（未填写单位）'}：{o.problems}项，已完成{o.finished}项，逾期{o.overdue}项，"
                   f"最近调度{o.last_report or '无'}" for o in stats.by_org)
    p = stats.petitions
    out.append(f"信访件：交办{p.received}件，办结{p.concluded}件，销号{p.signed_off}件")
    r = stats.rechecks
    if r.planned:
        out.append(f"回头看复查：计划{r.planned}次，已复查{r.done}次（巩固{r.held}次，反弹{r.rebound}次，"
                   f"衍生新问题{r.new_problem}次），逾期未复查{r.overdue}次")
    if stats.links.distinct != stats.links.fed_back:
        out.append(f"问题关联：反馈问题{stats.links.fed_back}项，去除同一问题后{stats.links.distinct}项")
    if any(stats.supervision.values()):
        out.append(f"督办：{_items({k: n for k, n in stats.supervision.items() if n}, '次')}")
    a = stats.accountability
    if a.people or a.orgs:
        out.append(f"责任追究：{a.orgs}个党组织或单位，{a.people}名责任人员（{_items(a.by_level, '人')}）；"
                   f"{_items(a.by_outcome, '人')}")
    return out


def run(args) -> int:
    from .options import open_ledger
    from ..domain.report_text import summary_paragraph
    from ..store.notices import inspection_named
    from ..store.statistics import statistics
    try:
        as_of = datetime.strptime(args.date, "%Y-%m-%d").date() if args.date else date.today()
    except ValueError:
        print(f"错误：--date 的“{args.date}”不是有效日期，请按 YYYY-MM-DD 填写，例如 2024-04-30。",
              file=sys.stderr)
        return 2
    ledger = open_ledger(args.db)
    try:
        inspection_id, subject = None, ""
        if args.inspection is not None:  # matched as `notice` matches it: whole name or a part
            chosen = inspection_named(ledger, args.inspection)
            inspection_id, subject = chosen["id"], chosen["org"]
        stats = statistics(ledger, inspection_id, as_of)
    finally:
        ledger.close()
    text = summary_paragraph(stats, subject)
    if args.json:
        print(json.dumps(stats.to_json(text), ensure_ascii=False, indent=2))
    else:
        print("\n".join(lines(stats, text)))
    return 0
