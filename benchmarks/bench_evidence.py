"""佐证材料 benchmark: attach ~1 GB of mixed files next to `cp -r` + `sha256sum` of the same files.

    .venv/bin/python benchmarks/bench_evidence.py [--mb 1024] [--rounds 2] [--dir /a/folder/on/the/disk]

The files are random bytes (as incompressible as photos and scans): a few 50–200 MB scans,
1–8 MB photos, and a few hundred 5–100 KB documents, written once into a temporary folder on
the disk being measured; the ledger and its evidence store go beside them. The app side is the
real attach path (attach_files: copy to tmp/ while hashing, fsync, rename, commit), one batch
per problem as a clerk drops a folder of files. The floor is `cp -r` of the folder and then
`sha256sum` of every file: what a clerk would do by hand to copy the files and note their hashes.
The hashes sha256sum prints are checked against the rows the app committed.

Fair to both: before every timed run the previous run's output is deleted, everything is synced
and the source files are dropped from the page cache (posix_fadvise DONTNEED: no root needed,
nothing else on the machine is affected), so each run reads its files from the disk and starts
with no dirty pages. Rounds alternate the order (cp first, then the app; then the app first).
cp does not fsync and the app fsyncs every file (what makes it crash-safe), so the floor is
shown again with a final `sync` counted. "Check" hashes the store against its rows
(check_evidence), next to sha256sum of the same stored files, both from a cold cache.

From run.py: SECTIONS["evidence"] = ("佐证材料", bench_evidence.section_evidence).
"""

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from desktop_app.jobs import finish  # noqa: E402
from desktop_app.store import evidence, evidence_attach, evidence_check  # noqa: E402
from desktop_app.store.ledger import Ledger  # noqa: E402

TARGET_RATIO = 1.00  # issue 19 (80 % in issue 5): attaching at ≥ 100 % of cp + sha256sum's throughput
MB = 1_000_000
PROBLEMS = 10  # the files are attached in this many batches, one per problem


def make_files(folder: Path, total_mb: int, seed: int = 1) -> list[Path]:
    """Scans (~25 %), photos (~70 %) and documents (~5 %) adding up to about total_mb."""
    rng = random.Random(seed)
    budget = total_mb * MB
    sizes = []
    scans = budget // 4
    while scans > 0:
        size = min(scans, rng.randint(50 * MB, 200 * MB))
        sizes.append(("扫描件", ".pdf", size))
        scans -= size
    for _ in range(max(1, total_mb // 2)):  # ~500 documents per GB
        sizes.append(("文件", ".docx", rng.randint(5_000, 100_000)))
    while sum(s for _, _, s in sizes) < budget:
        sizes.append(("现场照片", ".jpg", rng.randint(1 * MB, 8 * MB)))
    rng.shuffle(sizes)
    folder.mkdir(parents=True)
    paths = []
    for number, (kind, suffix, size) in enumerate(sizes, 1):
        path = folder / f"{kind}{number:04d}{suffix}"
        with open(path, "wb") as f:
            for start in range(0, size, 8 * MB):
                f.write(rng.randbytes(min(8 * MB, size - start)))
        paths.append(path)
    return paths


def drop_cache(paths: list[Path]) -> None:
    """Write everything dirty out, then forget these files' cached pages."""
    os.sync()
    for path in paths:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def sha256sum(paths: list[Path]) -> dict[str, str]:
    """{file name: hash} as sha256sum prints them."""
    out = subprocess.run(["sha256sum", *map(str, paths)], check=True, capture_output=True,
                         text=True).stdout
    return {Path(line[66:]).name: line[:64] for line in out.splitlines()}


@dataclass
class Figures:
    files: int
    bytes: int
    app_s: list[float] = field(default_factory=list)
    cp_s: list[float] = field(default_factory=list)
    sha_s: list[float] = field(default_factory=list)
    sync_s: list[float] = field(default_factory=list)  # sync after cp + sha256sum
    check_s: list[float] = field(default_factory=list)
    check_floor_s: list[float] = field(default_factory=list)

    def mbps(self, seconds: float) -> float:
        return self.bytes / MB / seconds

    @property
    def floor_s(self) -> float:
        return statistics.median(c + s for c, s in zip(self.cp_s, self.sha_s))

    @property
    def floor_synced_s(self) -> float:
        return statistics.median(c + s + y for c, s, y in zip(self.cp_s, self.sha_s, self.sync_s))

    @property
    def ratio(self) -> float:
        """The app's throughput as a share of cp + sha256sum's (≥ TARGET_RATIO is the goal)."""
        return self.floor_s / statistics.median(self.app_s)


def _time_cp(sources: list[Path], copy: Path, figures: Figures) -> dict[str, str]:
    shutil.rmtree(copy, ignore_errors=True)
    drop_cache(sources)
    start = time.perf_counter()
    subprocess.run(["cp", "-r", str(sources[0].parent), str(copy)], check=True)
    copied = time.perf_counter()
    hashes = sha256sum(sources)
    hashed = time.perf_counter()
    os.sync()
    figures.cp_s.append(copied - start)
    figures.sha_s.append(hashed - copied)
    figures.sync_s.append(time.perf_counter() - hashed)
    return hashes


def _time_app(sources: list[Path], folder: Path, figures: Figures) -> Ledger:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    ledger = Ledger.create(folder / "台账.db")
    inspection = ledger.add_inspection("佐证材料基准")
    category = ledger.add_category(inspection, "基准")
    problems = [ledger.add_problem(category, description=f"问题{n}") for n in range(PROBLEMS)]
    batches = [sources[n::PROBLEMS] for n in range(PROBLEMS)]
    drop_cache(sources)
    start = time.perf_counter()
    for problem, batch in zip(problems, batches):
        finish(evidence_attach.attach_files(ledger, problem, batch, kind="现场照片"))
    figures.app_s.append(time.perf_counter() - start)
    return ledger


def _time_check(ledger: Ledger, figures: Figures) -> None:
    stored = sorted((evidence.evidence_store(ledger) / "objects").glob("*/*"))
    drop_cache(stored)
    start = time.perf_counter()
    findings = evidence_check.verify_evidence(ledger)
    figures.check_s.append(time.perf_counter() - start)
    assert findings == [], findings
    drop_cache(stored)
    start = time.perf_counter()
    sha256sum(stored)
    figures.check_floor_s.append(time.perf_counter() - start)


def measure(workdir: Path, total_mb: int = 1024, rounds: int = 2) -> Figures:
    sources = make_files(workdir / "来源", total_mb)
    figures = Figures(len(sources), sum(p.stat().st_size for p in sources))
    for round_number in range(rounds):
        order = ("cp", "app") if round_number % 2 == 0 else ("app", "cp")
        for side in order:
            if side == "cp":
                hashes = _time_cp(sources, workdir / "cp副本", figures)
            else:
                ledger = _time_app(sources, workdir / "台账", figures)
        try:
            committed = {r["display_name"]: r["sha256"] for r in ledger.db.query(
                "SELECT display_name, sha256 FROM evidence")}
            if committed != hashes:
                raise AssertionError("the app's hashes differ from sha256sum's")
            if round_number == 0:
                _time_check(ledger, figures)
        finally:
            ledger.close()
    return figures


def report(f: Figures) -> list[str]:
    median = statistics.median
    app = median(f.app_s)
    runs = lambda values: ", ".join(f"{v:.2f}" for v in values)
    verdict = "met" if f.ratio >= TARGET_RATIO else "missed"
    return [
        f"- {f.files:,} files, {f.bytes / MB:,.0f} MB; {len(f.app_s)} rounds, order alternating, "
        "page cache dropped for the source files before every run",
        f"- attach (copy + SHA-256 + fsync + rename + commit): {app:.2f} s median, "
        f"{f.mbps(app):,.0f} MB/s (runs: {runs(f.app_s)} s)",
        f"- cp -r + sha256sum: {f.floor_s:.2f} s median, {f.mbps(f.floor_s):,.0f} MB/s "
        f"(cp {runs(f.cp_s)} s; sha256sum {runs(f.sha_s)} s)",
        f"- cp -r + sha256sum + sync: {f.floor_synced_s:.2f} s, {f.mbps(f.floor_synced_s):,.0f} MB/s",
        f"- ratio: {f.ratio:.0%} of cp + sha256sum's throughput "
        f"({f.floor_synced_s / app:.0%} counting its sync); goal ≥ {TARGET_RATIO:.0%}: {verdict}",
        f"- check (hash every stored file against its row): {median(f.check_s):.2f} s, "
        f"{f.mbps(median(f.check_s)):,.0f} MB/s; sha256sum of the same files "
        f"{median(f.check_floor_s):.2f} s, {f.mbps(median(f.check_floor_s)):,.0f} MB/s",
    ]


def available() -> str:
    """Why the benchmark cannot run here ("" when it can)."""
    missing = [tool for tool in ("cp", "sha256sum") if shutil.which(tool) is None]
    if missing or not hasattr(os, "posix_fadvise"):
        return f"needs cp, sha256sum and posix_fadvise (missing: {', '.join(missing) or 'fadvise'})"
    return ""


def section_evidence(ctx) -> list:
    """Rows for benchmarks/run.py (its Context gives a scratch folder on the same disk)."""
    from run import Row  # run.py owns the table; imported here so this file also runs alone
    why_not = available()
    if why_not:
        return [Row("attach 1 GB of evidence", None, detail=why_not)]
    f = measure(ctx.workdir / "evidence", rounds=2)
    app, check = statistics.median(f.app_s), statistics.median(f.check_s)
    check_floor = statistics.median(f.check_floor_s)
    return [
        Row(f"attach {f.bytes / MB:,.0f} MB, {f.files} files (median of {len(f.app_s)})", app,
            f.floor_s, target=f.floor_s / TARGET_RATIO, unit="s",
            detail=f"{f.mbps(app):,.0f} MB/s, {f.ratio:.0%} of the floor's",
            floor_note=f"cp -r + sha256sum, {f.mbps(f.floor_s):,.0f} MB/s"),
        Row("  floor with a final sync", None, f.floor_synced_s, unit="s",
            floor_note=f"{f.mbps(f.floor_synced_s):,.0f} MB/s"),
        Row("check every stored file (cold cache)", check, check_floor, unit="s",
            detail=f"{f.mbps(check):,.0f} MB/s",
            floor_note=f"sha256sum, {f.mbps(check_floor):,.0f} MB/s"),
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=1024, help="how much to attach, in MB")
    parser.add_argument("--rounds", type=int, default=2, help="timed runs of each side")
    parser.add_argument("--dir", type=Path, help="make the files here (default: the temp folder)")
    args = parser.parse_args(argv)
    why_not = available()
    if why_not:
        parser.error(why_not)
    with tempfile.TemporaryDirectory(prefix="dc-ledger-evidence-", dir=args.dir) as tmp:
        figures = measure(Path(tmp), args.mb, args.rounds)
    print("\n".join(report(figures)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
