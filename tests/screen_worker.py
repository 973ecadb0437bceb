"""Opening the real window and its big dialogs on one screen size, in a process of its own.

python tests/screen_worker.py FOLDER [SHOTS] — the screen is whatever QT_QPA_PLATFORM (offscreen
configfile, or Xvfb) and QT_SCALE_FACTOR give. FOLDER gets the demo ledger, the settings and
fit.json: for every window shown, its name, frame geometry and the screen's free area. With
SHOTS, a PNG of the whole screen is saved there for each window, as a clerk would see it.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))  # import_workbooks, beside this file

from PySide6.QtCore import QRect, Qt  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop_app.formats.importing.importer import read_source  # noqa: E402
from desktop_app.store.ledger import Ledger  # noqa: E402
from desktop_app.store.seeds import fill_demo  # noqa: E402
from desktop_app.ui.app import create_application, start_window  # noqa: E402
from desktop_app.ui.screen_fit import available_area  # noqa: E402
from desktop_app.ui.window_settings import Settings  # noqa: E402
from import_workbooks import rows_layout  # noqa: E402


def _rect(rect: QRect) -> list[int]:
    return [rect.x(), rect.y(), rect.width(), rect.height()]


def _run(generator):
    try:
        while True:
            next(generator)
    except StopIteration as done:
        return done.value


class Tour:
    def __init__(self, folder: Path, shots: Path | None):
        self.app = create_application([])
        self.folder, self.shots, self.seen = folder, shots, []

    def look(self, name: str, widget) -> None:
        widget.show()
        for _ in range(5):  # the window manager maps, frames and places it
            self.app.processEvents()
        self.seen.append({"name": name, "frame": _rect(widget.frameGeometry()),
                          "available": _rect(available_area(widget)),
                          "minimum": [widget.minimumSizeHint().width(), widget.minimumSizeHint().height()]})
        if self.shots is not None:
            # The whole screen, as the clerk sees it; 256 colours keep the PNG small.
            shot = widget.screen().grabWindow(0).toImage().convertToFormat(
                QImage.Format_Indexed8, Qt.ThresholdDither | Qt.AvoidDither)
            shot.save(str(self.shots / f"{name}.png"), "PNG", 9)

    def close(self, widget) -> None:
        widget.close()
        widget.deleteLater()
        self.app.processEvents()

    def run(self) -> None:
        path = self.folder / "台账.db"
        ledger = Ledger.create(path)
        fill_demo(ledger)
        ledger.close()
        settings = Settings(str(self.folder / "settings.ini"))
        window = start_window(path, settings)
        self.look("main_window", window)
        problems = window.ledger_view.model.tree.problems  # the batch the demo opens on
        problem = next((p for p in problems if p.row["status"] == "销号中"), problems[0])  # in 公示
        window.ledger_view.select("problem", problem.id)
        window.editor.problem.pages.setCurrentIndex(1)
        self.look("editor", window)
        window.overview.overview_action.trigger()
        self.look("overview", window)
        window.overview.ledger_action.trigger()

        from desktop_app.ui.signoff.dialog import SignoffDialog
        signoff = SignoffDialog(window, window.document, settings, problem.id, problem.number)
        self.look("signoff_dialog", signoff)
        self.close(signoff)

        from desktop_app.ui.importing.preview import PreviewDialog
        plan = _run(read_source(rows_layout(self.folder / "导入.xlsx")))
        preview = PreviewDialog(window, plan, window.document.ledger.inspections(), None)
        self.look("import_preview", preview)
        self.close(preview)

        from desktop_app.ui.editor.history_dialog import HistoryDialog
        from desktop_app.ui.petitions.dialog import PetitionsDialog
        from desktop_app.ui.settings.dialog import SettingsDialog
        for name, make in (
                ("history_dialog", lambda: HistoryDialog(window, window.document.ledger, problem.id,
                                                         problem.number)),
                ("settings_dialog", lambda: SettingsDialog(window, settings, window.document)),
                ("petitions_dialog", lambda: PetitionsDialog(window, window.document, None))):
            dialog = make()
            self.look(name, dialog)
            self.close(dialog)
        window.help.show_help()
        self.look("help_window", window.help.help_window)
        (self.folder / "fit.json").write_text(json.dumps(self.seen, ensure_ascii=False), encoding="utf-8")
        window.close()


if __name__ == "__main__":
    Tour(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else None).run()
    QApplication.instance().quit()
