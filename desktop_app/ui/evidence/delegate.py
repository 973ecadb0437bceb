"""Drawing and editing 佐证材料 cells: thumbnails with their caption in the icon view; the type
and the measure from lists in the details table."""

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import (QApplication, QLineEdit, QStyle, QStyledItemDelegate,
                               QStyleOptionViewItem)

from ...store import evidence
from .dialogs import kind_combo, measure_combo
from .model import COL_DATE, COL_KIND, COL_MEASURE, PICTURE_ROLE, ROW_ROLE


class EvidenceDelegate(QStyledItemDelegate):
    def __init__(self, panel):
        super().__init__(panel)
        self.panel = panel

    def initStyleOption(self, option, index):
        super().initStyleOption(option, index)
        if option.features & QStyleOptionViewItem.HasDecoration and option.widget is not None:
            option.decorationSize = option.widget.iconSize()  # thumbnails drawn as small icons

    def createEditor(self, parent, option, index):
        row = index.data(ROW_ROLE)
        ledger = self.panel.document.ledger
        if index.column() == COL_KIND:
            editor = kind_combo(evidence.evidence_kinds(ledger), row["kind"])
        elif index.column() == COL_MEASURE:
            editor = measure_combo(self.panel.model.measures, row["measure_id"])
        else:
            editor = super().createEditor(parent, option, index)
            if index.column() == COL_DATE and isinstance(editor, QLineEdit):
                editor.setPlaceholderText(self.tr("如 2024-03-05，空着表示不填"))
            return editor
        editor.setParent(parent)
        return editor

    def setEditorData(self, editor, index):
        if index.column() not in (COL_KIND, COL_MEASURE):
            super().setEditorData(editor, index)

    def setModelData(self, editor, model, index):
        if index.column() == COL_KIND:
            model.setData(index, editor.currentText(), Qt.EditRole)
        elif index.column() == COL_MEASURE:
            model.setData(index, editor.currentData(), Qt.EditRole)
        else:
            super().setModelData(editor, model, index)


class ThumbnailDelegate(QStyledItemDelegate):
    """A cell of the icon view: the thumbnail, the caption (or name) on one line, then 类型 · 日期
    in grey; F2 edits the caption."""

    def __init__(self, grid: QSize, parent=None):
        super().__init__(parent)
        self.grid = grid

    def sizeHint(self, option, index):
        return self.grid

    def paint(self, painter, option, index):
        row = index.data(ROW_ROLE)
        style = option.widget.style() if option.widget else QApplication.style()
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        item.text, item.icon = "", QIcon()
        style.drawPrimitive(QStyle.PE_PanelItemViewItem, item, painter, option.widget)
        rect = option.rect.adjusted(4, 4, -4, -4)
        pixmap = index.data(Qt.DecorationRole)
        line = option.fontMetrics.lineSpacing()
        picture = QRect(rect.left(), rect.top(), rect.width(), rect.height() - 2 * line - 4)
        if pixmap is not None:
            size = pixmap.size().scaled(picture.size(), Qt.KeepAspectRatio)
            if size.width() > pixmap.width():
                size = pixmap.size()  # never blown up: a small icon stays sharp
            target = QRect(0, 0, size.width(), size.height())
            target.moveCenter(picture.center())
            painter.drawPixmap(target, pixmap)
            if index.data(PICTURE_ROLE):  # a white page needs its edge drawn
                painter.setPen(QColor("#b8c0c8"))
                painter.drawRect(target.adjusted(0, 0, -1, -1))
        selected = option.state & QStyle.State_Selected
        painter.save()
        text_rect = QRect(rect.left(), picture.bottom() + 4, rect.width(), line)
        first = option.fontMetrics.elidedText(row["caption"] or row["display_name"], Qt.ElideMiddle, rect.width())
        painter.setPen(option.palette.color(QPalette.HighlightedText if selected else QPalette.Text))
        painter.drawText(text_rect, Qt.AlignHCenter | Qt.AlignVCenter, first)
        second = " · ".join(part for part in (row["kind"], row["taken_on"]) if part)
        painter.setPen(option.palette.color(QPalette.HighlightedText) if selected else QColor("#666"))
        painter.drawText(text_rect.translated(0, line), Qt.AlignHCenter | Qt.AlignVCenter,
                         option.fontMetrics.elidedText(second, Qt.ElideRight, rect.width()))
        painter.restore()
