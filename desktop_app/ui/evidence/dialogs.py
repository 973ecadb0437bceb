"""Asking about 佐证材料: the details of files about to be attached, and changing one attachment."""

from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
                               QLabel, QLineEdit, QVBoxLayout)

from ...formats.evidence.photo_date import photo_date
from ..date_edit import date_edit
from .model import human_size, measure_label
from .render import kind_of, suffix

PHOTO_KIND = "现场照片"
SHOWN_NAMES = 6


def file_date(path: Path) -> date:
    """When a file was made, as well as we can tell cheaply: a JPEG's EXIF 拍摄时间, else the
    day it was last changed."""
    if suffix(path.name) in (".jpg", ".jpeg"):
        taken = photo_date(path)
        if taken:
            return taken
    try:
        return date.fromtimestamp(path.stat().st_mtime)
    except OSError:
        return date.today()


def measure_combo(measures: list[dict], current: int | None = None) -> QComboBox:
    """问题本身, or one of the problem's numbered measures."""
    combo = QComboBox()
    combo.addItem(QCoreApplication.translate("dialogs", "问题本身（不属于某一条措施）"), None)
    for number, measure in enumerate(measures, 1):
        text = measure["text"].replace("\n", " ")
        combo.addItem(f"{measure_label(number)}　{text[:24]}{'…' if len(text) > 24 else ''}", measure["id"])
        combo.setItemData(combo.count() - 1, text, Qt.ToolTipRole)  # the whole measure
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


def kind_combo(kinds: list[str], current: str) -> QComboBox:
    combo = QComboBox()
    combo.addItems(kinds if current in kinds else kinds + [current])
    combo.setCurrentText(current)
    combo.setToolTip(QCoreApplication.translate("dialogs", "可选的类型在“工具 → 设置 → 佐证材料”里修改"))
    return combo


def _buttons(dialog: QDialog, ok: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox()
    buttons.addButton(ok, QDialogButtonBox.AcceptRole)
    buttons.addButton(QCoreApplication.translate("dialogs", "取消"), QDialogButtonBox.RejectRole)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class AttachDialog(QDialog):
    """What the files are before they are copied in: one caption, type, date, measure and adder
    for the batch (photos may keep each their own 拍摄日期)."""

    def __init__(self, parent, paths: list[Path], kinds: list[str], measures: list[dict],
                 measure_id: int | None, added_by: str):
        super().__init__(parent)
        self.setWindowTitle(self.tr("添加佐证材料"))
        self.paths = paths
        names = [p.name for p in paths]
        total = sum(p.stat().st_size for p in paths if p.exists())
        summary = self.tr("%1 个文件，共 %2：").replace("%1", str(len(paths))).replace("%2", human_size(total))
        shown = "、".join(names[:SHOWN_NAMES]) + (self.tr(" 等") if len(names) > SHOWN_NAMES else "")
        self.files = QLabel(summary + shown)
        self.files.setWordWrap(True)
        self.files.setToolTip("\n".join(str(p) for p in paths[:50]))
        photos = all(kind_of(n) == "image" for n in names)
        self.caption = QLineEdit()
        self.caption.setPlaceholderText(self.tr("如：二期工程竣工现场、县委常委会会议纪要"))
        self.kind = kind_combo(kinds, PHOTO_KIND if photos and PHOTO_KIND in kinds else
                               ("文件" if "文件" in kinds else kinds[0]))
        self.dates = [file_date(p) for p in paths]
        self.day = date_edit(self.dates[0] if self.dates else None)
        self.day.setToolTip(self.tr("照片的拍摄日期或文件的印发日期；照片默认取相机记录的拍摄时间"))
        self.own_dates = QCheckBox(self.tr("每个文件用它自己的日期（照片的拍摄日期，其他文件的修改日期）"))
        self.own_dates.setVisible(len(set(self.dates)) > 1)
        self.own_dates.setChecked(len(set(self.dates)) > 1)
        self.own_dates.toggled.connect(lambda on: self.day.setEnabled(not on))
        self.day.setEnabled(not self.own_dates.isChecked())
        self.measure = measure_combo(measures, measure_id)
        self.added_by = QLineEdit(added_by)
        self.added_by.setPlaceholderText(self.tr("添加人，如：县水利局 张三"))

        form = QFormLayout()
        form.addRow(self.tr("文件"), self.files)
        form.addRow(self.tr("说明"), self.caption)
        form.addRow(self.tr("类型"), self.kind)
        form.addRow(self.tr("日期"), self.day)
        form.addRow("", self.own_dates)
        form.addRow(self.tr("属于"), self.measure)
        form.addRow(self.tr("添加人"), self.added_by)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(_buttons(self, self.tr("添加")))
        self.resize(560, self.sizeHint().height())

    def batches(self) -> dict[date, list[Path]]:
        """The files by the date each is filed under (one batch when a single date is used)."""
        if not self.own_dates.isChecked():
            return {self.day.date().toPython(): list(self.paths)}
        grouped: dict[date, list[Path]] = {}
        for path, day in zip(self.paths, self.dates):
            grouped.setdefault(day, []).append(path)
        return grouped

    def values(self) -> dict:
        return {"caption": self.caption.text().strip(), "kind": self.kind.currentText(),
                "measure_id": self.measure.currentData(), "added_by": self.added_by.text().strip()}


class EvidenceDialog(QDialog):
    """Changing one attachment's name, caption, type, date and measure (one undo step)."""

    def __init__(self, parent, row: dict, kinds: list[str], measures: list[dict]):
        super().__init__(parent)
        self.setWindowTitle(self.tr("修改佐证材料"))
        self.row = row
        self.name = QLineEdit(row["display_name"])
        self.caption = QLineEdit(row["caption"])
        self.kind = kind_combo(kinds, row["kind"])
        self.has_day = QCheckBox(self.tr("填写日期"))
        self.has_day.setChecked(bool(row["taken_on"]))
        self.day = date_edit(date.fromisoformat(row["taken_on"]) if row["taken_on"] else None)
        self.day.setEnabled(self.has_day.isChecked())
        self.has_day.toggled.connect(self.day.setEnabled)
        self.measure = measure_combo(measures, row["measure_id"])
        added = QLabel(self.tr("%1 于 %2 添加，%3").replace("%1", row["added_by"] or self.tr("（未记录）"))
                       .replace("%2", row["added_at"].replace("T", " ")[:16])
                       .replace("%3", human_size(row["size"])))
        added.setStyleSheet("color: #555;")
        form = QFormLayout()
        form.addRow(self.tr("文件名"), self.name)
        form.addRow(self.tr("说明"), self.caption)
        form.addRow(self.tr("类型"), self.kind)
        form.addRow(self.has_day, self.day)
        form.addRow(self.tr("属于"), self.measure)
        form.addRow("", added)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(_buttons(self, self.tr("保存")))
        self.resize(520, self.sizeHint().height())

    def changes(self) -> dict:
        """The fields that differ from the row."""
        values = {"display_name": self.name.text().strip() or self.row["display_name"],
                  "caption": self.caption.text().strip(), "kind": self.kind.currentText(),
                  "taken_on": self.day.date().toPython().isoformat() if self.has_day.isChecked() else None,
                  "measure_id": self.measure.currentData()}
        return {k: v for k, v in values.items() if v != self.row[k]}
