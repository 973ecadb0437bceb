"""The rows of the 回收 preview: each change or conflict a returned form brings, ticked to apply."""

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

TICK, PROBLEM, FIELD, LEDGER, RETURNED, NOTE = range(6)


class CollectModel(QAbstractTableModel):
    """Changes come ticked (those matched only by 序号 and text unticked, for the clerk to
    confirm); a conflict comes unticked: ticking it takes the returned value over the ledger's."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list = []  # Change or Conflict
        self.headers = [self.tr("采用"), self.tr("问题"), self.tr("内容"), self.tr("台账现值"),
                        self.tr("报回值"), self.tr("说明")]

    def set_plan(self, plan) -> None:
        self.beginResetModel()
        self.rows = list(plan.changes) + list(plan.conflicts)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return self.headers[section]
        return None

    @staticmethod
    def _change(row):
        return getattr(row, "change", row)

    def _ticked(self, row) -> bool:
        return row.take_returned if hasattr(row, "take_returned") else row.accepted

    def data(self, index, role=Qt.DisplayRole):
        row = self.rows[index.row()]
        change = self._change(row)
        column = index.column()
        if role == Qt.CheckStateRole and column == TICK:
            return Qt.Checked if self._ticked(row) else Qt.Unchecked
        if role in (Qt.DisplayRole, Qt.ToolTipRole):
            if column == PROBLEM:
                return change.problem
            if column == FIELD:
                return change.field
            if column == LEDGER:
                return row.ledger if hasattr(row, "ledger") else change.old
            if column == RETURNED:
                return change.new
            if column == NOTE:
                return self._note(row, change)
        return None

    def _note(self, row, change) -> str:
        parts = [change.source]
        if hasattr(row, "take_returned"):
            parts.append(self.tr("冲突：台账在发出后也改过，勾选才用报回值"))
        if change.by_text:
            parts.append(self.tr("按序号和文字对上，请核对后勾选"))
        if change.report:
            parts.append(self.tr("新增进展，日期%1").replace("%1", change.report["report_date"]))
        return "；".join(parts)

    def flags(self, index):
        flags = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        return flags | Qt.ItemIsUserCheckable if index.column() == TICK else flags

    def setData(self, index, value, role=Qt.EditRole):
        if role != Qt.CheckStateRole or index.column() != TICK:
            return False
        row = self.rows[index.row()]
        ticked = Qt.CheckState(value) == Qt.Checked
        if hasattr(row, "take_returned"):
            row.take_returned = ticked
        else:
            row.accepted = ticked
        self.dataChanged.emit(index, index, [Qt.CheckStateRole])
        return True

    def set_all(self, ticked: bool) -> None:
        for row in self.rows:
            if not hasattr(row, "take_returned"):  # conflicts stay the clerk's pick, one by one
                row.accepted = ticked
        if self.rows:
            self.dataChanged.emit(self.index(0, TICK), self.index(len(self.rows) - 1, TICK))
