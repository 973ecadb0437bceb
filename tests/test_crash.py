"""Power cuts and a killed app: SIGKILL a process changing a ledger, then everything reported
committed is there, nothing half-written is, and the check passes (benchmarks/soak_crash.py
does the same a few hundred times)."""

import random

from crash_worker import new_ledger, run_cycle

KILLS = 6


def test_killed_writer_loses_nothing_reported_committed(tmp_path):
    ledger_path = tmp_path / "台账.db"
    state = new_ledger(ledger_path)
    rng = random.Random(20261123)
    committed = 0
    for cycle in range(KILLS):
        result, state = run_cycle(ledger_path, tmp_path / "journal.txt", seed=cycle, previous=state,
                                  rng=rng, max_delay=0.5)
        assert result.problems == [], f"kill {cycle + 1}: {result.problems}"
        committed += result.committed
    assert committed > 0  # the kills did land among the changes, not only during start-up
