"""PyInstaller's entry script: desktop_app/__main__.py uses a relative import, so it cannot be the script itself."""

from desktop_app.cli import main

raise SystemExit(main())
