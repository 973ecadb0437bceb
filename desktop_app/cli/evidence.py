"""`attach`: add 佐证材料 files to a problem, as the window's evidence panel does.

    python -m desktop_app attach --db FILE (--problem 序号 | --id ID) PATH... [--caption TEXT]
                                 [--kind KIND] [--measure N] [--taken-on YYYY-MM-DD]
                                 [--inspection NAME] [--max-mb N]

One line per file on stdout (its new id and name); exit 2 and a Chinese message on stderr when
nothing was attached (all or none: a refused file stops the whole batch).
"""

import sys
from pathlib import Path

from .notice import add_problem_options, chosen_problem
from ..store.errors import LedgerError

HELP = "给一个问题添加佐证材料文件（复制进台账旁边的“<台账名>-佐证材料”文件夹）"


def add_parser(sub) -> None:
    command = sub.add_parser("attach", help=HELP, description=HELP + "。要么全部添加，要么一个也不添加。")
    command.add_argument("--db", metavar="FILE", required=True, help="台账文件")
    add_problem_options(command)
    command.add_argument("paths", metavar="PATH", nargs="+", help="要添加的文件")
    command.add_argument("--caption", metavar="TEXT", default="", help="说明文字")
    command.add_argument("--kind", metavar="KIND", default="文件",
                         help="类型：现场照片、文件、会议纪要、合同、验收材料、其他（或台账里自定义的类型），默认“文件”")
    command.add_argument("--measure", metavar="N", help="挂到该问题的第N条整改措施下（从1数起）")
    command.add_argument("--taken-on", metavar="YYYY-MM-DD", help="拍摄或印发日期")
    command.add_argument("--max-mb", metavar="N", help="单个文件大小上限（MB），默认 500")
    command.set_defaults(handler=run)


def run(args) -> int:
    from .options import parse_positive_option
    from ..jobs import finish
    from ..store import evidence_attach, evidence_check
    from ..store.ledger import Ledger

    try:
        measure = parse_positive_option(args.measure, "--measure")
        max_mb = parse_positive_option(args.max_mb, "--max-mb")
    except ValueError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    if not Path(args.db).is_file():
        raise LedgerError(f"找不到台账文件“{args.db}”。")
    ledger = Ledger.open(Path(args.db))
    try:
        if ledger.read_only:
            raise LedgerError(ledger.read_only_reason or f"台账文件“{args.db}”是只读的，不能添加佐证材料。")
        evidence_check.clear_temp(ledger)  # copies a crash cut short, as the window clears them on opening
        problem_id = chosen_problem(ledger, args)
        measure_id = None
        if measure is not None:
            measures = ledger.measures(problem_id)
            if measure > len(measures):
                raise ValueError(f"这个问题只有{len(measures)}条整改措施，没有第{measure}条。")
            measure_id = measures[measure - 1]["id"]
        options = {"max_bytes": max_mb * 1024 * 1024} if max_mb else {}
        with ledger.change("添加佐证材料", "命令行：" + "、".join(Path(p).name for p in args.paths)):
            ids = finish(evidence_attach.attach_files(
                ledger, problem_id, args.paths, caption=args.caption, kind=args.kind,
                measure_id=measure_id, taken_on=args.taken_on, **options))
        rows = [ledger.db["evidence"].get(i) for i in ids]
    except ValueError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    finally:
        ledger.close()
    for row in rows:
        print(f"已添加 {row['id']}：{row['display_name']}")
    return 0
