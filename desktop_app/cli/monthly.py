"""`monthly`: the 月调度表 as a workbook, PDF or Word document, as the window's 月调度表 writes it.

    python -m desktop_app monthly --db FILE --out FILE.xlsx|.pdf|.docx [--inspection NAME]
                                  [--date YYYY-MM-DD]

填报单位 and 填报人 are the window's 设置 (单位名称, the last 报送人). The path on stdout; exit 2 and
a Chinese message on stderr when it cannot.
"""

import sys
from datetime import date
from pathlib import Path

HELP = "输出月调度表（.xlsx 为 Excel 工作簿，.pdf 为 PDF，.docx 为可在 WPS、Word 里编辑的文档）"


def add_parser(sub) -> None:
    """Register the subcommand on the main parser's subparsers."""
    command = sub.add_parser("monthly", help=HELP, description=HELP + "。填报单位、填报人取自窗口“设置”。")
    command.add_argument("--db", metavar="FILE", required=True, help="台账文件（只读打开）")
    command.add_argument("--out", metavar="FILE", required=True, help="输出文件，按后缀决定格式")
    command.add_argument("--inspection", metavar="NAME",
                         help="只含这个督察批次（全称或其中能唯一认出的一段；默认：全部批次）")
    command.add_argument("--date", metavar="YYYY-MM-DD", help="截至这一天（默认：今天）")
    command.set_defaults(handler=run)


def run(args) -> int:
    from .options import open_ledger, parse_date_option
    from .notice import out_suffix
    from ..formats.exporting.monthly_content import Filing, build
    from ..jobs import finish
    from ..store.notices import inspection_named
    try:
        suffix = out_suffix(args.out, (".xlsx", ".pdf", ".docx"))
        as_of = parse_date_option(args.date, "--date") if args.date else date.today()
    except ValueError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    app = None
    if suffix == ".pdf":  # painted by the window's printing code: fonts need a Qt application
        from ..ui.print_support import gui_application
        app = gui_application()
    from ..ui.window_settings import Settings  # 设置 as the window keeps them
    settings = Settings()
    filing = Filing(settings.org_name, settings.reporter)
    out = Path(args.out)
    ledger = open_ledger(args.db)
    try:
        inspection_id = (inspection_named(ledger, args.inspection)["id"]
                         if args.inspection is not None else None)
        if suffix == ".xlsx":
            from ..formats.exporting.monthly_report import write_monthly_report
            finish(write_monthly_report(ledger, out, inspection_id, as_of,
                                        settings.schedule_settings, filing=filing))
        else:
            report = build(ledger, inspection_id, as_of, settings.schedule_settings, filing)
            if suffix == ".docx":
                from ..formats.documents.monthly_docx import write_monthly_docx
                write_monthly_docx(report, out)
            else:
                from ..ui.exporting.monthly_report_print import monthly_report_pdf
                monthly_report_pdf(report, out)
    finally:
        ledger.close()
    del app
    print(out)
    return 0
