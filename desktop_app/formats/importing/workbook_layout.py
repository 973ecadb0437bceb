"""Finding a ledger's header by what it says, and mapping its columns to ledger fields.

Headers sit anywhere in the first rows, under a title, in one row or two (a merged 责任分工
over 责任领导 and 责任单位). The row that names the most fields is the header; the row under
it joins it when it only holds more header words.
"""

from dataclasses import dataclass

from .plan import IMPORT_FIELDS, ColumnMapping
from .values import ITEM_NUMBER, heading_level
from .vocabulary import header_field, header_rank, is_group_header

HEADER_SEARCH_ROWS = 40  # a header further down than this is not a ledger's header
_KEY_FIELDS = {"description", "measures", "goal", "lead_unit"}
_LONGEST_HEADER = 24  # a cell longer than this is data, not a column name


@dataclass
class Header:
    rows: tuple[int, ...]  # 1-based row numbers
    columns: list[ColumnMapping]
    duplicates: list[tuple[ColumnMapping, ColumnMapping]]  # (kept, dropped) auto-mapped twice
    _by_field: dict | None = None

    @property
    def last_row(self) -> int:
        return self.rows[-1]

    def indexes(self, field: str) -> list[int]:
        return self.by_field().get(field, [])

    def by_field(self) -> dict[str, list[int]]:
        """field → the 0-based columns mapped to it (computed once: asked for every cell)."""
        if self._by_field is None:
            self._by_field = {}
            for c in self.columns:
                if c.field:
                    self._by_field.setdefault(c.field, []).append(c.source_index)
        return self._by_field


def _fields(cells: list[str]) -> list[str | None]:
    return [header_field(c) if c and len(c) <= _LONGEST_HEADER else None for c in cells]


def _score(fields: list[str | None]) -> int:
    found = {f for f in fields if f}
    return len(found) if found & _KEY_FIELDS else 0


def find_header(rows: list[tuple[int, list[str]]]) -> Header | None:
    """The header among the first rows (row number, cell texts), or None."""
    best, best_score = None, 1  # at least two fields, one of them a key field
    for i, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        score = _score(_fields(cells))
        if score > best_score:
            best, best_score = i, score
    if best is None:
        return None
    # Cells merged down over a two-row header fill the lower row too, so it may score best:
    # its upper row (责任分工 over 责任领导/责任单位) then starts the header.
    if best > 0 and rows[best - 1][0] == rows[best][0] - 1 and _continues(rows[best - 1][1], rows[best][1]) \
            and _names_something(rows[best - 1][1]):
        best -= 1
    number, upper = rows[best]
    names = list(upper)
    fields = _fields(upper)
    used = [number]
    if best + 1 < len(rows) and _continues(upper, rows[best + 1][1]):
        lower_number, lower = rows[best + 1]
        used.append(lower_number)
        lower_fields = _fields(lower)
        width = max(len(upper), len(lower))
        names = [_joined_name(_at(upper, i), _at(lower, i)) for i in range(width)]
        fields = [_at(lower_fields, i) or _at(fields, i) for i in range(width)]
    return _mapping(tuple(used), names, fields)


def _at(items: list, i: int):
    return items[i] if i < len(items) else None


def _continues(upper: list[str], lower: list[str]) -> bool:
    """The row under a header finishes it: it names fields, each under a group cell (责任分工
    merged over two columns, or a blank), and holds nothing that looks like data."""
    named = 0
    for i, text in enumerate(lower):
        if not text:
            continue
        above = _at(upper, i) or ""
        if text == above:  # a header cell merged down over both rows
            continue
        if len(text) > _LONGEST_HEADER or heading_level(text) or ITEM_NUMBER.match(text):
            return False
        if not (header_field(text) or is_group_header(text)):
            return False
        merged_across = (i > 0 and _at(upper, i - 1) == above) or _at(upper, i + 1) == above
        if above and not (merged_across or is_group_header(above) or header_field(above) is None):
            return False  # under a header of its own: a category or data row, not more header
        named += 1
    return named > 0


def _names_something(cells: list[str]) -> bool:
    """A header's upper row: several different cells (a title merged across is one), some naming a field."""
    distinct = {c for c in cells if c}
    return len(distinct) >= 2 and any(
        len(c) <= _LONGEST_HEADER and (header_field(c) or is_group_header(c)) for c in distinct)


def _joined_name(upper: str | None, lower: str | None) -> str:
    upper, lower = (upper or "").strip(), (lower or "").strip()
    if not lower or lower == upper:
        return upper
    return f"{upper}/{lower}" if upper else lower


def _mapping(rows: tuple[int, ...], names: list[str], fields: list[str | None]) -> Header:
    columns, seen, duplicates = [], {}, []
    for index, (name, field) in enumerate(zip(names, fields)):
        name = (name or "").strip()
        if not name and not field:
            continue
        column = ColumnMapping(" ".join(name.split()), index, field)
        columns.append(column)
        if field not in seen:
            if field:
                seen[field] = column
            continue
        # Two columns name one field: the squarer name wins, then the left one; the clerk can
        # change it in the preview.
        kept = seen[field]
        if header_rank(column.source_header.split("/")[-1], field) < \
                header_rank(kept.source_header.split("/")[-1], field):
            kept, column = column, kept
            seen[field] = kept
        column.field = None
        duplicates.append((kept, column))
    return Header(rows, columns, duplicates)


def override(header: Header, mapping: dict[int, str | None], width: int) -> Header:
    """The header with the clerk's own choice of field per column (source_index → field or None)."""
    unknown = {f for f in mapping.values() if f and f not in IMPORT_FIELDS}
    if unknown:
        raise ValueError(f"unknown import fields: {sorted(unknown)}")
    by_index = {c.source_index: c for c in header.columns}
    for index, field in mapping.items():
        if index in by_index:
            by_index[index].field = field
        elif 0 <= index < width:
            by_index[index] = ColumnMapping("", index, field)
    columns = sorted(by_index.values(), key=lambda c: c.source_index)
    return Header(header.rows, columns, [])


def header_texts(header: Header) -> frozenset[str]:
    """The header's cell texts as written, to spot the header repeated lower down."""
    texts = set()
    for column in header.columns:
        if column.field:
            texts.update(part for part in column.source_header.split("/") if part)
    return frozenset(texts)


def is_header_repeat(cells: list[str], texts: frozenset[str]) -> bool:
    """A data row that repeats the column names (tables pasted page by page)."""
    hits = sum(1 for c in cells if c in texts)
    return hits >= max(2, len(texts) // 2)
