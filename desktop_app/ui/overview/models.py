"""Table models of the overview: the warnings list, and counts by 大类 and by 责任单位."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ...domain.ledger_warnings import WarningKind
from ..ledger.table_models import RowsModel

SORT_ROLE = Qt.UserRole + 2
_CENTRE = int(Qt.AlignCenter)
_LINK = QBrush(QColor("#1f5fa8"))
_UNDERLINED = QFont()
_UNDERLINED.setUnderline(True)
# (text, background) of each kind: 督查's red for overdue, yellow for near, the rest calmer.
KIND_COLOURS = {
    WarningKind.OVERDUE: ("#b00020", "#fbdcdc"),
    WarningKind.DUE_SOON: ("#8a5a00", "#fff3c4"),
    WarningKind.NO_REPORT: ("#8a4b14", "#fbe9dc"),
    WarningKind.NOT_APPLIED: ("#1f5fa8", "#eaf2fc"),
    WarningKind.PUBLICITY_ENDING: ("#6a3d9a", "#efe6f7"),
    WarningKind.RECHECK_OVERDUE: ("#b00020", "#fbdcdc"),
    WarningKind.RECHECK_DUE: ("#00695c", "#e0f2f1"),
}
_KIND_BRUSHES = {k: (QBrush(QColor(fg)), QBrush(QColor(bg))) for k, (fg, bg) in KIND_COLOURS.items()}
_KIND_ORDER = {k.value: i for i, k in enumerate(WarningKind)}


class WarningsModel(RowsModel):
    """Rows: {"id": problem id, kind, inspection, number, problem, unit, day, message}."""

    KIND, INSPECTION = 0, 1

    def __init__(self, parent=None):
        super().__init__([(self.tr("预警"), "kind"), (self.tr("督察批次"), "inspection"),
                          (self.tr("序号"), "number"), (self.tr("反馈问题"), "problem"),
                          (self.tr("责任单位"), "unit"), (self.tr("日期"), "day"),
                          (self.tr("说明"), "message")], parent)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        row, key = self.rows[index.row()], self.columns[index.column()][1]
        if role == SORT_ROLE:
            if key == "kind":
                return (_KIND_ORDER[row["kind"]], row["day"] or "")
            return row[key] if key == "number" else str(row[key] or "")
        if role == Qt.ToolTipRole:
            return f"{row['message']}\n{row['problem']}\n" + self.tr("双击或按回车在台账中打开")
        if key == "kind" and role in (Qt.ForegroundRole, Qt.BackgroundRole):
            foreground, background = _KIND_BRUSHES[WarningKind(row["kind"])]
            return foreground if role == Qt.ForegroundRole else background
        if role == Qt.TextAlignmentRole and key in ("kind", "number", "day"):
            return _CENTRE
        if role == Qt.DisplayRole and key == "number":
            return f"第{row['number']}项"
        return super().data(index, role)


class CountsModel(RowsModel):
    """Rows of counts (by 大类, by 责任单位): the numbers are links to their problems.

    columns: [(header, key)]; the keys in `counts` hold numbers, sorted as numbers.
    """

    def __init__(self, columns: list[tuple[str, str]], counts: set[str], parent=None):
        super().__init__(columns, parent)
        self.counts = counts

    def is_count(self, index) -> bool:
        return index.isValid() and self.columns[index.column()][1] in self.counts

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        key = self.columns[index.column()][1]
        value = self.rows[index.row()][key]
        if role == SORT_ROLE:
            return value
        if key in self.counts:
            if role == Qt.TextAlignmentRole:
                return _CENTRE
            if value and role == Qt.ForegroundRole:
                return _LINK
            if value and role == Qt.FontRole:
                return _UNDERLINED
            if role == Qt.ToolTipRole:
                return self.tr("单击在台账中只显示这%1项问题").replace("%1", str(value)) if value else None
        return super().data(index, role)
