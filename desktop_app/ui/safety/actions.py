"""Keeping the ledger safe from the window: start-up check, daily backup, restore, check, audit log."""

import threading
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

from ...store.backups import (BackupPolicy, daily_backup_if_due, restore_damaged,
                             startup_check)
from ...store.check_apart import CheckStopped, check_file_apart
from ...store.errors import LedgerError
from ...store.evidence_check import check_ledger, clear_temp, find_unmatched
from ...store.integrity import QUICK
from ...store.ledger import Ledger
from ..after_idle import after_idle
from .backup_dialog import BackupDialog
from ..file_dialogs import documents_folder
from ..messages import choose, inform, warn
from ..status_notices import StatusNotices
from ..tasks import Task, on_own_connection, on_own_ledger, run_in_background


class _Step:
    """Step as Task shows it, from export_audit_log_steps' (done, total) pairs."""
    def __init__(self, done, total):
        self.done, self.total, self.message = done, total, ""


def _after_open(path: Path, policy: BackupPolicy, back_up: bool, stop: threading.Event):
    """In the background on its own connection: evidence files and rows that do not match, the
    full SQLite check with the audit chain, and the day's first backup (not of a damaged file:
    a backup now could push the last good one out of the rotation). Returns (cleanup, damage
    message, chain message, backup failure message). stop set: CheckStopped, at once."""
    def work():
        # First, holding no connection of ours: on a big file that is seconds, in a child process.
        findings = check_file_apart(path, stop=stop)
        return on_own_ledger(path, lambda ledger: after_check(ledger, findings))()

    def after_check(ledger, findings):
        if stop.is_set():
            raise CheckStopped()
        unmatched = find_unmatched(ledger.db.conn, ledger.path)
        damage = "\n".join(f.message for f in findings if f.is_damage)
        tampered = "" if damage else "\n".join(f.message for f in findings)
        backup_failed = ""
        if back_up and not damage:  # prunes too
            try:
                daily_backup_if_due(ledger, policy, for_writer=True)
            except LedgerError as e:
                backup_failed = str(e)
        return unmatched, damage, tampered, backup_failed
    return work


class SafetyActions(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        make = window._action
        self.backups_action = make(self.tr("备份与恢复…"), self.show_backups,
                                   tip=self.tr("查看自动备份，立即备份，或用备份恢复台账"))
        self.check_action = make(self.tr("检查台账"), self.check,
                                 tip=self.tr("检查数据库是否完好、修改记录有没有被改动过"))
        self.audit_action = make(self.tr("导出修改记录…"), self.export_audit,
                                 tip=self.tr("把全部修改记录导出为 Excel，供核查"))
        self._job = None  # the running background job, kept alive until it ends
        self._opening = None  # the checks after the last opening: only its findings still apply
        self._stop = threading.Event()  # set: those checks end (stop_checks)
        self.notices = StatusNotices(window)

    def actions(self) -> list[QAction]:
        return [self.backups_action, self.check_action, self.audit_action]

    def policy(self) -> BackupPolicy:
        settings = self.window.settings
        folder = settings.backup_folder
        return BackupPolicy(Path(folder) if folder else None, settings.keep_daily, settings.keep_monthly)

    def before_open(self, path: Path) -> str:
        """Check a ledger before writing to it: "open", "read_only" or "cancel"."""
        try:
            # The audit chain (seconds on a big ledger) and SQLite's full check that every index
            # matches its table (0.5 s on 10,000 problems) run after opening, in the background;
            # the quick check of every page and row stays here: a file that fails it cannot be
            # read into the window. (A file that reads runs it after opening: see after_open.)
            check = startup_check(path, self.policy(), audit=False, depth=QUICK)
        except LedgerError:
            return "open"  # missing, newer, held: Ledger.open explains it (and offers read-only)
        damage = [f for f in check.findings if f.is_damage]
        if damage and check.newest_good is None and all(f.kind == "unreadable" for f in damage):
            return "open"  # nothing to restore from: Ledger.open says what the file is
        return self._decide(path, check)

    def _decide(self, path: Path, check, can_cancel: bool = True) -> str:
        """What to do after the quick check: "open", "read_only" or "cancel"; asks the clerk
        (restore the newest good backup, read only, cancel) when the file is damaged."""
        window = self.window
        if not check.damaged:
            for finding in check.findings:  # history edited outside the app: say so, open anyway
                warn(window, self.tr("台账检查发现问题"), finding.message)
            return "open"
        details = "\n".join(f.message for f in check.findings if f.is_damage)
        options = [self.tr("以只读方式打开")] + ([self.tr("取消")] if can_cancel else [])
        if check.newest_good is not None:
            good = check.newest_good
            details += self.tr("\n\n最近一份完好的备份：%1（%2 项问题）。").replace(
                "%1", f"{good.taken_at:%Y-%m-%d %H:%M}").replace("%2", str(good.problems))
            options.insert(0, self.tr("用这份备份恢复"))
        elif check.backup_folder_problem:
            details += "\n\n" + check.backup_folder_problem
        choice = options[choose(window, self.tr("台账文件已损坏"), details, options)]
        if choice == self.tr("用这份备份恢复"):
            try:
                restore_damaged(path, check.newest_good.path, self.policy())
            except LedgerError as e:
                warn(window, self.tr("没能恢复"), str(e))
                return "read_only" if not can_cancel else "cancel"
            return "open"
        return "read_only" if choice == self.tr("以只读方式打开") else "cancel"

    def after_open(self, ledger: Ledger) -> None:
        """Remove a crash's half-copied evidence files; then, in the background, the quick check
        of a ledger opened without it (writes wait for it), and after it the evidence store and
        the audit chain (findings wait in the status bar), and the day's backup."""
        clear_temp(ledger)  # cheap, and it needs the writer's ledger; walking every file is not
        self.notices.clear()
        pending = ledger.pending_check
        if pending is None:
            self._check_when_idle(None, ledger)
            return
        policy = self.policy()
        # A check that broke off is as one that could not run: the first write checks itself.
        job = run_in_background(self, lambda: pending.run(policy),
                                lambda check: self._quick_checked(job, ledger, check),
                                lambda _message: self._quick_checked(job, ledger, None))
        self._opening = job

    def _quick_checked(self, job, ledger: Ledger, check) -> None:
        """The quick check of the shown ledger is in: go on to the slower checks, or, if the file
        is damaged, stop writing to it and offer the newest good backup (as before opening)."""
        if not self._still_open(job) or self.window.document.ledger is not ledger:
            return
        if check is None or not check.damaged:
            if check is not None:
                self._decide(ledger.path, check)  # says what else it found; opens anyway
            self._check_when_idle(job, ledger)
            return
        # Writes already refuse (pending_check); closed, the file can be restored from a backup.
        self.window.close_ledger()
        self.window.reopen(ledger.path, self._decide(ledger.path, check, can_cancel=False))

    def _check_when_idle(self, job, ledger: Ledger) -> None:
        """The slower checks once the clerk pauses (after_idle): started during typing or the
        first paint, their child process and the evidence walk hold those up."""
        self._opening = job = job or object()  # an opening with no quick check: its own token
        after_idle(self, lambda: self._still_open(job) and self.window.document.ledger is ledger
                   and self._check_after_open(ledger))

    def stop_checks(self) -> None:
        """The ledger closes: its checks after opening end now, without findings, rather than
        holding the window for the seconds a county ledger's check takes."""
        self._stop.set()

    def _check_after_open(self, ledger: Ledger) -> None:
        self._stop = threading.Event()
        work = _after_open(ledger.path, self.policy(), not ledger.read_only, self._stop)
        job = run_in_background(self, work, lambda found: self._report(job, *found),
                                lambda message: self._report_failed(job, message))
        self._opening = job

    def _still_open(self, job) -> bool:
        return job is self._opening and self.window.document is not None

    def _report(self, job, cleanup, damage: str, tampered: str, backup_failed: str) -> None:
        self._report_unmatched(job, cleanup)
        if damage:
            self._report_damaged(job, damage)
        if tampered:
            self._report_tampered(job, tampered)
        if backup_failed:
            self._report_failed(job, backup_failed)

    def _report_failed(self, job, message: str) -> None:
        if self._still_open(job):
            self.window.statusBar().showMessage(self.tr("今天的自动备份没有完成：") + message, 30000)

    def _report_unmatched(self, job, cleanup) -> None:
        if not self._still_open(job):
            return
        if cleanup.missing:
            self.notices.add(
                self.tr("%1 个佐证材料的文件找不到了（点击查看）").replace("%1", str(len(cleanup.missing))),
                self.tr("这些佐证材料在台账里有记录，但文件找不到了（可能被人删除或移走）。"
                        "点击查看是哪些问题的，再从备份或原件重新添加。"),
                lambda: self.window.evidence.show_findings(cleanup.missing, cleanup.orphans))
        elif cleanup.orphans:
            self.window.statusBar().showMessage(self.tr(
                "佐证材料文件夹里有 %1 个文件没有对应的记录（可能来自较早的备份），已保留未动。")
                .replace("%1", str(len(cleanup.orphans))), 20000)

    def _report_tampered(self, job, message: str) -> None:
        if self._still_open(job):
            self.notices.add(self.tr("修改记录被改动过（点击查看）"), self.tr("点击查看哪些修改记录对不上"),
                             lambda: warn(self.window, self.tr("修改记录被改动过"), message))

    def _report_damaged(self, job, message: str) -> None:
        if self._still_open(job):
            self.notices.add(
                self.tr("台账文件有损坏（点击查看）"), self.tr("点击查看损坏的地方和怎么办"),
                lambda: warn(self.window, self.tr("台账文件有损坏"), message + self.tr(
                    "\n\n今天没有自动备份，以免覆盖完好的备份。请用“工具 → 备份与恢复”里最近一份完好的备份恢复。")))

    def show_backups(self) -> None:
        BackupDialog(self.window).exec()

    def check(self) -> None:
        window = self.window
        window.editor.flush()
        findings = check_ledger(window.document.ledger)
        if findings:
            warn(window, self.tr("检查发现问题"), "\n".join(f.message for f in findings))
        else:
            inform(window, self.tr("检查通过"), self.tr("检查通过：数据库完好，修改记录链完整。"))

    def export_audit(self) -> None:
        window = self.window
        path, _ = QFileDialog.getSaveFileName(window, self.tr("导出修改记录"),
                                              str(Path(documents_folder()) / self.tr("修改记录.xlsx")),
                                              self.tr("Excel 工作簿 (*.xlsx)"))
        if not path:
            return
        target = Path(path if path.lower().endswith(".xlsx") else path + ".xlsx")

        from ...store.audit_export import export_audit_log_steps  # openpyxl only when needed

        def steps(ledger):
            for done, total in export_audit_log_steps(ledger, target):
                yield _Step(done, total)
            return target
        task = Task(window, self.tr("正在导出修改记录…"), on_own_connection(window.document.ledger.path, steps))
        task.done.connect(lambda result: window.statusBar().showMessage(
            self.tr("修改记录已导出到 %1").replace("%1", str(result)), 15000))
        task.failed.connect(lambda message: warn(window, self.tr("没能导出"), message))
        self._job = task.start()
