"""python -m desktop_app: the window, or a command-line twin when a subcommand is given."""

import sys

from .cli import main

sys.exit(main())
