"""Where things live: the user's ledger under the platform's data folder, and shipped data."""

import sys
from pathlib import Path

from platformdirs import user_data_path

APP_DIR_NAME = "dc-ledger"
DEFAULT_LEDGER_NAME = "整改台账.db"


def _root() -> Path:
    # In a PyInstaller bundle data files sit under sys._MEIPASS; in a checkout, beside the package.
    bundle = getattr(sys, "_MEIPASS", None)
    return Path(bundle) if bundle else Path(__file__).resolve().parent.parent


def seeds_dir() -> Path:
    return _root() / "seeds"


def resources_dir() -> Path:
    return _root() / "resources"


def default_ledger_path() -> Path:
    return user_data_path(APP_DIR_NAME, appauthor=False) / DEFAULT_LEDGER_NAME
