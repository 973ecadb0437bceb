"""Binds editor widgets to ledger fields: typing saves by itself, shortly after the clerk pauses."""

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit

SAVE_DELAY_MS = 600


class FieldBinder(QObject):
    """Widgets of one row (kind, id). Changes are saved after a pause, on leaving the field, or
    when another row is loaded; the undo stack merges one typing burst into one step."""

    def __init__(self, document, kind: str, parent=None):
        super().__init__(parent)
        self.document, self.kind = document, kind
        self.row_id: int | None = None
        self.widgets: dict[str, QObject] = {}
        self._pending: dict[str, str] = {}
        self._shown_only: set[str] = set()
        self._loading = False
        self._timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)

    def bind(self, field: str, widget, autosave: bool = True) -> None:
        """Without autosave the widget is only shown (load, read-only): its owner saves it."""
        self.widgets[field] = widget
        if not autosave:
            self._shown_only.add(field)
        elif isinstance(widget, QLineEdit):
            widget.textEdited.connect(lambda text, f=field: self._schedule(f, text))
            widget.editingFinished.connect(self.flush)
            widget.installEventFilter(self)
        elif isinstance(widget, QPlainTextEdit):
            widget.textChanged.connect(lambda f=field, w=widget: self._schedule(f, w.toPlainText()))
            widget.installEventFilter(self)
        elif isinstance(widget, QComboBox):
            widget.activated.connect(lambda _i, f=field, w=widget: self._commit_now(f, w.currentData()))
        else:
            raise TypeError(widget)

    def eventFilter(self, watched, event):
        if event.type() == QEvent.FocusOut and isinstance(watched, QPlainTextEdit):
            self.flush()
        elif event.type() == QEvent.ShortcutOverride and event.matches(QKeySequence.Undo) \
                and not _has_own_undo(watched):
            # Nothing typed here to take back: Ctrl+Z goes on to the window, which undoes the
            # last change to the ledger, as the clerk expects from an empty box.
            event.ignore()
            return True
        return False

    def _schedule(self, field: str, value) -> None:
        if self._loading or self.row_id is None:
            return
        self._pending[field] = value
        self._timer.start()

    def _commit_now(self, field: str, value) -> None:
        self._schedule(field, value)
        self.flush()

    def flush(self) -> None:
        self._timer.stop()
        if self._pending and self.row_id is not None:
            pending, self._pending = self._pending, {}
            self.document.edit(self.kind, self.row_id, **pending)

    def load(self, row_id: int | None, row: dict | None) -> None:
        """Show a row's values; only fields whose text differs are touched (keeps the cursor)."""
        if row_id != self.row_id:
            self.flush()
        previous, self.row_id = self.row_id, row_id
        self._loading = True
        try:
            for field, widget in self.widgets.items():
                if field in self._pending or (field in self._shown_only and row_id == previous
                                              and isinstance(widget, QLineEdit) and widget.isModified()):
                    continue  # the clerk is typing here; their text wins
                value = "" if row is None else (row.get(field) or "")
                if isinstance(widget, QComboBox):
                    widget.setCurrentIndex(max(0, widget.findData(value)))
                elif isinstance(widget, QPlainTextEdit):
                    if widget.toPlainText() != value:
                        widget.setPlainText(value)
                elif widget.text() != value:
                    widget.setText(value)
        finally:
            self._loading = False

    def set_read_only(self, read_only: bool) -> None:
        for widget in self.widgets.values():
            if isinstance(widget, QComboBox):
                widget.setEnabled(not read_only)
            else:
                widget.setReadOnly(read_only)


def _has_own_undo(widget) -> bool:
    if isinstance(widget, QLineEdit):
        return widget.isUndoAvailable()
    return widget.document().isUndoAvailable()
