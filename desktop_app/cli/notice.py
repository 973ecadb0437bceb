"""`notice`: the 整改销号公示 of one problem as a PDF or .docx, the window's own notice.

    python -m desktop_app notice --db FILE (--problem 序号 | --id ID) --out NOTICE.pdf|.docx
                                 [--start YYYY-MM-DD --days N] [--inspection NAME]

The file's path on stdout; a year counted without its 放假安排, or the use of the clerk's edited
text, as a note on stderr; exit 2 and a Chinese message on stderr when it cannot.
"""

import sys
from pathlib import Path

from ..store.errors import LedgerError

HELP = "把一个问题的整改销号公示输出为 PDF 或 Word（.docx），与窗口里“打印公示”排版相同"
PROBLEM_HELP = ("问题在台账里显示的序号（如 12 或 第12项）；台账里有多个督察批次时"
                "用 --inspection 指明批次")
ID_HELP = "问题的数据库 id（脚本用；与 --problem 二选一）"
DESCRIPTION = (HELP + "。不给 --start 时：有编辑过的公示文本就用它，否则用销号记录里的公示时间"
               "（没有则日期留空待填）；给了 --start 时按台账的节假日安排重新计算公示期并重新生成公示。"
               "受理单位、联系人、电话、传真、发布单位取自销号记录，其次取自窗口“设置 → 销号与公示”，"
               "受理单位和发布单位再其次取“设置 → 本单位”的单位名称。")
SUFFIXES = (".pdf", ".docx")


def add_problem_options(command) -> None:
    """--problem 序号 or --id ID (one of them), and --inspection NAME."""
    which = command.add_mutually_exclusive_group(required=True)
    which.add_argument("--problem", metavar="序号", help=PROBLEM_HELP)
    which.add_argument("--id", metavar="ID", help=ID_HELP)
    command.add_argument("--inspection", metavar="NAME",
                         help="问题所在的督察批次（全称或其中能唯一认出的一段）")


def chosen_problem(ledger, args) -> int:
    """The problem id the options name; LedgerError or ValueError in Chinese otherwise."""
    from .options import parse_positive_option
    from ..store import notices
    if args.id is not None:
        return notices.problem_by_id(ledger, parse_positive_option(args.id, "--id"))
    return notices.find_problem(ledger, args.problem, args.inspection)


def add_parser(sub) -> None:
    """Register the subcommand on the main parser's subparsers."""
    command = sub.add_parser("notice", help=HELP, description=DESCRIPTION)
    command.add_argument("--db", metavar="FILE", required=True, help="台账文件")
    add_problem_options(command)
    command.add_argument("--out", metavar="FILE", required=True,
                         help="输出文件：.pdf 为 PDF，.docx 为可在 WPS、Word 里编辑的文档")
    command.add_argument("--start", metavar="YYYY-MM-DD",
                         help="公示开始日期（不是工作日时从下一个工作日算起）")
    command.add_argument("--days", metavar="N",
                         help="公示期工作日天数（默认：销号记录里的天数，其次是设置里的默认值）")
    command.set_defaults(handler=run)


def out_suffix(path: str, allowed=SUFFIXES) -> str:
    """The output's suffix, lower case, or a ValueError naming the ones allowed."""
    suffix = Path(path).suffix.lower()
    if suffix not in allowed:
        raise ValueError(f"--out 的“{path}”请以 {' 或 '.join(allowed)} 结尾，按后缀决定输出格式。")
    return suffix


def run(args) -> int:
    from .options import parse_date_option, parse_positive_option
    from ..store import notices
    from ..store.ledger import Ledger

    try:
        suffix = out_suffix(args.out)
        start = parse_date_option(args.start, "--start") if args.start else None
        days = parse_positive_option(args.days, "--days", "请填写工作日天数，例如 5")
        if days is not None and start is None:
            raise ValueError("给了 --days 时也请用 --start 给出公示开始日期。")
    except ValueError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    if not Path(args.db).is_file():
        raise LedgerError(f"找不到台账文件“{args.db}”。")
    from ..ui.print_support import gui_application
    app = gui_application()  # fonts and painting need it; before any Qt object is made
    from ..ui.window_settings import Settings  # 设置 as the window keeps them: one source of defaults

    ledger = Ledger.open(Path(args.db), read_only=True)
    try:
        problem_id = chosen_problem(ledger, args)
        result = notices.notice_for(ledger, problem_id, Settings().signoff_defaults,
                                    start=start, working_days=days)
        if suffix == ".docx":
            from ..formats.documents.notice_docx import write_notices
            write_notices([result.notice], Path(args.out))
        else:
            from ..ui.notices.printing import notice_pdf
            notice_pdf([result.notice], Path(args.out))
    except ValueError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    finally:
        ledger.close()
    del app
    print(Path(args.out))
    if result.edited:
        print("说明：使用了销号记录中编辑过的公示文本。", file=sys.stderr)
    if result.warning:
        print(f"警告：{result.warning}", file=sys.stderr)
    return 0
