"""`notice`: the 整改销号公示 of one problem as a PDF, painted by the window's own printing code.

    python -m desktop_app notice --db FILE --problem NUMBER_OR_ID --out NOTICE.pdf
                                 [--start YYYY-MM-DD --days N] [--inspection NAME]

The PDF's path on stdout; a year counted without its 放假安排, or the use of the clerk's edited
text, as a note on stderr; exit 2 and a Chinese message on stderr when it cannot.
"""

import sys
from pathlib import Path

from .store.errors import LedgerError

HELP = "把一个问题的整改销号公示输出为 PDF（与窗口里“打印公示”排版相同）"
PROBLEM_HELP = ("问题：纯数字是问题的 id（如 12）；“第12项”“12项”或“N12”是问题序号，"
                "台账里只有一个督察批次时直接可用，有多个时用 --inspection 指明批次"
                "（给了 --inspection 时纯数字也按序号理解）")
DESCRIPTION = (HELP + "。不给 --start 时：有编辑过的公示文本就用它，否则用销号记录里的公示时间"
               "（没有则日期留空待填）；给了 --start 时按台账的节假日安排重新计算公示期并重新生成公示。"
               "受理单位、联系人、电话、传真、发布单位取自销号记录，其次取自窗口“设置”里的默认值。")


def add_parser(sub) -> None:
    """Register the subcommand on the main parser's subparsers."""
    command = sub.add_parser("notice", help=HELP, description=DESCRIPTION)
    command.add_argument("--db", metavar="FILE", required=True, help="台账文件")
    command.add_argument("--problem", metavar="NUMBER_OR_ID", required=True, help=PROBLEM_HELP)
    command.add_argument("--out", metavar="NOTICE.pdf", required=True, help="输出的 PDF 文件")
    command.add_argument("--start", metavar="YYYY-MM-DD",
                         help="公示开始日期（不是工作日时从下一个工作日算起）")
    command.add_argument("--days", metavar="N",
                         help="公示期工作日天数（默认：销号记录里的天数，其次是设置里的默认值）")
    command.add_argument("--inspection", metavar="NAME", help="问题所在的督察批次（名称或其中一段）")
    command.set_defaults(handler=run)


def run(args) -> int:
    from .cli import parse_date_option, parse_positive_option
    from .store import notices
    from .store.ledger import Ledger

    try:
        start = parse_date_option(args.start, "--start") if args.start else None
        days = parse_positive_option(args.days, "--days", "请填写工作日天数，例如 5")
        if days is not None and start is None:
            raise ValueError("给了 --days 时也请用 --start 给出公示开始日期。")
    except ValueError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    if not Path(args.db).is_file():
        raise LedgerError(f"找不到台账文件“{args.db}”。")
    from .ui.notice_print import notice_pdf
    from .ui.print_support import gui_application
    app = gui_application()  # fonts and painting need it; before any Qt object is made
    from .ui.settings import Settings

    ledger = Ledger.open(Path(args.db), read_only=True)
    try:
        problem_id = notices.find_problem(ledger, args.problem, args.inspection)
        result = notices.notice_for(ledger, problem_id, Settings().signoff_defaults,
                                    start=start, working_days=days)
    except ValueError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    finally:
        ledger.close()
    notice_pdf([result.notice], Path(args.out))
    del app
    print(Path(args.out))
    if result.edited:
        print("说明：使用了销号记录中编辑过的公示文本。", file=sys.stderr)
    if result.warning:
        print(f"警告：{result.warning}", file=sys.stderr)
    return 0
