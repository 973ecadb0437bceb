"""A problem's history from the audit trail: who changed what, when, from what to what."""

from PySide6.QtWidgets import QAbstractItemView, QDialog, QHeaderView, QLabel, QTableView, QVBoxLayout

from ...store.history import problem_history
from ..ledger.table_models import RowsModel


class HistoryModel(RowsModel):
    def __init__(self, parent=None):
        super().__init__([(self.tr("时间"), "at_text"), (self.tr("电脑用户"), "os_user"),
                          (self.tr("操作"), "action_label"), (self.tr("对象"), "entity_label"),
                          (self.tr("字段"), "field_label"), (self.tr("原值"), "old_text"),
                          (self.tr("新值"), "new_text")], parent)


class HistoryDialog(QDialog):
    def __init__(self, parent, ledger, problem_id: int, number: int):
        super().__init__(parent)
        self.setWindowTitle(self.tr("第 %1 项的修改记录").replace("%1", str(number)))
        entries = problem_history(ledger, problem_id)
        self.model = HistoryModel(self)
        self.model.set_rows([{"id": i, **entry} for i, entry in enumerate(entries)])
        view = QTableView()
        view.setModel(self.model)
        view.setSelectionBehavior(QAbstractItemView.SelectRows)
        view.verticalHeader().hide()
        view.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        view.horizontalHeader().setStretchLastSection(True)
        view.resizeColumnsToContents()
        for column in (5, 6):
            view.setColumnWidth(column, 240)
        note = QLabel(self.tr("共 %1 条，最新的在最上面。每条修改记录都计入防篡改校验链，事后改动或删除都会被“检查台账”发现。")
                      .replace("%1", str(len(entries))))
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(view)
        self.resize(900, 520)
