"""`report`: the 整改落实情况报告 as a Word document, as 总览 → 生成整改落实情况报告 writes it.

    python -m desktop_app report --db FILE --out FILE.docx [--inspection NAME] [--date YYYY-MM-DD]

Its figures are `stats`'s on the same date. The path on stdout; exit 2 and a Chinese message on
stderr when it cannot.
"""

import sys
from datetime import date
from pathlib import Path

HELP = "生成整改落实情况报告（.docx，可在 WPS、Word 里编辑；数字与 stats 同日的统计一致）"


def add_parser(sub) -> None:
    """Register the subcommand on the main parser's subparsers."""
    command = sub.add_parser("report", help=HELP, description=HELP + "。")
    command.add_argument("--db", metavar="FILE", required=True, help="台账文件（只读打开）")
    command.add_argument("--out", metavar="FILE", required=True, help="输出的 .docx 文件")
    command.add_argument("--inspection", metavar="NAME",
                         help="只写这个督察批次（全称或其中能唯一认出的一段；默认：全部批次）")
    command.add_argument("--date", metavar="YYYY-MM-DD", help="截至这一天（默认：今天）")
    command.set_defaults(handler=run)


def run(args) -> int:
    from .options import open_ledger, parse_date_option
    from .notice import out_suffix
    from ..formats.documents.rectification_report_docx import write_rectification_report
    from ..store.notices import inspection_named
    from ..store.rectification_report import content
    try:
        out_suffix(args.out, (".docx",))
        as_of = parse_date_option(args.date, "--date") if args.date else date.today()
    except ValueError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    ledger = open_ledger(args.db)
    try:
        inspection_id = (inspection_named(ledger, args.inspection)["id"]
                         if args.inspection is not None else None)
        report = content(ledger, inspection_id, as_of)
    finally:
        ledger.close()
    out = write_rectification_report(report, Path(args.out))
    print(out)
    return 0
