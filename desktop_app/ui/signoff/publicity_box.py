"""公示期 in the sign-off dialog: start and working days (end computed) or both ends (days counted).

The result is worked out as the clerk types, with the ledger's 放假安排, and warns when a year
is counted Monday to Friday for want of one (store.signoff.preview_publicity).
"""

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (QButtonGroup, QGridLayout, QGroupBox, QHBoxLayout, QLabel,
                               QRadioButton, QSpinBox)

from ...domain.notice import chinese_date
from ...domain.workdays import WorkingPeriod
from ...store import signoff as signoffs
from ..date_edit import date_edit

MAX_DAYS = 60


class PublicityBox(QGroupBox):
    edited = Signal()  # the clerk changed the start, the days or the end

    def __init__(self, ledger, parent=None):
        super().__init__(parent)
        self.setTitle(self.tr("公示期"))
        self.ledger = ledger
        self.period: WorkingPeriod | None = None
        self.start = date_edit()
        self.by_days = QRadioButton(self.tr("按工作日天数"))
        self.by_end = QRadioButton(self.tr("按起止日期"))
        self.by_days.setChecked(True)
        self.mode = QButtonGroup(self)
        self.mode.addButton(self.by_days)
        self.mode.addButton(self.by_end)
        self.days = QSpinBox()
        self.days.setRange(1, MAX_DAYS)
        self.days.setSuffix(self.tr(" 个工作日"))
        self.end = date_edit()
        self.result = QLabel()
        self.result.setObjectName("publicityResult")
        self.result.setWordWrap(True)
        self.result.setStyleSheet("font-weight: bold;")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555;")
        self.warning = QLabel()
        self.warning.setObjectName("publicityWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("background: #fff4c2; border: 1px solid #e0c860; padding: 4px;")
        self.warning.hide()
        for signal in (self.start.dateChanged, self.days.valueChanged, self.end.dateChanged,
                       self.by_days.toggled):
            signal.connect(self._changed)

        grid = QGridLayout(self)
        start = QHBoxLayout()
        start.addWidget(QLabel(self.tr("开始日期")))
        start.addWidget(self.start)
        start.addStretch()
        grid.addLayout(start, 0, 0, 1, 2)
        days = QHBoxLayout()
        days.addWidget(self.by_days)
        days.addWidget(self.days)
        days.addStretch()
        end = QHBoxLayout()
        end.addWidget(self.by_end)
        end.addWidget(self.end)
        end.addStretch()
        grid.addLayout(days, 1, 0, 1, 2)
        grid.addLayout(end, 2, 0, 1, 2)
        grid.addWidget(self.result, 3, 0, 1, 2)
        grid.addWidget(self.note, 4, 0, 1, 2)
        grid.addWidget(self.warning, 5, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(6, 1)  # the rows stay together at the top
        self._update()

    def values(self) -> tuple[date, int | None, date | None]:
        """(start, working days, end) as set_publicity takes them: days or end, not both."""
        start = self.start.date().toPython()
        if self.by_days.isChecked():
            return start, self.days.value(), None
        return start, None, self.end.date().toPython()

    def show_values(self, start: date, days: int | None, end: date | None) -> None:
        """Fill the fields without counting as the clerk's edit; by days where that gives end."""
        widgets = (self.start, self.days, self.end, self.by_days, self.by_end)
        for widget in widgets:
            widget.blockSignals(True)
        self.start.setDate(QDate(start))
        if days:
            self.days.setValue(days)
        if end:
            self.end.setDate(QDate(end))
        by_days = end is None or (days and self._preview(start, days, None) is not None
                                  and self._preview(start, days, None).end == end)
        self.by_days.setChecked(bool(by_days))
        self.by_end.setChecked(not by_days)
        for widget in widgets:
            widget.blockSignals(False)
        self._update()

    def set_editable(self, editable: bool) -> None:
        for widget in (self.start, self.by_days, self.by_end):
            widget.setEnabled(editable)
        self.days.setEnabled(editable and self.by_days.isChecked())
        self.end.setEnabled(editable and self.by_end.isChecked())

    def _preview(self, start, days, end) -> WorkingPeriod | None:
        try:
            return signoffs.preview_publicity(self.ledger, start, days, end)
        except ValueError:
            return None

    def _changed(self, *_args) -> None:
        self._update()
        self.edited.emit()

    def _update(self) -> None:
        start, days, end = self.values()
        self.days.setEnabled(self.start.isEnabled() and days is not None)
        self.end.setEnabled(self.start.isEnabled() and end is not None)
        self.period = self._preview(start, days, end)
        period = self.period
        if period is None:
            self.result.setText(self.tr("结束日期早于开始日期，请重新选择。"))
            self.result.setStyleSheet("font-weight: bold; color: #b00020;")
            self.note.clear()
            self.warning.hide()
            return
        self.result.setStyleSheet("font-weight: bold;")
        self.result.setText(self.tr("公示时间：%1至%2（共%3个工作日）")
                            .replace("%1", chinese_date(period.start))
                            .replace("%2", chinese_date(period.end))
                            .replace("%3", str(period.working_days)))
        for widget, value in ((self.end, period.end), (self.days, period.working_days)):
            widget.blockSignals(True)
            widget.setDate(QDate(value)) if widget is self.end else widget.setValue(value)
            widget.blockSignals(False)
        shifted = period.start != start
        self.note.setText(self.tr("%1不是工作日，公示期从%2起算。")
                          .replace("%1", chinese_date(start))
                          .replace("%2", chinese_date(period.start)) if shifted else "")
        self.note.setVisible(shifted)
        self.warning.setText(period.warning or "")
        self.warning.setVisible(bool(period.warning))
