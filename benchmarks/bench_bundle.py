"""The built bundle (dist/dc-ledger): its size, what is big in it, and its start-up time.

    .venv/bin/python -m PyInstaller --noconfirm build.spec     # first, to build dist/dc-ledger
    .venv/bin/python benchmarks/bench_bundle.py --db big.db

Start-up is timed from just before the process is spawned until the shown window has painted
(the app prints the clock then and quits when DC_LEDGER_STARTUP_PROBE is set: ui/app.py), on
the seeds' demo ledger (a clerk's first start) and on the big ledger. The floors: the same
start from the source tree (python -m desktop_app, same hook), and window_probe.py's bare
PySide6 window. Each start has fresh settings (no welcome: it is marked as seen). On a machine
with more than two CPUs the starts run under `taskset -c 0,1`, as the target is for two cores.
From run.py: SECTIONS["bundle"]; without dist/ the section says so and skips.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from window_probe import clock_ns  # noqa: E402

DIST = HERE.parent / "dist" / "dc-ledger"
SIZE_TARGET_MIB = 150
START_TARGET_MS = 1500
PROBE_ENV = "DC_LEDGER_STARTUP_PROBE"


def executable() -> Path | None:
    for name in ("dc-ledger.exe", "dc-ledger"):
        if (DIST / name).is_file():
            return DIST / name
    return None


def disk_usage(folder: Path) -> dict[str, int]:
    """Bytes on disk (as du counts them) per top-level entry of folder/_internal, and the total."""
    sizes: dict[str, int] = {}
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            stat = path.stat()
            used = getattr(stat, "st_blocks", 0) * 512 or stat.st_size
            parts = path.relative_to(folder).parts
            key = "/".join(parts[:2]) if parts[0] == "_internal" and len(parts) > 2 else parts[-1]
            if parts[:3] == ("_internal", "PySide6", "Qt"):
                key = "/".join(parts[:4])
            sizes[key] = sizes.get(key, 0) + used
    return sizes


def two_cores() -> list[str]:
    if (os.cpu_count() or 1) > 2 and shutil.which("taskset"):
        return ["taskset", "-c", "0,1"]
    return []


def time_start(command: list[str], ledger: Path, workdir: Path, number: int) -> float:
    """ms from spawn to the painted window, with fresh settings and data folders."""
    home = workdir / f"start-{number}"
    (home / "config" / "dc-ledger").mkdir(parents=True)
    (home / "config" / "dc-ledger" / "dc-ledger.ini").write_text("[app]\nwelcomed=true\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", PROBE_ENV: "1",
           "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data"),
           "APPDATA": str(home / "config"), "LOCALAPPDATA": str(home / "data")}
    start = clock_ns()
    done = subprocess.run([*two_cores(), *command, "--db", str(ledger)], env=env, capture_output=True,
                          text=True, timeout=120)
    lines = done.stdout.split()
    if done.returncode != 0 or not lines or not lines[-1].isdigit():
        raise RuntimeError(f"{command[0]} did not report its window (exit {done.returncode}):\n"
                           f"{done.stdout[-1000:]}\n{done.stderr[-2000:]}")
    return (int(lines[-1]) - start) / 1e6


def demo_ledger(workdir: Path) -> Path:
    from desktop_app.store.ledger import Ledger
    from desktop_app.store.seeds import fill_demo
    path = workdir / "示例台账.db"
    if not path.exists():
        ledger = Ledger.create(path)
        fill_demo(ledger)
        ledger.close()
    return path


def starts(ledgers: dict[str, Path], workdir: Path, runs: int) -> dict[str, dict[str, list[float]]]:
    """{ledger name: {"bundle": [ms…], "source": [ms…]}}, interleaved, after one untimed warm-up each."""
    commands = {"bundle": [str(executable())], "source": [sys.executable, "-m", "desktop_app"]}
    result = {name: {kind: [] for kind in commands} for name in ledgers}
    number = 0
    for name, ledger in ledgers.items():
        for run in range(runs + 1):
            for kind, command in commands.items():
                number += 1
                ms = time_start(command, ledger, workdir, number)
                if run:  # the first is the warm-up: a cold disk cache is not what is measured
                    result[name][kind].append(ms)
    return result


def section_bundle(ctx) -> list:
    from run import Row, startup_runs
    exe = executable()
    if exe is None:
        return [Row("bundle", None, detail="skipped: dist/dc-ledger is not built "
                    "(python -m PyInstaller --noconfirm build.spec)")]
    sizes = disk_usage(DIST)
    biggest = sorted(sizes.items(), key=lambda item: -item[1])[:4]
    rows = [Row("bundle size on disk (du)", sum(sizes.values()) / 2**20, target=SIZE_TARGET_MIB,
                unit="MiB", detail="largest: " + ", ".join(
                    f"{k.removeprefix('_internal/PySide6/').removeprefix('_internal/')} {v / 2**20:.0f}"
                    for k, v in biggest))]
    ledgers = {"demo ledger": demo_ledger(ctx.workdir), f"{ctx.problems:,} problems": ctx.db}
    measured = starts(ledgers, ctx.workdir, max(1, min(ctx.runs, 3)))
    bare = statistics.median(r["startup_ms"] for r in startup_runs(ctx)["bare"])
    cores = " (taskset -c 0,1)" if two_cores() else f" ({os.cpu_count()} CPUs)"
    for name, figures in measured.items():
        rows.append(Row(f"bundle start → window painted, {name}{cores}",
                        statistics.median(figures["bundle"]), statistics.median(figures["source"]),
                        START_TARGET_MS, detail=f"max {max(figures['bundle']):,.0f} ms",
                        floor_note="same, from source"))
    rows.append(Row("  floor: a bare PySide6 window", bare))
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a ledger made by generate_ledger.py")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    if executable() is None:
        print("dist/dc-ledger is not built: .venv/bin/python -m PyInstaller --noconfirm build.spec")
        return 1
    sizes = disk_usage(DIST)
    print(f"bundle: {sum(sizes.values()) / 2**20:.1f} MiB on disk")
    for key, size in sorted(sizes.items(), key=lambda item: -item[1])[:12]:
        print(f"  {size / 2**20:6.1f} MiB  {key}")
    with tempfile.TemporaryDirectory(prefix="dc-ledger-bundle-") as tmp:
        ledgers = {"demo": demo_ledger(Path(tmp)), "big": args.db}
        for name, figures in starts(ledgers, Path(tmp), args.runs).items():
            for kind, times in figures.items():
                print(f"{name} {kind}: median {statistics.median(times):,.0f} ms, runs "
                      + ", ".join(f"{t:,.0f}" for t in times))
    return 0


if __name__ == "__main__":
    sys.exit(main())
