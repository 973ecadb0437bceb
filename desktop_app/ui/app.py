"""Starting the window: the Qt application, fonts, translations, and which ledger to open."""

import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from .. import APP_NAME, __version__
from ..paths import default_ledger_path
from ..store.errors import LedgerError
from ..store.ledger import Ledger
from ..store.seeds import fill_demo
from .fonts import apply_ui_font
from .main_window import MainWindow
from .messages import warn
from .settings import Settings


def create_application(argv=None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("dc-ledger")
    QLocale.setDefault(QLocale(QLocale.Chinese, QLocale.China))
    translator = QTranslator(app)
    # Qt's own dialogs (file chooser, colour picker …) in Chinese where the bundle has them.
    if translator.load(QLocale(QLocale.Chinese, QLocale.China), "qtbase", "_",
                       QLibraryInfo.path(QLibraryInfo.TranslationsPath)):
        app.installTranslator(translator)
    apply_ui_font(app)
    return app


def open_default_ledger() -> Ledger:
    """The user's own ledger; created, with the demo ledger in it, the first time."""
    path = default_ledger_path()
    if path.exists():
        return Ledger.open(path)
    ledger = Ledger.create(path)
    fill_demo(ledger)
    return ledger


def start_window(path: Path | None, settings: Settings) -> MainWindow:
    """The main window on the chosen ledger: --db, else the last one used, else the default."""
    window = MainWindow(settings)
    if path is not None:
        if not path.exists():
            Ledger.create(path).close()
        opened = window.open_path(path)
    else:
        last = Path(settings.last_file) if settings.last_file else None
        opened = last is not None and last.exists() and window.open_path(last)
    if not opened:
        try:
            window.set_ledger(open_default_ledger())
        except LedgerError as e:
            warn(window, window.tr("打不开台账"), str(e))
    return window


def run(path: Path | None = None) -> int:
    app = create_application()
    window = start_window(path, Settings())
    window.show()
    return app.exec()
