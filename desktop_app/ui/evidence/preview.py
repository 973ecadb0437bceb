"""Looking at 佐证材料: a preview window for photos and PDF pages, and opening a copy of any
file with the computer's own program."""

import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from ...store import evidence
from .render import kind_of, load_image, pdf_page_sizes, render_pdf
from .thumbnails import file_icon
from ..messages import warn

ZOOM_STEP = 1.25
_opened_folder: Path | None = None


def open_with_system(parent, ledger, row: dict) -> Path | None:
    """Copy the attachment out under its own (Chinese) name and open that copy: the clerk's
    program may change or lock what it opens, and the store's file must stay as attached."""
    global _opened_folder
    try:
        if _opened_folder is None:
            _opened_folder = Path(tempfile.mkdtemp(prefix="dc-ledger-opened-"))
        copy = evidence.copy_to(ledger, row["id"], Path(tempfile.mkdtemp(dir=_opened_folder)))
    except OSError as e:
        warn(parent, QCoreApplication.translate("preview", "打不开"),
             QCoreApplication.translate("preview", "没能取出“%1”：%2\n如果文件找不到了，请用“工具 → 检查佐证材料”查看。")
             .replace("%1", row["display_name"]).replace("%2", e.strerror or str(e)))
        return None
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(copy))):
        warn(parent, QCoreApplication.translate("preview", "打不开"),
             QCoreApplication.translate("preview", "这台电脑上没有能打开“%1”的程序。副本在：\n%2")
             .replace("%1", row["display_name"]).replace("%2", str(copy)))
    return copy


class PreviewDialog(QDialog):
    """One attachment at a time (← → for the others shown); photos and PDFs drawn here, fitted
    to the window or zoomed; other files offer the system's program."""

    def __init__(self, parent, ledger, rows: list[dict], current: int):
        super().__init__(parent)
        self.ledger, self.rows, self.current = ledger, rows, current
        self.setWindowTitle(self.tr("预览佐证材料"))
        self.image = None  # the photo, decoded once
        self.page, self.sizes, self.zoom = 0, [], None  # zoom None: fit to the window
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignCenter)
        self.picture.setObjectName("previewPicture")
        self.hint = QLabel()
        self.hint.setAlignment(Qt.AlignCenter)
        self.hint.setWordWrap(True)
        body = QWidget()
        body.setObjectName("previewBody")
        body.setStyleSheet("#previewBody { background: #8a9098; } QLabel { color: #fff; font-size: 14px; }")
        column = QVBoxLayout(body)
        column.setContentsMargins(4, 4, 4, 4)  # with _scale's 8 pixels: a fitted picture brings no scroll bars
        column.addStretch()
        column.addWidget(self.picture)
        column.addWidget(self.hint)
        column.addStretch()
        self.scroll = QScrollArea()
        self.scroll.setWidget(body)
        self.scroll.setWidgetResizable(True)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.previous_button = QPushButton(self.tr("◀ 上一个"))
        self.next_button = QPushButton(self.tr("下一个 ▶"))
        self.page_label = QLabel()
        self.previous_page = QPushButton(self.tr("上一页"))
        self.next_page = QPushButton(self.tr("下一页"))
        self.fit_button = QPushButton(self.tr("适合窗口"))
        self.zoom_out = QPushButton(self.tr("缩小"))
        self.zoom_in = QPushButton(self.tr("放大"))
        self.actual = QPushButton(self.tr("原始大小"))
        self.open_button = QPushButton(self.tr("用系统程序打开"))
        self.open_button.setToolTip(self.tr("用电脑上的看图、PDF、Office 等程序打开这个文件的副本"))
        self.previous_button.clicked.connect(lambda: self.show_row(self.current - 1))
        self.next_button.clicked.connect(lambda: self.show_row(self.current + 1))
        self.previous_page.clicked.connect(lambda: self.show_page(self.page - 1))
        self.next_page.clicked.connect(lambda: self.show_page(self.page + 1))
        self.fit_button.clicked.connect(lambda: self.set_zoom(None))
        self.zoom_out.clicked.connect(lambda: self.set_zoom(self._scale() / ZOOM_STEP))
        self.zoom_in.clicked.connect(lambda: self.set_zoom(self._scale() * ZOOM_STEP))
        self.actual.clicked.connect(lambda: self.set_zoom(1.0))
        self.open_button.clicked.connect(lambda: open_with_system(self, self.ledger, self.row))
        for key, step in ((Qt.Key_Left, -1), (Qt.Key_Right, +1)):
            QShortcut(QKeySequence(key), self, lambda s=step: self.show_row(self.current + s))
        QShortcut(QKeySequence.ZoomIn, self, self.zoom_in.click)
        QShortcut(QKeySequence.ZoomOut, self, self.zoom_out.click)

        bar = QHBoxLayout()
        for widget in (self.previous_button, self.next_button, None, self.previous_page, self.page_label,
                       self.next_page, None, self.fit_button, self.zoom_out, self.zoom_in, self.actual,
                       None, self.open_button):
            bar.addWidget(widget) if widget else bar.addSpacing(16)
        bar.addStretch()
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        bar.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.caption)
        self.resize(960, 760)
        self.show_row(current)

    @property
    def row(self) -> dict:
        return self.rows[self.current]

    @property
    def kind(self) -> str:
        return kind_of(self.row["display_name"])

    def show_row(self, number: int) -> None:
        if not 0 <= number < len(self.rows):
            return
        self.current, self.page, self.zoom, self.image = number, 0, None, None
        row, path = self.row, evidence.file_path(self.ledger, self.row)
        self.sizes = []
        if self.kind == "image":
            self.image = load_image(path)
        elif self.kind == "pdf":
            try:
                self.sizes = pdf_page_sizes(path)
            except Exception:  # noqa: BLE001 — a damaged PDF: offered to the system's program instead
                self.sizes = []
        self.setWindowTitle(self.tr("预览：%1").replace("%1", row["display_name"]))
        details = [row["display_name"], row["caption"], row["kind"], row["taken_on"] or "",
                   self.tr("第 %1 个，共 %2 个").replace("%1", str(number + 1)).replace("%2", str(len(self.rows)))]
        self.caption.setText("　".join(d for d in details if d))
        self.previous_button.setEnabled(number > 0)
        self.next_button.setEnabled(number < len(self.rows) - 1)
        self._draw()

    def show_page(self, page: int) -> None:
        if 0 <= page < self.pages:
            self.page = page
            self._draw()

    def set_zoom(self, zoom: float | None) -> None:
        self.zoom = None if zoom is None else max(0.05, min(zoom, 8.0))
        self._draw()

    @property
    def pages(self) -> int:
        return len(self.sizes)

    def viewable(self) -> bool:
        return self.image is not None or self.pages > 0

    def _natural(self) -> QSize:
        """The picture's size at 100 %: a photo's pixels, a PDF page at 96 dpi."""
        return self.image.size() if self.image is not None else self.sizes[self.page]

    def _scale(self) -> float:
        if self.zoom is not None:
            return self.zoom
        natural, room = self._natural(), self.scroll.viewport().size() - QSize(8, 8)
        return min(room.width() / max(natural.width(), 1), room.height() / max(natural.height(), 1))

    def _draw(self) -> None:
        viewable = self.viewable()
        for widget in (self.fit_button, self.zoom_out, self.zoom_in, self.actual):
            widget.setEnabled(viewable)
        for widget in (self.previous_page, self.next_page, self.page_label):
            widget.setVisible(self.pages > 1)
        self.previous_page.setEnabled(self.page > 0)
        self.next_page.setEnabled(self.page < self.pages - 1)
        self.page_label.setText(self.tr("第 %1 / %2 页").replace("%1", str(self.page + 1))
                                .replace("%2", str(self.pages)))
        self.hint.setVisible(not viewable)
        if not viewable:
            self.picture.setPixmap(file_icon(self.row["display_name"], QSize(160, 160)))
            self.hint.setText(self.tr("“%1”不能在软件里预览，请点上方的“用系统程序打开”。")
                              .replace("%1", self.row["display_name"]))
            return
        ratio = self.devicePixelRatioF()
        box = self._natural() * self._scale()
        if self.image is not None:
            pixmap = QPixmap.fromImage(self.image.scaled(box * ratio, Qt.KeepAspectRatio,
                                                         Qt.SmoothTransformation))
        else:
            try:
                pixmap = QPixmap.fromImage(render_pdf(evidence.file_path(self.ledger, self.row),
                                                      self.page, box * ratio))
            except Exception:  # noqa: BLE001 — shown as a file that cannot be previewed
                self.sizes = []
                self._draw()
                return
        pixmap.setDevicePixelRatio(ratio)
        self.picture.setPixmap(pixmap)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        # The first picture was fitted to the viewport before the dialog was laid out (and
        # fitted again to the screen): fit it once more to the room it really has.
        if self.zoom is None and self.viewable():
            QTimer.singleShot(0, self._draw)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.zoom is None and self.viewable():
            self._draw()
