"""设置's 佐证材料 tab: the size limit of one file (this computer) and the 类型 list (the ledger's)."""

from PySide6.QtWidgets import QFormLayout, QLabel, QPlainTextEdit, QSizePolicy, QSpinBox, QWidget

from ...store.evidence import evidence_kinds

MAX_MB = 100_000  # 100 GB: beyond any one file a clerk attaches


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555;")
    return label


class EvidenceSettingsTab(QWidget):
    def __init__(self, settings, document, parent=None):
        super().__init__(parent)
        self.settings, self.document = settings, document
        self.max_mb = QSpinBox()
        self.max_mb.setObjectName("evidenceMaxMb")
        self.max_mb.setRange(1, MAX_MB)
        self.max_mb.setValue(settings.evidence_max_mb)
        self.max_mb.setSuffix(" MB")
        self.max_mb.setMinimumWidth(130)
        self.max_mb.setSizePolicy(QSizePolicy.Fixed, QSizePolicy.Fixed)
        self.kinds = QPlainTextEdit("\n".join(evidence_kinds(document.ledger)) if document else "")
        self.kinds.setObjectName("evidenceKinds")
        self.kinds.setTabChangesFocus(True)
        self.kinds.setFixedHeight(self.kinds.fontMetrics().lineSpacing() * 10 + 12)
        self.kinds.setEnabled(document is not None and not document.read_only)
        form = QFormLayout(self)
        form.addRow(self.tr("单个文件上限"), self.max_mb)
        form.addRow("", _note(self.tr("超过这个大小的文件不能添加（视频、扫描件请先压缩）。只对这台电脑有效。")))
        form.addRow(self.tr("佐证材料类型\n（每行一种）"), self.kinds)
        form.addRow("", _note(self.tr("添加材料时从这些类型里选。保存在台账文件里，拷到别的电脑上也一样。"
                                      "去掉一种类型，已经按它归类的材料不受影响。")))

    def apply(self) -> None:
        self.settings.evidence_max_mb = self.max_mb.value()
        if self.document is None or self.document.read_only:
            return
        kinds = [line.strip() for line in self.kinds.toPlainText().splitlines() if line.strip()]
        if kinds and kinds != evidence_kinds(self.document.ledger):
            self.document.set_evidence_kinds(kinds)
