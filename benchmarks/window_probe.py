"""One window in a fresh process, measured; run.py starts it and reads the JSON it prints.

    window_probe.py app  --db LEDGER --settings INI [--inspection ID] [--interact SPEC]
    window_probe.py bare [--fill-from LEDGER --inspection ID --viewport WxH] [--interact SPEC]

`app` is the real main window (desktop_app.ui.app.start_window); `bare` is the floor: a plain
QMainWindow holding a QTreeView, optionally filled with the same rows from a C++ model.
BENCH_T0_NS in the environment is the parent's clock just before it spawned us (see clock_ns).
BENCH_PROFILE=DIR writes cProfile stats of the start-up, the keystrokes and the scrolling there.
Prints one JSON line per result (event: startup, scroll, key, done) as soon as it has it.
"""

import time

try:  # CLOCK_MONOTONIC is one clock for every process on the machine, so the parent's
    _CLOCK = time.CLOCK_MONOTONIC  # timestamp and ours can be subtracted.
    def clock_ns() -> int:
        return time.clock_gettime_ns(_CLOCK)
except AttributeError:  # Windows: perf_counter is QueryPerformanceCounter, also machine-wide
    def clock_ns() -> int:
        return time.perf_counter_ns()

T_TOP = clock_ns()

import argparse  # noqa: E402 — everything after the first timestamp
import cProfile  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from pathlib import Path  # noqa: E402

WINDOW_SIZE = (1440, 860)  # MainWindow's default size when no geometry is saved


def max_rss_kib() -> int | None:
    try:
        import resource
    except ImportError:  # Windows
        return None
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss // 1024 if sys.platform == "darwin" else rss  # macOS counts bytes, Linux KiB


@contextmanager
def profiled(name: str):
    folder = os.environ.get("BENCH_PROFILE")
    if not folder:
        yield
        return
    profile = cProfile.Profile()
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        profile.dump_stats(str(Path(folder) / f"{name}.prof"))


def ms(start_ns: int, end_ns: int) -> float:
    return (end_ns - start_ns) / 1e6


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("app", "bare"))
    parser.add_argument("--db", type=Path)
    parser.add_argument("--settings", type=Path)
    parser.add_argument("--inspection", type=int, help="the inspection the window must show")
    parser.add_argument("--fill-from", type=Path, help="bare: fill the tree with this ledger's rows")
    parser.add_argument("--interact", help="JSON {keystrokes: [[text…]…], repeats, budget_s}:"
                        " scroll top to bottom, then type")
    parser.add_argument("--viewport", help="bare: WxH of the tree's viewport (the app's)")
    parser.add_argument("--columns", help="bare: comma-separated column widths (the app's)")
    args = parser.parse_args()
    marks = {"top": T_TOP}
    t0 = int(os.environ.get("BENCH_T0_NS", T_TOP))

    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
    from PySide6.QtWidgets import QApplication
    if args.mode == "app":
        from desktop_app.ui.app import create_application, start_window
        from desktop_app.ui.window_settings import Settings
    marks["imports"] = clock_ns()

    with profiled("startup"):
        if args.mode == "app":
            app = create_application([sys.argv[0]])
            marks["application"] = clock_ns()
            watchdog = QTimer()  # a message box would wait for a click forever: report it instead
            watchdog.timeout.connect(lambda: refuse_dialogs(t0))
            watchdog.start(50)
            window = start_window(args.db, Settings(str(args.settings)))
            view = window.ledger_view
            tree = view.tree
        else:
            app = QApplication([sys.argv[0]])
            marks["application"] = clock_ns()
            if args.fill_from:  # the scrolling floor: the app's font too, as text costs most
                from desktop_app.ui.fonts import apply_ui_font
                apply_ui_font(app)
            widths = [int(w) for w in args.columns.split(",")] if args.columns else None
            window, tree = bare_window(args.fill_from, args.inspection, widths)
            view = None
        marks["window"] = clock_ns()
        window.show()
        marks["shown"] = clock_ns()

        class PaintWatch(QObject):
            painted = False

            def eventFilter(self, obj, event):
                if event.type() == QEvent.Paint:
                    self.painted = True
                return False

        watch = PaintWatch()
        tree.viewport().installEventFilter(watch)

        def interactive(attempts=100):
            if not watch.painted and attempts:  # wait until the tree has drawn its rows
                QTimer.singleShot(0, lambda: interactive(attempts - 1))
                return
            marks["interactive"] = clock_ns()
            if args.mode == "app":
                watchdog.stop()
            loop.quit()  # not app.quit(): in Qt 6 that also closes every window

        loop = QEventLoop()
        QTimer.singleShot(0, interactive)
        loop.exec()

    emit = Emitter(t0)
    result = {"event": "startup", "mode": args.mode, "painted": watch.painted,
              "max_rss_kib": max_rss_kib(), "rows": count_rows(tree.model()),
              "tree_viewport": [tree.viewport().width(), tree.viewport().height()],
              "columns": [tree.header().sectionSize(i) for i in range(tree.header().count())]}
    result["phases_ms"] = {
        "spawn_to_top": ms(t0, marks["top"]),
        "imports": ms(marks["top"], marks["imports"]),
        "application": ms(marks["imports"], marks["application"]),
        "window": ms(marks["application"], marks["window"]),
        "show_to_interactive": ms(marks["window"], marks["interactive"]),
    }
    result["startup_ms"] = ms(t0, marks["interactive"])
    if args.mode == "app":
        result["inspection"] = view.inspection_id
        if args.inspection is not None and view.inspection_id != args.inspection:
            result["error"] = (f"window shows inspection {view.inspection_id}, not {args.inspection}"
                               " (it opens on the first; generate_ledger.py puts the biggest first)")
    emit(result)
    if args.interact:
        spec = json.loads(args.interact)
        if args.viewport:
            fit_viewport(app, tree, *map(int, args.viewport.split("x")))
        with profiled("scroll"):
            times, passes = scroll(app, tree)
            emit({"event": "scroll", "ms": times, "passes": passes})
        if view is not None:
            with profiled("filter"):
                type_queries(app, view, spec["keystrokes"], spec["repeats"], spec.get("budget_s"), emit)
        emit({"event": "done", "max_rss_kib": max_rss_kib()})
    window.close()  # the app's closeEvent folds the WAL back into the ledger file
    os._exit(0)  # skip interpreter teardown: it is not part of anything measured


def refuse_dialogs(t0: int) -> None:
    """A modal dialog is up (the ledger did not open cleanly): say which, and stop."""
    from PySide6.QtWidgets import QApplication
    dialog = QApplication.activeModalWidget()
    if dialog is not None:
        text = getattr(dialog, "text", lambda: "")()
        Emitter(t0)({"event": "startup", "error": f"dialog {dialog.windowTitle()!r}: {text}"})
        os._exit(3)


class Emitter:
    """One JSON line per result, as soon as it is known: a cut-off run still reports the rest."""

    def __init__(self, t0: int):
        self.t0 = t0

    def __call__(self, record: dict) -> None:
        record["t_s"] = (clock_ns() - self.t0) / 1e9  # since the parent spawned us
        print(json.dumps(record, ensure_ascii=False), flush=True)


def fit_viewport(app, tree, width: int, height: int) -> None:
    """Give the tree's viewport this size (the app's), so a page holds as many rows."""
    tree.setFixedSize(width + tree.width() - tree.viewport().width(),
                      height + tree.height() - tree.viewport().height())
    app.processEvents()


def count_rows(model) -> int:
    from PySide6.QtCore import QModelIndex
    total, stack = 0, [QModelIndex()]
    while stack:
        parent = stack.pop()
        n = model.rowCount(parent)
        total += n
        stack.extend(model.index(row, 0, parent) for row in range(n) if model.hasChildren(
            model.index(row, 0, parent)))
    return total


def bare_window(fill_from: Path | None, inspection_id: int | None, widths: list[int] | None):
    """A QMainWindow with a QTreeView set up like the ledger view, over a C++ model.

    Filled, it holds the same rows and texts as the app's tree (columns past the seven
    stored fields repeat the status), in columns of the app's widths.
    """
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QMainWindow, QTreeView

    widths = widths or [52, 340, 200, 100, 120, 110, 60]
    window = QMainWindow()
    window.resize(*WINDOW_SIZE)
    tree = QTreeView()
    tree.setUniformRowHeights(True)
    tree.setAlternatingRowColors(True)
    tree.setIndentation(14)
    model = QStandardItemModel(0, len(widths), tree)
    if fill_from is not None:
        import sqlite3
        conn = sqlite3.connect(f"file:{fill_from}?mode=ro", uri=True)
        number, extra = 0, max(0, len(widths) - 7)
        for category_id, title in conn.execute(
                "SELECT id, title FROM categories WHERE inspection_id = ? ORDER BY parent_id IS NOT NULL,"
                " position", [inspection_id]):
            item = QStandardItem(title)
            for row in conn.execute(
                    "SELECT description, goal, lead_official, lead_unit, deadline_text, status"
                    " FROM problems WHERE category_id = ? ORDER BY position", [category_id]):
                number += 1
                texts = [str(number), *row, *[row[-1]] * extra][:len(widths)]
                item.appendRow([QStandardItem(text) for text in texts])
            model.appendRow(item)
        conn.close()
    tree.setModel(model)
    for column, width in enumerate(widths):
        tree.header().resizeSection(column, width)
    tree.expandAll()
    window.setCentralWidget(tree)
    return window, tree


MIN_PAGES = 90  # a short inspection (the county's 300 problems: 18 pages) is scrolled again


def scroll(app, tree) -> tuple[list[float], int]:
    """ms per page: top to bottom, a page at a time, each page painted; again from the top
    until MIN_PAGES are timed, so that the median of a short list is not one moment's noise.
    Returns the times and how many passes they took."""
    bar = tree.verticalScrollBar()
    times, passes = [], 0
    while len(times) < MIN_PAGES:
        passes += 1
        bar.setValue(0)
        tree.viewport().repaint()
        app.processEvents()
        before = len(times)
        while bar.value() < bar.maximum():
            start = clock_ns()
            bar.setValue(min(bar.value() + bar.pageStep(), bar.maximum()))
            tree.viewport().repaint()
            app.processEvents()
            times.append(ms(start, clock_ns()))
        if len(times) == before:  # everything fits on one page: nothing to scroll
            break
    bar.setValue(0)
    app.processEvents()
    return times, passes


def type_queries(app, view, sequences, repeats: int, budget_s: float | None, emit) -> None:
    """Type each sequence a character at a time, then clear the box; emit ms per keystroke.

    The first repetition always runs whole; later ones only while budget_s has not run out.
    """
    start = clock_ns()
    for repeat in range(repeats):
        if repeat and budget_s is not None and ms(start, clock_ns()) > budget_s * 1000:
            break
        for number, sequence in enumerate(sequences):
            for position, text in enumerate([*sequence, ""]):
                began = clock_ns()
                view.search.setText(text)
                app.processEvents()
                view.shown_view().viewport().repaint()  # the tree, or the flat list of hits
                elapsed = ms(began, clock_ns())
                emit({"event": "key", "sequence": number, "position": position, "text": text,
                      "repeat": repeat, "ms": elapsed, "matched": view.matched_problems})


if __name__ == "__main__":
    sys.exit(main())
