"""The two views of a problem's 佐证材料: a grid of thumbnails and a details table."""

from PySide6.QtCore import QItemSelectionModel, QSize
from PySide6.QtWidgets import QAbstractItemView, QListView, QTableView

from .delegate import EvidenceDelegate, ThumbnailDelegate
from .model import EVIDENCE_ID_ROLE
from .thumbnails import THUMBNAIL_SIZE

GRID = QSize(THUMBNAIL_SIZE.width() + 44, THUMBNAIL_SIZE.height() + 48)
# 名称 说明 类型 日期 整改措施 添加人 添加时间 大小
TABLE_WIDTHS = (190, 150, 72, 86, 64, 64, 124, 68)


def _common(view: QAbstractItemView) -> QAbstractItemView:
    view.setSelectionMode(QAbstractItemView.ExtendedSelection)
    view.setSelectionBehavior(QAbstractItemView.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditKeyPressed | QAbstractItemView.SelectedClicked)
    view.setDragEnabled(False)
    view.setAcceptDrops(False)  # drops go to the panel: files to attach
    view.viewport().setAcceptDrops(False)
    return view


def icon_grid(model, panel) -> QListView:
    grid = QListView()
    grid.setObjectName("evidenceGrid")
    grid.setViewMode(QListView.IconMode)
    grid.setMovement(QListView.Static)
    grid.setResizeMode(QListView.Adjust)
    grid.setUniformItemSizes(True)  # the view asks one item's size, not hundreds
    grid.setIconSize(THUMBNAIL_SIZE)
    grid.setGridSize(GRID)
    grid.setItemDelegate(ThumbnailDelegate(GRID, grid))
    grid.setModel(model)
    return _common(grid)


def details_table(model, panel) -> QTableView:
    table = QTableView()
    table.setObjectName("evidenceTable")
    table.setModel(model)
    table.setIconSize(QSize(28, 28))
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(32)
    table.setWordWrap(False)
    table.setItemDelegate(EvidenceDelegate(panel))
    for column, width in enumerate(TABLE_WIDTHS):
        table.setColumnWidth(column, width)
    return _common(table)


def select_ids(view: QAbstractItemView, ids: list[int]) -> None:
    """Select the rows of these attachments, the first one current."""
    selection, model = view.selectionModel(), view.model()
    selection.clearSelection()
    flags = QItemSelectionModel.Select | QItemSelectionModel.Rows
    first = True
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if index.data(EVIDENCE_ID_ROLE) in ids:
            if first:
                selection.setCurrentIndex(index, flags)
                first = False
            else:
                selection.select(index, flags)
