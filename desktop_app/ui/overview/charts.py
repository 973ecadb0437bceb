"""The overview's two charts, drawn with QPainter: 整改状态 by 大类 (stacked bars) and progress by month.

QtCharts is not in PySide6-Essentials; two small widgets keep the bundle lean. They paint in
device-independent pixels, so Qt scales them crisply on high-DPI screens.
"""

from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from ...domain.vocabulary import Schedule, Status

# Okabe–Ito colours, which colour-blind readers tell apart, in steps of lightness that stay
# apart in grey print too: light grey → orange → bluish green → blue → near black.
STATUS_COLOURS = {Status.NOT_STARTED: QColor("#d9d9d9"), Status.IN_PROGRESS: QColor("#e69f00"),
                  Status.DONE: QColor("#009e73"), Status.SIGNING_OFF: QColor("#0072b2"),
                  Status.SIGNED_OFF: QColor("#222222")}
SCHEDULE_COLOURS = {Schedule.DONE: QColor("#009e73"), Schedule.ON_SCHEDULE: QColor("#0072b2"),
                    Schedule.BEHIND: QColor("#e69f00"), Schedule.OVERDUE: QColor("#d55e00")}
_TEXT, _GRID, _MUTED = QColor("#333333"), QColor("#e3e6eb"), QColor("#777777")
BAR_PX, GAP_PX, LEGEND_PX, PAD = 18, 8, 26, 8


def ink_on(colour: QColor) -> QColor:
    """Text that reads on colour: white on dark fills, dark on light ones (orange, grey)."""
    return QColor(Qt.white) if colour.lightnessF() < 0.45 else _TEXT


def _legend_width(font, items) -> int:
    """How wide _legend draws items: a chart is never narrower (its legend is one line)."""
    metrics = QFontMetricsF(font)
    return int(sum(28 + metrics.horizontalAdvance(name) for name, _ in items) + 2 * PAD)


def _legend(painter: QPainter, items, left: float, top: float) -> None:
    """Coloured squares with their names, in one line from (left, top)."""
    metrics = QFontMetricsF(painter.font())
    x = left
    for name, colour in items:
        painter.fillRect(QRectF(x, top + 4, 10, 10), colour)
        painter.setPen(_TEXT)
        painter.drawText(QPointF(x + 14, top + 4 + metrics.ascent() - 1), name)
        x += 14 + metrics.horizontalAdvance(name) + 14


class StatusByCategoryChart(QWidget):
    """One horizontal bar per 大类, cut into its 整改状态; a click on a piece asks for its problems."""

    segment_clicked = Signal(object, str)  # the row's key, the status

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[tuple[object, str, dict[str, int]]] = []  # (key, label, status → count)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.setObjectName("statusByCategoryChart")

    def set_rows(self, rows) -> None:
        self.rows = list(rows)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(480, LEGEND_PX + PAD + max(1, len(self.rows)) * (BAR_PX + GAP_PX) + PAD)

    def minimumSizeHint(self) -> QSize:
        legend = _legend_width(self.font(), [(s.value, None) for s in Status])
        return QSize(max(260, legend), self.sizeHint().height())

    def _geometry(self) -> tuple[float, float, float]:
        """(left of the bars, their full width, the largest total)."""
        metrics = QFontMetricsF(self.font())
        widest = max((metrics.horizontalAdvance(label) for _, label, _ in self.rows), default=0)
        label_w = min(widest + 2 * PAD, self.width() * 0.42)
        biggest = max((sum(c.values()) for _, _, c in self.rows), default=0)
        number_w = metrics.horizontalAdvance(str(biggest)) + 2 * PAD
        return label_w, max(10.0, self.width() - label_w - number_w - PAD), max(biggest, 1)

    def _pieces(self):
        """Each bar piece: (rect, row key, status, count, label)."""
        left, width, biggest = self._geometry()
        for index, (key, label, counts) in enumerate(self.rows):
            top = LEGEND_PX + PAD + index * (BAR_PX + GAP_PX)
            x = left
            for status in Status:
                n = counts.get(status, 0)
                if n:
                    w = width * n / biggest
                    yield QRectF(x, top, w, BAR_PX), key, status.value, n, label
                    x += w

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing, False)  # bars on whole pixels stay sharp
        _legend(painter, [(s.value, STATUS_COLOURS[s]) for s in Status], PAD, 0)
        if not self.rows:
            painter.setPen(_MUTED)
            painter.drawText(self.rect().adjusted(0, LEGEND_PX, 0, 0), Qt.AlignCenter,
                             self.tr("还没有问题"))
            return
        metrics = QFontMetricsF(self.font())
        left, width, biggest = self._geometry()
        for index, (_key, label, counts) in enumerate(self.rows):
            top = LEGEND_PX + PAD + index * (BAR_PX + GAP_PX)
            text = metrics.elidedText(label, Qt.ElideRight, left - 2 * PAD)
            painter.setPen(_TEXT)
            painter.drawText(QRectF(PAD, top, left - 2 * PAD, BAR_PX), Qt.AlignVCenter | Qt.AlignRight,
                             text)
            total = sum(counts.values())
            painter.drawText(QRectF(left + width * total / biggest + 4, top, 80, BAR_PX),
                             Qt.AlignVCenter | Qt.AlignLeft, str(total))
        for rect, _key, status, n, _label in self._pieces():
            painter.fillRect(rect.toAlignedRect(), STATUS_COLOURS[Status(status)])
            text = str(n)
            if metrics.horizontalAdvance(text) + 6 <= rect.width():
                painter.setPen(ink_on(STATUS_COLOURS[Status(status)]))
                painter.drawText(rect, Qt.AlignCenter, text)

    def piece_at(self, point: QPointF):
        return next((p for p in self._pieces() if p[0].contains(point)), None)

    def mouseMoveEvent(self, event) -> None:
        piece = self.piece_at(event.position())
        self.setCursor(Qt.PointingHandCursor if piece else Qt.ArrowCursor)
        if piece:
            _rect, _key, status, n, label = piece
            QToolTip.showText(event.globalPosition().toPoint(),
                              self.tr("%1\n%2：%3项（单击查看）").replace("%1", label)
                              .replace("%2", status).replace("%3", str(n)), self)
        else:
            QToolTip.hideText()

    def mouseReleaseEvent(self, event) -> None:
        piece = self.piece_at(event.position())
        if piece and event.button() == Qt.LeftButton:
            self.segment_clicked.emit(piece[1], piece[2])


class ProgressChart(QWidget):
    """Finished and 已销号 problems at each month end, against the total: lines with dots."""

    SERIES = (("已完成整改", SCHEDULE_COLOURS[Schedule.DONE]), ("已销号", STATUS_COLOURS[Status.SIGNED_OFF]))

    def __init__(self, parent=None):
        super().__init__(parent)
        self.points: list[tuple[date, int, int]] = []  # (day, finished, 已销号)
        self.total = 0
        self.setMouseTracking(True)
        self.setMinimumHeight(220)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        self.setObjectName("progressChart")

    def set_points(self, points, total: int) -> None:
        self.points, self.total = list(points), total
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(480, 240)

    def minimumSizeHint(self) -> QSize:
        return QSize(_legend_width(self.font(), [*self.SERIES, (self.tr("问题总数"), None)]), 220)

    def _plot(self) -> QRectF:
        metrics = QFontMetricsF(self.font())
        left = metrics.horizontalAdvance(str(max(self.total, 10))) + 2 * PAD
        return QRectF(left, LEGEND_PX + PAD, self.width() - left - 2 * PAD,
                      self.height() - LEGEND_PX - 2 * PAD - metrics.height() - 4)

    def _x(self, plot: QRectF, index: int) -> float:
        steps = max(1, len(self.points) - 1)
        return plot.left() + plot.width() * index / steps

    def _top(self) -> int:
        """The y axis' top: the total, rounded up to a readable step."""
        step = _nice_step(max(self.total, 1) / 4)
        return max(step, -(-max(self.total, 1) // step) * step)

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        _legend(painter, [*self.SERIES, (self.tr("问题总数"), _MUTED)], PAD, 0)
        if not self.points:
            return
        plot, top = self._plot(), self._top()
        metrics = QFontMetricsF(self.font())
        step = _nice_step(top / 4)
        for value in range(0, top + 1, step):  # grid lines and the y axis' numbers
            y = plot.bottom() - plot.height() * value / top
            painter.setPen(QPen(_GRID, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(_MUTED)
            painter.drawText(QRectF(0, y - 8, plot.left() - 6, 16), Qt.AlignRight | Qt.AlignVCenter,
                             str(value))
        y_total = plot.bottom() - plot.height() * self.total / top
        painter.setPen(QPen(_MUTED, 1, Qt.DashLine))
        painter.drawLine(QPointF(plot.left(), y_total), QPointF(plot.right(), y_total))
        for index, (day, *_values) in enumerate(self.points):  # month names under the axis
            text = f"{day.month}月" if index and day.month != 1 else f"{day.year % 100:02d}年{day.month}月"
            x = self._x(plot, index)
            width = metrics.horizontalAdvance(text)
            if index % max(1, round(len(self.points) * (width + 8) / plot.width() + 0.5)) == 0:
                painter.drawText(QPointF(x - width / 2, plot.bottom() + metrics.ascent() + 4), text)
        for series, (_name, colour) in enumerate(self.SERIES):
            path = QPainterPath()
            for index, point in enumerate(self.points):
                spot = QPointF(self._x(plot, index), plot.bottom() - plot.height() * point[1 + series] / top)
                path.lineTo(spot) if index else path.moveTo(spot)
            painter.setPen(QPen(colour, 2))
            painter.setBrush(Qt.NoBrush)
            painter.drawPath(path)
            painter.setBrush(colour)
            for index in range(len(self.points)):
                painter.drawEllipse(path.elementAt(index).x - 2.5, path.elementAt(index).y - 2.5, 5, 5)

    def mouseMoveEvent(self, event) -> None:
        if not self.points:
            return
        plot = self._plot()
        index = min(range(len(self.points)),
                    key=lambda i: abs(self._x(plot, i) - event.position().x()))
        day, finished, signed_off = self.points[index]
        QToolTip.showText(event.globalPosition().toPoint(), self.tr(
            "截至%1：已完成整改%2项，其中已销号%3项（共%4项）").replace("%1", day.isoformat())
            .replace("%2", str(finished)).replace("%3", str(signed_off))
            .replace("%4", str(self.total)), self)


def _nice_step(raw: float) -> int:
    """1, 2, 5, 10, 20, 50 … : the smallest at least raw."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            if factor * magnitude >= raw:
                return factor * magnitude
        magnitude *= 10
