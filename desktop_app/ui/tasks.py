"""The one way to run long work off the UI thread.

Work is a plain generator yielding jobs.Step (Task: shown in a progress dialog with 取消) or a
plain function (run_in_background: no dialog, the answer comes back as a signal). It runs in a
QThreadPool worker and must open its own ledger connection there (on_own_connection): a
sqlite3 connection never crosses threads. Results and failures come back on the UI thread.
"""

import logging
import threading
import traceback

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog

from ..store.errors import LedgerError
from ..store.ledger import Ledger

log = logging.getLogger(__name__)


def on_own_connection(path, work):
    """A generator factory running work(ledger) on a read-only connection of the worker thread."""
    def generator():
        ledger = Ledger.open(path, read_only=True)
        try:
            return (yield from work(ledger))
        finally:
            ledger.close()
    return generator


class _Signals(QObject):
    stepped = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


def on_own_ledger(path, work):
    """A function running work(ledger) on a read-only connection of the worker thread."""
    def run():
        ledger = Ledger.open(path, read_only=True)
        try:
            return work(ledger)
        finally:
            ledger.close()
    return run


def _without_steps(work):
    def generator():
        return work()
        yield  # a generator of no steps
    return generator


class _Runnable(QRunnable):
    def __init__(self, make_generator, signals: _Signals, cancel: threading.Event):
        super().__init__()
        self.make_generator, self.signals, self.cancel = make_generator, signals, cancel

    def run(self):
        try:
            self._run()
        except RuntimeError:
            pass  # the window that asked closed meanwhile: nobody is listening

    def _run(self):
        try:
            generator = self.make_generator()
            while True:
                if self.cancel.is_set():
                    generator.close()  # runs the generator's cleanup (temporary files …)
                    self.signals.cancelled.emit()
                    return
                step = next(generator)
                self.signals.stepped.emit(step.done, step.total, step.message)
        except StopIteration as stop:
            self.signals.finished.emit(stop.value)
        except LedgerError as e:
            self.signals.failed.emit(str(e))
        except Exception as e:  # noqa: BLE001 — the clerk gets a message, the log the traceback
            log.error("background task failed:\n%s", traceback.format_exc())
            self.signals.failed.emit(QCoreApplication.translate(
                "Task", "出现了意外错误：%1\n已有的数据没有受影响。请把这段话告诉信息化人员。").replace("%1", str(e)))


class Task(QObject):
    """One background job with its progress dialog; keep a reference until it ends."""

    done = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, parent, title: str, make_generator):
        super().__init__(parent)
        self._cancel = threading.Event()
        self.signals = _Signals()
        self.dialog = QProgressDialog(title, self.tr("取消"), 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModal)
        self.dialog.setMinimumDuration(400)  # quick jobs finish without a flashing dialog
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self._cancel.set)
        self.signals.stepped.connect(self._show_step)
        self.signals.finished.connect(lambda value: self._end(self.done, value))
        self.signals.failed.connect(lambda message: self._end(self.failed, message))
        self.signals.cancelled.connect(lambda: self._end(self.cancelled))
        self._runnable = _Runnable(make_generator, self.signals, self._cancel)
        self._runnable.setAutoDelete(False)

    def start(self) -> "Task":
        QThreadPool.globalInstance().start(self._runnable)
        return self

    def cancel(self) -> None:
        self._cancel.set()

    def _show_step(self, done: int, total: int, message: str) -> None:
        self.dialog.setMaximum(max(total, 0))
        self.dialog.setValue(min(done, total) if total else 0)
        if message:
            self.dialog.setLabelText(message)

    def _end(self, signal, *args) -> None:
        self.dialog.close()
        signal.emit(*args)
        self.deleteLater()


class BackgroundJob(QObject):
    """Work without a dialog (figures, checks after opening): done(result) or failed(message)
    on the UI thread. Keep a reference until it ends."""

    done = Signal(object)
    failed = Signal(str)

    def __init__(self, parent, work):
        super().__init__(parent)
        self.signals = _Signals()
        self.signals.finished.connect(self.done)
        self.signals.failed.connect(self.failed)
        self._runnable = _Runnable(_without_steps(work), self.signals, threading.Event())
        self._runnable.setAutoDelete(False)
        QThreadPool.globalInstance().start(self._runnable)


def run_in_background(parent, work, done=None, failed=None) -> BackgroundJob:
    """Run work() on a worker thread; done(result) / failed(Chinese message) on the UI thread."""
    job = BackgroundJob(parent, work)
    if done is not None:
        job.done.connect(done)
    if failed is not None:
        job.failed.connect(failed)
    return job


def drain() -> None:
    """Wait for every background job: called before the window goes, so none outlives it."""
    QThreadPool.globalInstance().waitForDone()

