"""The overview's figures worked out off the UI thread, on a read-only connection of the worker's own.

Ten thousand problems with a year of reports take about half a second: the window keeps
painting and answering clicks meanwhile, and a newer request makes an older answer void.
"""

from dataclasses import dataclass
from datetime import date

from ...domain.report_text import subject_of
from ...domain.schedule import ScheduleSettings
from ...domain.statistics import month_ends
from ...store import statistics
from ...store.ledger import Ledger


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
