"""The overview's figures worked out off the UI thread, on a read-only connection of the worker's own.

Ten thousand problems with a year of reports take about half a second: the window keeps
painting and answering clicks meanwhile, and a newer request makes an older answer void.
"""

import logging
import traceback
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Signal

from ..domain.report_text import subject_of
from ..domain.schedule import ScheduleSettings
from ..domain.statistics import month_ends
from ..store import statistics
from ..store.errors import LedgerError
from ..store.ledger import Ledger

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Figures:
    inspection_id: int | None
    as_of: date
    view: statistics.Overview
    series: list  # (month end, finished, 已销号) for the last 12 months
    inspection_names: dict[int, str]


def work_out(ledger: Ledger, inspection_id: int | None, as_of: date,
             settings: ScheduleSettings) -> Figures:
    inspections = ledger.inspections()
    names = {row["id"]: row["name"] for row in inspections}
    subject = subject_of([row for row in inspections if inspection_id in (None, row["id"])])
    view = statistics.overview(ledger, inspection_id, as_of, settings, subject)
    return Figures(inspection_id, as_of, view,
                   statistics.finished_over_time(ledger, inspection_id, month_ends(as_of)), names)


class FiguresJob(QRunnable):
    class Signals(QObject):
        done = Signal(int, object)  # the request's number, Figures
        failed = Signal(int, str)

    def __init__(self, path: Path, number: int, inspection_id: int | None, as_of: date,
                 settings: ScheduleSettings):
        super().__init__()
        self.path, self.number, self.signals = path, number, self.Signals()
        self.request = (inspection_id, as_of, settings)

    def run(self):
        try:
            ledger = Ledger.open(self.path, read_only=True)
            try:
                self.signals.done.emit(self.number, work_out(ledger, *self.request))
            finally:
                ledger.close()
        except LedgerError as e:
            self.signals.failed.emit(self.number, str(e))
        except Exception as e:  # noqa: BLE001 — the clerk gets a line on the page, the log the traceback
            log.error("overview figures failed:\n%s", traceback.format_exc())
            self.signals.failed.emit(self.number, f"统计时出现了意外错误：{e}。台账数据没有受影响。")
