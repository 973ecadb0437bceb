"""Add or edit an inspection (督察批次): name, kind, feedback date, owning organisation."""

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox,
                               QFormLayout, QHBoxLayout, QLineEdit, QMessageBox, QPlainTextEdit)

from ...domain.vocabulary import InspectionKind


class InspectionDialog(QDialog):
    def __init__(self, parent=None, row: dict | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("编辑督察批次") if row else self.tr("新增督察批次"))
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("如：第二轮中央生态环境保护督察"))
        self.kind = QComboBox()
        for kind in InspectionKind:
            self.kind.addItem(kind.value, kind.value)
        self.has_date = QCheckBox(self.tr("已知"))
        self.feedback_date = QDateEdit()
        self.feedback_date.setCalendarPopup(True)
        self.feedback_date.setDisplayFormat(self.tr("yyyy年M月d日"))
        self.feedback_date.setDate(QDate.currentDate())
        self.has_date.toggled.connect(self.feedback_date.setEnabled)
        self.org = QLineEdit()
        self.org.setPlaceholderText(self.tr("如：某某镇、某某县"))
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(80)
        dates = QHBoxLayout()
        dates.addWidget(self.has_date)
        dates.addWidget(self.feedback_date, 1)
        form = QFormLayout(self)
        form.addRow(self.tr("名称"), self.name)
        form.addRow(self.tr("督察类型"), self.kind)
        form.addRow(self.tr("反馈日期"), dates)
        form.addRow(self.tr("所属单位"), self.org)
        form.addRow(self.tr("备注"), self.notes)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText(self.tr("确定"))
        buttons.button(QDialogButtonBox.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(460, 0)
        self._load(row or {})

    def _load(self, row: dict) -> None:
        self.name.setText(row.get("name", ""))
        self.kind.setCurrentIndex(max(0, self.kind.findData(row.get("kind", InspectionKind.CENTRAL))))
        known = bool(row.get("feedback_date"))
        self.has_date.setChecked(known)
        self.feedback_date.setEnabled(known)
        if known:
            self.feedback_date.setDate(QDate.fromString(row["feedback_date"], "yyyy-MM-dd"))
        self.org.setText(row.get("org", ""))
        self.notes.setPlainText(row.get("notes", ""))

    def values(self) -> dict:
        feedback = None
        if self.has_date.isChecked():
            d = self.feedback_date.date()
            feedback = date(d.year(), d.month(), d.day()).isoformat()
        return {"name": self.name.text().strip(), "kind": self.kind.currentData(),
                "feedback_date": feedback, "org": self.org.text().strip(),
                "notes": self.notes.toPlainText().strip()}

    def accept(self):
        if not self.name.text().strip():
            QMessageBox.information(self, self.tr("请填写名称"), self.tr("督察批次的名称不能为空。"))
            self.name.setFocus()
            return
        super().accept()
