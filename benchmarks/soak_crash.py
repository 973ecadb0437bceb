"""Soak test for power cuts and killed apps: SIGKILL a writer hundreds of times.

    .venv/bin/python benchmarks/soak_crash.py [--kills 250] [--seed 1] [--max-delay 1.0] [--keep DIR]

Each round starts tests/crash_worker.py on the same ledger (random edits, adds, moves, deletes,
undo and imports with their 导入前 backup), kills it at a random moment, and requires: the
read-only start-up check passes, the ledger opens (the dead writer's lock clears by itself),
check_ledger is clean, the state is exactly the last change reported committed (or the one
committed just before its report), and every backup in the folder is sound.
Exits 1 if any round failed. Results for docs/benchmarks.md under "断电/强杀测试".
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from crash_worker import new_ledger, run_cycle  # noqa: E402
from desktop_app.store.ledger import Ledger  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=250)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-delay", type=float, default=1.0,
                        help="longest wait, in seconds, between the child starting work and the kill")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temp folder)")
    args = parser.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="soak_crash_"))
    folder.mkdir(parents=True, exist_ok=True)
    ledger_path = folder / "台账.db"
    ledger_path.unlink(missing_ok=True)
    state = new_ledger(ledger_path)
    rng = random.Random(args.seed)
    results, failures = [], []
    began = time.monotonic()
    for cycle in range(args.kills):
        result, state = run_cycle(ledger_path, folder / "journal.txt", seed=args.seed * 100000 + cycle,
                                  previous=state, rng=rng, max_delay=args.max_delay)
        results.append(result)
        if result.problems:
            failures.append((cycle + 1, result.problems))
            print(f"kill {cycle + 1}: FAILED {result.problems}", flush=True)
        elif (cycle + 1) % 25 == 0:
            print(f"{cycle + 1} kills, all sound so far", flush=True)
    elapsed = time.monotonic() - began

    ledger = Ledger.open(ledger_path, read_only=True)
    try:
        counts = ledger.db.conn.execute(
            "SELECT (SELECT count(*) FROM inspections), (SELECT count(*) FROM problems),"
            " (SELECT count(*) FROM measures), (SELECT count(*) FROM audit_log)").fetchone()
    finally:
        ledger.close()
    committed = [r.committed for r in results]
    print()
    print(f"kills:                          {len(results)}")
    print(f"  before the child had opened the ledger:       {sum(not r.started for r in results)}")
    print(f"  inside a transaction, rolled back on opening: {sum(r.rolled_back for r in results)}")
    print(f"  between COMMIT and its report, kept:          {sum(r.pending_committed for r in results)}")
    print(f"changes reported committed:     {sum(committed)} "
          f"(per kill: median {statistics.median(committed):.0f}, max {max(committed)})")
    print(f"failed rounds:                  {len(failures)}")
    print(f"ledger at the end:              {counts[0]} inspections, {counts[1]} problems, "
          f"{counts[2]} measures, {counts[3]} audit entries, {ledger_path.stat().st_size // 1024} KiB")
    print(f"time:                           {elapsed:.0f} s ({elapsed / len(results):.2f} s per kill)")
    print(f"folder:                         {folder}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
