"""Every window setting in one place, with its type and default, over QSettings."""

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "dc-ledger"
APPLICATION = "dc-ledger"
MAX_RECENT_FILES = 8


class Settings:
    """Per-user settings; tests pass their own ini file so they never touch the user's."""

    def __init__(self, path: str | None = None):
        self.qsettings = (QSettings(path, QSettings.IniFormat) if path
                          else QSettings(QSettings.IniFormat, QSettings.UserScope, ORGANIZATION, APPLICATION))

    def _bytes(self, key: str) -> QByteArray | None:
        value = self.qsettings.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def _set(self, key: str, value) -> None:
        self.qsettings.setValue(key, value)

    @property
    def window_geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    @window_geometry.setter
    def window_geometry(self, value: QByteArray) -> None:
        self._set("window/geometry", value)

    def splitter_state(self, name: str) -> QByteArray | None:
        return self._bytes(f"window/splitter_{name}")

    def set_splitter_state(self, name: str, value: QByteArray) -> None:
        self._set(f"window/splitter_{name}", value)

    @property
    def ledger_header_state(self) -> QByteArray | None:
        return self._bytes("window/ledger_header")

    @ledger_header_state.setter
    def ledger_header_state(self, value: QByteArray) -> None:
        self._set("window/ledger_header", value)

    @property
    def last_file(self) -> str:
        return str(self.qsettings.value("files/last", "") or "")

    @last_file.setter
    def last_file(self, path: str) -> None:
        self._set("files/last", path)

    @property
    def recent_files(self) -> list[str]:
        value = self.qsettings.value("files/recent", [])
        if isinstance(value, str):  # QSettings returns a lone entry as a plain string
            value = [value]
        return [str(v) for v in value or [] if v]

    def add_recent_file(self, path: str) -> None:
        files = [path] + [f for f in self.recent_files if f != path]
        self._set("files/recent", files[:MAX_RECENT_FILES])

    def remove_recent_file(self, path: str) -> None:
        self._set("files/recent", [f for f in self.recent_files if f != path])

    @property
    def export_options(self) -> str:
        """The export dialog's last choices, as JSON (formats.ledger_xlsx.ExportOptions)."""
        return str(self.qsettings.value("export/options", "") or "")

    @export_options.setter
    def export_options(self, value: str) -> None:
        self._set("export/options", value)

    @property
    def export_folder(self) -> str:
        return str(self.qsettings.value("export/folder", "") or "")

    @export_folder.setter
    def export_folder(self, value: str) -> None:
        self._set("export/folder", value)

    def sync(self) -> None:
        self.qsettings.sync()
