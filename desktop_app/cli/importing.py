"""`import`: a workbook or plan into a ledger file without a dialog, with the preview's automatic mapping.

    python -m desktop_app import PATH --db FILE [--inspection NAME] [--json]

Exit 0 and what was created on success; exit 2 and a Chinese message on stderr otherwise, the
ledger file then as it was (a ledger file the command created itself is removed again).
"""

import json
import sys
from pathlib import Path

from ..store.errors import LedgerError

HELP = "把 Excel 台账（.xlsx/.xls）或整改方案（.docx/.txt）导入台账文件"
JSON_HELP = ("以 JSON 输出：inspection（督察批次名称）、inspection_id、created_inspection（是否新建）、"
             "categories（大类数）、problems（问题数）、measures（措施数）、summary（“N大类M项”）、"
             "new_categories（新建的类别数）、merged_categories（并入已有类别的名称）、"
             "inspection_summary（导入后整个督察批次的“N大类M项”）、progress_reports（由“整改进展”列"
             "建的进展记录数）、warnings（要核对的地方，每条一句话）、not_imported（没有导入的原文行，"
             "每条含 line 行号、text 原文、why 原因：网页杂项/正文前后/公示信息/不认识）、publicity（公示页"
             "末尾的公示信息：office 受理单位、contact 联系人、phone 电话、fax 传真、issuer 发布单位（落款）、period 公示时间等，"
             "没有时为 null）、source（文件名）、layout（rows/column/text）")


def add_parser(sub) -> None:
    """Register the subcommand on the main parser's subparsers."""
    command = sub.add_parser("import", help=HELP, description=HELP + "。全部导入或全部不导入。")
    command.add_argument("path", metavar="PATH", help="要导入的文件")
    command.add_argument("--db", metavar="FILE", required=True,
                         help="台账文件；不存在时新建")
    command.add_argument("--inspection", metavar="NAME",
                         help="导入到这个督察批次：已有同名批次时并入它（同名类别合并），"
                              "否则新建；不给时新建一个批次，名称取表格或方案的标题")
    command.add_argument("--json", action="store_true", help=JSON_HELP)
    command.set_defaults(handler=run)


def run(args) -> int:
    from ..formats.importing.apply import apply_plan
    from ..formats.importing.importer import read_source
    from ..jobs import finish
    from ..store.backups import make_backup
    from ..store.collect import is_own_export
    from ..store.evidence_check import clear_temp
    from ..store.ledger import Ledger

    plan = finish(read_source(Path(args.path)))  # fails here with nothing opened or written
    db = Path(args.db)
    created_file = not db.exists()
    ledger = Ledger.create(db) if created_file else Ledger.open(db)
    try:
        if ledger.read_only:
            raise LedgerError(ledger.read_only_reason or f"台账文件“{db}”是只读的，不能导入。")
        if is_own_export(ledger, plan):
            print("提示：这个表格是从本台账导出的，导入会另建一份同样的问题。要按表格里改过的内容"
                  "更新台账，请在软件里用“导入”，选择“按表格更新本台账”。", file=sys.stderr)
        clear_temp(ledger)  # copies a crash cut short, as the window clears them on opening
        inspection_id = _inspection_id(ledger, args.inspection)
        fields = {"name": args.inspection} if args.inspection and inspection_id is None else None
        if not created_file:  # an import can add thousands of rows: keep the ledger as it was
            make_backup(ledger, "导入前")
        source = plan.source or Path(args.path).name
        with ledger.change(f"导入“{source}”", f"命令行：{source}"):
            result = apply_plan(ledger, plan, inspection_id, fields)
    except BaseException:
        ledger.close()
        if created_file:
            _remove_new_ledger(db)
        raise
    ledger.close()
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print("\n".join(result_lines(result)))
    return 0


def _inspection_id(ledger, name: str | None) -> int | None:
    if not name:
        return None
    for inspection in ledger.inspections():
        if inspection["name"] == name:
            return inspection["id"]
    return None


def _remove_new_ledger(db: Path) -> None:
    for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        try:
            path.unlink()
        except FileNotFoundError:
            pass


def result_lines(result: dict) -> list[str]:
    verb = "新建督察批次" if result["created_inspection"] else "导入到督察批次"
    lines = [f"已从“{result['source']}”{verb}“{result['inspection']}”：{result['summary']}，"
             f"整改措施{result['measures']}条。"]
    if result["merged_categories"]:
        lines.append("并入已有类别：" + "、".join(dict.fromkeys(result["merged_categories"])))
    if not result["created_inspection"]:
        lines.append(f"这个督察批次现在共{result['inspection_summary']}。")
    if result.get("progress_reports"):
        lines.append(f"“整改进展”列的内容记为{result['progress_reports']}条今天的进展记录。")
    if result.get("publicity"):
        lines.append("公示信息（没有写入台账，申请销号时可照此填写）：" + publicity_text(result["publicity"]))
    if result["warnings"]:
        lines.append(f"请核对以下{len(result['warnings'])}处：")
        lines.extend(f"  {w}" for w in result["warnings"])
    if result.get("not_imported"):
        lines.append(f"未导入的原文{len(result['not_imported'])}行：")
        lines.extend(f"  第{n['line']}行（{n['why']}）：{n['text']}" for n in result["not_imported"])
    return lines


PUBLICITY_LABELS = (("period", "公示时间"), ("office", "受理单位"), ("contact", "联系人"),
                    ("phone", "联系电话"), ("fax", "传真"), ("issuer", "发布单位"), ("issued_on", "落款日期"))


def publicity_text(publicity: dict) -> str:
    """公示时间：…；受理单位：…: a 公示 page's footer as the clerk reads it."""
    return "；".join(f"{label}：{publicity[key]}" for key, label in PUBLICITY_LABELS if publicity.get(key))
