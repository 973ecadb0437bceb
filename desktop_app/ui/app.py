"""Starting the window: the Qt application, fonts, icon, translations, and which ledger to open."""

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, Qt, QTimer, QTranslator
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from .. import APP_NAME
from ..paths import default_ledger_path, resources_dir
from ..store.errors import LedgerError
from ..store.ledger import Ledger
from .fonts import apply_ui_font
from . import screen_fit
from .file_dialogs import QtTextsMissing
from .main_window import MainWindow
from .messages import warn
from .window_settings import Settings

CHINESE = QLocale(QLocale.Chinese, QLocale.China)
STARTUP_PROBE = "DC_LEDGER_STARTUP_PROBE"  # set by benchmarks/bench_bundle.py


def translations_dir() -> Path:
    return resources_dir() / "translations"


def app_icon() -> QIcon:
    """The icon drawn at every size we ship (resources/icons, made by scripts/make_icons)."""
    icon = QIcon()
    for png in sorted((resources_dir() / "icons").glob("app-*.png")):
        icon.addFile(str(png))
    return icon


def install_translators(app, locale: QLocale | None = None) -> list[QTranslator]:
    """Qt's own strings (file dialogs, standard buttons) in Chinese, and this app's strings in the
    user's language when resources/translations holds a dc-ledger_<locale>.qm for it (the
    source strings are Chinese, so a Chinese system needs none). The translators installed."""
    loaded = []
    wanted = [(CHINESE, "qtbase", QLibraryInfo.path(QLibraryInfo.TranslationsPath)),
              (locale or QLocale.system(), "dc-ledger", str(translations_dir()))]
    for language, name, folder in wanted:
        translator = QTranslator(app)
        if translator.load(language, name, "_", folder):
            app.installTranslator(translator)
            loaded.append(translator)
    missing = QtTextsMissing(app)
    app.installTranslator(missing)
    loaded.append(missing)
    return loaded


def create_application(argv=None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        # Qt 6 scales for high-DPI screens by itself; PassThrough (Qt 6's default, kept explicit)
        # lets 125 % and 150 % Windows settings scale by exactly that, not rounded to 1× or 2×.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("dc-ledger")
    app.setWindowIcon(app_icon())
    QLocale.setDefault(CHINESE)
    install_translators(app)
    apply_ui_font(app)
    app.screen_fit = screen_fit.install(app)
    return app


def open_default_ledger() -> Ledger:
    """The user's own ledger; created, with the demo ledger in it, the first time."""
    path = default_ledger_path()
    if path.exists():
        return Ledger.open(path)
    from ..store.seeds import fill_demo  # the demo's loaders, only on a first start
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
            warn(window, QCoreApplication.translate("app", "打不开台账"), str(e))
    return window


def open_first_window(path: Path | None, settings: Settings) -> MainWindow:
    """start_window; on the first start on this computer the welcome follows, over the window."""
    # First start: nothing used yet (an older version's user has a last file, and is not asked),
    # or a first start that ended before the welcome was answered (the flag is there, false).
    # The demo may be set aside only if it was made for a first start: never a clerk's ledger.
    pending = settings.qsettings.contains(Settings.welcomed.key)
    first_start = not settings.welcomed and (pending or not settings.last_file)
    demo = default_ledger_path()
    demo_made = first_start and path is None and (pending or not demo.exists())
    if first_start:
        settings.welcomed = False  # pending until answered or closed
    window = start_window(path, settings)
    if first_start:
        from .settings.welcome_dialog import welcome
        shows_demo = (demo_made and window.document is not None
                      and window.document.ledger.path.resolve() == demo.resolve())
        QTimer.singleShot(0, lambda: welcome(window, demo if shows_demo else None))
    return window


def _report_shown_and_quit(app) -> None:
    """Print the clock (ns) once the shown window has painted, and quit: how
    benchmarks/bench_bundle.py times the built bundle, where no probe script can run."""
    def report():
        print(time.perf_counter_ns(), flush=True)
        app.quit()
    QTimer.singleShot(0, lambda: QTimer.singleShot(0, report))  # after show's expose and paint


def run(path: Path | None = None) -> int:
    app = create_application()
    window = open_first_window(path, Settings())
    window.show()
    if os.environ.get(STARTUP_PROBE):
        _report_shown_and_quit(app)
    return app.exec()
