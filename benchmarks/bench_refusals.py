"""Refusing the big-but-small files of issue 14: how long each import takes to say no, and its peak memory.

    .venv/bin/python benchmarks/bench_refusals.py

Each file (tests/hostile_files.py) is imported in a child process of its own, as the command
line does; the child times read_source from the call to the refusal and reports its peak
resident memory (VmHWM). The floor is the same child refusing an empty file: start-up and
imports, no reading. Targets: a few seconds, and 300 MiB.
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))

TIME_TARGET_S = 5.0
MEMORY_TARGET_MIB = 300
_CHILD = """
import json, re, resource, sys, time
from pathlib import Path
from desktop_app.formats.importing.errors import ImportFailed
from desktop_app.formats.importing.importer import read_source
from desktop_app.jobs import finish
start = time.perf_counter()
try:
    finish(read_source(sys.argv[1]))
    refused = ""
except ImportFailed as e:
    refused = type(e).__name__
status = Path("/proc/self/status")  # VmHWM is this process's own; ru_maxrss starts at the parent's
peak = (int(re.search(r"VmHWM:\s*(\d+)", status.read_text()).group(1)) if status.exists()
        else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
print(json.dumps({"s": time.perf_counter() - start, "refused": refused, "peak_kib": peak}))
"""


def refuse(path: Path) -> dict:
    result = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True,
                            cwd=HERE.parent, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"refusing {path.name} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)


def measure(workdir: Path) -> list[tuple[str, int, dict]]:
    """(name, file size, child's figures) per hostile file, the empty file first."""
    from hostile_files import BUILDERS
    empty = workdir / "空.xlsx"
    empty.write_bytes(b"")
    figures = [("空.xlsx", 0, refuse(empty))]
    for name, build in BUILDERS.items():
        path = build(workdir / name)
        figures.append((name, path.stat().st_size, refuse(path)))
        path.unlink()
    return figures


def section_refusals(ctx) -> list:
    """Rows for benchmarks/run.py."""
    from run import Row  # run.py owns the table; imported here so this file also runs alone
    return rows(measure(ctx.workdir), Row)


def rows(figures, Row) -> list:
    floor = figures[0][2]
    out = []
    for name, size, f in figures[1:]:
        verdict = f["refused"] or "ACCEPTED"
        out.append(Row(f"refuse {name} ({size / 1000:,.0f} KB)", f["s"], floor["s"], TIME_TARGET_S,
                       unit="s", floor_note="empty file", detail=verdict))
        out.append(Row(f"  peak memory", f["peak_kib"] / 1024, floor["peak_kib"] / 1024,
                       MEMORY_TARGET_MIB, unit="MiB", floor_note="empty file"))
    return out


def main() -> int:
    from dataclasses import dataclass

    @dataclass
    class Row:
        measure: str
        value: float
        floor: float
        target: float
        unit: str
        floor_note: str = ""
        detail: str = ""

    with tempfile.TemporaryDirectory(prefix="dc-ledger-refusals-") as tmp:
        for row in rows(measure(Path(tmp)), Row):
            print(f"{row.measure:<44} {row.value:9.2f} {row.unit:<3} (floor {row.floor:.2f}, "
                  f"target ≤ {row.target:g}) {row.detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
