"""How much room text needs in a spreadsheet cell, and how a too-tall problem continues over rows.

Excel, WPS and LibreOffice do not grow a row for wrapped text written by a program, so the
exporter sets every row height itself, estimated from the text. Widths are in Excel's column
units (one digit of the default font, 7 px): a Chinese character of 10.5 pt 宋体 (14 px) takes
two units, a Latin letter or digit one. Estimates err on the tall side: some air below the text
is fine, clipped text is not.
"""

import math
import re

# What an .xlsx cannot hold (lxml raises ValueError): control characters, U+FFFE and U+FFFF (which
# a paste from some web pages brings), and lone surrogates (which it cannot encode).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# One wrapped line of 10.5 pt 宋体. SimSun needs ~13.5 pt in Excel/WPS; LibreOffice on Linux
# substitutes Noto Sans CJK, measured at 14.74 pt a line in its PDF. The larger wins.
LINE_PT = 14.8
ROW_PADDING_PT = 4.0
WRAP_SLACK = 1.04  # lines break before they are full (避头尾 punctuation, Latin words)

# A problem taller than MAX_ROW_LINES is cut into several rows, as a clerk does by hand: Excel
# shows at most 409 pt of a row, and a page break only falls between rows, so the rows are cut
# where the printed page ends (pagination.Pages.plan_parts) and no page is left half empty.
MAX_ROW_LINES = 16
EXCEL_ROW_LIMIT_PT = 409
CAP_LINES = int((EXCEL_ROW_LIMIT_PT - ROW_PADDING_PT) // LINE_PT)  # 27: the most in one row
MIN_PART_LINES = 3  # less room than this at the foot of a page: the text starts on the next


def clean_text(text) -> str:
    """Text as a cell may hold it (xml_text), without the blanks around it."""
    return xml_text(text).strip()


def xml_text(text) -> str:
    """Text as an .xlsx or .docx may hold it: Word's vertical tabs become line breaks; control
    characters and the noncharacters U+FFFE/U+FFFF, invisible and refused by XML, go (the
    ledger keeps them)."""
    if text is None:
        return ""
    text = str(text)
    if text.isprintable():  # the usual case, and much cheaper than the replacements below
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    return NOT_XML.sub("", text)


def display_width(text: str) -> float:
    """Width in column units: CJK characters (3 bytes in UTF-8) count 2, ASCII 1."""
    # From the UTF-8 length, so that 10,000 long cells cost C speed rather than a Python loop.
    return len(text) + (len(text.encode("utf-8")) - len(text)) / 2


def _capacity(width_units: float) -> float:
    return max(width_units - 1.0, 1.0) / WRAP_SLACK


def wrapped_lines(text: str, width_units: float) -> int:
    """How many lines text takes, wrapped in a column width_units wide (at least 1)."""
    capacity = _capacity(width_units)
    if "\n" not in text:
        return max(1, math.ceil(display_width(text) / capacity))
    return sum(max(1, math.ceil(display_width(p) / capacity)) for p in text.split("\n"))


def text_height(text: str, width_units: float, line_pt: float = LINE_PT) -> float:
    return wrapped_lines(text, width_units) * line_pt + ROW_PADDING_PT


def row_height(lines: int) -> float:
    return lines * LINE_PT + ROW_PADDING_PT


# -- a tall problem over several rows ------------------------------------------------------

_GOOD_CUTS = "。；！？，、：;!?,:"
_LAST_MARK = re.compile(f"[{_GOOD_CUTS}][^{_GOOD_CUTS}]*$")


def _head_that_fits(paragraph: str, room_units: float, capacity: float) -> int:
    """How many characters of paragraph fill at most room_units, ending after a punctuation mark
    in the last line where there is one (a comma-sized pause reads better than a cut word)."""
    # Each character is 1 or 2 units wide: room/2 characters always fit. Then add half of what
    # room is left, as many times as that still adds a character (two or three steps).
    low = min(len(paragraph), int(room_units // 2))
    used = display_width(paragraph[:low])
    while low < len(paragraph):
        step = min(int((room_units - used) // 2), len(paragraph) - low) or 1
        more = display_width(paragraph[low:low + step])
        if used + more > room_units:
            break
        low, used = low + step, used + more
    if low >= len(paragraph):
        return low
    if paragraph[low] in _GOOD_CUTS:  # a mark that would start the next line hangs on this one
        return low + 1
    window = max(0, low - int(capacity / 2))  # about the last line
    last = _LAST_MARK.search(paragraph, window, low)
    return last.start() + 1 if last else low


def _column_parts(text: str, width_units: float, budgets: list[int]) -> list[tuple[str, int]]:
    """One column's text cut into parts, the i-th of at most budgets[i] lines (the last budget
    repeats if the text needs more parts): (text, lines) of each."""
    capacity = _capacity(width_units)
    parts: list[tuple[str, int]] = []
    pieces: list[str] = []

    last_budget = len(budgets) - 1

    def budget() -> int:
        return budgets[len(parts) if len(parts) < last_budget else last_budget]

    room = budget()
    for paragraph in text.split("\n"):
        while True:
            need = max(1, math.ceil(display_width(paragraph) / capacity))
            if need <= room:
                pieces.append(paragraph)
                room -= need
                break
            head = _head_that_fits(paragraph, room * capacity, capacity)
            if head == 0 and not pieces:
                head = 1  # a column too narrow for one character: still move on
            if head:
                pieces.append(paragraph[:head])
                paragraph = paragraph[head:]
            if pieces:
                parts.append(("\n".join(pieces), budget() - (0 if head else room)))
            pieces = []
            room = budget()
        if room == 0:
            parts.append(("\n".join(pieces), budget()))
            pieces = []
            room = budget()
    if pieces and any(pieces):
        parts.append(("\n".join(pieces), budget() - room))
    return parts


def split_over_rows(texts: list[str], widths: list[float], budgets: list[int],
                    lines: list[int] | None = None) -> tuple[list[list[str]], list[int]]:
    """Cut the texts of one problem (one per column) into rows of budgets[i] lines each.

    Each column's text runs on from one row to the next, cut where a line ends (after a
    punctuation mark where one is near), so every row reads as a full block of text. Returns
    the rows (each a list of cell texts, in column order) and how many lines each row needs.
    lines, if given, are the texts' wrapped_lines (a short column then needs no cutting).
    """
    lines = lines or [wrapped_lines(text, width) for text, width in zip(texts, widths)]
    columns = [[] if not text else [(text, n)] if n <= budgets[0] else
               _column_parts(text, width, budgets)
               for text, width, n in zip(texts, widths, lines)]
    count = max(1, max(len(parts) for parts in columns))
    rows = [[parts[i][0] if i < len(parts) else "" for parts in columns] for i in range(count)]
    heights = [max([1] + [parts[i][1] for parts in columns if i < len(parts)])
               for i in range(count)]
    return rows, heights
