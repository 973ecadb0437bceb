"""Every window and dialog inside the free area of its screen (1366×768 laptops, 125 % scaling)."""

from PySide6.QtCore import QMargins, QObject, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

# A window manager's title bar and borders, used until the real frame is known (after mapping).
FRAME_ALLOWANCE = QMargins(8, 32, 8, 8)
MAIN_WINDOW_SIZE = QSize(1440, 860)  # what the main window takes where the screen has room


def available_area(widget: QWidget) -> QRect:
    """The screen's free area (without task bar and docks) where widget is, or will be, shown."""
    parent = widget.parentWidget()
    screen = (parent.window() if parent is not None else widget).screen()
    return (screen or QGuiApplication.primaryScreen()).availableGeometry()


def frame_margins(widget: QWidget) -> QMargins:
    handle = widget.windowHandle()
    margins = handle.frameMargins() if handle is not None else QMargins()
    return FRAME_ALLOWANCE if margins.isNull() else margins


def scrolling(layout) -> QScrollArea:
    """layout in a frameless scroll area: a dialog's tall middle part, so the dialog can shrink."""
    body = QWidget()
    body.setLayout(layout)
    layout.setContentsMargins(0, 0, 0, 0)
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.NoFrame)
    area.setWidget(body)
    return area


def fitting_size(widget: QWidget, wanted: QSize) -> QSize:
    """wanted, shrunk so the window with its frame fits the free area of its screen."""
    area, margins = available_area(widget), frame_margins(widget)
    return wanted.boundedTo(QSize(area.width() - margins.left() - margins.right(),
                                  area.height() - margins.top() - margins.bottom()))


def fits(widget: QWidget) -> bool:
    """The window, frame included, lies wholly inside the free area of its screen."""
    return available_area(widget).contains(_frame(widget))


def _frame(widget: QWidget) -> QRect:
    # A window's pos() is its frame's corner; its size() is inside the frame.
    return QRect(widget.pos(), widget.size().grownBy(frame_margins(widget)))


def fit_on_screen(widget: QWidget) -> None:
    """Shrink the window to the free area if it is bigger, then move it wholly inside."""
    if widget.windowState() & (Qt.WindowMaximized | Qt.WindowFullScreen):
        return
    size = fitting_size(widget, widget.size())
    if size != widget.size():
        widget.resize(size)
    area, frame = available_area(widget), _frame(widget)
    left = max(area.left(), min(frame.left(), area.right() + 1 - frame.width()))
    top = max(area.top(), min(frame.top(), area.bottom() + 1 - frame.height()))
    if (left, top) != (frame.left(), frame.top()):
        widget.move(left, top)


def place_main_window(widget: QWidget, saved_geometry) -> None:
    """Restore the saved geometry if it still fits this screen; else a size taken from the screen."""
    if saved_geometry is not None and widget.restoreGeometry(saved_geometry) and (
            widget.windowState() & Qt.WindowMaximized or fits(widget)):
        return
    widget.setWindowState(widget.windowState() & ~Qt.WindowMaximized)
    size = fitting_size(widget, MAIN_WINDOW_SIZE)
    widget.resize(size)
    area, frame = available_area(widget), _frame(widget)
    frame.moveCenter(area.center())
    widget.move(frame.topLeft())


class ScreenFit(QObject):
    """Application-wide: as any window or dialog is shown, it is fitted on its screen, so no
    dialog's preferred size (nor a QMessageBox with a long text) can reach past the screen."""

    def eventFilter(self, watched, event) -> bool:
        # Every event of the application passes here: isinstance costs a tenth of event.type(),
        # which makes a Python enum each time (5,700 events while the window opens).
        if isinstance(event, QShowEvent) and isinstance(watched, QWidget) and watched.isWindow() \
                and watched.windowType() in (Qt.Window, Qt.Dialog, Qt.Sheet):
            fit_on_screen(watched)
        return False


def install(app) -> ScreenFit:
    fitter = ScreenFit(app)
    app.installEventFilter(fitter)
    return fitter
