"""The command line: no subcommand starts the window; subcommands are twins for scripts.

Their names, options and JSON keys are a contract with county IT scripts: keep them.
"""

import argparse
import json
import sys
from pathlib import Path

from .. import APP_NAME, __version__
from ..store.errors import LedgerError
from .options import inspection_ids, open_ledger, parse_date_option, parse_positive_option


def cmd_summary(args) -> int:
    from ..store.summary import summarize, summary_lines
    ledger = open_ledger(args.db)
    try:
        summary = summarize(ledger)
    finally:
        ledger.close()
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print("\n".join(summary_lines(summary)))
    return 0


def cmd_export(args) -> int:
    """The 整改任务清单 workbook, as the window's 导出 Excel writes it; path and N大类M项 on stdout."""
    from ..formats.exporting.ledger_xlsx import ExportOptions, export_ledger_file
    ledger = open_ledger(args.db)
    try:
        options = ExportOptions(paper=args.paper)
        try:
            options.inspection_ids = inspection_ids(ledger, args.inspection)
        except ValueError as e:
            print(f"错误：{e}", file=sys.stderr)
            return 2
        result = export_ledger_file(ledger, Path(args.out), options)
    finally:
        ledger.close()
    print(result.path)
    for name, summary in zip(result.inspections, result.summaries):
        print(f"{name}：{summary}")
    for warning in result.warnings:
        print(f"警告：{warning}", file=sys.stderr)
    return 0


def cmd_workdays(args) -> int:
    """The 公示期 in working days: the date on stdout's first line, a warning (if any) on stderr."""
    from ..domain.workdays import WorkCalendar
    try:
        if args.start is None:
            raise ValueError("请用 --start 给出开始日期（YYYY-MM-DD）。")
        if (args.days is None) == (args.end is None):
            raise ValueError("请给出 --days（工作日天数）或 --end（结束日期）二者之一。")
        start = parse_date_option(args.start, "--start")
        end = parse_date_option(args.end, "--end") if args.end is not None else None
        days = None if end is not None else parse_positive_option(
            args.days, "--days", "请填写工作日天数，例如 10")
        if args.db:
            from ..store.holidays import calendar
            ledger = open_ledger(args.db)
            try:
                work_calendar = calendar(ledger)
            finally:
                ledger.close()
        else:
            work_calendar = WorkCalendar()
        if end is None:
            period = work_calendar.add_working_days(start, days)
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


def cmd_backup(args) -> int:
    """A consistent copy: into a backup folder under the usual name, or exactly to --out FILE.db."""
    from ..store.backups import BackupPolicy, backup_to_file, make_backup
    out = Path(args.out) if args.out else None
    ledger = open_ledger(args.db)
    try:
        if out is not None and out.suffix.lower() == ".db" and not out.is_dir():
            made = backup_to_file(ledger, out)
        else:
            made = make_backup(ledger, "手动", BackupPolicy(folder=out))
    finally:
        ledger.close()
    print(f"已备份到：{made}")
    return 0


def cmd_restore(args) -> int:
    """Restore a backup; the current ledger is kept as a 恢复前 (or 损坏) backup first."""
    from ..store.backups import BackupPolicy, restore, restore_damaged, startup_check
    from ..store.evidence_check import clear_temp
    from ..store.ledger import Ledger
    path, source, policy = Path(args.db), Path(args.source), BackupPolicy()
    if not path.exists():
        restore_damaged(path, source, policy)
        print(f"台账文件“{path}”原先不存在，已用备份“{source}”建立。")
        return 0
    if startup_check(path, policy).damaged:
        aside = restore_damaged(path, source, policy)
        print(f"台账文件已损坏，原样另存为“{aside}”；已用备份“{source}”恢复。")
        return 0
    ledger = Ledger.open(path)
    try:
        clear_temp(ledger)  # copies a crash cut short, as the window clears them on opening
        saved = restore(ledger, source, policy)
    finally:
        ledger.close()
    print(f"已用备份“{source}”恢复台账。恢复前的台账已另存为“{saved}”。")
    return 0


def cmd_check(args) -> int:
    """0: all is well; 1: something is wrong (each finding a line); 2: the file cannot be checked."""
    from ..store.evidence_check import by_problem
    from ..store.evidence_check import verify_ledger_file
    findings = verify_ledger_file(Path(args.db))
    if not findings:
        print("检查通过：数据库完好，修改记录链完整。")
        return 0
    # Printed by problem: the ledger as a whole first, then each problem under its own heading.
    grouped = by_problem(findings)
    names = _problem_names(Path(args.db), [p for p in grouped if p is not None])
    for problem_id, found in grouped.items():
        if problem_id is not None:
            print(f"{names.get(problem_id) or f'问题（id {problem_id}）'}：")
        for finding in found:
            print(("  " if problem_id is not None else "") + finding.message.replace("\n", ""))
    return 1


def _problem_names(path: Path, problem_ids: list[int]) -> dict[int, str]:
    """Headings for the problems of findings; none (plain ids) if the file cannot say."""
    from ..store.connection import _connect
    from ..store.evidence_check import problem_label
    if not problem_ids:
        return {}
    conn = None
    try:
        conn = _connect(path, read_only=True)
        return {p: problem_label(conn, p) for p in problem_ids}
    except Exception:  # a damaged file: its findings already say so
        return {}
    finally:
        if conn is not None:
            conn.close()


def build_parser() -> argparse.ArgumentParser:
    from .chinese import use_chinese
    use_chinese()
    parser = argparse.ArgumentParser(
        prog="python -m desktop_app",
        description=f"{APP_NAME}。不带子命令时打开窗口；子命令供脚本和批量处理使用。")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}",
                        help="显示版本号并退出")
    parser.add_argument("--db", metavar="FILE", help="打开这个台账文件（默认：用户数据目录下的台账）")
    parser.add_argument("--self-test", action="store_true",
                        help="自检：在临时文件夹里打开示例台账、显示窗口（不需要显示器）、导出 Excel，然后退出")
    sub = parser.add_subparsers(dest="command", metavar="子命令")

    summary = sub.add_parser("summary", help="列出每个督察批次的“N大类M项”和各大类问题数")
    summary.add_argument("--db", metavar="FILE", required=True, help="台账文件")
    summary.add_argument("--json", action="store_true", help="以 JSON 输出")
    summary.set_defaults(handler=cmd_summary)

    export = sub.add_parser("export", help="导出整改任务清单（Excel 工作簿，每个督察批次一张表）")
    export.add_argument("--db", metavar="FILE", required=True, help="台账文件（只读打开）")
    export.add_argument("--out", metavar="LEDGER.xlsx", required=True, help="导出到这个 .xlsx 文件")
    export.add_argument("--inspection", metavar="NAME", action="append",
                        help="只导出这个督察批次（可重复；默认全部）")
    export.add_argument("--paper", choices=["A4", "A3"], default="A4", help="纸张（横向），默认 A4")
    export.set_defaults(handler=cmd_export)

    workdays = sub.add_parser("workdays", help="按工作日计算公示期：给 --days 输出最后一天，给 --end 输出工作日天数")
    workdays.add_argument("--start", metavar="YYYY-MM-DD", help="开始日期（不是工作日时从下一个工作日算起）")
    workdays.add_argument("--days", metavar="N", help="工作日天数：输出第N个工作日的日期")
    workdays.add_argument("--end", metavar="YYYY-MM-DD", help="结束日期：输出开始到结束（含两端）的工作日天数")
    # SUPPRESS keeps a --db given before the subcommand instead of overwriting it with None.
    workdays.add_argument("--db", metavar="FILE", default=argparse.SUPPRESS,
                          help="再加上这个台账里录入的节假日安排")
    workdays.set_defaults(handler=cmd_workdays)

    backup = sub.add_parser("backup", help="备份台账（用 SQLite 备份接口做一份完整一致的副本）")
    backup.add_argument("--db", metavar="FILE", required=True, help="台账文件")
    backup.add_argument("--out", metavar="PATH",
                        help="备份到这个文件夹（默认：台账旁边的“<台账名>-备份”文件夹），或正好写到这个 .db 文件")
    backup.set_defaults(handler=cmd_backup)

    restore = sub.add_parser("restore", help="用备份恢复台账（先把现在的台账另存为一份“恢复前”备份）")
    restore.add_argument("--db", metavar="FILE", required=True, help="台账文件")
    restore.add_argument("--from", dest="source", metavar="BACKUP", required=True, help="备份文件")
    restore.set_defaults(handler=cmd_restore)

    check = sub.add_parser("check", help="检查台账：数据库完整性、数据关联、修改记录链和每个佐证材料文件；"
                           "有问题时按问题列出，退出码为 1")
    check.add_argument("--db", metavar="FILE", required=True, help="台账文件")
    check.set_defaults(handler=cmd_check)

    from .importing import add_parser as add_import_parser  # import: a workbook or plan in
    add_import_parser(sub)
    from .notice import add_parser as add_notice_parser  # notice: 整改销号公示 as a PDF
    add_notice_parser(sub)
    from .evidence import add_parser as add_attach_parser  # attach: 佐证材料 files in
    add_attach_parser(sub)
    from .stats import add_parser as add_stats_parser  # stats: counts and the summary paragraph
    add_stats_parser(sub)
    from .forms import add_parser as add_forms_parser  # forms and collect: the monthly loop
    add_forms_parser(sub)
    from .package import add_parser as add_package_parsers  # package / merge: 上报 and 汇总
    add_package_parsers(sub)
    from .monthly import add_parser as add_monthly_parser  # monthly: the 月调度表
    add_monthly_parser(sub)
    from .report import add_parser as add_report_parser  # report: 整改落实情况报告 (.docx)
    add_report_parser(sub)
    return parser


def _utf8_output() -> None:
    # A Windows console defaults to GBK/cp936; scripts reading our JSON expect UTF-8.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")


def main(argv=None) -> int:
    _utf8_output()
    args = build_parser().parse_args(argv)
    if args.command is None and args.self_test:
        from ..ui.self_test import run_self_test
        return run_self_test()
    if args.command is None:
        from ..ui.app import run
        return run(Path(args.db) if args.db else None)
    try:
        return args.handler(args)
    except LedgerError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
