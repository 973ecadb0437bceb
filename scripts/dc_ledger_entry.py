"""PyInstaller's entry script: desktop_app/__main__.py uses a relative import, so it cannot be the script itself."""

import multiprocessing

from desktop_app.cli import main

if __name__ == "__main__":
    # The check after opening runs in a spawned child (store/check_apart.py): in the bundle that
    # child is this executable again, and freeze_support hands it to multiprocessing.
    multiprocessing.freeze_support()
    raise SystemExit(main())
