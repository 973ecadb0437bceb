"""How much work any one imported file may ask for, in one place: each far above a real ledger.

A small file can describe a huge amount of work (one merge over a whole sheet, a Word cell spanning
50 million columns, one cell of 190 million characters); the readers measure these figures
before a parsing library expands anything and refuse, with the figure and the limit, past them.
"""

from ..importing.errors import TooMuchToRead

MAX_ROWS = 200_000  # the 10,000-problem benchmark ledger has about 30,000 rows
MAX_COLUMNS = 702  # column ZZ; a ledger has 10 to 20 columns
MAX_SHEET_CELLS = 10_000_000  # rows × columns: every row is read padded to the widest
MAX_MERGES = 200_000  # a tall problem merges ~7 columns over its measure rows
MAX_MERGED_CELLS = 5_000_000  # all merged ranges together, rows × columns
MAX_CELL_CHARS = 20_000  # a real ledger's cell is under a few thousand characters
MAX_PARAGRAPHS = 100_000  # a long plan has a few thousand
MAX_TABLE_ROWS = 50_000  # rows of all tables of a Word document together
MAX_VERTICAL_MERGES = 5_000  # cells of Word tables merged down; a long plan has a few hundred
MAX_TEXT_LINES = 50_000  # a plan of 1,000 problems has about 10,000 lines
MAX_TEXT_BYTES = 5 * 10**6  # a plan is tens of KB


def check(path, what: str, figure: int, limit: int) -> None:
    """Refuse path when its figure for what (rows, merged ranges…) is past limit."""
    if figure > limit:
        raise TooMuchToRead(path, what, figure, limit)
