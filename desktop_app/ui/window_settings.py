"""Every window setting in one place, with its type and default, over QSettings."""

from dataclasses import replace

from PySide6.QtCore import QByteArray, QSettings

from ..domain.accountability import DEFAULT_OUTCOMES
from ..domain.recheck import DEFAULT_RECHECK_MONTHS, parse_months
from ..domain.schedule import ScheduleSettings
from ..domain.signoff import SignoffDefaults
from ..store.evidence import DEFAULT_MAX_BYTES

ORGANIZATION = "dc-ledger"
APPLICATION = "dc-ledger"
MAX_RECENT_FILES = 8


class _Setting:
    """One QSettings key as an attribute of Settings: its default and how a value is read back."""

    def __init__(self, key: str, default=""):
        self.key, self.default = key, default

    def read(self, value):
        return str(value or "")

    def write(self, value):
        return value

    def __get__(self, settings, _owner=None):
        if settings is None:
            return self
        return self.read(settings.qsettings.value(self.key, self.default))

    def __set__(self, settings, value) -> None:
        settings.qsettings.setValue(self.key, self.write(value))


def _saved_state(value) -> QByteArray | None:
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


class _Bytes(_Setting):
    """Saved widget state (geometry, splitters, header): None until there is some."""

    def __init__(self, key: str):
        super().__init__(key, None)

    def read(self, value):
        return _saved_state(value)


class _PositiveInt(_Setting):
    def read(self, value):
        try:
            number = int(value)
        except (TypeError, ValueError):  # a hand-edited ini
            return self.default
        return number if number > 0 else self.default

    def write(self, value):
        return int(value)


class _Stripped(_Setting):
    def write(self, value):
        return value.strip()


class _Flag(_Setting):
    """True or False; an ini file holds "true"/"false" as text."""

    def __init__(self, key: str):
        super().__init__(key, False)

    def read(self, value):
        return value is True or str(value).lower() == "true"

    def write(self, value):
        return bool(value)


class Settings:
    """Per-user settings; tests pass their own ini file so they never touch the user's."""

    def __init__(self, path: str | None = None):
        self.qsettings = (QSettings(path, QSettings.IniFormat) if path
                          else QSettings(QSettings.IniFormat, QSettings.UserScope, ORGANIZATION, APPLICATION))

    window_geometry = _Bytes("window/geometry")
    ledger_header_state = _Bytes("window/ledger_header")
    last_file = _Setting("files/last")
    export_options = _Setting("export/options")  # the export dialog's last choices, JSON (ExportOptions)
    export_folder = _Setting("export/folder")
    import_folder = _Setting("import/folder")  # the next import's file dialog opens there
    org_name = _Stripped("org/name")  # 单位名称 (乡镇/县): the 所属单位 of new inspections
    welcomed = _Flag("app/welcomed")  # the first-run welcome has been shown (answered or closed)
    reporter = _Stripped("progress/reporter")  # 报送人 on this computer: the last name typed
    backup_folder = _Setting("backup/folder")  # empty: “<台账名>-备份” beside the ledger (BackupPolicy)
    keep_daily = _PositiveInt("backup/keep_daily", 14)
    keep_monthly = _PositiveInt("backup/keep_monthly", 12)
    # 单个佐证材料的大小上限 (MB): a clerk's videos may need more than the store's default
    evidence_max_mb = _PositiveInt("evidence/max_mb", DEFAULT_MAX_BYTES // (1024 * 1024))
    evidence_folder = _Setting("evidence/folder")  # where the last 佐证材料 were chosen from
    _warning_days = _PositiveInt("schedule/warning_days", ScheduleSettings().warning_days)
    _immediate_days = _PositiveInt("schedule/immediate_days", ScheduleSettings().immediate_days)

    def _set(self, key: str, value) -> None:
        self.qsettings.setValue(key, value)

    def splitter_state(self, name: str) -> QByteArray | None:
        return _saved_state(self.qsettings.value(f"window/splitter_{name}"))

    def set_splitter_state(self, name: str, value: QByteArray) -> None:
        self._set(f"window/splitter_{name}", value)

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
    def signoff_defaults(self) -> SignoffDefaults:
        """受理单位, 联系人, 电话, 传真, 地址, 发布单位, 公示天数, 依据 and 验收清单 of new notices,
        with 单位名称 (what 受理单位 and 发布单位 fall back to)."""
        stored = SignoffDefaults.from_json(str(self.qsettings.value("signoff/defaults", "") or ""))
        return replace(stored, org_name=self.org_name)

    @signoff_defaults.setter
    def signoff_defaults(self, value: SignoffDefaults) -> None:
        self._set("signoff/defaults", value.to_json())

    @property
    def schedule_settings(self) -> ScheduleSettings:
        """预警天数 and 立行立改默认天数 of the 时序进度 (domain/schedule.py)."""
        return ScheduleSettings(warning_days=self._warning_days, immediate_days=self._immediate_days)

    @schedule_settings.setter
    def schedule_settings(self, value: ScheduleSettings) -> None:
        self._warning_days, self._immediate_days = value.warning_days, value.immediate_days

    @property
    def recheck_months(self) -> tuple[int, ...]:
        """回头看: how many months after 销号 the planned rechecks fall (e.g. 3 and 12)."""
        text = str(self.qsettings.value("follow_up/recheck_months", "") or "")
        try:
            return parse_months(text)
        except ValueError:  # never set, or spoilt by hand in the settings file
            return DEFAULT_RECHECK_MONTHS

    @recheck_months.setter
    def recheck_months(self, months) -> None:
        self._set("follow_up/recheck_months", ",".join(str(int(m)) for m in months))

    @property
    def accountability_outcomes(self) -> list[str]:
        """责任追究's outcome list: the defaults, then those a clerk typed."""
        value = self.qsettings.value("follow_up/outcomes", [])
        typed = [value] if isinstance(value, str) else [str(v) for v in value or []]
        return list(DEFAULT_OUTCOMES) + [o for o in typed if o and o not in DEFAULT_OUTCOMES]

    def add_accountability_outcome(self, outcome: str) -> None:
        outcome = outcome.strip()
        if outcome and outcome not in self.accountability_outcomes:
            self._set("follow_up/outcomes",
                      self.accountability_outcomes[len(DEFAULT_OUTCOMES):] + [outcome])

    def sync(self) -> None:
        self.qsettings.sync()
