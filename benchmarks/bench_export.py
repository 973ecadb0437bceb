"""导出 Excel benchmark: the full 整改任务清单 export next to a raw openpyxl dump of the same cells.

    .venv/bin/python benchmarks/bench_export.py                  # generate 10,000 problems, measure
    .venv/bin/python benchmarks/bench_export.py --db big.db --append docs/benchmarks.md

The floor is what openpyxl alone needs for the same cells: a write_only workbook of the same
values, with an empty cell wherever the export writes a cell for its borders only; no styles,
no row heights, no merges, no page breaks, no page setup; saved the same way. The export is
timed from the open ledger to the renamed file (reading the ledger, building the text,
styling, row heights, saving). Runs alternate between the two so that drift in the machine hits both alike.
From run.py: SECTIONS["export"] = ("导出 Excel", bench_export.section_export).
"""

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from openpyxl import Workbook, load_workbook  # noqa: E402
from openpyxl.cell.read_only import EmptyCell  # noqa: E402

from desktop_app.formats.exporting.ledger_xlsx import ExportOptions, export_ledger_file  # noqa: E402
from desktop_app.store.ledger import Ledger  # noqa: E402

PROBLEMS = 10_000
TARGET_RATIO = 1.25  # issue 19 (1.5 in issue 3): export ≤ 1.25 × the raw dump


@dataclass
class ExportFigures:
    problems: int
    sheets: int
    cells: int
    empty_cells: int  # written for their borders only
    export_s: float  # median wall-clock
    raw_s: float
    export_runs: list[float]
    raw_runs: list[float]
    export_cpu_s: float  # median CPU time of this process: steadier on a shared, busy machine
    raw_cpu_s: float
    size_bytes: int

    @property
    def ratio(self) -> float:
        return self.export_s / self.raw_s

    @property
    def cpu_ratio(self) -> float:
        return self.export_cpu_s / self.raw_cpu_s


def _cells(path: Path) -> list[tuple[str, list[list]]]:
    """Every sheet's rows of cells, as exported (read back once, untimed): each cell's value, ""
    for a cell written without one (it carries a border: the floor writes it too, empty), None
    where the export wrote no cell."""
    book = load_workbook(path, read_only=True)
    try:
        return [(ws.title, [[None if isinstance(cell, EmptyCell) else
                             "" if cell.value is None else cell.value for cell in row]
                            for row in ws.iter_rows()]) for ws in book]
    finally:
        book.close()


def _raw_dump(sheets, path: Path) -> None:
    book = Workbook(write_only=True)
    for title, rows in sheets:
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    book.save(path)


def measure(db: Path, workdir: Path, runs: int = 3, options: ExportOptions | None = None
            ) -> ExportFigures:
    ledger = Ledger.open(db, read_only=True)
    try:
        problems = ledger.db.execute("SELECT count(*) FROM problems").fetchone()[0]
        target = workdir / "导出.xlsx"
        export_ledger_file(ledger, target, options)  # warm-up: imports, SQLite page cache
        sheets = _cells(target)
        exported, raw, exported_cpu, raw_cpu = [], [], [], []
        for run in range(runs):
            start, cpu = time.perf_counter(), time.process_time()
            export_ledger_file(ledger, target, options)
            exported.append(time.perf_counter() - start)
            exported_cpu.append(time.process_time() - cpu)
            start, cpu = time.perf_counter(), time.process_time()
            _raw_dump(sheets, workdir / f"raw-{run}.xlsx")
            raw.append(time.perf_counter() - start)
            raw_cpu.append(time.process_time() - cpu)
    finally:
        ledger.close()
    empty = sum(sum(v == "" for v in row) for _, rows in sheets for row in rows)
    cells = sum(sum(v is not None for v in row) for _, rows in sheets for row in rows) - empty
    median = statistics.median
    return ExportFigures(problems, len(sheets), cells, empty, median(exported), median(raw), exported,
                         raw, median(exported_cpu), median(raw_cpu), target.stat().st_size)


def report(figures: ExportFigures) -> list[str]:
    def runs(values):
        return ", ".join(f"{t:.2f}" for t in values)
    best = min(figures.export_runs) / min(figures.raw_runs)
    verdict = "met" if figures.ratio <= TARGET_RATIO else "missed"
    return [
        f"- {figures.problems:,} problems → {figures.sheets} sheets, {figures.cells:,} cells with "
        f"a value and {figures.empty_cells:,} without (borders only), "
        f"{figures.size_bytes / 2**20:.1f} MiB",
        f"- export, full format: {figures.export_s:.2f} s median (runs: {runs(figures.export_runs)})",
        f"- raw openpyxl write_only dump of the same cells (values, the empty ones empty): "
        f"{figures.raw_s:.2f} s median "
        f"(runs: {runs(figures.raw_runs)})",
        f"- ratio: {figures.ratio:.2f}× of the medians, {best:.2f}× of the best runs, "
        f"{figures.cpu_ratio:.2f}× in CPU time (goal ≤ {TARGET_RATIO}×: {verdict} on the medians)",
    ]


def section_export(ctx) -> list:
    """Rows for benchmarks/run.py (its Context gives the ledger and a scratch folder)."""
    from run import Row  # run.py owns the table; imported here so this file also runs alone
    figures = measure(ctx.db, ctx.workdir, runs=max(1, min(ctx.runs, 3)))
    return [
        Row(f"export {figures.problems:,} problems to .xlsx", figures.export_s, figures.raw_s,
            target=figures.raw_s * TARGET_RATIO, unit="s", floor_note="raw write_only dump",
            detail=f"{figures.ratio:.2f}× the dump"),
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a ledger made by generate_ledger.py")
    parser.add_argument("--problems", type=int, default=PROBLEMS, help="when generating")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--append", type=Path, help="append the figures to this Markdown file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="dc-ledger-export-") as tmp:
        db = args.db
        if db is None:
            from generate_ledger import generate
            db = Path(tmp) / "bench.db"
            start = time.perf_counter()
            generate(db, args.problems)
            print(f"ledger: generated {args.problems:,} problems in {time.perf_counter() - start:.1f} s")
        figures = measure(db, Path(tmp), args.runs)
    lines = report(figures)
    print("\n".join(lines))
    if args.append:
        import platform
        with open(args.append, "a", encoding="utf-8") as out:
            out.write(f"\n## 导出 Excel\n\n{time.strftime('%Y-%m-%d')}, "
                      f"{platform.python_version()} on {platform.system()} "
                      f"({platform.machine()}, {__import__('os').cpu_count()} CPUs), "
                      f"`benchmarks/bench_export.py`:\n\n" + "\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
