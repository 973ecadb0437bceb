"""Undo and redo of a 10,000-row change (issue 13): each replay against the change it undoes.

    .venv/bin/python benchmarks/bench_undo.py [--problems 2500]

One user action writes many rows in one change set (store/changes.py); undo replays its
inverse, redo the set itself, each in one transaction with every row checked first. Timed on a
new ledger, median of 3: adding 2,500 problems with 3 measures each (10,000 rows inserted),
changing a field of each of those 10,000 rows, and deleting the category that holds them (a
cascade of 10,000 rows). The target: an undo within 2× the change it undoes.
From run.py: SECTIONS["undo"].
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from desktop_app.store.ledger import Ledger  # noqa: E402

PROBLEMS, MEASURES, RUNS, UNDO_FACTOR = 2500, 3, 3, 2.0


def _timed(work) -> tuple[float, object]:
    started = time.perf_counter()
    result = work()
    return (time.perf_counter() - started) * 1000, result


def _actions(ledger: Ledger, category: int, problems: int):
    """The three changes, each a function making it as one change set."""
    def add():
        with ledger.change("批量新增问题", "基准测试"):
            ledger.add_problems([(category, {"description": f"问题{n}：污水直排",
                                             "measures": [f"措施{m}" for m in range(MEASURES)]})
                                 for n in range(problems)])

    def edit():
        with ledger.change("批量修改", "基准测试"):
            for problem in ledger.db.execute("SELECT id FROM problems WHERE category_id = ?",
                                             [category]).fetchall():
                ledger.update("problem", problem[0], remarks="已核实")
            for measure in ledger.db.execute(
                    "SELECT m.id FROM measures m JOIN problems p ON p.id = m.problem_id"
                    " WHERE p.category_id = ?", [category]).fetchall():
                ledger.update("measure", measure[0], completion="已完成。")

    def delete():
        with ledger.change("删除大类", "基准测试"):
            ledger.delete("category", category)
    return [("add", add), ("edit", edit), ("delete", delete)]


def measure(folder: Path, problems: int = PROBLEMS, runs: int = RUNS) -> dict[str, dict]:
    """{action: {"rows", "change", "undo", "redo"}} in ms, medians of runs on fresh ledgers."""
    times: dict[str, dict[str, list]] = {}
    for run in range(runs):
        ledger = Ledger.create(folder / f"undo{run}.db")
        try:
            inspection = ledger.add_inspection("基准督察")
            category = ledger.add_category(inspection, "大类")
            for name, action in _actions(ledger, category, problems):
                change_ms, _ = _timed(action)
                change_set = ledger.last_change
                undo_ms, _ = _timed(lambda: ledger.revert(change_set))
                redo_ms, _ = _timed(lambda: ledger.reapply(change_set))
                figures = times.setdefault(name, {"rows": [], "change": [], "undo": [], "redo": []})
                figures["rows"].append(len(change_set.rows))
                figures["change"].append(change_ms)
                figures["undo"].append(undo_ms)
                figures["redo"].append(redo_ms)
        finally:
            ledger.close()
    return {name: {key: statistics.median(values) for key, values in figures.items()}
            for name, figures in times.items()}


TITLES = {"add": "add {problems:,} problems × 3 measures", "edit": "change a field of each row",
          "delete": "delete their category (cascade)"}


def section_undo(ctx) -> list:
    from run import Row
    folder = ctx.workdir / "undo"
    folder.mkdir(exist_ok=True)
    rows = []
    for name, f in measure(folder).items():
        title = TITLES[name].format(problems=PROBLEMS)
        rows.append(Row(f"undo: {title} ({f['rows']:,.0f} rows)", f["undo"], f["change"],
                        UNDO_FACTOR * f["change"], detail=f"{f['undo'] / f['change']:.2f}× the change",
                        floor_note="the change itself; target ≤ 2×"))
        rows.append(Row(f"  redo: {title}", f["redo"], f["change"], detail=f"{f['redo'] / f['change']:.2f}×"))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problems", type=int, default=PROBLEMS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        figures = measure(Path(folder), args.problems)
    for name, f in figures.items():
        ratio = f["undo"] / f["change"]
        print(f"{TITLES[name].format(problems=args.problems):40s} {f['rows']:7,.0f} rows  change {f['change']:7.0f} ms"
              f"  undo {f['undo']:7.0f} ms ({ratio:.2f}×, {'met' if ratio <= UNDO_FACTOR else 'missed'})"
              f"  redo {f['redo']:7.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
