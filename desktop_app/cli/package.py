"""`package` and `merge`: a township's 上报包 out, a county's 汇总 in, as the window's 文件 menu does.

    python -m desktop_app package --db F --out FILE [--inspection NAME] [--with-evidence]
                                  [--org 单位名称] [--period YYYY-MM-DD]
    python -m desktop_app merge --db COUNTY.db PACKAGE... [--dry-run] [--json]

merge --json keys: packages ([{file, org, period, problems, added, updated, unchanged, removed,
refused}], plus note, new_reports, status_changes), conflicts, applied: a contract, keep them.
Exit 2 and a Chinese message on stderr for bad input; a refused package is listed, not fatal.
"""

import json
import sys
from datetime import date
from pathlib import Path

from ..store.errors import LedgerError


def add_parser(sub) -> None:
    package = sub.add_parser("package", help="生成上报包：把台账（全部或选定的督察批次）连同清单和校验值封装成一个文件，报送上级汇总")
    package.add_argument("--db", metavar="FILE", required=True, help="台账文件（只读打开）")
    package.add_argument("--out", metavar="FILE", required=True, help="上报包文件（建议以 .sbb 结尾）")
    package.add_argument("--inspection", metavar="NAME", action="append",
                         help="只包含这个督察批次（可重复；默认全部）")
    package.add_argument("--with-evidence", action="store_true", help="连同佐证材料文件一起打包")
    package.add_argument("--org", metavar="单位名称",
                         help="报送单位名称（默认：督察批次的所属单位）")
    package.add_argument("--period", metavar="YYYY-MM-DD", help="数据截至日期（默认：今天）")
    package.set_defaults(handler=run_package)

    merge = sub.add_parser("merge", help="汇总上报包：把各乡镇/单位的上报包按单位并入本台账")
    merge.add_argument("--db", metavar="COUNTY.db", required=True, help="县里的汇总台账文件")
    merge.add_argument("packages", metavar="PACKAGE", nargs="+", help="上报包文件，或放上报包的文件夹")
    merge.add_argument("--dry-run", action="store_true", help="只预览会有哪些变化，不改动台账")
    merge.add_argument("--json", action="store_true", help="以 JSON 输出")
    merge.set_defaults(handler=run_merge)


def run_package(args) -> int:
    from .options import open_ledger, inspection_ids, parse_date_option
    from ..jobs import finish
    from ..store.report_package import PackageOptions, default_org, write_package
    try:
        period = parse_date_option(args.period, "--period") if args.period else date.today()
    except ValueError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    ledger = open_ledger(args.db)
    try:
        try:
            ids = inspection_ids(ledger, args.inspection)
        except ValueError as e:
            print(f"错误：{e}", file=sys.stderr)
            return 2
        org = (args.org or default_org(ledger, ids)).strip()
        if not org:
            print("错误：督察批次没有填写所属单位，或各批次的所属单位不一致。请用 --org 写明报送单位名称。",
                  file=sys.stderr)
            return 2
        manifest = finish(write_package(ledger, Path(args.out), PackageOptions(org, period, ids, args.with_evidence)),
                          lambda step: step.done == 0 and print(step.message, file=sys.stderr))
    finally:
        ledger.close()
    print(args.out)
    print(f"{manifest['org']}，截至{manifest['period']}：{manifest['problems']}个问题，"
          f"{len(manifest['parts']) - 1}个佐证材料文件")
    return 0


def run_merge(args) -> int:
    from ..store.ledger import Ledger
    from ..store.merge import merge_files, result_lines
    path = Path(args.db)
    if not path.is_file():
        raise LedgerError(f"找不到台账文件“{path}”。要汇总到一个新台账，请先在窗口里新建一个台账。")
    for item in args.packages:
        if not Path(item).exists():
            print(f"错误：找不到上报包“{item}”。", file=sys.stderr)
            return 2
    ledger = Ledger.open(path, read_only=args.dry_run)
    try:
        if ledger.read_only and not args.dry_run:
            raise LedgerError(ledger.read_only_reason or f"台账文件“{path}”是只读的，不能汇总。")
        result = merge_files(ledger, [Path(p) for p in args.packages], args.dry_run,
                             "命令行：" + "、".join(Path(p).name for p in args.packages))
    finally:
        ledger.close()
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print("\n".join(result_lines(result, args.dry_run)))
    return 0

