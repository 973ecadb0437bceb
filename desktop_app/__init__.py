"""督察整改台账: the rectification ledger for environmental-inspection findings."""

from importlib import metadata

try:
    __version__ = metadata.version("dc-ledger")
except metadata.PackageNotFoundError:  # running from a source tree or a bundle
    __version__ = "0.1.0"

APP_NAME = "督察整改台账"
