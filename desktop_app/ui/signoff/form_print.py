"""Printing the 销号审批表: one ruled table per problem, on one A4 page where the text allows.

Rows: the facts (督察批次, 问题序号, 反馈问题 …), the measures side by side with their
completion, the checklist with ☑/☐, the 佐证材料, and three rows with room to sign and stamp
(申请单位意见 / 验收单位意见 / 审批意见, each with 年 月 日). The type shrinks from 小四 to 小五
(9 pt) to keep the form on one page; when even 9 pt cannot, the measures and their completion
are cut to their first sentence (marked 摘要: the notice carries the full text), down to 8 pt.
A problem with more text than that continues on a second page, rows split between lines,
under "（续表）".
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (QFont, QFontMetricsF, QPagedPaintDevice, QPainter, QPen, QTextLayout,
                           QTextLine, QTextOption)

from ...domain.signoff_form import FULL_TEXT_NOTE, SignoffForm, abridged
from ..print_support import (BODY_FAMILIES, HEADING_FAMILIES, SYMBOL_FAMILIES, Geometry,
                            make_font, paint_document, preview_dialog, title_font, translate, write_pdf)

# A form is a table, not running text: a narrower frame than the notice's, binding edge kept.
TOP_MM, LEFT_MM, WIDTH_MM, HEIGHT_MM = 25.0, 28.0, 162.0, 247.0
TITLE_PT = 22.0
SIZES = (12.0, 11.0, 10.5, 10.0, 9.0)  # 小四 … 小五
LAST_SIZE = 8.0  # only for the summary, before a form goes onto a second page
LEADING = 1.3  # line height in type sizes
LABEL_MM, NUMBER_MM, PADDING_MM = 26.0, 10.0, 1.3
SIGNATURE_MM = 18.0  # height of each signing row
RULE_PT = 0.75


@dataclass
class _Cell:
    x: float  # from the table's left edge
    width: float
    lines: list[QTextLine] = field(default_factory=list)
    layout: QTextLayout | None = None
    centred: bool = False  # labels: centred vertically in their row piece


@dataclass
class _Row:
    cells: list[_Cell]
    leading: float
    min_height: float = 0.0
    signature: bool = False


def text_layout(text: str, font: QFont, device, width: float, leading: float,
                align=Qt.AlignLeft) -> tuple[QTextLayout, list[QTextLine]]:
    layout = QTextLayout(text.replace("\n", "\u2028"), font, device)  # U+2028: a line break
    option = QTextOption(align)
    option.setWrapMode(QTextOption.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.setCacheEnabled(True)
    layout.beginLayout()
    lines = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        line.setPosition(QPointF(0, len(lines) * leading))
        lines.append(line)
    layout.endLayout()
    return layout, lines


class _Table:
    def __init__(self, page: Geometry, device, size: float):
        self.page, self.device, self.size = page, device, size
        self.font = make_font((*BODY_FAMILIES, *SYMBOL_FAMILIES), size)
        self.label_font = make_font(HEADING_FAMILIES, size)
        self.leading = page.pt(size * LEADING)
        self.pad = page.mm(PADDING_MM)
        self.rows: list[_Row] = []

    def cell(self, x: float, width: float, text: str, label=False, centred=False) -> _Cell:
        inner = width - 2 * self.pad
        layout, lines = text_layout(text, self.label_font if label else self.font, self.device,
                                inner, self.leading, Qt.AlignHCenter if centred else Qt.AlignLeft)
        return _Cell(x, width, lines, layout, centred=label)

    def add(self, *cells: _Cell, min_height=0.0, signature=False) -> None:
        self.rows.append(_Row(list(cells), self.leading, min_height, signature))

    def height(self, row: _Row) -> float:
        tallest = max((len(c.lines) for c in row.cells), default=0) * row.leading
        return max(tallest + 2 * self.pad, row.min_height)

    @property
    def total(self) -> float:
        return sum(self.height(row) for row in self.rows)


def _build(form: SignoffForm, page: Geometry, device, size: float) -> _Table:
    table = _Table(page, device, size)
    label_w, number_w = page.mm(LABEL_MM), page.mm(NUMBER_MM)
    value_w = page.width - label_w
    pair_w = (page.width - 2 * label_w) / 2
    metrics = QFontMetricsF(table.font, device)

    def short(value: str) -> bool:  # one line in half a row: two facts share the row
        return "\n" not in value and metrics.horizontalAdvance(value) <= pair_w - 2 * table.pad

    facts = list(form.facts)
    while facts:
        label, value = facts.pop(0)
        if facts and short(value) and short(facts[0][1]):
            other, other_value = facts.pop(0)
            table.add(table.cell(0, label_w, label, label=True, centred=True),
                      table.cell(label_w, pair_w, value),
                      table.cell(label_w + pair_w, label_w, other, label=True, centred=True),
                      table.cell(2 * label_w + pair_w, pair_w, other_value))
        else:
            table.add(table.cell(0, label_w, label, label=True, centred=True),
                      table.cell(label_w, value_w, value))
    half = (page.width - number_w) / 2
    note = FULL_TEXT_NOTE if form.abridged else ""
    table.add(table.cell(0, number_w, translate("form_print", "序号"), label=True, centred=True),
              table.cell(number_w, half, translate("form_print", "整改措施") + note, label=True, centred=True),
              table.cell(number_w + half, half, translate("form_print", "完成情况") + note, label=True, centred=True))
    for number, (text, completion) in enumerate(form.measures, 1):
        table.add(table.cell(0, number_w, str(number), centred=True),
                  table.cell(number_w, half, text),
                  table.cell(number_w + half, half, completion or translate("form_print", "（未填写）")))
    checklist = "　　".join(("☑ " if i.checked else "☐ ") + i.item for i in form.checklist)
    table.add(table.cell(0, label_w, translate("form_print", "验收标准"), label=True, centred=True),
              table.cell(label_w, value_w, checklist or translate("form_print", "（无）")))
    evidence = "\n".join(f"{n}. {line}" for n, line in enumerate(form.evidence, 1))
    table.add(table.cell(0, label_w, translate("form_print", "佐证材料"), label=True, centred=True),
              table.cell(label_w, value_w, evidence or translate("form_print", "（无）")))
    for label in form.signatures:
        table.add(table.cell(0, label_w, label, label=True, centred=True),
                  table.cell(label_w, value_w, ""),
                  min_height=page.mm(SIGNATURE_MM), signature=True)
    return table


def _paint_piece(painter: QPainter, table: _Table, row: _Row, starts: list[int], count: int,
                 top: float, height: float, first: bool) -> None:
    """Rule one piece of a row and draw `count` lines of each cell from its start."""
    page, pad = table.page, table.pad
    painter.setPen(QPen(Qt.black, page.pt(RULE_PT)))
    for cell, start in zip(row.cells, starts):
        painter.drawRect(QRectF(page.left + cell.x, top, cell.width, height))
        shown = cell.lines[start:start + count]
        if cell.centred and not first:
            continue  # a label is printed on the first piece of its row only
        offset = (height - len(shown) * row.leading) / 2 if cell.centred else pad
        for index, line in enumerate(shown):
            y = top + offset + index * row.leading
            line.draw(painter, QPointF(page.left + cell.x + pad,
                                       y - line.position().y()))
    if row.signature:
        metrics = QFontMetricsF(table.font, table.device)
        text = translate("form_print", "签字（盖章）：　　　　　　　　　　年　　月　　日")
        painter.setFont(table.font)
        painter.drawText(QPointF(page.left + page.width - pad - metrics.horizontalAdvance(text),
                                 top + height - pad - metrics.descent()), text)


def _paint_form(painter: QPainter, device, form: SignoffForm, first_page: bool) -> int:
    page = Geometry(device, TOP_MM, LEFT_MM, WIDTH_MM, HEIGHT_MM)
    title = title_font(TITLE_PT)
    title_h = page.pt(TITLE_PT) * 2.2
    short = abridged(form)
    for version, size in [(form, s) for s in SIZES] + [(short, s) for s in (*SIZES, LAST_SIZE)]:
        table = _build(version, page, device, size)  # the full text if it fits, else the summary
        if title_h + table.total <= page.height:
            break
    pages = 1
    if not first_page:
        device.newPage()
    painter.setFont(title)
    width = QFontMetricsF(title, device).horizontalAdvance(form.title)
    painter.drawText(QPointF(page.left + (page.width - width) / 2,
                             page.baseline(page.top, page.pt(TITLE_PT) * 1.6, TITLE_PT)),
                     form.title)
    top = page.top + title_h
    for row in table.rows:
        starts, first = [0] * len(row.cells), True
        while True:
            left = max(len(c.lines) - s for c, s in zip(row.cells, starts))
            need = max(left * row.leading + 2 * table.pad, row.min_height if first else 0)
            room = page.bottom - top
            fits = int((room - 2 * table.pad) // row.leading)
            if need <= room + 0.5:
                _paint_piece(painter, table, row, starts, left, top, need, first)
                top += need
                break
            if fits < 2 or row.signature or need < page.height / 4:
                device.newPage()  # small rows and signing rows are not split
                pages += 1
                top = _continued(painter, page, table)
                continue
            _paint_piece(painter, table, row, starts, fits, top, room, first)
            starts = [s + fits for s in starts]
            first = False
            device.newPage()
            pages += 1
            top = _continued(painter, page, table)
    return pages


def _continued(painter: QPainter, page: Geometry, table: _Table) -> float:
    """The head of a continuation page: "（续表）", right-aligned."""
    text = translate("form_print", "（续表）")
    painter.setFont(table.font)
    width = QFontMetricsF(table.font, table.device).horizontalAdvance(text)
    painter.drawText(QPointF(page.left + page.width - width,
                             page.baseline(page.top, table.leading, table.size)), text)
    return page.top + table.leading * 1.5


def _as_list(forms) -> list[SignoffForm]:
    return [forms] if isinstance(forms, SignoffForm) else list(forms)


def render_signoff_form(forms: SignoffForm | Iterable[SignoffForm],
                        printer: QPagedPaintDevice) -> int:
    """Paint 销号审批表, each from a new page; returns the page count."""
    forms = _as_list(forms)

    def paint_all(painter):
        total = 0
        for form in forms:
            total += _paint_form(painter, printer, form, first_page=total == 0)
        return total

    return paint_document(printer, paint_all)


def signoff_form_pdf(forms: SignoffForm | Iterable[SignoffForm], path: Path) -> int:
    """Write 销号审批表 into one PDF (temporary file, then renamed over path); returns pages."""
    forms = _as_list(forms)
    return write_pdf(path, forms[0].title if forms else "",
                     lambda writer: render_signoff_form(forms, writer))


def show_form_preview(parent, forms: SignoffForm | Iterable[SignoffForm]) -> int:
    """The print preview of 销号审批表; from it, print or save as PDF."""
    forms = _as_list(forms)
    dialog = preview_dialog(parent, lambda printer: render_signoff_form(forms, printer),
                            forms[0].title if forms else translate("form_print", "销号审批表"))
    return dialog.exec()
