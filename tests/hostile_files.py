"""Small files that ask for a huge amount of work, as a hostile tester made them (issue 14).

Each builder writes one file and returns its path; BUILDERS names them all, for the refusal
tests and for benchmarks/bench_refusals.py, which times each refusal and its peak memory.
"""

import zipfile
from pathlib import Path

import docx
from openpyxl import Workbook

from import_workbooks import replace_in_member

SHEET = "xl/worksheets/sheet1.xml"
WORD = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _workbook(path: Path, rows: int = 3) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "反馈问题", "整改措施", "责任单位", "整改时限"])
    for n in range(1, rows):
        ws.append([n, f"问题{n}", "整改", "县生态环境局", "2025年底前"])
    wb.save(path)
    return path


def _with_merges(path: Path, refs) -> Path:
    refs = list(refs)
    cells = b"".join(b'<mergeCell ref="%s"/>' % ref.encode() for ref in refs)
    replace_in_member(path, SHEET, b"</sheetData>",
                      b'</sheetData><mergeCells count="%d">%s</mergeCells>' % (len(refs), cells))
    return path


def many_full_width_merges(path: Path, merges: int = 20_000) -> Path:
    """20,000 rows each merged across every column A:XFD (150 KB)."""
    return _with_merges(_workbook(path), (f"A{r}:XFD{r}" for r in range(3, merges + 3)))


def whole_sheet_merge(path: Path) -> Path:
    """One merge over A3:XFD1048576: seventeen billion positions to fill in."""
    return _with_merges(_workbook(path), ["A3:XFD1048576"])


def far_column_per_row(path: Path, rows: int = 20_000) -> Path:
    """One cell in column XFD on every row: each row padded to 16,384 values."""
    _workbook(path)
    body = b"".join(b'<row r="%d"><c r="XFD%d" t="inlineStr"><is><t>x</t></is></c></row>' % (r, r)
                    for r in range(3, rows + 3))
    replace_in_member(path, SHEET, b"</sheetData>", body + b"</sheetData>")
    return path


def wide_row_without_references(path: Path, cells: int = 16_384, rows: int = 20_000) -> Path:
    """One row of 16,384 cells that leave out their reference (each follows the one before),
    then 20,000 short rows: the parser would lay out 20,000 × 16,384 cells (90 KB)."""
    _workbook(path)
    wide = b'<row r="3">' + b"<c/>" * cells + b"</row>"
    body = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (r, r)
                    for r in range(4, rows + 4))
    replace_in_member(path, SHEET, b"</sheetData>", wide + body + b"</sheetData>")
    return path


def huge_cell(path: Path, chars: int = 190 * 10**6, shared: bool = False) -> Path:
    """One cell of 190 million characters (370 KB compressed), inline or in sharedStrings.xml."""
    _workbook(path)
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    text_part = "xl/sharedStrings.xml" if shared else SHEET
    if shared:
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
                         b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
            b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/'
                                 b'officeDocument/2006/relationships/sharedStrings" '
                                 b'Target="sharedStrings.xml"/></Relationships>')
        head = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
                b'uniqueCount="1"><si><t>')
        tail = b"</t></si></sst>"
        cell = b'<row r="3"><c r="B3" t="s"><v>0</v></c></row>'
        parts[SHEET] = parts[SHEET].replace(b"</sheetData>", cell + b"</sheetData>")
    else:
        sheet = parts[SHEET]
        at = sheet.index(b"</sheetData>")
        head = sheet[:at] + b'<row r="3"><c r="B3" t="inlineStr"><is><t>'
        tail = b"</t></is></c></row>" + sheet[at:]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            if name != text_part:
                target.writestr(name, data)
        with target.open(text_part, "w", force_zip64=True) as stream:
            stream.write(head)
            block = "水".encode() * (10**6 // 3) + b"a" * (10**6 % 3)  # 1 MB
            for _ in range(chars // len(block)):
                stream.write(block)
            stream.write(tail)
    return path


def _document(path: Path, body: bytes) -> Path:
    document = docx.Document()
    document.add_paragraph("一、大类")
    document.save(path)
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts["word/document.xml"] = b'<w:document %s><w:body>%s</w:body></w:document>' % (WORD.encode(), body)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def docx_grid_span(path: Path, span: int = 50_000_000) -> Path:
    """A 1 KB .docx whose one table cell spans fifty million grid columns."""
    cell = b'<w:tc><w:tcPr><w:gridSpan w:val="%d"/></w:tcPr><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc>' % span
    return _document(path, b'<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid><w:tr>%s</w:tr></w:tbl>' % cell)


def docx_vertical_merges(path: Path, rows: int = 10_000) -> Path:
    """A .docx table of 10,000 rows whose first cell is merged down the whole table."""
    first = b'<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p/></w:tc></w:tr>'
    rest = b'<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr>' * (rows - 1)
    return _document(path, b'<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid>%s%s</w:tbl>' % (first, rest))


def big_text(path: Path, size: int = 19 * 10**6) -> Path:
    """A 19 MB .txt: numbered lines, as a plan of a million problems would be."""
    line = "1.某县某镇某村存在的生态环境问题，需要整改。\n".encode()
    path.write_bytes(line * (size // len(line)))
    return path


def many_lines(path: Path, lines: int = 60_000) -> Path:
    """A 300 KB .txt of 60,000 short numbered lines."""
    path.write_text("一、大类\n" + "".join(f"{n % 999 + 1}.问题\n" for n in range(lines)), "utf-8")
    return path


BUILDERS = {  # file name → builder
    "两万个整行合并.xlsx": many_full_width_merges,
    "合并整张表.xlsx": whole_sheet_merge,
    "每行XFD列一格.xlsx": far_column_per_row,
    "一行一万六千格无编号.xlsx": wide_row_without_references,
    "一格1.9亿字.xlsx": huge_cell,
    "共享字符串一格1.9亿字.xlsx": lambda path: huge_cell(path, shared=True),
    "横跨五千万列.docx": docx_grid_span,
    "一万个上下合并.docx": docx_vertical_merges,
    "19MB.txt": big_text,
    "六万行.txt": many_lines,
}
