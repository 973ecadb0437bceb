"""Where printed pages break, decided here from the row heights and set in the sheet.

A spreadsheet has no "keep with next": a 一、 category row can end up alone at the foot of a
page, its problems on the next. So the exporter ends every page itself, with a page break,
before the rows it set the heights of would run past a page — and before a heading whose
first row would not fit with it. The heights are fixed in the sheet; what differs between
Excel, WPS and LibreOffice, and between the fonts a PC has, is the fit-to-width scale (the
column widths are counted in the default font's digits). Pages are therefore filled only to
SAFETY of their estimated height: a renderer printing up to that much larger still reaches
our break before its own, so the pages break where they are set to, whatever the fonts.
"""

from dataclasses import dataclass, field

from .text_fit import CAP_LINES, LINE_PT, MIN_PART_LINES, ROW_PADDING_PT

SAFETY = 0.85  # of a page's estimated height that its rows may use


@dataclass
class Pages:
    body_pt: float  # printable height of a page, in sheet points (already divided by the scale)
    repeated_pt: float  # the header row printed again at the top of every page
    filled_pt: float = 0.0  # of the current page
    breaks: list[int] = field(default_factory=list)  # rows after which we break the page
    _pending: list[tuple[int, float]] = field(default_factory=list)  # headings not yet placed

    @property
    def limit(self) -> float:
        return self.body_pt * SAFETY

    def _break_before(self, row: int) -> None:
        if row > 1 and (not self.breaks or self.breaks[-1] < row - 1):
            self.breaks.append(row - 1)
        self.filled_pt = self.repeated_pt

    def add(self, height: float, row: int) -> None:
        """Row `row` placed after the current ones; the page breaks before it if it does not fit."""
        if self.filled_pt + height > self.limit and self.filled_pt > self.repeated_pt:
            self._break_before(row)
        self.filled_pt += height

    def heading(self, row: int, height: float) -> None:
        """A heading row, placed together with the row that follows it."""
        self._pending.append((row, height))

    def add_after_headings(self, height: float, row: int) -> None:
        """The first row under pending headings: if they would be the last on the page, the
        page breaks before them."""
        if self._pending:
            together = sum(h for _, h in self._pending) + height
            first_row = self._pending[0][0]
            if (self.filled_pt + together > self.limit and self.filled_pt > self.repeated_pt
                    and self.repeated_pt + together <= self.limit):
                self._break_before(first_row)
            for heading_row, h in self._pending:
                self.add(h, heading_row)
            self._pending.clear()
        self.add(height, row)

    def plan_parts(self, lines: int) -> list[int]:
        """Line counts for the rows of a problem `lines` tall, cut where the pages will end.

        The first row fills what is left of the current page (after any pending headings);
        each further row fills a page, but no row exceeds CAP_LINES (Excel's 409 pt).
        """
        headings = sum(h for _, h in self._pending)
        fill = self.filled_pt + headings
        budgets: list[int] = []
        while lines > 0:
            room = int((self.limit - fill - ROW_PADDING_PT) // LINE_PT)
            if room < min(MIN_PART_LINES, lines) and fill > self.repeated_pt + headings:
                fill = self.repeated_pt + (0 if budgets else headings)  # on to the next page
                continue
            part = min(max(room, MIN_PART_LINES), CAP_LINES, lines)
            budgets.append(part)
            lines -= part
            fill += part * LINE_PT + ROW_PADDING_PT
        return budgets

    def finish(self) -> None:
        for row, h in self._pending:
            self.add(h, row)
        self._pending.clear()
