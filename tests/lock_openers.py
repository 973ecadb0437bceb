"""Many processes opening one ledger at the same instant, trial after trial (for test_lock).

Each opener process waits at a barrier with the others and the parent, then all call
Ledger.open at once; each reports whether it became the writer, and the writer keeps the ledger
open until every opener has tried, so a second writer cannot slip in after the first closed.
"""

import multiprocessing
from pathlib import Path

from desktop_app.store.ledger import Ledger
from desktop_app.store.lock import LedgerHeldError


def _opener(ledger_path: str, trials: int, barrier, results) -> None:
    for trial in range(trials):
        barrier.wait()  # the parent has prepared the trial (a stale lock, or none)
        opened, outcome = None, "held"
        try:
            opened = Ledger.open(Path(ledger_path))
            outcome = "writer"
        except LedgerHeldError:
            pass
        except Exception as e:  # noqa: BLE001 - reported to the parent, which fails the test
            outcome = f"{type(e).__name__}: {e}"
        results.put((trial, outcome))
        barrier.wait()  # everyone has tried
        if opened is not None:
            opened.close()
        barrier.wait()  # the writer has closed


def writers_per_trial(ledger_path: Path, openers: int, trials: int, prepare) -> list[list[str]]:
    """Run the trials; prepare(trial) runs before each. Each trial's list of outcomes."""
    context = multiprocessing.get_context("spawn")  # as on Windows: nothing inherited
    barrier = context.Barrier(openers + 1)
    results = context.Queue()
    processes = [context.Process(target=_opener, args=(str(ledger_path), trials, barrier, results))
                 for _ in range(openers)]
    for process in processes:
        process.start()
    outcomes: list[list[str]] = [[] for _ in range(trials)]
    try:
        for trial in range(trials):
            prepare(trial)
            barrier.wait()
            for _ in range(openers):
                done, outcome = results.get(timeout=60)
                outcomes[done].append(outcome)
            barrier.wait()
            barrier.wait()
    finally:
        for process in processes:
            process.join(timeout=60)
            if process.is_alive():
                process.kill()
    return outcomes
