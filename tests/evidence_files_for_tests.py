"""Real evidence files made for tests: JPEG photos (optionally with an EXIF 拍摄时间), PDFs."""

import struct
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QRectF
from PySide6.QtGui import QColor, QImage, QPageSize, QPainter, QPdfWriter


def jpeg(path: Path, color: str = "#d01010", size=(320, 240), taken: str | None = None) -> Path:
    """A photo of one colour; taken ("2023:10:13 09:30:00") goes in as EXIF DateTimeOriginal."""
    image = QImage(*size, QImage.Format_RGB32)
    image.fill(QColor(color))
    buffer = QBuffer()
    buffer.open(QIODevice.WriteOnly)
    image.save(buffer, "JPG", 95)
    data = bytes(buffer.data())
    if taken:
        # TIFF header, IFD0 (one entry: the Exif IFD at 26), Exif IFD (DateTimeOriginal at 44).
        tiff = b"II*\0" + struct.pack("<I", 8)
        tiff += struct.pack("<H", 1) + struct.pack("<HHII", 0x8769, 4, 1, 26) + struct.pack("<I", 0)
        tiff += struct.pack("<H", 1) + struct.pack("<HHII", 0x9003, 2, 20, 44) + struct.pack("<I", 0)
        tiff += taken.encode() + b"\0"
        app1 = b"Exif\0\0" + tiff
        data = data[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + data[2:]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def pdf(path: Path, pages: int = 2, color: str = "#1040d0") -> Path:
    """An A4 PDF whose pages are filled with one colour."""
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.A4))
    painter = QPainter(writer)
    for page in range(pages):
        if page:
            writer.newPage()
        painter.fillRect(QRectF(0, 0, writer.width(), writer.height()), QColor(color))
    painter.end()
    return path


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
