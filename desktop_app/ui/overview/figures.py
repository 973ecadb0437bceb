"""The overview's counts as buttons: each shows a number and a name, and a click lists its problems."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QPushButton, QVBoxLayout

_TILE_STYLE = """
QPushButton#countTile { background: white; border: 1px solid #d5dbe5; border-radius: 4px;
                        padding: 4px 8px; text-align: left; }
QPushButton#countTile:hover { background: #eef4ff; border-color: #7aa7e0; }
QPushButton#countTile:focus { border: 2px solid #4a86c5; }
QPushButton#countTile:disabled { background: #fafafa; }
"""


class CountTile(QPushButton):
    """A count and its name; disabled at zero (there is nothing to list)."""

    def __init__(self, name: str, colour: QColor | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("countTile")
        self.setStyleSheet(_TILE_STYLE)
        self.setCursor(Qt.PointingHandCursor)
        self.name = name
        self.number = QLabel("0")
        self.number.setObjectName("tileNumber")
        self.colour = (colour or QColor("#1f3f66")).name()
        self.caption = QLabel(name)
        self.caption.setStyleSheet("color: #555; background: transparent;")
        for label in (self.number, self.caption):
            label.setAttribute(Qt.WA_TransparentForMouseEvents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(0)
        layout.addWidget(self.number)
        layout.addWidget(self.caption)
        self.setMinimumHeight(50)
        # A button does not ask its layout how wide it must be: the caption sets it, never clipped.
        self.setMinimumWidth(self.caption.sizeHint().width() + 20)
        self.count = 0
        self.link_tip = self.tr("单击在台账中只显示这%1项问题")

    def set_count(self, count: int, detail: str = "", unit: str = "项") -> None:
        self.count = count
        colour = self.colour if count else "#9e9e9e"  # nothing to list: greyed, and disabled
        self.number.setStyleSheet(f"font-size: 19px; font-weight: bold; color: {colour};"
                                  " background: transparent;")
        small = "font-size:12px; font-weight:normal"
        self.number.setText(f"{count}<span style='{small}'>{unit}</span>" + (
            f"<span style='{small}; color:#555'>　{detail}</span>" if detail else ""))
        self.setEnabled(count > 0)
        self.setToolTip(self.link_tip.replace("%1", str(count)) if count else "")


class FigureGroup(QGroupBox):
    """A titled row of tiles; clicked(key) tells which."""

    clicked = Signal(object)

    def __init__(self, title: str, tiles: list[tuple[object, str, QColor | None]], parent=None):
        super().__init__(title, parent)
        self.tiles: dict[object, CountTile] = {}
        self.row = layout = QGridLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.setHorizontalSpacing(6)
        for column, (key, name, colour) in enumerate(tiles):
            tile = CountTile(name, colour)
            tile.clicked.connect(lambda _checked=False, k=key: self.clicked.emit(k))
            self.tiles[key] = tile
            layout.addWidget(tile, 0, column)
            layout.setColumnStretch(column, 1)
