"""Fonts with Simplified Chinese glyphs: Windows' own faces there, Noto/WenQuanYi elsewhere."""

from PySide6.QtGui import QFont, QFontDatabase

# Screen faces: 微软雅黑 on Windows (every version Qt 6 runs on has it), 苹方 on macOS, Noto/Source
# Han Sans SC or 文泉驿 on Linux; 宋体 last, for a Windows without 雅黑. The printed notices' 宋体,
# 仿宋, 黑体 and 楷体 are chosen in print_support.py.
UI_FAMILIES = ("Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC",
               "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "SimSun")


def pick_family(preferred) -> str | None:
    available = set(QFontDatabase.families())
    return next((f for f in preferred if f in available), None)


def apply_ui_font(app) -> None:
    """Without this, Qt may draw 直/骨/这 with Japanese or Traditional glyph shapes."""
    family = pick_family(UI_FAMILIES)
    font = app.font()
    if family:
        font.setFamilies([family, *(f for f in UI_FAMILIES if f != family)])
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    font.setStyleStrategy(QFont.PreferAntialias)
    app.setFont(font)
