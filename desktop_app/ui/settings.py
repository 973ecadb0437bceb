"""Every window setting in one place, with its type and default, over QSettings."""

from PySide6.QtCore import QByteArray, QSettings

from ..domain.schedule import ScheduleSettings
from ..domain.signoff import SignoffDefaults

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

    @property
    def import_folder(self) -> str:
        """Where the last imported file was chosen: the next file dialog opens there."""
        return str(self.qsettings.value("import/folder", "") or "")

    @import_folder.setter
    def import_folder(self, value: str) -> None:
        self._set("import/folder", value)

    @property
    def signoff_defaults(self) -> SignoffDefaults:
        """受理单位, 联系人, 电话, 传真, 地址, 发布单位, 公示天数, 依据 and 验收清单 of new notices."""
        return SignoffDefaults.from_json(str(self.qsettings.value("signoff/defaults", "") or ""))

    @signoff_defaults.setter
    def signoff_defaults(self, value: SignoffDefaults) -> None:
        self._set("signoff/defaults", value.to_json())

    @property
    def schedule_settings(self) -> ScheduleSettings:
        """预警天数 and 立行立改默认天数 of the 时序进度 (domain/schedule.py)."""
        default = ScheduleSettings()
        return ScheduleSettings(
            warning_days=self._positive("schedule/warning_days", default.warning_days),
            immediate_days=self._positive("schedule/immediate_days", default.immediate_days))

    @schedule_settings.setter
    def schedule_settings(self, value: ScheduleSettings) -> None:
        self._set("schedule/warning_days", int(value.warning_days))
        self._set("schedule/immediate_days", int(value.immediate_days))

    def _positive(self, key: str, default: int) -> int:
        try:
            value = int(self.qsettings.value(key, default))
        except (TypeError, ValueError):  # a hand-edited ini
            return default
        return value if value > 0 else default

    @property
    def reporter(self) -> str:
        """Who reports progress (报送人) from this computer: the last name typed."""
        return str(self.qsettings.value("progress/reporter", "") or "")

    @reporter.setter
    def reporter(self, value: str) -> None:
        self._set("progress/reporter", value.strip())

    @property
    def backup_folder(self) -> str:
        """Empty: the “<台账名>-备份” folder beside the ledger (store.backups.BackupPolicy)."""
        return str(self.qsettings.value("backup/folder", "") or "")

    @backup_folder.setter
    def backup_folder(self, value: str) -> None:
        self._set("backup/folder", value)

    @property
    def keep_daily(self) -> int:
        return int(self.qsettings.value("backup/keep_daily", 14))

    @keep_daily.setter
    def keep_daily(self, value: int) -> None:
        self._set("backup/keep_daily", int(value))

    @property
    def keep_monthly(self) -> int:
        return int(self.qsettings.value("backup/keep_monthly", 12))

    @keep_monthly.setter
    def keep_monthly(self, value: int) -> None:
        self._set("backup/keep_monthly", int(value))

    def sync(self) -> None:
        self.qsettings.sync()
