"""Background work that waits until the clerk has stopped typing and clicking for a moment.

Starting the full check after opening while the clerk typed (the imports, the spawn and the
child's interpreter starting at normal priority, before it lowers its own) made one keystroke in
forty take two or three times as long on a 2-core PC; once running, the niced child is harmless.
Begun when nobody has pressed a key or the mouse for IDLE_MS, it starts in a pause instead.
"""

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QInputEvent, QInputMethodEvent
from PySide6.QtWidgets import QApplication

IDLE_MS = 1500  # a pause between words, not between keys
LONGEST_WAIT_MS = 60_000  # a clerk typing without a break for a minute still gets the findings

INPUT = frozenset({QEvent.KeyPress, QEvent.KeyRelease, QEvent.InputMethod, QEvent.MouseButtonPress,
                   QEvent.MouseButtonRelease, QEvent.MouseButtonDblClick, QEvent.Wheel,
                   QEvent.TouchBegin, QEvent.TouchUpdate})


class _IdleWatch(QObject):
    def __init__(self, parent, callback):
        super().__init__(parent)
        self.callback = callback
        self.idle = QTimer(self, singleShot=True, interval=IDLE_MS, timeout=self._fire)
        self.idle.start()
        QTimer.singleShot(LONGEST_WAIT_MS, self, self._fire)
        QApplication.instance().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        # isinstance first: event.type() makes a Python enum, for each of thousands of events
        if isinstance(event, (QInputEvent, QInputMethodEvent)) and event.type() in INPUT:
            self.idle.start()  # restarts: the pause is counted from the last input
        return False

    def _fire(self) -> None:
        if self.callback is None:
            return
        callback, self.callback = self.callback, None
        QApplication.instance().removeEventFilter(self)
        self.idle.stop()
        self.deleteLater()
        callback()


def after_idle(parent: QObject, callback) -> None:
    """callback() once no key or mouse input has come for IDLE_MS (at the latest after
    LONGEST_WAIT_MS); never, if parent is deleted first."""
    _IdleWatch(parent, callback)
