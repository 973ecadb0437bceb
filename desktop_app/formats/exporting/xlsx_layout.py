"""How an exported workbook looks: fonts, borders, column widths, page setup, sheet names."""

import re

from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.properties import PageSetupProperties

EXCEL_CELL_LIMIT = 32767  # characters in one cell
UNITS_PER_PT = 1 / 5.25  # one column unit = 7 px = 5.25 pt

PAPER_SIZES = {"A4": 9, "A3": 8}  # SpreadsheetML paperSize codes
# Landscape; margins in inches: 2.5 cm on the left for binding, 1.5 cm right, 2 cm top and bottom.
MARGINS = {"left": 2.5 / 2.54, "right": 1.5 / 2.54, "top": 2.0 / 2.54, "bottom": 2.0 / 2.54,
           "header": 0.8 / 2.54, "footer": 0.9 / 2.54}
_PAPER_CM = {"A4": (29.7, 21.0), "A3": (42.0, 29.7)}  # long and short side
FOOTER_TEXT = "第 &P 页 共 &N 页"

_thin = Side(style="thin", color="000000")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
# A tall problem's rows: no line between them, so they read as one cell ("first" opens it; the
# next problem's or heading's top line closes it, or "last" at the foot of the sheet).
_EDGE_BORDERS = {"all": BORDER, "first": Border(left=_thin, right=_thin, top=_thin),
                 "middle": Border(left=_thin, right=_thin),
                 "last": Border(left=_thin, right=_thin, bottom=_thin)}
_CATEGORY_FILL = PatternFill("solid", fgColor="F2F2F2")
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_TOP_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)
_TOP_CENTER = Alignment(horizontal="center", vertical="top", wrap_text=True)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_MIDDLE_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)

# name: (font, alignment, border?, fill)
_STYLES = {
    "title": (Font(name="宋体", size=18, bold=True), _CENTER, False, None),
    "title16": (Font(name="宋体", size=16, bold=True), _CENTER, False, None),
    "title14": (Font(name="宋体", size=14, bold=True), _CENTER, False, None),
    "summary": (Font(name="宋体", size=12), _CENTER, False, None),
    "header": (Font(name="黑体", size=11, bold=True), _CENTER, True, _HEADER_FILL),
    "category": (Font(name="宋体", size=11, bold=True), _MIDDLE_LEFT, True, _CATEGORY_FILL),
    "subcategory": (Font(name="宋体", size=10.5, bold=True), _MIDDLE_LEFT, True, None),
    "text": (Font(name="宋体", size=10.5), _TOP_LEFT, True, None),
    "number": (Font(name="宋体", size=10.5), _TOP_CENTER, True, None),
    "count": (Font(name="宋体", size=10.5), _CENTER, True, None),
}
# Each merged-row style's font size relative to the body's 10.5 pt, and the height of one of its
# lines (as text_fit.LINE_PT for the body): for estimating how those rows wrap.
FONT_SCALE = {"title": 18 / 10.5, "title16": 16 / 10.5, "title14": 14 / 10.5,
              "summary": 12 / 10.5, "header": 11 / 10.5, "category": 11 / 10.5, "subcategory": 1.0}
LINE_PT_BY_STYLE = {"title": 30.0, "title16": 27.0, "title14": 24.0, "summary": 20.0,
                    "header": 16.5, "category": 16.0, "subcategory": 14.8}


class Styles:
    """Each style built once; cells refer to it by its index in the workbook's cell formats.

    A cell is (value, style index as written, cell type as written) for xlsx_sheets.SheetRows,
    which writes it itself: openpyxl's Cell copies its style and hashes it again for every cell
    written, a fifth of a big export.
    """

    def __init__(self, worksheet):
        self.ws = worksheet
        self._ids = {}
        for name, (font, alignment, bordered, fill) in _STYLES.items():
            for quoted in (False, True):
                for edge in (_EDGE_BORDERS if bordered else ["all"]):
                    proto = Cell(worksheet)
                    proto.font, proto.alignment = font, alignment
                    if bordered:
                        proto.border = _EDGE_BORDERS[edge]
                    if fill is not None:
                        proto.fill = fill
                    if quoted:  # Excel keeps the text as text even when the clerk edits it
                        proto.quotePrefix = True
                    self._ids[name, quoted, edge] = str(proto.style_id)

    def cell(self, value, name: str, edge: str = "all") -> tuple:
        """A cell for SheetRows.append: text always as text (never a formula), in the named style."""
        if isinstance(value, str):  # no type guessing: "=SUM(…)" from a clerk stays text
            return value, self._ids[name, value[:1] in _FORMULA_STARTS, edge], "inlineStr"
        return value, self._ids[name, False, edge], "n"


_FORMULA_STARTS = frozenset("=+-@")


def _printable_pt(paper: str, landscape: bool) -> tuple[float, float]:
    long_cm, short_cm = _PAPER_CM[paper]
    width_cm, height_cm = (long_cm, short_cm) if landscape else (short_cm, long_cm)
    width_in = width_cm / 2.54 - MARGINS["left"] - MARGINS["right"]
    height_in = height_cm / 2.54 - MARGINS["top"] - MARGINS["bottom"]
    return width_in * 72, height_in * 72


def printable_units(paper: str) -> float:
    """The printable width of a landscape page in column units, less 10 %: LibreOffice draws a
    unit ~6 % wider than Excel (Carlito's digits), and a table even a little too wide is shrunk
    to fit, which moves every page break away from where pagination.Pages expects it."""
    return _printable_pt(paper, True)[0] * UNITS_PER_PT * 0.90


def print_scale(widths, paper: str, landscape: bool = True) -> float:
    """The zoom fit-to-width will print at: Excel's whole percent, at most 100 %."""
    table_pt = sum(int(7 * w + 0.5) for w in widths) * 0.75  # Excel's pixels for each column
    scale = min(1.0, _printable_pt(paper, landscape)[0] / table_pt) if table_pt else 1.0
    return int(scale * 100) / 100


def page_body_pt(paper: str, scale: float, landscape: bool = True) -> float:
    """How many points of rows fit on one page at that scale."""
    return _printable_pt(paper, landscape)[1] / scale


def fit_widths(defaults: dict[str, float], flexible: set[str], paper: str) -> dict[str, float]:
    """Stretch or shrink the text-heavy columns so that the table fills the paper's width.

    Short columns (责任领导, 整改时限 …) keep their width (a little more on A3, where a unit's
    name then fits on one line); the long-text ones share what is left. They never shrink below
    60 % of their default: past that, fit-to-width scales the print down instead.
    """
    short = _SHORT_COLUMN_FACTOR[paper]
    widths = {k: w if k in flexible or w <= 6 else round(w * short, 1) for k, w in defaults.items()}
    fixed = sum(w for k, w in widths.items() if k not in flexible)
    stretchable = sum(w for k, w in widths.items() if k in flexible)
    if not stretchable:
        return widths
    factor = max(0.6, (printable_units(paper) - fixed) / stretchable)
    return {k: round(w * factor, 1) if k in flexible else w for k, w in widths.items()}


_SHORT_COLUMN_FACTOR = {"A4": 1.0, "A3": 1.3}


def setup_page(ws, paper: str, landscape: bool, title_rows: str | None, freeze: str | None) -> None:
    """A4/A3, fit all columns on one page wide, binding margin, 第 N 页 共 M 页, repeated header."""
    ws.page_setup.paperSize = PAPER_SIZES[paper]
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as it takes
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    for name, inches in MARGINS.items():
        setattr(ws.page_margins, name, round(inches, 3))
    ws.print_options.horizontalCentered = True
    footer = ws.oddFooter.center
    footer.text, footer.font, footer.size = FOOTER_TEXT, "宋体,常规", 10
    if title_rows:
        ws.print_title_rows = title_rows
    if freeze:
        ws.freeze_panes = freeze


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_names(wanted: list[str], reserved: set[str] = frozenset()) -> list[str]:
    """Valid, unique sheet names (≤ 31 characters, none of []:*?/\\), in the order wanted."""
    taken = {r.casefold() for r in reserved}
    names = []
    for name in wanted:
        base = _SHEET_FORBIDDEN.sub("_", name).strip().strip("'") or "督察批次"
        candidate, n = base[:31], 1
        while candidate.casefold() in taken or candidate.casefold() == "history":
            n += 1
            suffix = f"({n})"
            candidate = base[:31 - len(suffix)] + suffix
        taken.add(candidate.casefold())
        names.append(candidate)
    return names
