"""A problem's 佐证材料 as a Qt model: one row per attachment, thumbnails in column 0.

The table (details) view shows every column; the icon view goes through IconProxy, which puts
the caption and "类型 · 日期" under each thumbnail. Edits are asked for (edit_requested) and
made by the document, as undoable changes, which then reloads the model.
"""

from pathlib import Path

from PySide6.QtCore import (QAbstractTableModel, QCoreApplication, QIdentityProxyModel, QModelIndex,
                            QSortFilterProxyModel, Qt, Signal)

from ...store.evidence_files import object_path
from .render import kind_of
from .thumbnails import ThumbnailCache

EVIDENCE_ID_ROLE = Qt.UserRole + 1
MEASURE_ROLE = Qt.UserRole + 2  # the measure id, 0 for the problem itself
ROW_ROLE = Qt.UserRole + 3  # the whole row (dict)
PICTURE_ROLE = Qt.UserRole + 4  # True once the thumbnail shows the file itself, not an icon
(COL_NAME, COL_CAPTION, COL_KIND, COL_DATE, COL_MEASURE, COL_ADDED_BY, COL_ADDED_AT,
 COL_SIZE) = range(8)
EDITABLE = {COL_NAME: "display_name", COL_CAPTION: "caption", COL_KIND: "kind",
            COL_DATE: "taken_on", COL_MEASURE: "measure_id"}
WHOLE_PROBLEM = 0  # the measure filter's value for files attached to the problem itself


def human_size(size: int) -> str:
    for unit, step in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= step:
            return f"{size / step:.1f} {unit}"
    return QCoreApplication.translate("EvidenceModel", "%1 字节").replace("%1", str(size))


def measure_label(number: int) -> str:
    """措施2: how an attachment names the measure it belongs to."""
    return QCoreApplication.translate("EvidenceModel", "措施%1").replace("%1", str(number))


class EvidenceModel(QAbstractTableModel):
    edit_requested = Signal(int, dict)  # evidence id, {field: new value}

    def __init__(self, thumbnails: ThumbnailCache, parent=None):
        super().__init__(parent)
        self.thumbnails = thumbnails
        self.thumbnails.ready.connect(self._thumbnail_ready)
        self.store: Path | None = None
        self.rows: list[dict] = []
        self.measures: list[dict] = []
        self._measure_numbers: dict[int, int] = {}
        self.editable = False
        self.headers = [self.tr("名称"), self.tr("说明"), self.tr("类型"), self.tr("日期"),
                        self.tr("整改措施"), self.tr("添加人"), self.tr("添加时间"), self.tr("大小")]

    def set_rows(self, store: Path | None, rows: list[dict], measures: list[dict],
                 editable: bool) -> None:
        self.beginResetModel()
        self.store, self.rows, self.measures, self.editable = store, rows, measures, editable
        self._measure_numbers = {m["id"]: n for n, m in enumerate(measures, 1)}
        self.endResetModel()

    def row_of(self, evidence_id: int) -> int:
        return next((i for i, r in enumerate(self.rows) if r["id"] == evidence_id), -1)

    def measure_text(self, measure_id: int | None) -> str:
        if measure_id is None:
            return self.tr("问题本身")
        number = self._measure_numbers.get(measure_id)
        return measure_label(number) if number else ""

    def file(self, row: dict) -> Path:
        return object_path(self.store, row["sha256"])

    # -- QAbstractTableModel ----------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()):
        return len(self.headers)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.DisplayRole:
            return self._display(row, column)
        if role == Qt.EditRole:
            return row[EDITABLE[column]] if column in EDITABLE else self._display(row, column)
        if role == Qt.DecorationRole and column == COL_NAME:
            return self.thumbnails.thumbnail(row["sha256"], self.file(row), row["display_name"],
                                             kind_of(row["display_name"]) != "other")
        if role == Qt.ToolTipRole:
            return self.tooltip(row)
        if role == Qt.TextAlignmentRole and column == COL_SIZE:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == EVIDENCE_ID_ROLE:
            return row["id"]
        if role == MEASURE_ROLE:
            return row["measure_id"] or WHOLE_PROBLEM
        if role == ROW_ROLE:
            return row
        if role == PICTURE_ROLE:
            return self.thumbnails.has_picture(row["sha256"])
        return None

    def _display(self, row: dict, column: int) -> str:
        if column == COL_MEASURE:
            return self.measure_text(row["measure_id"])
        if column == COL_SIZE:
            return human_size(row["size"])
        if column == COL_ADDED_AT:
            return (row["added_at"] or "").replace("T", " ")[:16]
        key = {COL_NAME: "display_name", COL_CAPTION: "caption", COL_KIND: "kind",
               COL_DATE: "taken_on", COL_ADDED_BY: "added_by"}[column]
        return (row[key] or "").replace("\n", " ")

    def tooltip(self, row: dict) -> str:
        lines = [row["display_name"]]
        if row["caption"]:
            lines.append(self.tr("说明：") + row["caption"])
        lines.append(self.tr("类型：") + row["kind"])
        if row["taken_on"]:
            lines.append(self.tr("拍摄或印发日期：") + row["taken_on"])
        measure_id = row["measure_id"]
        measure = self.measure_text(measure_id)
        if measure_id is not None and measure_id in self._measure_numbers:
            text = self.measures[self._measure_numbers[measure_id] - 1]["text"]
            measure += f"　{text[:40]}"
        lines.append(self.tr("属于：") + measure)
        lines.append(self.tr("添加：%1 %2，%3").replace("%1", row["added_by"] or "")
                     .replace("%2", self._display(row, COL_ADDED_AT)).replace("%3", human_size(row["size"])))
        return "\n".join(lines)

    def flags(self, index):
        flags = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        if self.editable and index.column() in EDITABLE:
            flags |= Qt.ItemIsEditable
        return flags

    def setData(self, index, value, role=Qt.EditRole):
        if role != Qt.EditRole or not index.isValid() or index.column() not in EDITABLE:
            return False
        row = self.rows[index.row()]
        field = EDITABLE[index.column()]
        if field in ("caption", "display_name", "taken_on") and isinstance(value, str):
            value = value.strip() or (None if field == "taken_on" else value.strip())
        if field == "display_name" and not value:
            return False
        if value != row[field]:
            self.edit_requested.emit(row["id"], {field: value})
        return True

    def _thumbnail_ready(self, sha: str) -> None:
        for number, row in enumerate(self.rows):
            if row["sha256"] == sha:
                index = self.index(number, COL_NAME)
                self.dataChanged.emit(index, index, [Qt.DecorationRole])


class MeasureFilter(QSortFilterProxyModel):
    """Shows all attachments, those of the problem itself (WHOLE_PROBLEM), or one measure's."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.measure: int | None = None

    def set_measure(self, measure: int | None) -> None:
        self.beginFilterChange()
        self.measure = measure
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row, source_parent):
        if self.measure is None:
            return True
        index = self.sourceModel().index(source_row, 0, source_parent)
        return index.data(MEASURE_ROLE) == self.measure


class IconProxy(QIdentityProxyModel):
    """Under each thumbnail: the caption (else the file name), then 类型 · 日期; F2 edits the caption."""

    def data(self, index, role=Qt.DisplayRole):
        if index.isValid() and index.column() == COL_NAME and role in (Qt.DisplayRole, Qt.EditRole):
            row = super().data(index, ROW_ROLE)
            if role == Qt.EditRole:
                return row["caption"]
            second = " · ".join(part for part in (row["kind"], row["taken_on"]) if part)
            return f"{row['caption'] or row['display_name']}\n{second}"
        return super().data(index, role)

    def setData(self, index, value, role=Qt.EditRole):
        if index.isValid() and index.column() == COL_NAME:
            index = index.siblingAtColumn(COL_CAPTION)
        return super().setData(index, value, role)
