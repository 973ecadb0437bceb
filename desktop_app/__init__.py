"""督察整改台账: the rectification ledger for environmental-inspection findings."""

APP_NAME = "督察整改台账"


def __getattr__(name: str):
    """__version__, read from the installed package at first use: importlib.metadata takes
    30 ms to import, and the window does not need the version to open."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import metadata
    try:
        version = metadata.version("dc-ledger")
    except metadata.PackageNotFoundError:  # running from a source tree or a bundle
        version = "0.1.0"
    globals()["__version__"] = version
    return version
