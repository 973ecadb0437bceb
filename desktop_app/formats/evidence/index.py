"""佐证材料目录.xlsx: the printable index at the top of an evidence package, one row per file."""

from datetime import date
from io import BytesIO

from openpyxl import Workbook

from ... import APP_NAME
from ..importing.errors import size_text
from ..exporting.text_fit import clean_text, row_height, text_height, wrapped_lines
from ..exporting.xlsx_layout import FONT_SCALE, LINE_PT_BY_STYLE, setup_page
from ..exporting.xlsx_sheets import SheetRows

SHEET_NAME = "佐证材料目录"
# key → (header, width in column units). Wider than A4 landscape: printed fit to the page's
# width (about 85 %), so that a row keeps to three or four lines (the hash in three) and a
# few hundred files stay a few dozen pages.
COLUMNS = {
    "index": ("序号", 5), "number": ("问题序号", 5), "problem": ("问题", 16),
    "measure": ("整改措施", 16), "caption": ("材料说明", 15), "kind": ("类型", 8),
    "date": ("日期", 12), "added_by": ("添加人", 7), "location": ("文件位置", 30),
    "size": ("大小", 10), "sha256": ("SHA-256", 30),
}
NUMBERS = frozenset({"index", "number"})
NOTES = {"missing": "（文件缺失，没有打包：佐证材料文件夹里找不到它）",
         "altered": "（核对未通过：内容与添加时的校验值不符，可能被改动过）"}


def _values(index: int, item) -> dict:
    row = item.row
    location = item.relative if item.state != "missing" else ""
    note = NOTES.get(item.state, "")
    return {
        "index": index, "number": item.number, "problem": item.problem,
        "measure": clean_text(item.measure), "caption": clean_text(row["caption"] or row["display_name"]),
        "kind": row["kind"], "date": row["taken_on"] or "", "added_by": row["added_by"],
        "location": "\n".join(t for t in (location, note) if t), "size": size_text(row["size"]),
        "sha256": row["sha256"],
    }


def _summary(items) -> str:
    present = [i for i in items if i.state != "missing"]
    text = (f"共{len(present)}个文件，{size_text(sum(i.row['size'] for i in present))}；"
            f"导出于{date.today():%Y年%m月%d日}")
    flagged = sum(1 for i in items if i.state)
    if flagged:
        text += f"；其中{flagged}个文件缺失或内容不符，见“文件位置”栏"
    return text


def write_index(inspection: dict, items) -> bytes:
    """The index workbook of a package (items: evidence_package.PackageItem, states known):
    title, summary, a header frozen on screen and repeated on every printed page, A4 landscape."""
    widths = {key: width for key, (_, width) in COLUMNS.items()}
    book = Workbook(write_only=True)
    book.properties.creator = APP_NAME
    book.properties.title = f"{inspection['name']}{SHEET_NAME}"
    ws = book.create_sheet(SHEET_NAME)
    rows = SheetRows(ws, list(widths.values()))
    setup_page(ws, "A4", landscape=True, title_rows="3:3", freeze="A4")
    cell = rows.styles.cell
    for text, style in ((book.properties.title, "title"), (_summary(items), "summary")):
        rows.merged(text, style, False, text_height(
            text, sum(widths.values()) / FONT_SCALE[style], LINE_PT_BY_STYLE[style]))
    headers = [header for header, _ in COLUMNS.values()]
    rows.append([cell(h, "header") for h in headers],
                max(text_height(h, widths[k] / FONT_SCALE["header"], LINE_PT_BY_STYLE["header"])
                    for h, k in zip(headers, COLUMNS)))
    for index, item in enumerate(items, 1):
        values = _values(index, item)
        lines = max(wrapped_lines(str(values[key]), widths[key]) for key in COLUMNS)
        rows.append([cell(values[key], "number" if key in NUMBERS else "text") for key in COLUMNS],
                    row_height(lines))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
