"""Word (.docx) documents in the 公文 layout of shared/NOTICE-LAYOUT.md, for WPS and Word to edit.

One helper for every document the app writes as .docx (整改销号公示, 销号审批表, 月调度表,
整改落实情况报告): A4, 37 mm top and 28 mm binding margin, a type area of 156 × 225 mm holding
22 lines of 28 characters (仿宋 16 pt at an exact line pitch), a 小标宋 22 pt title, headings
一、 in 黑体, （一） in 楷体, 1. in 仿宋, "— 1 —" page numbers (odd pages right, even left),
the issuer over the date four characters in from the right, and tables whose header repeats
on every page and whose rows never split. Fonts are named, not embedded: Word and WPS take the
office's own 仿宋/黑体/楷体, LibreOffice whatever fontconfig maps them to.
"""

from collections.abc import Iterable, Sequence
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from ...domain.notice import title_lines
from ..exporting.safe_file import replacing
from ..exporting.text_fit import xml_text

TITLE_FONT, BODY_FONT, HEADING_FONT, KAI_FONT, PAGE_NUMBER_FONT = (
    "方正小标宋简体", "仿宋", "黑体", "楷体", "宋体")
TITLE_PT, BODY_PT, PAGE_NUMBER_PT = 22.0, 16.0, 14.0
TOP_MM, LEFT_MM, RIGHT_MM, BOTTOM_MM = 37.0, 28.0, 26.0, 35.0
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
LINE_PITCH = Pt(225 / LINES_PER_PAGE * 72 / 25.4)  # 28.95 pt: 22 lines fill the 225 mm area
CHAR_PT = 156 / CHARS_PER_LINE * 72 / 25.4  # 15.79 pt: 28 characters fill the 156 mm line
TITLE_PITCH = Pt(TITLE_PT * 1.45)
FOOTER_MM = 23.0  # the page number's foot: 7 mm under the type area, as the printed notice's
SEAL_LINES = 2  # blank lines over the issuer where the seal goes

# (style name, face, bold): 一、 黑体; （一） 楷体; 1. 仿宋 bold; (1) 仿宋.
HEADING_STYLES = {1: ("公文一级标题", HEADING_FONT, False), 2: ("公文二级标题", KAI_FONT, False),
                  3: ("公文三级标题", BODY_FONT, True), 4: ("公文四级标题", BODY_FONT, False)}
TITLE_STYLE, BODY_STYLE, TABLE_STYLE = "公文标题", "Normal", "公文表格"


def _fonts(style_or_run, face: str, points: float | None = None, bold: bool | None = None):
    """The face for Latin and East Asian text alike (python-docx sets only the Latin one)."""
    font = style_or_run.font
    font.name = face
    properties = style_or_run.element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    for key in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(key), face)
    if points is not None:
        font.size = Pt(points)
    if bold is not None:
        font.bold = bold
    if points == BODY_PT:  # 28 characters on a 156 mm line: each a little under its size
        _set(properties, "w:spacing", round((CHAR_PT - points - 0.05) * 20))


# The end of w:rPr's child order (ECMA-376 CT_RPr), from the first tag _set writes.
_RPR_TAIL = ("w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u",
             "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em",
             "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")


def _set(properties, tag: str, value, **more) -> None:
    """One w:val child of a w:rPr (more: its other attributes), where the schema orders it."""
    old = properties.find(qn(tag))
    if old is not None:
        properties.remove(old)
    element = OxmlElement(tag)
    element.set(qn("w:val"), str(value))
    for name, other in more.items():
        element.set(qn(f"w:{name}"), str(other))
    order = _RPR_TAIL
    properties.insert_element_before(element, *order[order.index(tag) + 1:])


def _paragraph_style(document, name: str, face: str, points: float, bold=False,
                     pitch=LINE_PITCH, indent_chars: float = 2):
    styles = document.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, 1)
    if name != BODY_STYLE:
        style.base_style = styles[BODY_STYLE]
    _fonts(style, face, points, bold)
    layout = style.paragraph_format
    layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    layout.line_spacing = pitch
    layout.space_before = layout.space_after = Pt(0)
    layout.first_line_indent = Pt(CHAR_PT * indent_chars)
    layout.widow_control = True
    return style


def new_document(landscape: bool = False):
    """An empty document with the page, the styles and the page numbers set up."""
    document = Document()
    section = document.sections[0]
    _page(section, landscape)
    body = _paragraph_style(document, BODY_STYLE, BODY_FONT, BODY_PT)
    _set(body.element.get_or_add_rPr(), "w:lang", "zh-CN", eastAsia="zh-CN")
    _paragraph_style(document, TITLE_STYLE, TITLE_FONT, TITLE_PT, pitch=TITLE_PITCH,
                     indent_chars=0).paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for level, (name, face, bold) in HEADING_STYLES.items():
        _paragraph_style(document, name, face, BODY_PT, bold).paragraph_format.keep_with_next = True
    _paragraph_style(document, TABLE_STYLE, BODY_FONT, 12, pitch=Pt(16), indent_chars=0)
    # A Chinese text breaks between any two characters; justified lines keep the grid.
    document.settings.odd_and_even_pages_header_footer = True
    _page_numbers(section)
    return document


def _page(section, landscape: bool) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    width, height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.page_width, section.page_height = width, height
    if landscape:  # a wide table: the same margins turned with the page, binding at the top
        section.top_margin, section.bottom_margin = Mm(LEFT_MM), Mm(RIGHT_MM)
        section.left_margin, section.right_margin = Mm(20), Mm(20)
    else:
        section.top_margin, section.bottom_margin = Mm(TOP_MM), Mm(BOTTOM_MM)
        section.left_margin, section.right_margin = Mm(LEFT_MM), Mm(RIGHT_MM)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(FOOTER_MM if not landscape else 10)


def _field(paragraph, instruction: str) -> None:
    """A field Word and LibreOffice compute when laying out (PAGE: the page number)."""
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"),
                       ("end", None)):
        run = paragraph.add_run()
        if kind is not None:
            mark = OxmlElement("w:fldChar")
            mark.set(qn("w:fldCharType"), kind)
            run._r.append(mark)
        elif text == instruction:
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = f" {instruction} "
            run._r.append(code)
        else:
            run.text = text
        _fonts(run, PAGE_NUMBER_FONT, PAGE_NUMBER_PT)


def _page_numbers(section) -> None:
    """— 1 —, 4号 宋体: odd pages one character in from the right, even pages from the left."""
    one = Pt(PAGE_NUMBER_PT)
    for footer, alignment in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                              (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = alignment
        layout = paragraph.paragraph_format
        layout.first_line_indent = Pt(0)
        layout.right_indent = one if alignment == WD_ALIGN_PARAGRAPH.RIGHT else None
        layout.left_indent = one if alignment == WD_ALIGN_PARAGRAPH.LEFT else None
        _fonts(paragraph.add_run("— "), PAGE_NUMBER_FONT, PAGE_NUMBER_PT)
        _field(paragraph, "PAGE")
        _fonts(paragraph.add_run(" —"), PAGE_NUMBER_FONT, PAGE_NUMBER_PT)


def restart_page_numbers(document) -> None:
    """Start a new section, on a new page, numbered from 1 again (the next notice of a batch)."""
    section = document.add_section()
    numbering = OxmlElement("w:pgNumType")
    numbering.set(qn("w:start"), "1")
    section._sectPr.append(numbering)


def add_title(document, text: str) -> None:
    """The 小标宋 title, centred, broken into balanced lines, followed by one blank line."""
    section = document.sections[-1]
    line_mm = (section.page_width - section.left_margin - section.right_margin) / Mm(1)
    chars = line_mm / (TITLE_PT * 25.4 / 72)  # 19.9 characters of 22 pt on the 156 mm line
    for line in title_lines(xml_text(text), lambda part: _width(part) <= chars - 0.5):
        paragraph = document.add_paragraph(line, style=TITLE_STYLE)
        paragraph.paragraph_format.keep_with_next = True
    blank(document).paragraph_format.keep_with_next = True


def add_heading(document, text: str, level: int = 1):
    """一、 (level 1), （一） (2), 1. (3) or （1） (4) heading; it stays with what follows."""
    return document.add_paragraph(xml_text(text), style=HEADING_STYLES[level][0])


def add_paragraph(document, text: str, keep_together: bool = False, keep_with_next: bool = False,
                  align_left: bool = False):
    """A body paragraph: 仿宋 3号, first line indented two characters, justified; a "\n" in
    text is a line break inside the paragraph."""
    paragraph = document.add_paragraph(style=BODY_STYLE)
    for n, line in enumerate(xml_text(text).split("\n")):
        run = paragraph.add_run(line)
        if n:
            run._r.insert(0, OxmlElement("w:br"))
    layout = paragraph.paragraph_format
    layout.alignment = WD_ALIGN_PARAGRAPH.LEFT if align_left else WD_ALIGN_PARAGRAPH.JUSTIFY
    layout.keep_together = keep_together or None
    layout.keep_with_next = keep_with_next or None
    return paragraph


def blank(document):
    return document.add_paragraph("", style=BODY_STYLE)


def add_closing(document, issuer: str, day: str, seal_lines: int = SEAL_LINES) -> None:
    """Room for the seal, the issuer centred over the date, the date four characters from the
    right (署名以成文日期为准居中, 成文日期右空四字); kept together on one page."""
    for _ in range(seal_lines):
        blank(document).paragraph_format.keep_with_next = True
    date_width = _width(day)
    if issuer:
        paragraph = add_paragraph(document, issuer, keep_with_next=bool(day))
        layout = paragraph.paragraph_format
        layout.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        layout.first_line_indent = Pt(0)
        # centred over the date, but never closer than two characters to the right edge
        inset = max(2.0, 4 + date_width / 2 - _width(issuer) / 2)
        layout.right_indent = Pt(CHAR_PT * inset)
    if day:
        paragraph = add_paragraph(document, day)
        paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.first_line_indent = Pt(0)
        paragraph.paragraph_format.right_indent = Pt(CHAR_PT * 4)


def _width(text: str) -> float:
    """A line's width in characters: digits and Latin letters are half a character."""
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


def add_table(document, header: Sequence[str] | None, rows: Iterable[Sequence[str] | str],
              widths_mm: Sequence[float], points: float = 12.0, labels: bool = False):
    """A table with a grid, its header repeated on every page, no row split across pages.

    header: the column titles, repeated on every page (None: no header row); a row given as a
    plain string is one cell across the table (a group's heading); labels: the first column
    of every row is a label (黑体, centred), as in a form.
    """
    rows = list(rows)
    header_rows = 0 if header is None else 1
    table = document.add_table(rows=0, cols=len(widths_mm))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for index, values in enumerate(([list(header)] if header is not None else []) + rows):
        row = table.add_row()
        across = isinstance(values, str)
        if across:
            row.cells[0].merge(row.cells[-1])
            values = [values]
        properties = row._tr.get_or_add_trPr()
        no_split = OxmlElement("w:cantSplit")
        properties.append(no_split)
        if index < header_rows:
            repeat = OxmlElement("w:tblHeader")
            properties.append(repeat)
        for column, (cell, value, width) in enumerate(
                zip(row.cells[:1] if across else row.cells, values, widths_mm)):
            cell.width = Mm(sum(widths_mm) if across else width)
            label = labels and column == 0
            paragraph = cell.paragraphs[0]
            paragraph.style = document.styles[TABLE_STYLE]
            lines = xml_text(value or "").split("\n")
            for n, line in enumerate(lines):
                run = paragraph.add_run(line)
                _fonts(run, HEADING_FONT if index < header_rows or across or label else BODY_FONT,
                       points)
                if n < len(lines) - 1:
                    run.add_break()
            if index < header_rows or label:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if across:  # a group's heading row stays with the group's first row
                paragraph.paragraph_format.keep_with_next = True
    for column, width in zip(table.columns, widths_mm):
        column.width = Mm(width)
    return table


def write_each(items: Iterable, draw, path: Path, landscape: bool = False) -> Path:
    """One .docx of items (notices, forms), each drawn by draw(document, item) from a new page
    numbered from 1."""
    document = new_document(landscape)
    for index, item in enumerate(items):
        if index:
            restart_page_numbers(document)
        draw(document, item)
    return save(document, path)


def save(document, path: Path) -> Path:
    """Write the .docx so that path is either the whole new file or untouched."""
    path = Path(path)
    with replacing(path) as part:
        document.save(str(part))
    return path


__all__ = ["new_document", "add_title", "add_heading", "add_paragraph", "add_closing",
           "add_table", "blank", "restart_page_numbers", "save", "write_each"]
