"""Work that should wait until a widget has painted: Python work in a thread holds the
interpreter's lock, and started before the first paint it slows that paint down."""

from PySide6.QtCore import QEvent, QObject, QTimer

HIDDEN_FALLBACK_MS = 2000  # a widget kept hidden never paints: start the work after this long


class _PaintWatch(QObject):
    def __init__(self, widget, callback):
        super().__init__(widget)
        self.widget, self.callback = widget, callback
        widget.installEventFilter(self)
        QTimer.singleShot(HIDDEN_FALLBACK_MS, self, self._fire)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Paint:
            QTimer.singleShot(0, self, self._fire)  # once this paint is done
        return False

    def _fire(self) -> None:
        if self.callback is None:
            return
        callback, self.callback = self.callback, None
        self.widget.removeEventFilter(self)
        self.deleteLater()
        callback()


def after_next_paint(widget, callback) -> None:
    """callback() once widget (a view's viewport, say) has next painted."""
    _PaintWatch(widget, callback)
