"""What every printed page shares: faces with their fallbacks, A4 geometry, PDF files, preview.

Faces: each list runs from the office's own font to what Windows brings to what a Linux machine
has; Qt falls back down the list glyph by glyph. On Linux the Noto faces come before AR PL and
WenQuanYi because they look closer to 宋体 and 仿宋; the Kangxi radicals Noto would put into a
PDF's text layer are repaired after writing (formats.pdf_text).
"""

from collections.abc import Callable, Sequence
import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF
from PySide6.QtGui import (QFont, QFontDatabase, QGuiApplication, QPageLayout, QPageSize,
                           QPagedPaintDevice, QPainter, QPdfWriter)
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

from .. import APP_NAME
from ..formats.documents import pdf_text
from ..formats.exporting import safe_file
from ..formats.exporting.errors import WriteFailedError

TITLE_FAMILIES = ("方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "华文中宋", "STZhongsong",
                  "宋体", "SimSun", "Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN")
# 小标宋 is a heavy Song; where only a plain Song is at hand, offices set it bold.
_XIAOBIAOSONG = ("方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "华文中宋", "STZhongsong")
BODY_FAMILIES = ("仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "华文仿宋", "STFangsong",
                 "Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN", "宋体", "SimSun")
HEADING_FAMILIES = ("黑体", "SimHei", "华文黑体", "STHeiti", "Noto Sans CJK SC",
                    "Source Han Sans SC", "WenQuanYi Zen Hei", "Microsoft YaHei")
KAI_FAMILIES = ("楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "华文楷体", "STKaiti",
                "AR PL UKai CN", *BODY_FAMILIES)
PAGE_NUMBER_FAMILIES = ("宋体", "SimSun", "Noto Serif CJK SC", "Source Han Serif SC",
                        "AR PL UMing CN", "Times New Roman", "DejaVu Serif")
SYMBOL_FAMILIES = ("Segoe UI Symbol", "DejaVu Sans", "Noto Sans Symbols2")  # ☑ ☐


# The printing code has no QObject of its own: its text is filed under the module's name,
# translate("form_print", "…"), a call lupdate reads as it stands.
translate = QCoreApplication.translate


def available(families: Sequence[str]) -> list[str]:
    """The families of the list this machine has, in order."""
    installed = set(QFontDatabase.families())
    return [f for f in families if f in installed]


def make_font(families: Sequence[str], points: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setFamilies(available(families) or list(families))
    font.setPointSizeF(points)
    font.setBold(bold)
    font.setKerning(False)  # CJK text sits on a grid; kerning pairs would pull digits askew
    font.setStyleStrategy(QFont.PreferOutline)
    return font


def title_font(points: float) -> QFont:
    """小标宋, or a Song set bold where there is no 小标宋 (as offices do)."""
    found = available(TITLE_FAMILIES)
    return make_font(TITLE_FAMILIES, points, bold=not found or found[0] not in _XIAOBIAOSONG)


class Geometry:
    """A page's type area in the device's units (a PDF writer at 1200 dpi, a printer at its own)."""

    def __init__(self, device, top_mm: float, left_mm: float, width_mm: float, height_mm: float):
        self.dpi = device.logicalDpiY()
        self.left, self.top = self.mm(left_mm), self.mm(top_mm)
        self.width, self.height = self.mm(width_mm), self.mm(height_mm)

    @property
    def bottom(self) -> float:
        return self.top + self.height

    def mm(self, value: float) -> float:
        return value * self.dpi / 25.4

    def pt(self, value: float) -> float:
        return value * self.dpi / 72.0

    def baseline(self, top: float, height: float, points: float) -> float:
        """The baseline that centres an ideograph's em box (0.88 em up, 0.12 em down) in a line."""
        return top + height / 2 + 0.38 * self.pt(points)


def prepare(device: QPagedPaintDevice, landscape: bool = False) -> None:
    """A4 (portrait unless said), coordinates from the paper's corner: the margins are ours to draw."""
    if isinstance(device, QPrinter):
        device.setFullPage(True)
    device.setPageLayout(QPageLayout(QPageSize(QPageSize.A4),
                                     QPageLayout.Landscape if landscape else QPageLayout.Portrait,
                                     QMarginsF(0, 0, 0, 0)))


def _pdf_file(device) -> Path | None:
    if isinstance(device, QPrinter) and device.outputFormat() == QPrinter.PdfFormat \
            and device.outputFileName():
        return Path(device.outputFileName())
    return None


def paint_document(device: QPagedPaintDevice, paint_all: Callable[[QPainter], int],
                   landscape: bool = False) -> int:
    """Begin painting on device, let paint_all paint every page, end; returns its page count.

    A QPrinter writing Qt's own PDF gets the file's text layer repaired once it is closed.
    """
    prepare(device, landscape)
    painter = QPainter()
    if not painter.begin(device):
        raise OSError(translate("print_support", "无法开始打印：打印机或文件不可用。"))
    try:
        painter.setRenderHint(QPainter.TextAntialiasing)
        pages = paint_all(painter)
    finally:
        painter.end()
    target = _pdf_file(device)
    if target is not None and target.exists():
        pdf_text.repair_file(target)
    return pages


def write_pdf(path: Path, title: str, paint: Callable[[QPdfWriter], int]) -> int:
    """A PDF at path written by paint(writer): all or nothing (temporary file, then renamed).

    Raises formats.errors.ExportError subclasses with the clerk's message when it cannot.
    """
    path = Path(path)
    safe_file.check_target(path, ".pdf")
    with safe_file.replacing(path) as partial:
        writer = QPdfWriter(str(partial))
        writer.setTitle(title)
        writer.setCreator(APP_NAME)
        writer.setResolution(1200)
        try:
            pages = paint(writer)
        finally:
            del writer  # closes the file
        if not partial.exists():
            raise WriteFailedError(path, translate("print_support", "没有写出 PDF 文件。"))
        pdf_text.repair_file(partial)
    return pages


def preview_dialog(parent, paint: Callable[[QPrinter], int], title: str,
                   landscape: bool = False) -> QPrintPreviewDialog:
    """A print preview painting with paint(printer) for the screen, a printer or Qt's PDF."""
    printer = QPrinter(QPrinter.HighResolution)
    printer.setDocName(title)
    printer.setCreator(APP_NAME)
    prepare(printer, landscape)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(translate("print_support", "打印预览 — %1").replace("%1", title))
    dialog.paintRequested.connect(paint)
    dialog.printer_ = printer  # QPrintPreviewDialog does not own its printer: keep it alive
    return dialog


def gui_application():
    """The running Qt application, or a new one: offscreen where there is no display."""
    app = QGuiApplication.instance()
    if app is None:
        if sys.platform.startswith("linux") and "QT_QPA_PLATFORM" not in os.environ \
                and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        app = QGuiApplication([sys.argv[0] if sys.argv else "dc-ledger"])
    return app
