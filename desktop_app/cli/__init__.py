"""The command line: no subcommand starts the window; subcommands are twins for scripts."""

from .main import main

__all__ = ["main"]
