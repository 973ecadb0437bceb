"""总览 benchmark: the overview's figures and its 12-month chart on a 10,000-problem ledger.

    .venv/bin/python benchmarks/bench_overview.py                # generate 10,000 problems, measure
    .venv/bin/python benchmarks/bench_overview.py --db big.db    # a ledger made by generate_ledger.py

The window works these out in the background (ui/overview/worker.py) when the 总览 page is shown
or its date changes; the figure to watch is how long the clerk waits for them. Also times the
月调度表 workbook (all unfinished problems with their latest progress).
"""

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from generate_ledger import generate  # noqa: E402

from desktop_app.domain.statistics import month_ends  # noqa: E402
from desktop_app.formats.exporting.monthly_report import write_monthly_report  # noqa: E402
from desktop_app.jobs import finish  # noqa: E402
from desktop_app.store import statistics as store  # noqa: E402
from desktop_app.store.ledger import Ledger  # noqa: E402

TARGET_S = 1.0  # figures on the page within a second


def median_time(work, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(path: Path, as_of: date) -> dict[str, float]:
    ledger = Ledger.open(path, read_only=True)
    try:
        figures = {
            "overview": median_time(lambda: store.overview(ledger, None, as_of)),
            "12 month ends": median_time(
                lambda: store.finished_over_time(ledger, None, month_ends(as_of))),
            "overview, 6 months back": median_time(
                lambda: store.overview(ledger, None, month_ends(as_of, 7)[0])),
        }
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "月调度表.xlsx"
            figures["月调度表 workbook"] = median_time(
                lambda: finish(write_monthly_report(ledger, target, None, as_of)), runs=1)
        return figures
    finally:
        ledger.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a ledger made by generate_ledger.py")
    parser.add_argument("--problems", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.db or generate(Path(folder) / "big.db", args.problems)
        figures = measure(path, date.today())
    for name, seconds in figures.items():
        print(f"{name:28s} {seconds:6.2f} s")
    page = figures["overview"] + figures["12 month ends"]
    print(f"{'总览 page (both)':28s} {page:6.2f} s  (target ≤ {TARGET_S:.1f} s: "
          f"{'met' if page <= TARGET_S else 'missed'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
