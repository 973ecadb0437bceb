"""The main window's 设置… and 责任追究登记… (Tools), 批量打印公示… (File) and 填写进展 (Edit) actions;
dialogs load on first use."""

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog


class ToolActions(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        make = window._action
        self.settings_action = make(self.tr("设置…"), self.show_settings, "Ctrl+,",
                                    self.tr("单位名称、预警天数、销号与公示的默认值、节假日安排"))
        self.batch_print_action = make(self.tr("批量打印公示…"), self.print_notices, "Ctrl+P",
                                       self.tr("把当前督察批次中几个问题的整改销号公示一起打印或存为 PDF"))
        self.accountability_action = make(self.tr("责任追究登记…"), self.show_accountability,
                                          tip=self.tr("登记被追责的党组织和人员：干部层级、处理方式"))
        self.progress_action = make(self.tr("填写进展"), self.write_progress, "Ctrl+R",
                                    self.tr("跳到选中问题的“整改进展”，填好后按 Ctrl+Enter 添加"))

    def update_enabled(self) -> None:
        window = self.window
        self.batch_print_action.setEnabled(window.document is not None
                                           and window.ledger_view.inspection_id is not None)
        self.accountability_action.setEnabled(window.document is not None)

    def apply_settings(self) -> None:
        """The 时序进度 the ledger shows follows 设置's 预警天数 and 立行立改默认天数."""
        self.window.ledger_view.model.schedule_settings = self.window.settings.schedule_settings

    def show_settings(self) -> None:
        from .settings.dialog import SettingsDialog
        window = self.window
        if window.editor:
            window.editor.flush()
        dialog = SettingsDialog(window, window.settings, window.document)
        if dialog.exec() == QDialog.Accepted:
            self.apply_settings()
            if window.document is not None:
                window.ledger_view.reload()
                window.overview.settings_changed()
        dialog.deleteLater()

    def write_progress(self) -> None:
        editor = self.window.editor
        if editor is None or editor.currentWidget() is not editor.problem:
            self.window.statusBar().showMessage(self.tr("请先在台账里选中一个问题。"), 5000)
            return
        editor.problem.focus_field(editor.problem.progress.text)

    def print_notices(self) -> None:
        from .notices.dialogs import BatchNoticeDialog
        window = self.window
        window.editor.flush()
        dialog = BatchNoticeDialog(window, window.document.ledger, window.settings,
                                   window.ledger_view.inspection_id)
        dialog.exec()
        dialog.deleteLater()

    def show_accountability(self) -> None:
        from .follow_up.accountability_dialog import AccountabilityDialog
        window = self.window
        dialog = AccountabilityDialog(window, window.document, window.settings,
                                      window.ledger_view.inspection_id)
        dialog.exec()
        dialog.deleteLater()
