"""整改销号公示 to PDF: one notice and a batch of 100, next to Qt printing the same text itself.

    .venv/bin/python benchmarks/bench_notice.py --db big.db

The figure is the window's own printing code (ui/notice_print.notice_pdf: the 公文 layout on a
line grid, balanced title lines, fixes to line starts, page numbers, the text layer repaired
for copying), from composed notices to the renamed file. The floor is what Qt needs to print
the same characters in the same body font without that typesetting: QTextDocument.print_ of
each notice's plain text to a QPdfWriter at the same resolution, paginated by Qt, each notice
from a new page. Composing the notices from the ledger (store/notices.py) is timed apart.
From run.py: SECTIONS["notice"].
"""

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from desktop_app.domain.notice import as_text  # noqa: E402
from desktop_app.domain.signoff import SignoffDefaults  # noqa: E402
from desktop_app.store.ledger import Ledger  # noqa: E402
from desktop_app.store.notices import notices_for  # noqa: E402

# A notice is refused without its issuer (issue 15): the 单位名称 a clerk sets in 设置 signs it.
DEFAULTS = SignoffDefaults(org_name="青山县生态环境保护督察整改工作领导小组办公室")

BATCH = 100
START = date(2024, 6, 3)  # a Monday: 公示期 counted in working days from here


def compose(db: Path, count: int) -> tuple[list, float]:
    """The notices of the first count problems of the biggest inspection, and the seconds taken."""
    ledger = Ledger.open(db, read_only=True)
    try:
        inspection = ledger.db.execute(
            "SELECT c.inspection_id FROM problems p JOIN categories c ON c.id = p.category_id"
            " GROUP BY c.inspection_id ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
        problems = [node.id for node in ledger.tree(inspection).problems[:count]]
        start = time.perf_counter()
        notices = [r.notice for r in notices_for(ledger, problems, DEFAULTS, start=START)]
        return notices, time.perf_counter() - start
    finally:
        ledger.close()


def qt_floor(notices, path: Path) -> int:
    """Qt's own layout and PDF output of the same text and font; returns the page count."""
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import (QPageLayout, QPageSize, QPdfWriter, QTextBlockFormat, QTextCursor,
                               QTextDocument)
    from desktop_app.ui.print_support import BODY_FAMILIES, make_font
    writer = QPdfWriter(str(path))
    writer.setResolution(1200)
    writer.setPageSize(QPageSize(QPageSize.A4))
    # The notice's type area (156 × 225 mm from 37 mm top, 28 mm left) and 22 lines a page.
    writer.setPageMargins(QMarginsF(28, 37, 26, 35), QPageLayout.Millimeter)
    document = QTextDocument()
    document.setDocumentMargin(0)
    document.setDefaultFont(make_font(BODY_FAMILIES, 16))
    cursor = QTextCursor(document)
    lines = QTextBlockFormat()
    lines.setLineHeight(225 / 22 / 25.4 * 72, QTextBlockFormat.FixedHeight.value)  # points
    for number, notice in enumerate(notices):
        block = QTextBlockFormat(lines)
        if number:
            block.setPageBreakPolicy(QTextBlockFormat.PageBreak_AlwaysBefore)
        cursor.insertBlock(block) if number else cursor.setBlockFormat(block)
        for line_number, line in enumerate(as_text(notice).split("\n")):
            if line_number:
                cursor.insertBlock(lines)
            cursor.insertText(line)
    document.print_(writer)
    del writer  # closes the file
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", path.read_bytes()))


def _timed(work, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def measure(db: Path, workdir: Path, runs: int = 3) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop_app.ui.notices.printing import notice_pdf
    from desktop_app.ui.print_support import gui_application
    app = gui_application()  # noqa: F841 — fonts and painting need it
    notices, compose_s = compose(db, BATCH)
    start = time.perf_counter()
    notice_pdf(notices[:1], workdir / "first.pdf")  # the first one also loads the fonts
    first_ms = (time.perf_counter() - start) * 1000
    figures = {"first_ms": first_ms, "compose_ms": compose_s * 1000}
    for name, chosen in (("single", notices[:1]), ("batch", notices)):
        figures[name], pages = _timed(lambda: notice_pdf(chosen, workdir / f"{name}.pdf"), runs)
        figures[f"{name}_floor"], floor_pages = _timed(
            lambda: qt_floor(chosen, workdir / f"{name}-floor.pdf"), runs)
        figures[f"{name}_pages"], figures[f"{name}_floor_pages"] = pages, floor_pages
    return figures


def section_notice(ctx) -> list:
    from run import Row
    f = measure(ctx.db, ctx.workdir, runs=max(1, min(ctx.runs, 3)))
    note = "QTextDocument → QPdfWriter, same text"
    return [
        Row("one notice → PDF", f["single"], f["single_floor"],
            detail=f"{f['single_pages']} pages", floor_note=f"{note}, {f['single_floor_pages']} pages"),
        Row("  the first of a session (fonts load)", f["first_ms"]),
        Row(f"batch of {BATCH} notices → one PDF", f["batch"], f["batch_floor"],
            detail=f"{f['batch_pages']} pages", floor_note=f"{note}, {f['batch_floor_pages']} pages"),
        Row(f"  composing {BATCH} notices from the ledger", f["compose_ms"]),
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a ledger made by generate_ledger.py")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="dc-ledger-notice-") as tmp:
        figures = measure(args.db, Path(tmp), args.runs)
    for key, value in figures.items():
        print(f"{key}: {value:,.1f}" if isinstance(value, float) else f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
