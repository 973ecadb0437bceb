"""Thumbnails of 佐证材料, made on demand off the UI thread and kept by content hash; drawn
file-type icons for everything that has no picture.

Only rows a view paints ask for a thumbnail, so a problem with hundreds of photos decodes the
few on screen; switching problems drops the queued work of the last one.
"""

from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QPoint, QRect, QRunnable, QSize, Qt, QThreadPool, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QPixmap, QPolygon

from .render import picture, suffix

THUMBNAIL_SIZE = QSize(112, 112)
CACHED = 600  # thumbnails kept in memory (~50 KB each)
_BANDS = {".pdf": "#c62828", ".doc": "#1e5bb8", ".docx": "#1e5bb8", ".wps": "#1e5bb8",
          ".xls": "#1b7f3b", ".xlsx": "#1b7f3b", ".et": "#1b7f3b", ".csv": "#1b7f3b",
          ".ppt": "#d35400", ".pptx": "#d35400", ".dps": "#d35400", ".zip": "#7b5a2b",
          ".rar": "#7b5a2b", ".7z": "#7b5a2b", ".mp4": "#6a1b9a", ".mov": "#6a1b9a",
          ".avi": "#6a1b9a", ".txt": "#546e7a", ".ofd": "#ad1457"}
_OTHER_BAND = "#78909c"


def file_icon(name: str, size: QSize = THUMBNAIL_SIZE) -> QPixmap:
    """A page with a folded corner and a coloured band naming the file type (PDF, DOCX …)."""
    pixmap = QPixmap(size)
    pixmap.fill(Qt.transparent)
    w, h = size.width(), size.height()
    page_w, page_h = int(h * 0.68), int(h * 0.88)
    left, top = (w - page_w) // 2, (h - page_h) // 2
    fold = page_w // 4
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.Antialiasing)
    painter.setPen(QPen(QColor("#9aa5b1"), 1.5))
    painter.setBrush(QColor("#ffffff"))
    painter.drawPolygon(QPolygon([QPoint(left, top), QPoint(left + page_w - fold, top),
                                  QPoint(left + page_w, top + fold), QPoint(left + page_w, top + page_h),
                                  QPoint(left, top + page_h)]))
    painter.setBrush(QColor("#dde3ea"))
    painter.drawPolygon(QPolygon([QPoint(left + page_w - fold, top), QPoint(left + page_w - fold, top + fold),
                                  QPoint(left + page_w, top + fold)]))
    ext = suffix(name).lstrip(".").upper()[:5] or QCoreApplication.translate("thumbnails", "文件")
    band = QRect(left - page_w // 10, top + page_h // 2, page_w + page_w // 5, page_h // 4)
    painter.setPen(Qt.NoPen)
    painter.setBrush(QColor(_BANDS.get(suffix(name), _OTHER_BAND)))
    painter.drawRoundedRect(band, 3, 3)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(max(8, int(band.height() * (0.62 if len(ext) <= 3 else 0.5))))
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(band, Qt.AlignCenter, ext)
    painter.end()
    return pixmap


class _Signals(QObject):
    made = Signal(str, object, int)  # sha256, QImage or None, generation


class _Job(QRunnable):
    def __init__(self, cache, sha: str, path: Path, name: str, generation: int):
        super().__init__()
        self.cache, self.sha, self.path, self.name, self.generation = cache, sha, path, name, generation
        self.signals = cache.signals

    def run(self):
        image = None
        if self.generation == self.cache.generation:  # still wanted: not switched away since
            image = picture(self.path, self.name, self.cache.size)
        try:
            self.signals.made.emit(self.sha, image, self.generation)
        except RuntimeError:
            pass  # the panel closed meanwhile


class ThumbnailCache(QObject):
    """thumbnail(sha, path, name) returns a pixmap at once (the icon until the picture is
    ready); ready(sha) says when a better one can be fetched."""

    ready = Signal(str)

    def __init__(self, size: QSize = THUMBNAIL_SIZE, parent=None):
        super().__init__(parent)
        self.size = size
        self.generation = 0
        self.signals = _Signals()
        self.signals.made.connect(self._made)
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(2)  # leaves cores for the window; JPEG decoding is quick
        self._pictures: OrderedDict[str, QPixmap | None] = OrderedDict()  # None: has no picture
        self._pending: set[str] = set()
        self._icons: dict[str, QPixmap] = {}

    def icon(self, name: str) -> QPixmap:
        key = suffix(name)
        if key not in self._icons:
            self._icons[key] = file_icon(name, self.size)
        return self._icons[key]

    def has_picture(self, sha: str) -> bool:
        return self._pictures.get(sha) is not None

    def thumbnail(self, sha: str, path: Path, name: str, wants_picture: bool) -> QPixmap:
        if not wants_picture:
            return self.icon(name)
        if sha in self._pictures:
            self._pictures.move_to_end(sha)
            return self._pictures[sha] or self.icon(name)
        if sha not in self._pending:
            self._pending.add(sha)
            self.pool.start(_Job(self, sha, path, name, self.generation))
        return self.icon(name)

    def forget_queued(self) -> None:
        """The shown problem changed: queued thumbnails of the last one are no longer needed."""
        self.generation += 1
        self.pool.clear()
        self._pending.clear()

    def shutdown(self) -> None:
        self.forget_queued()
        self.pool.waitForDone()

    def _made(self, sha: str, image, generation: int) -> None:
        if image is None and generation != self.generation:
            return  # skipped (its problem is no longer shown): asked again when painted
        if generation == self.generation:
            self._pending.discard(sha)
        self._pictures[sha] = QPixmap.fromImage(image) if image is not None else None
        while len(self._pictures) > CACHED:
            self._pictures.popitem(last=False)
        self.ready.emit(sha)
