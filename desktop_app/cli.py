"""The command line: no subcommand starts the window; subcommands are twins for scripts.

Their names, options and JSON keys are a contract with county IT scripts: keep them.
"""

import argparse
import json
import sys
from pathlib import Path

from . import APP_NAME, __version__
from .store.errors import LedgerError


def _open(path: str):
    from .store.ledger import Ledger
    if not Path(path).exists():
        raise LedgerError(f"找不到台账文件“{path}”。")
    return Ledger.open(Path(path), read_only=True)


def cmd_summary(args) -> int:
    from .store.summary import summarize, summary_lines
    ledger = _open(args.db)
    try:
        summary = summarize(ledger)
    finally:
        ledger.close()
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print("\n".join(summary_lines(summary)))
    return 0


def _cli_date(value: str, option: str):
    from datetime import datetime
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise ValueError(f"{option} 的“{value}”不是有效日期，请按 YYYY-MM-DD 填写，例如 2023-10-13。") from None


def cmd_workdays(args) -> int:
    """The 公示期 in working days: the date on stdout's first line, a warning (if any) on stderr."""
    from .domain.workdays import WorkCalendar
    try:
        if args.start is None:
            raise ValueError("请用 --start 给出开始日期（YYYY-MM-DD）。")
        if (args.days is None) == (args.end is None):
            raise ValueError("请给出 --days（工作日天数）或 --end（结束日期）二者之一。")
        start = _cli_date(args.start, "--start")
        end = _cli_date(args.end, "--end") if args.end is not None else None
        if end is None and not (args.days.isascii() and args.days.isdigit() and int(args.days) > 0):
            raise ValueError(f"--days 的“{args.days}”不是正整数，请填写工作日天数，例如 10。")
        if args.db:
            from .store.holidays import calendar
            ledger = _open(args.db)
            try:
                work_calendar = calendar(ledger)
            finally:
                ledger.close()
        else:
            work_calendar = WorkCalendar()
        if end is None:
            period = work_calendar.add_working_days(start, int(args.days))
            print(period.end.isoformat())
        else:
            period = work_calendar.count_working_days(start, end)
            print(period.working_days)
    except ValueError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    if period.warning:
        print(f"警告：{period.warning}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m desktop_app",
        description=f"{APP_NAME}。不带子命令时打开窗口；子命令供脚本和批量处理使用。")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument("--db", metavar="FILE", help="打开这个台账文件（默认：用户数据目录下的台账）")
    sub = parser.add_subparsers(dest="command", metavar="子命令")

    summary = sub.add_parser("summary", help="列出每个督察批次的“N大类M项”和各大类问题数")
    summary.add_argument("--db", metavar="FILE", required=True, help="台账文件")
    summary.add_argument("--json", action="store_true", help="以 JSON 输出")
    summary.set_defaults(handler=cmd_summary)

    workdays = sub.add_parser("workdays", help="按工作日计算公示期：给 --days 输出最后一天，给 --end 输出工作日天数")
    workdays.add_argument("--start", metavar="YYYY-MM-DD", help="开始日期（不是工作日时从下一个工作日算起）")
    workdays.add_argument("--days", metavar="N", help="工作日天数：输出第N个工作日的日期")
    workdays.add_argument("--end", metavar="YYYY-MM-DD", help="结束日期：输出开始到结束（含两端）的工作日天数")
    # SUPPRESS keeps a --db given before the subcommand instead of overwriting it with None.
    workdays.add_argument("--db", metavar="FILE", default=argparse.SUPPRESS,
                          help="再加上这个台账里录入的节假日安排")
    workdays.set_defaults(handler=cmd_workdays)
    return parser


def _utf8_output() -> None:
    # A Windows console defaults to GBK/cp936; scripts reading our JSON expect UTF-8.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")


def main(argv=None) -> int:
    _utf8_output()
    args = build_parser().parse_args(argv)
    if args.command is None:
        from .ui.app import run
        return run(Path(args.db) if args.db else None)
    try:
        return args.handler(args)
    except LedgerError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
