"""The 销号 line of the problem editor: where the sign-off stands, and the way into the dialog.

It also keeps the 整改状态 box honest: 销号中 and 已销号 are reached only through the 销号
dialog, and a problem in sign-off leaves it only by being sent back there.
"""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from ...domain.signoff import SIGNOFF_STATUSES, Stage
from ...domain.vocabulary import Status
from ...store import signoff as signoffs


class SignoffRow(QWidget):
    def __init__(self, document, settings, status_combo, flush, parent=None):
        """flush(): saves the editor's pending typing, so the dialog judges what the clerk sees."""
        super().__init__(parent)
        self.document, self.settings, self.status_combo = document, settings, status_combo
        self.flush = flush
        self.problem_id: int | None = None
        self.number = 0
        self.label = QLabel()
        self.label.setObjectName("signoffState")
        self.label.setWordWrap(True)
        self.button = QPushButton(self.tr("申请销号…"))
        self.button.setObjectName("signoffButton")
        self.button.clicked.connect(self.open_dialog)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        model = status_combo.model()
        for row in range(status_combo.count()):
            if status_combo.itemData(row) in SIGNOFF_STATUSES:
                item = model.item(row)
                item.setFlags(item.flags() & ~Qt.ItemIsEnabled)
                item.setToolTip(self.tr("由“申请销号”办理，不能直接选择"))

    def show_problem(self, problem_id: int, number: int) -> None:
        self.problem_id, self.number = problem_id, number
        self.refresh()

    def refresh(self) -> None:
        ledger, read_only = self.document.ledger, self.document.read_only
        if self.problem_id is None or not ledger.exists("problem", self.problem_id):
            return  # gone with an undo; the editor moves on to another row
        row = signoffs.current(ledger, self.problem_id)
        stage = Stage(row["stage"]) if row else None
        status = ledger.row("problem", self.problem_id)["status"]
        # A status held by a sign-off changes there; one without (imported) stays correctable here.
        locked = status in SIGNOFF_STATUSES and stage not in (None, Stage.RETURNED)
        self.status_combo.setEnabled(not read_only and not locked)
        self.status_combo.setToolTip(self.tr("销号中、已销号的问题，请在“办理销号…”里退回或撤销销号")
                                     if locked else "")
        # 回头看 found a 已销号 problem back: its old 销号 stays, a new one is applied for
        reopened = stage == Stage.SIGNED_OFF and status != Status.SIGNED_OFF
        if stage is not None and stage != Stage.RETURNED and not reopened:
            self.button.setText(self.tr("办理销号…"))
            self.button.setEnabled(True)
            self.button.setToolTip(self.tr("验收、公示、销号，打印公示和销号审批表"))
            self.label.setText(self._where(row, stage))
            return
        reasons = signoffs.blocking_reasons(ledger, self.problem_id)
        self.button.setText(self.tr("申请销号…"))
        self.button.setEnabled(not reasons and not read_only)
        self.button.setToolTip(self.tr("还不能申请销号：") + "\n" + "\n".join(reasons) if reasons
                               else self.tr("整改已完成，可以申请销号"))
        if reopened:
            self.label.setText(self.tr("回头看发现反弹，重新整改中（原于 %1 销号）")
                               .replace("%1", row["signed_off_on"] or ""))
        elif stage == Stage.RETURNED:
            last = signoffs.events(ledger, self.problem_id)[-1]
            self.label.setText(self.tr("上次销号已退回（%1）：%2")
                               .replace("%1", last["on_date"]).replace("%2", last["reason"]))
        elif status in SIGNOFF_STATUSES:
            self.label.setText(self.tr("整改状态为“%1”，但没有销号记录（可能是导入的台账）").replace("%1", status))
        else:
            self.label.setText(self.tr("未申请") if reasons else self.tr("可以申请销号"))

    def _where(self, row: dict, stage: Stage) -> str:
        if stage == Stage.SIGNED_OFF:
            return self.tr("已于 %1 销号").replace("%1", row["signed_off_on"] or "")
        if stage == Stage.PUBLICITY:
            return self.tr("公示中：%1 至 %2").replace("%1", row["publicity_start"] or "") \
                .replace("%2", row["publicity_end"] or "")
        if stage == Stage.ACCEPTED:
            return self.tr("已验收（%1），待公示").replace("%1", row["accepted_on"] or "")
        return self.tr("已申请销号（%1），待验收").replace("%1", row["applied_on"] or "")

    def open_dialog(self) -> None:
        from .dialog import SignoffDialog  # loads when first used, not at start-up
        self.flush()
        dialog = SignoffDialog(self.window(), self.document, self.settings, self.problem_id,
                               self.number)
        dialog.exec()
        dialog.deleteLater()
