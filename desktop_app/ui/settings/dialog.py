"""设置: 单位名称, 时序进度 warnings, 销号 and 公示 defaults with the 回头看 months (this computer's
settings), and the ledger's 放假安排."""

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QPlainTextEdit, QSizePolicy, QSpinBox, QTabWidget, QVBoxLayout,
                               QWidget)

from ...domain.notice import Contacts
from ...domain.recheck import months_text, parse_months
from ...domain.schedule import ScheduleSettings
from ...domain.signoff import DEFAULT_CHECKLIST, SignoffDefaults
from ..evidence.settings_tab import EvidenceSettingsTab
from ..messages import warn
from ..signoff.publicity_box import MAX_DAYS
from .holidays_panel import HolidaysPanel

CONTACT_FIELDS = (("office", "受理单位"), ("contact", "联系人"), ("phone", "联系电话"),
                  ("fax", "传真"), ("address", "通讯地址"), ("issuer", "发布单位（落款）"))


def _days(low: int, high: int, value: int, suffix: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    box.setSuffix(suffix)
    box.setSizePolicy(QSizePolicy.Fixed, QSizePolicy.Fixed)
    box.setMinimumWidth(110)
    return box


class SettingsDialog(QDialog):
    """The first three tabs take effect on 确定; 节假日安排 is saved in the ledger as it is entered."""

    def __init__(self, parent, settings, document):
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(self.tr("设置"))
        self.org = QLineEdit(settings.org_name)
        self.org.setPlaceholderText(self.tr("如：青山镇人民政府、青山县"))
        org_tab = QWidget()
        form = QFormLayout(org_tab)
        form.addRow(self.tr("单位名称（乡镇/县）"), self.org)
        form.addRow("", self._note(self.tr("新建督察批次时“所属单位”默认填这个名称；公示的受理单位和"
                                           "发布单位（落款）没有另外填写时也用它。"
                                           "公示的联系人、电话在“销号与公示”里填写。")))

        schedule = settings.schedule_settings
        self.warning_days = _days(1, 365, schedule.warning_days, self.tr(" 天"))
        self.immediate_days = _days(1, 365, schedule.immediate_days, self.tr(" 天"))
        schedule_tab = QWidget()
        form = QFormLayout(schedule_tab)
        form.addRow(self.tr("临近时限预警"), self.warning_days)
        form.addRow("", self._note(self.tr("距整改时限不到这么多天、仍未完成的问题标为黄色。")))
        form.addRow(self.tr("立行立改默认时限"), self.immediate_days)
        form.addRow("", self._note(self.tr("立行立改的问题没有写明日期时，从开始日期起算这么多天为时限。")))

        defaults = settings.signoff_defaults
        self.contacts: dict[str, QLineEdit] = {}
        signoff_tab = QWidget()
        form = QFormLayout(signoff_tab)
        form.addRow(self._note(self.tr("新的销号申请和公示从这里取默认值，每份公示还可以单独修改。")))
        for field, label in CONTACT_FIELDS:
            self.contacts[field] = QLineEdit(getattr(defaults.contacts, field))
            form.addRow(self.tr(label), self.contacts[field])
        self.working_days = _days(1, MAX_DAYS, defaults.working_days, self.tr(" 个工作日"))
        form.addRow(self.tr("公示期"), self.working_days)
        self.basis = QLineEdit(defaults.basis)
        self.basis.setToolTip(self.tr("公示开头“根据……，现将……公示如下”中的依据"))
        form.addRow(self.tr("公示依据"), self.basis)
        self.checklist = QPlainTextEdit("\n".join(defaults.checklist))
        self.checklist.setTabChangesFocus(True)
        self.checklist.setMinimumHeight(self.checklist.fontMetrics().lineSpacing() * 6 + 12)
        form.addRow(self.tr("验收清单\n（每行一项）"), self.checklist)
        self.recheck_months = QLineEdit(months_text(settings.recheck_months))
        self.recheck_months.setPlaceholderText(self.tr("如：3、12"))
        self.recheck_months.setToolTip(self.tr("销号后第几个月安排回头看复查，用顿号隔开；"
                                               "安排复查时按这里的月数排好日期。"))
        form.addRow(self.tr("回头看复查（销号后第几个月）"), self.recheck_months)

        self.holidays = HolidaysPanel(document) if document is not None else None
        self.tabs = QTabWidget()
        self.tabs.addTab(schedule_tab, self.tr("时序进度"))
        self.tabs.addTab(signoff_tab, self.tr("销号与公示"))
        self.tabs.addTab(org_tab, self.tr("本单位"))
        self.evidence = EvidenceSettingsTab(settings, document)
        self.tabs.addTab(self.evidence, self.tr("佐证材料"))
        if self.holidays is not None:
            self.tabs.addTab(self.holidays, self.tr("节假日安排"))
        buttons = QDialogButtonBox()
        buttons.addButton(self.tr("确定"), QDialogButtonBox.AcceptRole)
        buttons.addButton(self.tr("取消"), QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.resize(720, 560)

    @staticmethod
    def _note(text: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setStyleSheet("color: #555;")
        return label

    def accept(self) -> None:
        try:
            months = parse_months(self.recheck_months.text())
        except ValueError as e:  # nothing is saved until it reads: the clerk corrects it here
            self.tabs.setCurrentIndex(self.tabs.indexOf(self.recheck_months.parentWidget()))
            self.recheck_months.setFocus()
            warn(self, self.tr("回头看复查的月数有误"), str(e))
            return
        self.settings.recheck_months = months
        self.settings.org_name = self.org.text()
        self.settings.schedule_settings = ScheduleSettings(self.warning_days.value(),
                                                           self.immediate_days.value())
        checklist = tuple(line.strip() for line in self.checklist.toPlainText().splitlines()
                          if line.strip())
        self.settings.signoff_defaults = SignoffDefaults(
            Contacts(**{f: e.text().strip() for f, e in self.contacts.items()}),
            self.working_days.value(), self.basis.text().strip(), checklist or DEFAULT_CHECKLIST)
        self.evidence.apply()
        super().accept()
