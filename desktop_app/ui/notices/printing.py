"""Printing 整改销号公示 after GB/T 9704 (shared/NOTICE-LAYOUT.md), with QPainter.

The page: A4, type area 156 × 225 mm from 37 mm top and 28 mm left, 22 lines of 28 characters;
title 22 pt 小标宋 centred and broken into balanced lines; body 16 pt 仿宋 with a two-character
first-line indent; 一、 headings in 黑体; "— 1 —" page numbers 7 mm under the type area, odd
pages right and even pages left; the issuer centred over the date, the date four characters in
from the right, two blank lines above them for the seal. Faces and their fallbacks, PDF files
and the preview are print_support's; the 销号审批表 is form_print's (re-exported here, so the
window imports its printing from one place).
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import (QFont, QFontMetricsF, QPagedPaintDevice, QPainter, QPen,
                           QTextCharFormat, QTextLayout, QTextOption)

from ...domain.notice import NO_LINE_END, NO_LINE_START, Notice, check_printable, title_lines
from ..signoff.form_print import render_signoff_form, show_form_preview, signoff_form_pdf
from ..print_support import (BODY_FAMILIES, HEADING_FAMILIES, KAI_FAMILIES, PAGE_NUMBER_FAMILIES,
                            Geometry, make_font, paint_document, preview_dialog, title_font,
                            translate, write_pdf)

TOP_MM, LEFT_MM = 37.0, 28.0
AREA_W_MM, AREA_H_MM = 156.0, 225.0
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
TITLE_PT, BODY_PT, PAGE_NUMBER_PT = 22.0, 16.0, 14.0
PAGE_NUMBER_GAP_MM = 7.0  # from the type area's lower edge to the page number
TITLE_PITCH = 1.45  # a title line's height, in title sizes (titles sit looser than the body)
SEAL_LINES = 2  # blank lines between the text and the issuer: the seal sits over them

# "2023年10月24日（共8个工作日）。" stays on one line (digits themselves never split, UAX #14)
_KEEP_TOGETHER = re.compile(r"(?:\d{4}年\d{1,2}月\d{1,2}日|　　年　月　日)?（?共[\d　]+个工作日）?。?")
_MAX_STRETCH = 2  # characters of slack a pulled-back line is justified over; more: ragged
_LEVEL_TWO = re.compile(r"^（[一二三四五六七八九十]+）[^。]{0,40}(。|$)")



class _Page(Geometry):
    """The notice's type area, with its grid: 22 lines of 28 characters."""

    def __init__(self, device):
        super().__init__(device, TOP_MM, LEFT_MM, AREA_W_MM, AREA_H_MM)
        self.pitch = self.height / LINES_PER_PAGE  # one line: 225 mm / 22
        self.char = self.width / CHARS_PER_LINE  # one character: 156 mm / 28


@dataclass
class _Line:
    height: float
    paint: Callable[[QPainter, float], None] | None  # gets the top of the line's box; None: blank
    keep_with_next: bool = False


def _baseline(page: _Page, top: float, height: float, points: float) -> float:
    return page.baseline(top, height, points)


def _text_lines(page: _Page, device, text: str, font: QFont, points: float, indent: float,
                width: float, pitch: float, align=Qt.AlignJustify, keep_with_next=False,
                formats=()) -> list[_Line]:
    """One paragraph broken into lines of the grid: justified, first line indented.

    formats: QTextLayout.FormatRange for a run in another face (a （一） heading in 楷体).
    """
    layout = QTextLayout(text, font, device)
    layout.setFormats(list(formats))
    option = QTextOption(align)
    option.setWrapMode(QTextOption.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.setCacheEnabled(True)
    layout.beginLayout()
    lines, first = [], True
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        x = indent if first else 0.0
        line.setLineWidth(width - x)
        line.setPosition(QPointF(x, 0))
        first = False
        lines.append(line)
    layout.endLayout()
    lines = _fix_line_starts(layout, lines, text, width, indent)
    left = page.left
    out = []
    for index, line in enumerate(lines):
        def paint(painter, top, line=line, layout=layout):
            baseline = _baseline(page, top, pitch, points)
            line.draw(painter, QPointF(left, baseline - line.ascent()))
        out.append(_Line(pitch, paint, keep_with_next and index == len(lines) - 1))
    return out


def _break_before(text: str, end: int, start: int, spans) -> int:
    """The break at end moved back where it would split a date or end a line on （ …"""
    for _ in range(3):
        for span_start, span_end in spans:
            if span_start < end < span_end and span_start > start + 2:
                end = span_start
        while end < len(text) and end - start > 2 and (
                text[end] in NO_LINE_START or text[end - 1] in NO_LINE_END):
            end -= 1
    return end


def _fix_line_starts(layout: QTextLayout, lines, text: str, width: float, indent: float):
    """避头尾: no line starts with ，。）” or ends with （“, and 共8个工作日 is not split.

    Such a break is pulled back; the shortened line is justified again unless that would open
    its spacing by more than _MAX_STRETCH characters, when it stays ragged instead.
    """
    spans = [m.span() for m in _KEEP_TOGETHER.finditer(text)]
    breaks = [line.textStart() for line in lines[1:]]
    if all(_break_before(text, b, 0, spans) == b for b in breaks):
        return lines
    layout.clearLayout()
    layout.beginLayout()
    result, start, first = [], 0, True
    while start < len(text):
        line = layout.createLine()
        x = indent if first else 0.0
        line.setLineWidth(width - x)
        natural = line.textStart() + line.textLength()
        end = _break_before(text, natural, start, spans)
        if end < natural:
            line.setNumColumns(end - start, width - x)
            if natural - end > _MAX_STRETCH:  # justify over its own width: no stretch
                line.setNumColumns(end - start, line.naturalTextWidth())
        line.setPosition(QPointF(x, 0))
        result.append(line)
        start = line.textStart() + line.textLength()
        first = False
    layout.endLayout()
    return result


# -- a notice as lines --------------------------------------------------------------------------

class _Fonts:
    def __init__(self):
        self.title = title_font(TITLE_PT)
        self.body = make_font(BODY_FAMILIES, BODY_PT)
        self.heading = make_font(HEADING_FAMILIES, BODY_PT)
        self.kai = make_font(KAI_FAMILIES, BODY_PT)
        self.page_number = make_font(PAGE_NUMBER_FAMILIES, PAGE_NUMBER_PT)


def _on_grid(font: QFont, page: _Page, device) -> QFont:
    """The font with letter spacing that puts exactly 28 ideographs on a 156 mm line."""
    def advance(f: QFont) -> float:
        return QFontMetricsF(f, device).horizontalAdvance("国" * 10) / 10

    natural = advance(font)
    # Qt scales letter spacing by a device factor it does not publish: measure one unit.
    probe = QFont(font)
    probe.setLetterSpacing(QFont.AbsoluteSpacing, -1.0)
    unit = natural - advance(probe) or 1.0
    spaced = QFont(font)
    spacing = (page.char - natural) / unit
    for _ in range(5):  # land at or just under the grid, never over it (27 characters)
        spaced.setLetterSpacing(QFont.AbsoluteSpacing, spacing)
        if advance(spaced) <= page.char:
            break
        spacing -= 0.05
    return spaced


def _level_two(text: str, kai: QFont) -> list:
    """A paragraph opening with （一）: its heading, to the first 。, is set in 楷体."""
    match = _LEVEL_TWO.match(text)
    if match is None:
        return []
    heading = QTextLayout.FormatRange()
    heading.start, heading.length = 0, match.end()
    heading.format = QTextCharFormat()
    heading.format.setFont(kai)
    return [heading]


def _notice_lines(notice: Notice, page: _Page, device, fonts: _Fonts) -> tuple[list, list]:
    """(body lines, closing lines): the closing block is kept on a page with some body."""
    body_font = _on_grid(fonts.body, page, device)
    heading_font = _on_grid(fonts.heading, page, device)
    indent = 2 * page.char
    lines: list[_Line] = []

    title_metrics = QFontMetricsF(fonts.title, device)
    title_pitch = page.pt(TITLE_PT * TITLE_PITCH)
    fits = lambda text: title_metrics.horizontalAdvance(text) <= page.width  # noqa: E731
    for text in title_lines(notice.title, fits):
        lines += _text_lines(page, device, text, fonts.title, TITLE_PT, 0.0, page.width,
                             title_pitch, Qt.AlignHCenter)
    if notice.title:
        lines.append(_Line(page.pitch, None))

    kai_font = _on_grid(fonts.kai, page, device)

    def paragraph(text, font=body_font, keep=False, align=Qt.AlignJustify):
        return _text_lines(page, device, text, font, BODY_PT, indent, page.width, page.pitch,
                           align, keep, _level_two(text, kai_font))

    for text in notice.lead:
        lines += paragraph(text)
    for section in notice.sections:
        lines += paragraph(section.heading, heading_font, keep=True, align=Qt.AlignLeft)
        for text in section.paragraphs:
            lines += paragraph(text)
    for text in notice.publicity:  # each kept whole on one page: the dates with their count
        kept = paragraph(text)
        for line in kept[:-1]:
            line.keep_with_next = True
        lines += kept
    for text in notice.contacts:
        lines += paragraph(text, align=Qt.AlignLeft)

    closing = []
    date_width = QFontMetricsF(body_font, device).horizontalAdvance(notice.date)
    date_right = page.left + page.width - 4 * page.char  # 成文日期右空四字
    if notice.issuer:
        issuer_width = QFontMetricsF(body_font, device).horizontalAdvance(notice.issuer)
        centre = date_right - date_width / 2  # 署名以成文日期为准居中
        right = min(centre + issuer_width / 2, page.left + page.width - 2 * page.char)
        closing.append(_fixed_line(page, device, notice.issuer, body_font, right - issuer_width))
    if notice.date:
        closing.append(_fixed_line(page, device, notice.date, body_font, date_right - date_width))
    return lines, closing


def _fixed_line(page: _Page, device, text: str, font: QFont, x: float) -> _Line:
    def paint(painter, top):
        painter.setFont(font)
        painter.drawText(QPointF(x, _baseline(page, top, page.pitch, BODY_PT)), text)
    return _Line(page.pitch, paint)


def _paginate(lines: list[_Line], closing: list[_Line], page: _Page) -> list[list[_Line]]:
    """Fill pages of 225 mm; a heading never ends a page; issuer and date never stand alone."""
    pages: list[list[_Line]] = [[]]
    used = 0.0
    limit = page.height + 0.5  # rounding in the line heights must not push out line 22
    for line in lines:
        if used + line.height > limit and pages[-1]:
            carried = []
            while pages[-1] and pages[-1][-1].keep_with_next:
                carried.insert(0, pages[-1].pop())
            pages.append([])
            used = 0.0
            for kept in carried:
                pages[-1].append(kept)
                used += kept.height
        if line.paint is None and not pages[-1]:
            continue  # no blank line at the top of a page
        pages[-1].append(line)
        used += line.height
    if not closing:
        return pages
    need = sum(line.height for line in closing)
    room = limit - used
    blank = _Line(page.pitch, None)
    if room >= need + SEAL_LINES * page.pitch:
        pages[-1] += [blank] * SEAL_LINES + closing
    elif room >= need + page.pitch:
        pages[-1] += [blank] + closing  # closer to the text rather than alone on a page
    else:
        moved = [pages[-1].pop() for _ in range(min(2, max(0, len(pages[-1]) - 1)))][::-1]
        pages.append(moved + [blank] * SEAL_LINES + closing)
    return pages


def _paint_pages(painter: QPainter, device, page: _Page, pages, fonts: _Fonts,
                 first_page: bool) -> bool:
    for number, lines in enumerate(pages, 1):
        if not first_page:
            device.newPage()
        first_page = False
        top = page.top
        painter.setPen(QPen(Qt.black))
        for line in lines:
            if line.paint is not None:
                line.paint(painter, top)
            top += line.height
        _page_number(painter, device, page, fonts.page_number, number)
    return first_page


def _page_number(painter: QPainter, device, page: _Page, font: QFont, number: int) -> None:
    """— 1 —: 4号, 7 mm under the type area; odd pages one character in from the right."""
    text = f"— {number} —"
    painter.setFont(font)
    metrics = QFontMetricsF(font, device)
    width = metrics.horizontalAdvance(text)
    one = page.pt(PAGE_NUMBER_PT)
    x = (page.left + page.width - one - width) if number % 2 else page.left + one
    y = page.top + page.height + page.mm(PAGE_NUMBER_GAP_MM) + metrics.ascent()
    painter.drawText(QPointF(x, y), text)


# -- painting ------------------------------------------------------------------------------

def render_notices(notices: Iterable[Notice], printer: QPagedPaintDevice) -> int:
    """Paint notices, each from a new page with its own page numbers; returns the page count.

    printer: a QPrinter (print preview, a printer, Qt's PDF output) or a QPdfWriter. A QPrinter
    writing a PDF file gets its text layer repaired here; a QPdfWriter's caller repairs its file
    after deleting the writer (notice_pdf does).
    """
    notices = list(notices)
    fonts = _Fonts()

    def paint_all(painter):
        page = _Page(printer)
        first, total = True, 0
        for notice in notices:
            lines, closing = _notice_lines(notice, page, printer, fonts)
            pages = _paginate(lines, closing, page)
            first = _paint_pages(painter, printer, page, pages, fonts, first)
            total += len(pages)
        return total

    return paint_document(printer, paint_all)


def notice_pdf(notices: Iterable[Notice], path: Path) -> int:
    """Write notices into one PDF (temporary file, then renamed over path); returns pages.
    Raises NoticeIncomplete, before writing anything, for a notice without its issuer."""
    notices = list(notices)
    for notice in notices:
        check_printable(notice)
    title = notices[0].title if len(notices) == 1 else translate("printing", "整改销号公示")
    return write_pdf(path, title, lambda writer: render_notices(notices, writer))


def show_print_preview(parent, notices: Iterable[Notice]) -> int:
    """The print preview of notices (one or several); from it, print or save as PDF.
    Raises NoticeIncomplete for a notice without its issuer."""
    notices = list(notices)
    for notice in notices:
        check_printable(notice)
    title = notices[0].title if len(notices) == 1 else translate(
        "printing", "整改销号公示（%1份）").replace("%1", str(len(notices)))
    dialog = preview_dialog(parent, lambda printer: render_notices(notices, printer), title)
    return dialog.exec()


__all__ = ["render_notices", "notice_pdf", "show_print_preview", "render_signoff_form",
           "signoff_form_pdf", "show_form_preview", "title_lines"]
