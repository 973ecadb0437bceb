"""Flat table models: the inspections list and a problem's measures."""

from PySide6.QtCore import QAbstractTableModel, QMimeData, QModelIndex, Qt, Signal

ROW_ID_ROLE = Qt.UserRole + 1


class RowsModel(QAbstractTableModel):
    """Rows of dicts shown through named columns: [(header, key)]."""

    def __init__(self, columns: list[tuple[str, str]], parent=None):
        super().__init__(parent)
        self.columns = columns
        self.rows: list[dict] = []

    def set_rows(self, rows: list[dict]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def row_of(self, row_id: int) -> int:
        return next((i for i, r in enumerate(self.rows) if r["id"] == row_id), -1)

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()):
        return len(self.columns)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role != Qt.DisplayRole:
            return None
        return self.columns[section][0] if orientation == Qt.Horizontal else str(section + 1)

    def display(self, row: dict, key: str, row_number: int) -> str:
        value = row.get(key)
        return "" if value is None else str(value).replace("\n", " ")

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        key = self.columns[index.column()][1]
        if role == Qt.DisplayRole:
            return self.display(row, key, index.row())
        if role == Qt.ToolTipRole:
            value = row.get(key)
            return str(value) if value else None
        if role == ROW_ID_ROLE:
            return row["id"]
        return None


class InspectionsModel(RowsModel):
    def __init__(self, parent=None):
        super().__init__([(self.tr("督察批次"), "name"), (self.tr("类型"), "kind"),
                          (self.tr("反馈日期"), "feedback_date"), (self.tr("所属单位"), "org")], parent)

    def set_merged(self, merged: bool) -> None:
        """A county's merged (汇总) ledger names the column after whose problems they are."""
        label = self.tr("乡镇/单位") if merged else self.tr("所属单位")
        if self.columns[3][0] != label:
            self.columns[3] = (label, "org")
            self.headerDataChanged.emit(Qt.Horizontal, 3, 3)


MEASURE_MIME = "application/x-dc-ledger-measure"


class MeasuresModel(RowsModel):
    """A problem's measures, numbered 1. 2. 3. in order; reordered by drag and drop."""

    move_requested = Signal(int, int)  # measure id, new index

    def __init__(self, parent=None):
        super().__init__([(self.tr("序号"), "number"), (self.tr("整改措施"), "text"),
                          (self.tr("完成情况"), "completion")], parent)

    def display(self, row, key, row_number):
        if key == "number":
            return f"{row_number + 1}."
        return super().display(row, key, row_number)

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemIsDropEnabled
        return Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemIsDragEnabled

    def supportedDropActions(self):
        return Qt.MoveAction

    def mimeTypes(self):
        return [MEASURE_MIME]

    def mimeData(self, indexes):
        rows = {i.row() for i in indexes if i.isValid()}
        if len(rows) != 1:
            return None
        mime = QMimeData()
        mime.setData(MEASURE_MIME, str(self.rows[rows.pop()]["id"]).encode())
        return mime

    def dropMimeData(self, data, action, row, column, parent):
        if not data.hasFormat(MEASURE_MIME):
            return False
        measure_id = int(bytes(data.data(MEASURE_MIME)).decode())
        old = self.row_of(measure_id)
        if row < 0:
            row = parent.row() if parent.isValid() else len(self.rows)
        index = row - 1 if row > old else row
        if old >= 0 and index != old:
            self.move_requested.emit(measure_id, index)
        return False  # the move reloads the list; the view must not remove the dragged row
