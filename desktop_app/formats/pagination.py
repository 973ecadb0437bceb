"""Where printed pages will break, estimated from row heights, to keep headings with their rows.

A spreadsheet has no "keep with next": a 一、 category row can end up alone at the foot of a
page, its problems on the next. A clerk fixes that by hand with a page break before the heading;
the exporter does the same from the row heights it set. Excel, WPS and LibreOffice paginate
from those same heights, the margins and the fit-to-width scale, so the estimate holds.
"""

from dataclasses import dataclass, field

from .text_fit import CAP_LINES, LINE_PT, MIN_PART_LINES, ROW_PADDING_PT

FILL = 0.98  # of a page's estimated height that rows cut to fit may use: renderers round


@dataclass
class Pages:
    body_pt: float  # printable height of a page, in sheet points (already divided by the scale)
    repeated_pt: float  # the header row printed again at the top of every page
    filled_pt: float = 0.0  # of the current page
    breaks: list[int] = field(default_factory=list)  # rows after which we break the page
    _pending: list[tuple[int, float]] = field(default_factory=list)  # headings not yet placed

    def add(self, height: float) -> None:
        """A row placed after the current ones; the page breaks before it if it does not fit."""
        if self.filled_pt + height > self.body_pt and self.filled_pt > self.repeated_pt:
            self.filled_pt = self.repeated_pt
        self.filled_pt += height

    def heading(self, row: int, height: float) -> None:
        """A heading row, placed together with the row that follows it."""
        self._pending.append((row, height))

    def add_after_headings(self, height: float) -> None:
        """The first row under pending headings: if they would be the last on the page, the
        page breaks before them (and that break is recorded for the sheet)."""
        if self._pending:
            together = sum(h for _, h in self._pending) + height
            first_row = self._pending[0][0]
            if (self.filled_pt + together > self.body_pt and self.filled_pt > self.repeated_pt
                    and self.repeated_pt + together <= self.body_pt):
                self.breaks.append(first_row - 1)
                self.filled_pt = self.repeated_pt
            for _, h in self._pending:
                self.add(h)
            self._pending.clear()
        self.add(height)

    def plan_parts(self, lines: int) -> list[int]:
        """Line counts for the rows of a problem `lines` tall, cut where the pages will end.

        The first row fills what is left of the current page (after any pending headings);
        each further row fills a page, but no row exceeds CAP_LINES (Excel's 409 pt).
        """
        headings = sum(h for _, h in self._pending)
        fill = self.filled_pt + headings
        budgets: list[int] = []
        while lines > 0:
            room = int((self.body_pt * FILL - fill - ROW_PADDING_PT) // LINE_PT)
            if room < min(MIN_PART_LINES, lines) and fill > self.repeated_pt + headings:
                fill = self.repeated_pt + (0 if budgets else headings)  # on to the next page
                continue
            part = min(max(room, MIN_PART_LINES), CAP_LINES, lines)
            budgets.append(part)
            lines -= part
            fill += part * LINE_PT + ROW_PADDING_PT
        return budgets

    def finish(self) -> None:
        for _, h in self._pending:
            self.add(h)
        self._pending.clear()
