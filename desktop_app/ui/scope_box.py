"""The scope of the figures and reports: all inspections of the ledger, or one."""

from PySide6.QtWidgets import QComboBox


class ScopeBox(QComboBox):
    def fill(self, ledger, keep: int | None = None) -> None:
        """List the ledger's inspections after 全部督察批次, keeping keep chosen if it is one;
        no signal: filling is not the clerk choosing."""
        self.blockSignals(True)
        self.clear()
        self.addItem(self.tr("全部督察批次"), None)
        for row in ledger.inspections():
            self.addItem(row["name"], row["id"])
        self.setCurrentIndex(max(0, self.findData(keep)))
        self.blockSignals(False)

    @property
    def inspection_id(self) -> int | None:
        return self.currentData()
