"""Every window fits the screen: the real window and its big dialogs on office-laptop screens."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QWidget

from desktop_app.ui.screen_fit import available_area, fits, place_main_window

ROOT = Path(__file__).resolve().parent.parent
SHOWN = {"main_window", "editor", "overview", "signoff_dialog", "import_preview", "history_dialog",
         "settings_dialog", "petitions_dialog", "help_window"}


def _inside(frame, area) -> bool:
    x, y, w, h = frame
    ax, ay, aw, ah = area
    return x >= ax and y >= ay and x + w <= ax + aw and y + h <= ay + ah


@pytest.mark.parametrize("width,height", [(1366, 768), (1280, 720)])
@pytest.mark.parametrize("scale", ["1", "1.25"])
def test_the_window_and_its_dialogs_fit_the_screen(tmp_path, width, height, scale):
    # A screen size is fixed when Qt starts: each size runs in a process of its own.
    screen = tmp_path / "screen.json"
    screen.write_text(json.dumps({"windowFrameMargins": True, "screens": [
        {"name": "laptop", "x": 0, "y": 0, "width": width, "height": height,
         "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={screen}",
           "QT_SCALE_FACTOR": scale, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, str(ROOT / "tests" / "screen_worker.py"), str(tmp_path)],
                   env=env, check=True, timeout=120, capture_output=True)
    seen = json.loads((tmp_path / "fit.json").read_text(encoding="utf-8"))
    assert {entry["name"] for entry in seen} == SHOWN
    logical = [round(width / float(scale)), round(height / float(scale))]
    for entry in seen:
        assert entry["available"][2:] == pytest.approx(logical, abs=1)
        assert _inside(entry["frame"], entry["available"]), entry
    main = next(e for e in seen if e["name"] == "main_window")
    # Derived from the screen: it uses the room there is, not a fixed 1440×860 cut off.
    assert main["frame"][2] >= 0.9 * logical[0] and main["frame"][3] >= 0.85 * logical[1]


def test_a_saved_geometry_is_restored_only_while_it_fits(qtbot):
    area = available_area(QWidget())
    old = QWidget()
    qtbot.addWidget(old)
    old.setGeometry(QRect(area.x() + 40, area.y() + 60, area.width() // 2, area.height() // 2))
    fitting = old.saveGeometry()
    old.setGeometry(QRect(area.x(), area.y(), area.width() + 500, area.height() + 300))
    too_big = old.saveGeometry()  # saved on a bigger monitor, opened on the laptop

    restored = QWidget()
    qtbot.addWidget(restored)
    place_main_window(restored, fitting)
    assert (restored.width(), restored.height()) == (area.width() // 2, area.height() // 2)

    fresh = QWidget()
    qtbot.addWidget(fresh)
    place_main_window(fresh, too_big)
    assert fits(fresh)
    assert fresh.width() < area.width() and fresh.height() < area.height()
