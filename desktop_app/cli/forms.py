"""`forms` and `collect`: the monthly loop from the command line, as the window's 生成填报表/回收填报表.

    python -m desktop_app forms --db F --out DIR [--inspection NAME] [--unit UNIT]
    python -m desktop_app collect --db F WORKBOOK... [--dry-run] [--json]
"""

import json
import sys
from pathlib import Path

from ..store.errors import LedgerError

FORMS_HELP = "生成填报表：每个责任单位一份 Excel，只含该单位的问题，供其填写本月进展后报回"
COLLECT_HELP = "回收填报表：读入责任单位报回的填报表，列出并写入本月进展、措施完成情况和整改状态"
JSON_HELP = ("以 JSON 输出：files（每个文件：file、unit、matched、unmatched、refused）、"
             "changes（problem、field、old、new）、reports_added、conflicts（problem、field、"
             "ledger、returned）、applied")


def add_parser(sub) -> None:
    forms = sub.add_parser("forms", help=FORMS_HELP, description=FORMS_HELP)
    forms.add_argument("--db", metavar="FILE", required=True, help="台账文件")
    forms.add_argument("--out", metavar="DIR", required=True, help="填报表存放的文件夹")
    forms.add_argument("--inspection", metavar="NAME", help="只含这个督察批次的问题")
    forms.add_argument("--unit", metavar="UNIT", help="只生成这个责任单位的填报表")
    forms.set_defaults(handler=run_forms)
    collect = sub.add_parser("collect", help=COLLECT_HELP, description=COLLECT_HELP +
                             "。与台账里已改过的内容冲突的，保留台账的值并列出。")
    collect.add_argument("--db", metavar="FILE", required=True, help="台账文件")
    collect.add_argument("workbooks", metavar="WORKBOOK", nargs="+",
                         help="报回的填报表（.xlsx），也可以给一个文件夹")
    collect.add_argument("--dry-run", action="store_true", help="只列出会改什么，不写入台账")
    collect.add_argument("--json", action="store_true", help=JSON_HELP)
    collect.set_defaults(handler=run_collect)


def _ledger(path: str, read_only: bool):
    from ..store.ledger import Ledger
    if not Path(path).exists():
        raise LedgerError(f"找不到台账文件“{path}”。请确认路径，或先在软件里新建台账。")
    ledger = Ledger.open(Path(path), read_only=read_only)
    if not read_only and ledger.read_only:
        reason = ledger.read_only_reason or f"台账文件“{path}”是只读的。"
        ledger.close()
        raise LedgerError(f"{reason}不能写入回收的内容。")
    return ledger


def run_forms(args) -> int:
    from ..jobs import finish
    from ..store.forms import distribute, inspection_ids_named
    ledger = _ledger(args.db, read_only=True)
    try:
        ids = inspection_ids_named(ledger, args.inspection)
        result = finish(distribute(ledger, Path(args.out), ids, args.unit))
    finally:
        ledger.close()
    for unit, path, count in result.files:
        print(f"{path}\t{unit}\t{count}项")
    return 0


def run_collect(args) -> int:
    from ..store.backups import make_backup
    from ..store.collect import apply_collect, plan_collect, workbook_paths
    paths = workbook_paths(args.workbooks)
    if not paths:
        raise LedgerError("给出的文件夹里没有 .xlsx 填报表。")
    ledger = _ledger(args.db, read_only=args.dry_run)
    try:
        plan = plan_collect(ledger, paths)
        applied = False
        if not args.dry_run and plan.chosen():
            make_backup(ledger, "导入前")  # collecting is an import into existing problems
            with ledger.change("回收填报表", "命令行：" + "、".join(p.name for p in paths)):
                apply_collect(ledger, plan)
            applied = True
    finally:
        ledger.close()
    if args.json:
        print(json.dumps(plan.to_json(applied), ensure_ascii=False, indent=2))
    else:
        print("\n".join(collect_lines(plan, applied, args.dry_run)))
    if all(f.refused for f in plan.files):
        print("错误：没有一份文件能读入，台账没有改动。", file=sys.stderr)
        return 2
    return 0


def collect_lines(plan, applied: bool, dry_run: bool) -> list[str]:
    lines = []
    for f in plan.files:
        if f.refused:
            lines.append(f"{f.file}：未读入。{f.refused}")
            continue
        lines.append(f"{f.file}（{f.unit or '未注明单位'}）：对上{f.matched}个问题")
        lines += [f"  第{u['row']}行没有对上：{u['text'][:40]}（{u['reason']}）" for u in f.unmatched]
        lines += [f"  注意：{note}" for note in f.notes]
    for change in plan.changes:
        lines.append(f"{change.problem} {change.field}：“{change.old}” → “{change.new}”"
                     + ("（按序号和文字对上，请核对）" if change.by_text else ""))
    for conflict in plan.conflicts:
        lines.append(f"冲突：{conflict.change.problem} {conflict.change.field}：台账为“{conflict.ledger}”，"
                     f"报回为“{conflict.returned}”，保留台账的值")
    if not plan.changes:
        lines.append("没有要写入的内容。")
    elif applied:
        lines.append(f"已写入：新增本月进展{sum(1 for c in plan.chosen() if c.report)}条。")
    elif dry_run:
        lines.append("（试运行，台账没有改动）")
    return lines
