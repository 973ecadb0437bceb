"""佐证材料回收站: removed attachments, restored (undoable) or deleted for good (after a warning)."""

from PySide6.QtWidgets import (QAbstractItemView, QDialog, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QTableView, QVBoxLayout)

from ...store import evidence, evidence_check
from ...store.errors import LedgerError
from .model import human_size
from ..messages import confirm
from ..ledger.table_models import ROW_ID_ROLE, RowsModel


class RecycleModel(RowsModel):
    def __init__(self, parent=None):
        super().__init__([(self.tr("问题"), "problem"), (self.tr("名称"), "display_name"),
                          (self.tr("类型"), "kind"), (self.tr("说明"), "caption"),
                          (self.tr("删除时间"), "deleted"), (self.tr("大小"), "shown_size")], parent)


class RecycleDialog(QDialog):
    def __init__(self, window):
        super().__init__(window)
        self.window_, self.document = window, window.document
        self.setWindowTitle(self.tr("佐证材料回收站"))
        self.model = RecycleModel(self)
        self.table = QTableView()
        self.table.setObjectName("recycleTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555;")
        self.restore_button = QPushButton(self.tr("恢复所选"))
        self.restore_button.setToolTip(self.tr("放回原来的问题下（可以用 Ctrl+Z 撤销）"))
        self.purge_button = QPushButton(self.tr("彻底删除所选…"))
        self.empty_button = QPushButton(self.tr("清空回收站…"))
        self.empty_button.setToolTip(self.tr("彻底删除回收站里的全部材料，不能撤销"))
        close = QPushButton(self.tr("关闭"))
        self.restore_button.clicked.connect(self.restore_selected)
        self.purge_button.clicked.connect(lambda: self.purge(self.selected_ids()))
        self.empty_button.clicked.connect(lambda: self.purge(None))
        close.clicked.connect(self.accept)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        buttons = QHBoxLayout()
        for button in (self.restore_button, self.purge_button, self.empty_button):
            buttons.addWidget(button)
        buttons.addStretch()
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.resize(860, 480)
        self.reload()

    def reload(self) -> None:
        ledger = self.document.ledger
        labels: dict[int, str] = {}
        rows = []
        for row in evidence.recycle_bin(ledger):
            problem_id = row["problem_id"]
            if problem_id not in labels:
                labels[problem_id] = evidence_check.problem_label(ledger.db.conn, problem_id)
            rows.append({**row, "problem": labels[problem_id], "shown_size": human_size(row["size"]),
                         "deleted": row["deleted_at"].replace("T", " ")[:16]})
        self.model.set_rows(rows)
        total = sum(r["size"] for r in rows)
        self.note.setText(self.tr("回收站里有 %1 个佐证材料（%2）。恢复后回到原来的问题下；彻底删除后不能恢复。")
                          .replace("%1", str(len(rows))).replace("%2", human_size(total))
                          if rows else self.tr("回收站是空的。"))
        self._update_buttons()

    def selected_ids(self) -> list[int]:
        return [index.data(ROW_ID_ROLE) for index in self.table.selectionModel().selectedRows()]

    def _update_buttons(self) -> None:
        editable = not self.document.read_only
        selected = bool(self.selected_ids())
        self.restore_button.setEnabled(editable and selected)
        self.purge_button.setEnabled(editable and selected)
        self.empty_button.setEnabled(editable and bool(self.model.rows))

    def restore_selected(self) -> None:
        ids = self.selected_ids()
        if ids and self.document.recycle_evidence(ids, live=True):
            self.reload()

    def purge(self, ids: list[int] | None) -> None:
        count = len(self.model.rows) if ids is None else len(ids)
        if not count or not confirm(
                self, self.tr("彻底删除佐证材料"),
                self.tr("彻底删除这 %1 个佐证材料吗？\n\n这一步不能撤销，删除后无法恢复。"
                        "（备份里还用到的文件会暂时保留，以便恢复那份备份。）").replace("%1", str(count)),
                yes=self.tr("彻底删除")):
            return
        try:
            emptied = evidence.empty_recycle(self.document.ledger, ids, self.window_.safety.policy())
        except (LedgerError, ValueError) as e:
            self.document.failed.emit(str(e))
            return
        self.reload()
        self.window_.statusBar().showMessage(
            self.tr("已彻底删除 %1 个佐证材料，腾出 %2。").replace("%1", str(emptied.rows))
            .replace("%2", human_size(emptied.bytes)), 15000)
