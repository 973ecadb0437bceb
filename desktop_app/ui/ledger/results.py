"""The search results of a big inspection as one flat list of problem rows, in ledger order.

QTreeView lays out every visible row through Python calls into the tree model (index, parent,
flags for each): 100–200 ms per keystroke with 8,000 rows shown. Over this flat model it asks
Python once for the row count and paints only the rows on screen, so typing keeps up at any size.
The rows are the tree model's own items: the cells read exactly as in the tree.
"""

from bisect import bisect_left

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from .model import KEY_ROLE, LedgerTreeModel

_HORIZONTAL = Qt.Orientation.Horizontal


def _number(item) -> int:
    return item.node.number


class LedgerResultsModel(QAbstractTableModel):
    def __init__(self, source: LedgerTreeModel, parent=None):
        super().__init__(parent)
        self.source = source
        self._items: list = []
        source.dataChanged.connect(self._source_changed)

    def set_problems(self, problem_ids: set[int]) -> None:
        """Show these problems (ids from LedgerTreeModel.matching), in the ledger's order."""
        self.beginResetModel()
        self._items = [item for _id, item in self.source.problem_items(problem_ids)]
        self.endResetModel()

    def row_of(self, key: tuple[str, int] | None) -> int:
        """The row showing this problem, or -1: found by its number (the rows are in ledger
        order), as a dict of 8,000 rows would cost more to build at each keystroke than it saves."""
        item = self.source.item_of(key) if key and key[0] == "problem" else None
        if item is None:
            return -1
        row = bisect_left(self._items, item.node.number, key=_number)
        return row if row < len(self._items) and self._items[row] is item else -1

    def item(self, row: int):
        return self._items[row]

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.source.headers)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        return self.source.headerData(section, orientation, role) if orientation == _HORIZONTAL else None

    def data(self, index, role=Qt.DisplayRole):
        item = self._items[index.row()]
        if role == KEY_ROLE:
            return item.key
        return self.source.problem_data(item, index.column(), role)

    def multiData(self, index, roles) -> None:
        """All of a cell's roles in one call (see LedgerTreeModel.multiData)."""
        item = self._items[index.row()]
        column, problem_data = index.column(), self.source.problem_data
        for role_data in roles:
            role = role_data.role()
            role_data.setData(item.key if role == KEY_ROLE else problem_data(item, column, role))

    def _source_changed(self, top_left: QModelIndex, bottom_right: QModelIndex, roles=()) -> None:
        """A problem's row changed in the tree model (an edit, its 佐证 count): repaint it here too."""
        row = self.row_of(top_left.internalPointer().key) if top_left.isValid() else -1
        if row >= 0:
            self.dataChanged.emit(self.index(row, top_left.column()),
                                  self.index(row, bottom_right.column()))
