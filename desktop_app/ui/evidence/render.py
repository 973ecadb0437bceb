"""Pictures of a 佐证材料 file: photos decoded at the size shown, PDF pages through PDFium.

Plain QImage work, safe on a worker thread (QPixmap is not). PDFium is not thread-safe, so
every call into it holds one lock.
"""

import threading
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QImageReader

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff"})
PDF_SUFFIX = ".pdf"
LARGEST_PREVIEW = 4096  # pixels on the long side: a 48-megapixel photo would take 190 MB whole
_PDFIUM = threading.Lock()
_FORMATS = {"RGB": QImage.Format_RGB888, "RGBA": QImage.Format_RGBA8888,
            "RGBX": QImage.Format_RGBX8888, "L": QImage.Format_Grayscale8}


def suffix(name: str) -> str:
    return Path(name).suffix.lower()


def kind_of(name: str) -> str:
    """"image", "pdf" or "other", from a display name's extension."""
    ext = suffix(name)
    return "image" if ext in IMAGE_SUFFIXES else "pdf" if ext == PDF_SUFFIX else "other"


def load_image(path: Path, box: QSize | None = None) -> QImage | None:
    """A photo scaled to fit box while it is decoded (JPEG decodes at 1/2, 1/4, 1/8 directly),
    turned upright as its EXIF says; None when it cannot be read."""
    reader = QImageReader(str(path))
    reader.setDecideFormatFromContent(True)  # the store's files have no extension
    reader.setAutoTransform(True)
    size = reader.size()  # as stored: the turn comes after scaling, and the boxes are square
    limit = box or QSize(LARGEST_PREVIEW, LARGEST_PREVIEW)
    if size.isValid() and (size.width() > limit.width() or size.height() > limit.height()):
        reader.setScaledSize(size.scaled(limit, Qt.KeepAspectRatio))
    image = reader.read()
    return None if image.isNull() else image


def pdf_page_sizes(path: Path) -> list[QSize]:
    """Each page's size at 100 % (96 dpi, as a screen shows a page)."""
    import pypdfium2
    with _PDFIUM:
        document = pypdfium2.PdfDocument(str(path))
        try:
            return [QSize(round(w * 96 / 72), round(h * 96 / 72))
                    for w, h in (document.get_page_size(n) for n in range(len(document)))]
        finally:
            document.close()


def render_pdf(path: Path, page_number: int, box: QSize) -> QImage:
    """One page of a PDF (0-based) fitted into box, on white. Raises on a damaged file."""
    import pypdfium2  # PDFium loads when the first PDF is shown
    with _PDFIUM:
        document = pypdfium2.PdfDocument(str(path))
        try:
            page = document[page_number]
            width, height = page.get_size()
            scale = min(box.width() / max(width, 1), box.height() / max(height, 1))
            bitmap = page.render(scale=scale, rev_byteorder=True)
            image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                           _FORMATS.get(bitmap.mode, QImage.Format_RGB888)).copy()  # own the pixels
            page.close()
            return image
        finally:
            document.close()


def picture(path: Path, name: str, box: QSize) -> QImage | None:
    """What a thumbnail shows: the photo, or a PDF's first page; None for other files or when
    the file cannot be read."""
    kind = kind_of(name)
    if kind == "image":
        return load_image(path, box)
    if kind == "pdf":
        try:
            return render_pdf(path, 0, box)
        except Exception:  # noqa: BLE001 — a damaged PDF shows its icon, it never stops the panel
            return None
    return None
