"""节假日安排 of one year, as the ledger counts working days: official days shown, the clerk's editable.

For a year the official data covers, its 放假安排 is listed read-only and the clerk may add
corrections; for a later year the clerk enters the days the State Council notice lists (days
off and 调休 working days). Entries live in the ledger file; each change is audited and undoable.
"""

from datetime import date, timedelta

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QPushButton, QSpinBox, QTableView, QVBoxLayout, QWidget)

from ...domain.workdays import OFFICIAL_YEARS, official_entries
from ...store import holidays
from ..messages import confirm, warn
from ..date_edit import date_edit
from ..ledger.table_models import RowsModel

MAX_RANGE_DAYS = 31  # a 放假安排 entry: 春节 or 国庆 are 8 or 9 days


class HolidaysModel(RowsModel):
    def __init__(self, parent=None):
        super().__init__([(self.tr("日期"), "date"), (self.tr("星期"), "weekday"),
                          (self.tr("安排"), "kind"), (self.tr("来源"), "source"),
                          (self.tr("说明"), "note")], parent)
        self.weekdays = [self.tr("周一"), self.tr("周二"), self.tr("周三"), self.tr("周四"),
                         self.tr("周五"), self.tr("周六"), self.tr("周日")]

    def display(self, row: dict, key: str, row_number: int) -> str:
        if key == "weekday":
            return self.weekdays[row["day"].weekday()]
        if key == "kind":
            return self.tr("上班（调休）") if row["is_workday"] else self.tr("放假")
        if key == "source":
            return self.tr("手工录入") if row["own"] else self.tr("国家安排")
        return super().display(row, key, row_number)


def year_rows(ledger, year: int) -> list[dict]:
    """The year's days: official ones (read-only) and those the clerk entered (which win)."""
    entered = {e["day"]: e for e in holidays.entries(ledger, year)}
    rows = {}
    for day, is_workday, note in official_entries(year):
        rows[day] = {"day": day, "is_workday": is_workday, "note": note, "own": False}
    for day, e in entered.items():
        rows[day] = {**e, "own": True}
    return [{"id": i, **r, "date": r["day"].isoformat()}
            for i, r in enumerate(sorted(rows.values(), key=lambda r: r["day"]))]


class HolidaysPanel(QWidget):
    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year)
        self.year.setSuffix(self.tr(" 年"))
        self.year.valueChanged.connect(lambda _y: self.reload())
        self.state = QLabel()
        self.state.setObjectName("holidayYearState")
        self.state.setWordWrap(True)
        self.model = HolidaysModel(self)
        self.table = QTableView()
        self.table.setObjectName("holidaysTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())

        self.first = date_edit()
        self.last = date_edit()
        self.kind = QComboBox()
        self.kind.addItem(self.tr("放假"), False)
        self.kind.addItem(self.tr("上班（调休）"), True)
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("如：春节"))
        self.add_button = QPushButton(self.tr("录入"))
        self.add_button.clicked.connect(self.add_days)
        self.remove_button = QPushButton(self.tr("删除所选"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.first.dateChanged.connect(lambda d: self.last.setDate(max(self.last.date(), d)))

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("年份")))
        top.addWidget(self.year)
        top.addWidget(self.state, 1)
        entry = QHBoxLayout()
        for widget in (QLabel(self.tr("从")), self.first, QLabel(self.tr("到")), self.last,
                       self.kind, self.note, self.add_button):
            entry.addWidget(widget)
        bottom = QHBoxLayout()
        note = QLabel(self.tr("录入后立即保存到台账文件，可以撤销。公示期按这里的安排计算工作日。"))
        note.setStyleSheet("color: #555;")
        note.setWordWrap(True)
        bottom.addWidget(note, 1)
        bottom.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addLayout(entry)
        layout.addLayout(bottom)
        document.changed.connect(self._document_changed)
        self.reload()

    def _document_changed(self, changes) -> None:
        if changes.touches("holidays"):
            self.reload()

    def reload(self) -> None:
        year = self.year.value()
        self.model.set_rows(year_rows(self.document.ledger, year))
        entered = holidays.entries(self.document.ledger, year)
        if year in OFFICIAL_YEARS:
            text = self.tr("%1年的放假安排已内置（国务院办公厅通知），一般不用录入；"
                           "如需更正，录入的日期优先。").replace("%1", str(year))
            style = "color: #2e7d32;"
        elif entered:
            text = self.tr("%1年没有内置的放假安排，按下表手工录入的日期计算，其余日期按周一至周五。"
                           ).replace("%1", str(year))
            style = "color: #555;"
        else:
            text = self.tr("%1年的放假安排还没有录入：公示期暂按周一至周五计算。"
                           "请按国务院办公厅的放假通知录入放假和调休上班的日期。").replace("%1", str(year))
            style = "color: #8a5a00; font-weight: bold;"
        self.state.setText(text)
        self.state.setStyleSheet(style)
        if self.first.date().year() != year:
            self.first.setDate(QDate(year, 1, 1))
            self.last.setDate(QDate(year, 1, 1))
        self._update_buttons()

    def _update_buttons(self) -> None:
        editable = not self.document.read_only
        self.add_button.setEnabled(editable)
        row = self.table.currentIndex().row()
        own = 0 <= row < len(self.model.rows) and self.model.rows[row]["own"]
        self.remove_button.setEnabled(editable and own)
        self.remove_button.setToolTip("" if own else self.tr("只能删除手工录入的日期；国家安排的日期可以录入更正"))

    def add_days(self) -> None:
        first, last = self.first.date().toPython(), self.last.date().toPython()
        count = (last - first).days + 1
        if count < 1 or count > MAX_RANGE_DAYS:
            warn(self, self.tr("日期不对"), self.tr("结束日期要在开始日期之后，一次最多录入 %1 天。")
                 .replace("%1", str(MAX_RANGE_DAYS)))
            return
        is_workday, note = self.kind.currentData(), self.note.text().strip()
        days = [(first + timedelta(days=i), is_workday, note) for i in range(count)]
        text = self.tr("录入放假安排") if not is_workday else self.tr("录入调休上班")
        if self.document.set_holidays(days, text):
            self.year.setValue(first.year)
            self.note.clear()

    def remove_selected(self) -> None:
        row = self.table.currentIndex().row()
        if row < 0 or not self.model.rows[row]["own"]:
            return
        day = self.model.rows[row]["day"]
        if confirm(self, self.tr("删除录入的日期"),
                   self.tr("删除 %1 的录入吗？删除后这一天按国家安排或周一至周五计算。")
                   .replace("%1", day.isoformat())):
            self.document.set_holidays([(day, None, "")], self.tr("删除放假安排"))
