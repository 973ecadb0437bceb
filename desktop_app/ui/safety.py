"""Keeping the ledger safe from the window: start-up check, daily backup, restore, check, audit log."""

from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

from ..store.backups import (BackupPolicy, daily_backup_if_due, restore_damaged,
                             startup_check)
from ..store.errors import LedgerError
from ..store.evidence import startup_cleanup
from ..store.integrity import check_audit_chain, check_ledger
from ..store.ledger import Ledger
from .backup_dialog import BackupDialog
from .messages import choose, warn
from .tasks import Task, on_own_connection


class _Step:
    """Progress as Task shows it, from export_audit_log_steps' (done, total) pairs."""
    def __init__(self, done, total):
        self.done, self.total, self.message = done, total, ""


class _AfterOpen(QRunnable):
    """In the background on its own connection: the audit chain check, and the day's first backup."""

    class Signals(QObject):
        failed = Signal(str)
        tampered = Signal(str)

    def __init__(self, path: Path, policy: BackupPolicy, back_up: bool):
        super().__init__()
        self.path, self.policy, self.back_up, self.signals = path, policy, back_up, self.Signals()

    def run(self):
        try:
            ledger = Ledger.open(self.path, read_only=True)
            try:
                findings = check_audit_chain(ledger.db.conn)
                if findings:
                    self.signals.tampered.emit("\n".join(f.message for f in findings))
                if self.back_up:  # prunes too
                    daily_backup_if_due(ledger, self.policy, for_writer=True)
            finally:
                ledger.close()
        except LedgerError as e:
            self.signals.failed.emit(str(e))


class SafetyActions:
    def __init__(self, window):
        self.window = window
        make = window._action
        self.backups_action = make(window.tr("备份与恢复…"), self.show_backups,
                                   tip=window.tr("查看自动备份，立即备份，或用备份恢复台账"))
        self.check_action = make(window.tr("检查台账"), self.check,
                                 tip=window.tr("检查数据库是否完好、修改记录有没有被改动过"))
        self.audit_action = make(window.tr("导出修改记录…"), self.export_audit,
                                 tip=window.tr("把全部修改记录导出为 Excel，供核查"))
        self._job = None  # the running background job, kept alive until it ends

    def actions(self) -> list[QAction]:
        return [self.backups_action, self.check_action, self.audit_action]

    def policy(self) -> BackupPolicy:
        settings = self.window.settings
        folder = settings.backup_folder
        return BackupPolicy(Path(folder) if folder else None, settings.keep_daily, settings.keep_monthly)

    def before_open(self, path: Path) -> str:
        """Check a ledger before writing to it: "open", "read_only" or "cancel"."""
        window = self.window
        try:
            # The audit chain (seconds on a big ledger) is checked after opening, in the background.
            check = startup_check(path, self.policy(), audit=False)
        except LedgerError:
            return "open"  # missing, newer, held: Ledger.open explains it (and offers read-only)
        damage = [f for f in check.findings if f.is_damage]
        if damage and check.newest_good is None and all(f.kind == "unreadable" for f in damage):
            return "open"  # nothing to restore from: Ledger.open says what the file is
        if not check.damaged:
            for finding in check.findings:  # history edited outside the app: say so, open anyway
                warn(window, window.tr("台账检查发现问题"), finding.message)
            return "open"
        details = "\n".join(f.message for f in check.findings if f.is_damage)
        options = [window.tr("以只读方式打开"), window.tr("取消")]
        if check.newest_good is not None:
            good = check.newest_good
            details += window.tr("\n\n最近一份完好的备份：%1（%2 项问题）。").replace(
                "%1", f"{good.taken_at:%Y-%m-%d %H:%M}").replace("%2", str(good.problems))
            options.insert(0, window.tr("用这份备份恢复"))
        elif check.backup_folder_problem:
            details += "\n\n" + check.backup_folder_problem
        choice = options[choose(window, window.tr("台账文件已损坏"), details, options)]
        if choice == window.tr("用这份备份恢复"):
            try:
                restore_damaged(path, check.newest_good.path, self.policy())
            except LedgerError as e:
                warn(window, window.tr("没能恢复"), str(e))
                return "cancel"
            return "open"
        return "read_only" if choice == window.tr("以只读方式打开") else "cancel"

    def after_open(self, ledger: Ledger) -> None:
        """Check the evidence store and the audit chain; the day's first opening also backs up."""
        # Cheap (no hashing), and removing a crash's half-copied files needs the writer's ledger.
        cleanup = startup_cleanup(ledger)
        if cleanup.missing:
            warn(self.window, self.window.tr("佐证材料缺失"),
                 self.window.tr("下面这些佐证材料在台账里有记录，但文件找不到了（可能被人删除或移走）：\n")
                 + "\n".join(f.message for f in cleanup.missing[:20]))
        if cleanup.orphans:
            self.window.statusBar().showMessage(self.window.tr(
                "佐证材料文件夹里有 %1 个文件没有对应的记录（可能来自较早的备份），已保留未动。")
                .replace("%1", str(len(cleanup.orphans))), 20000)
        job = _AfterOpen(ledger.path, self.policy(), back_up=not ledger.read_only)
        job.signals.tampered.connect(lambda message: warn(
            self.window, self.window.tr("修改记录被改动过"), message))
        job.signals.failed.connect(lambda message: self.window.statusBar().showMessage(
            self.window.tr("今天的自动备份没有完成：") + message, 30000))
        self._job = job
        QThreadPool.globalInstance().start(job)

    def show_backups(self) -> None:
        BackupDialog(self.window).exec()

    def check(self) -> None:
        window = self.window
        window.editor.flush()
        findings = check_ledger(window.document.ledger)
        if findings:
            warn(window, window.tr("检查发现问题"), "\n".join(f.message for f in findings))
        else:
            warn(window, window.tr("检查通过"), window.tr("检查通过：数据库完好，修改记录链完整。"))

    def export_audit(self) -> None:
        window = self.window
        path, _ = QFileDialog.getSaveFileName(window, window.tr("导出修改记录"),
                                              str(Path.home() / window.tr("修改记录.xlsx")),
                                              window.tr("Excel 工作簿 (*.xlsx)"))
        if not path:
            return
        target = Path(path if path.lower().endswith(".xlsx") else path + ".xlsx")

        from ..store.audit_export import export_audit_log_steps  # openpyxl only when needed

        def steps(ledger):
            for done, total in export_audit_log_steps(ledger, target):
                yield _Step(done, total)
            return target
        task = Task(window, window.tr("正在导出修改记录…"), on_own_connection(window.document.ledger.path, steps))
        task.done.connect(lambda result: window.statusBar().showMessage(
            window.tr("修改记录已导出到 %1").replace("%1", str(result)), 15000))
        task.failed.connect(lambda message: warn(window, window.tr("没能导出"), message))
        self._job = task.start()
