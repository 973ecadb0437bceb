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
