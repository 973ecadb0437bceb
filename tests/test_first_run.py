"""First run and everyday polish: the welcome, 单位名称 for new inspections, 关于, 使用说明, icon,
translations and high-DPI start-up."""

import os
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel

from desktop_app import __version__
from desktop_app.store.ledger import Ledger
from desktop_app.store.seeds import fill_demo
from desktop_app.ui import app as app_module
from desktop_app.ui.help import about_dialog as about_module
from desktop_app.ui.help.about_dialog import AboutDialog
from desktop_app.ui.help.window import HelpWindow, help_page
from desktop_app.ui.settings.dialog import SettingsDialog
from desktop_app.ui.settings.welcome_dialog import WelcomeDialog, welcome
from window_helpers import answer_next_dialog, in_dialog, read_file, type_chinese

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def demo_path(tmp_path, monkeypatch):
    """Where the user's default ledger would be, inside tmp_path (not yet made)."""
    path = tmp_path / "数据" / "整改台账.db"
    path.parent.mkdir()
    for module in (app_module, about_module):
        monkeypatch.setattr(module, "default_ledger_path", lambda: path)
    return path


def inspections_in(path):
    return read_file(path, lambda ledger: [row["name"] for row in ledger.inspections()])


def answer_welcome(org="", contact="", phone="", start_empty=False, close=False):
    def handler(dialog):
        assert isinstance(dialog, WelcomeDialog)
        type_chinese(dialog.org, org)
        type_chinese(dialog.contact, contact)
        type_chinese(dialog.phone, phone)
        dialog.start_empty.setChecked(start_empty)
        dialog.reject() if close else dialog.accept()
    return handler


def test_first_start_shows_the_welcome_over_the_demo_and_start_empty_keeps_the_demo_aside(
        qtbot, settings, demo_path):
    window = app_module.open_first_window(None, settings)
    qtbot.addWidget(window)
    window.show()
    demo_inspections = inspections_in(demo_path)
    assert len(demo_inspections) == 3  # the seeds' demo ledger, made for this first start
    answer_next_dialog(answer_welcome("青山镇人民政府", "张三", "0730-1234567", start_empty=True))
    qtbot.waitUntil(lambda: settings.welcomed, timeout=5000)

    assert settings.org_name == "青山镇人民政府"
    contacts = settings.signoff_defaults.contacts
    assert (contacts.contact, contacts.phone) == ("张三", "0730-1234567")
    # An empty ledger at the default path, shown in the window …
    assert window.document.ledger.path == demo_path
    assert window.document.ledger.inspections() == []
    assert window.inspections.model.rows == []
    # … and the demo kept whole beside it, reachable from 最近打开.
    aside = demo_path.with_name("示例台账.db")
    assert inspections_in(aside) == demo_inspections
    assert str(aside) in settings.recent_files
    window.close()

    # The next start asks nothing and opens the clerk's (empty) ledger.
    again = app_module.open_first_window(None, settings)
    qtbot.addWidget(again)
    again.show()
    qtbot.wait(50)
    assert QApplication.activeModalWidget() is None
    assert again.document.ledger.path == demo_path and again.document.ledger.inspections() == []
    again.close()


def test_a_first_start_ended_before_the_welcome_asks_again(qtbot, settings, demo_path):
    # What a first start killed before its welcome leaves: the demo, a last file, the flag false.
    app_module.open_default_ledger().close()
    settings.last_file, settings.welcomed = str(demo_path), False
    seen = []
    answer_next_dialog(lambda dialog: (seen.append(dialog.start_empty.isVisibleTo(dialog)), dialog.reject()))
    again = app_module.open_first_window(None, settings)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: settings.welcomed, timeout=5000)
    assert seen == [True]  # the demo, still untouched behind the modal welcome, may be set aside
    again.close()


def test_closing_the_welcome_keeps_the_defaults_and_the_demo(qtbot, settings, demo_path):
    window = app_module.open_first_window(None, settings)
    qtbot.addWidget(window)
    window.show()
    answer_next_dialog(answer_welcome("不该保存", "不该保存", start_empty=True, close=True))
    qtbot.waitUntil(lambda: settings.welcomed, timeout=5000)
    assert settings.org_name == ""
    assert settings.signoff_defaults.contacts.contact == ""
    assert len(window.document.ledger.inspections()) == 3
    assert not demo_path.with_name("示例台账.db").exists()
    window.close()


def test_a_second_demo_set_aside_does_not_replace_the_first(qtbot, open_window, settings, tmp_path):
    path = tmp_path / "整改台账.db"
    (tmp_path / "示例台账.db").write_bytes(b"kept")  # a 示例台账 from an earlier first start
    demo = Ledger.create(path)
    fill_demo(demo)
    demo.close()
    window = open_window(path)
    answer_next_dialog(answer_welcome(start_empty=True))
    welcome(window, path)
    assert (tmp_path / "示例台账.db").read_bytes() == b"kept"
    assert len(inspections_in(tmp_path / "示例台账（2）.db")) == 3
    assert window.document.ledger.inspections() == []


def test_an_existing_user_is_not_welcomed_and_another_ledger_is_never_set_aside(
        qtbot, settings, sample_ledger_file, demo_path):
    settings.last_file = str(sample_ledger_file)  # used the app before this version
    window = app_module.open_first_window(None, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.wait(50)
    assert QApplication.activeModalWidget() is None
    window.close()

    # A first start on a ledger given with --db: welcomed, but with no demo to set aside.
    fresh = type(settings)(str(sample_ledger_file.parent / "fresh.ini"))
    seen = []
    answer_next_dialog(lambda dialog: (seen.append(dialog.start_empty.isVisibleTo(dialog)), dialog.accept()))
    window = app_module.open_first_window(sample_ledger_file, fresh)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: fresh.welcomed, timeout=5000)
    assert seen == [False]
    assert window.document.ledger.path == sample_ledger_file
    window.close()


def test_org_name_from_settings_fills_a_new_inspection(qtbot, open_window, settings, sample_ledger_file):
    window = open_window(sample_ledger_file)

    def change(dialog):
        assert isinstance(dialog, SettingsDialog)
        type_chinese(dialog.org, "白沙镇人民政府")
    in_dialog(window.tools.settings_action.trigger, change)
    assert settings.org_name == "白沙镇人民政府"

    def new_inspection(dialog):
        assert dialog.org.text() == "白沙镇人民政府"
        type_chinese(dialog.name, "省级生态环境保护督察")
    in_dialog(window.inspections.add, new_inspection)
    rows = {row["name"]: row["org"] for row in window.document.ledger.inspections()}
    assert rows["省级生态环境保护督察"] == "白沙镇人民政府"
    assert rows["第二轮中央生态环境保护督察"] == "青山县人民政府"  # others untouched


def test_about_shows_version_folders_and_the_open_ledger(qtbot, open_window, settings, sample_ledger_file,
                                                         demo_path):
    window = open_window(sample_ledger_file)
    shown = {}

    def read(dialog):
        assert isinstance(dialog, AboutDialog)
        shown.update({label: value.text() for label, value in dialog.values.items()})
        shown["folder"] = dialog.ledger_folder
        shown["text"] = " ".join(label.text() for label in dialog.findChildren(QLabel))
    in_dialog(window.help.about_action.trigger, read)
    assert shown["当前台账"] == str(sample_ledger_file)
    assert shown["数据文件夹"] == str(demo_path.parent)
    assert shown["设置文件"] == settings.qsettings.fileName()
    assert shown["folder"] == sample_ledger_file.parent
    assert f"版本 {__version__}" in shown["text"] and "LGPL" in shown["text"]


def test_f1_opens_the_help_page_once(qtbot, open_window, sample_ledger_file):
    window = open_window(sample_ledger_file)
    assert window.help.help_action.shortcut().toString() == "F1"
    window.help.help_action.trigger()
    first = window.help.help_window
    assert isinstance(first, HelpWindow) and first.isVisible()
    text = first.browser.toPlainText()
    for step in ("录入或导入台账", "每月报送进展", "上传佐证材料", "看总览和预警", "导出 Excel 台账和月调度表",
                 "销号与公示", "备份", "快捷键", "出了问题怎么办"):
        assert step in text
    window.help.help_action.trigger()
    assert window.help.help_window is first


def _menu_words(window) -> set[str]:
    """Every menu title and action text in the window, and every 设置 tab, as the clerk reads them."""
    words = set()
    for action in window.findChildren(type(window.help.help_action)):
        words.add(re.sub(r"\(&\w\)|&", "", action.text()).strip())
        if action.menu():
            words.add(re.sub(r"\(&\w\)|&", "", action.menu().title()).strip())
    dialog = SettingsDialog(window, window.settings, window.document)
    words |= {dialog.tabs.tabText(i) for i in range(dialog.tabs.count())}
    dialog.deleteLater()
    return words


def test_every_menu_path_in_the_help_exists(qtbot, open_window, sample_ledger_file):
    window = open_window(sample_ledger_file)
    words = _menu_words(window)
    html = help_page().read_text(encoding="utf-8")
    paths = re.findall(r'<span class="menu">(.*?)</span>', html)
    assert len(paths) > 10
    missing = {step for path in paths for step in path.split(" → ") if step not in words}
    assert not missing, f"the help names menu entries the window does not have: {missing}"


def test_the_app_icon_has_every_size_and_the_windows_ico_holds_them(qapp):
    icon = app_module.app_icon()
    sizes = {size.width() for size in icon.availableSizes()}
    assert {16, 24, 32, 48, 256} <= sizes
    data = (ROOT / "resources" / "icons" / "app.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1) and count >= 6
    sides = []
    for number in range(count):
        side, _h, _c, _r, _planes, _bits, size, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * number)
        assert data[offset:offset + 8] == b"\x89PNG\r\n\x1a\n" and offset + size <= len(data)
        sides.append(side or 256)
    assert 16 in sides and 256 in sides


def test_a_translation_file_translates_the_window_and_qt_speaks_chinese(qapp, tmp_path, monkeypatch):
    """The mechanism end to end: a translator's .ts, compiled by lrelease, loaded for its locale."""
    ts = tmp_path / "dc-ledger_en.ts"
    ts.write_text('<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" language="en">'
                  "<context><name>WelcomeDialog</name><message><source>开始使用</source>"
                  "<translation>Get started</translation></message></context></TS>", encoding="utf-8")
    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    subprocess.run([str(lrelease), "-silent", str(ts)], check=True)
    monkeypatch.setattr(app_module, "translations_dir", lambda: tmp_path)
    translators = app_module.install_translators(qapp, QLocale(QLocale.English, QLocale.UnitedStates))
    try:
        files = [Path(t.filePath()).name for t in translators if t.filePath()]
        assert files == ["qtbase_zh_CN.qm", "dc-ledger_en.qm"]
        from desktop_app.ui.window_settings import Settings
        dialog = WelcomeDialog(None, Settings(str(tmp_path / "s.ini")), offer_empty=False)
        buttons = dialog.findChild(QDialogButtonBox).buttons()
        assert [b.text() for b in buttons] == ["Get started"]
        assert dialog.windowTitle() == "欢迎使用督察整改台账"  # untranslated: the Chinese source
        dialog.deleteLater()
        assert QApplication.translate("QPlatformTheme", "Cancel") == "取消"
        # The file dialog's texts qtbase_zh_CN lacks: no "Look in:" beside Chinese.
        assert QApplication.translate("QFileDialog", "&Look in:") == "查找范围(&L)："
        assert QApplication.translate("QFileDialog", "Files of &type:") == "文件类型(&T)："
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
    chinese = app_module.install_translators(qapp, QLocale(QLocale.Chinese, QLocale.China))
    for translator in chinese:
        qapp.removeTranslator(translator)
    assert [Path(t.filePath()).name for t in chinese if t.filePath()] == ["qtbase_zh_CN.qm"]  # no .qm needed


def test_high_dpi_scaling_passes_through_and_fonts_have_simplified_glyphs():
    code = ("from PySide6.QtGui import QFontInfo, QGuiApplication\n"
            "from desktop_app.ui.app import create_application\n"
            "from desktop_app.ui.fonts import UI_FAMILIES, pick_family\n"
            "app = create_application(['t'])\n"
            "print(QGuiApplication.highDpiScaleFactorRoundingPolicy().name)\n"
            "print(app.devicePixelRatio())\n"
            "print(QFontInfo(app.font()).family() == pick_family(UI_FAMILIES))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen",
                                 "QT_SCALE_FACTOR": "1.5"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["PassThrough", "1.5", "True"]
