"""A worksheet's rows as cell texts, with merged ranges given to every cell they cover.

Texts are what the clerk sees (1.0 → 1, dates in Chinese), pinyin noise removed, and
converted to simplified characters when the sheet is written in traditional ones.
"""

import itertools
from collections import defaultdict
from dataclasses import dataclass

from .chinese_text import clean_cell, looks_traditional
from .values import cell_text
from ..reading.workbook_source import Sheet

_SAMPLE_ROWS = 60  # rows looked at to tell a traditional-character sheet


@dataclass
class Row:
    number: int  # 1-based, as WPS/Excel shows it
    texts: list[str]
    anchors: dict[int, tuple[int, int]]  # 0-based column → (row, column) of its merged range's first cell

    def text(self, index: int | None) -> str:
        return self.texts[index] if index is not None and index < len(self.texts) else ""

    def merged_from_above(self, index: int | None) -> bool:
        """The cell belongs to a merged range that starts on an earlier row."""
        anchor = self.anchors.get(index) if index is not None else None
        return anchor is not None and anchor[0] < self.number

    def merged_across(self) -> bool:
        """Some merged range on this row covers more than one column (a category or title row)."""
        columns: dict[tuple[int, int], int] = defaultdict(int)
        for anchor in self.anchors.values():
            columns[anchor] += 1
        return any(count > 1 for count in columns.values())

    def distinct(self) -> list[str]:
        """The different non-empty texts, in column order."""
        seen: list[str] = []
        for text in self.texts:
            if text and text not in seen:
                seen.append(text)
        return seen


def sheet_rows(sheet: Sheet):
    """(simplified, rows): whether the sheet was traditional, and its Rows one by one."""
    raw = sheet.rows()
    head = list(itertools.islice(raw, _SAMPLE_ROWS))
    sample = "".join(v for row in head for v in row if isinstance(v, str))
    simplify = looks_traditional(sample)
    return simplify, _filled(sheet, itertools.chain(head, raw), simplify)


def _filled(sheet: Sheet, raw, simplify: bool):
    starting: dict[int, list] = defaultdict(list)
    for merge in sheet.merges:
        min_row, min_col, max_row, max_col = merge
        if (min_row, min_col) != (max_row, max_col):
            starting[min_row].append(merge)
    active: list[tuple[tuple, str]] = []  # (merge, text of its first cell)
    no_anchors: dict = {}  # shared by rows without merged cells (nearly all): never written to
    for number, values in enumerate(raw, start=1):
        texts = [_text(v, simplify) if v is not None else "" for v in values]
        if active:
            active = [(m, t) for m, t in active if m[2] >= number]
        if number in starting:
            for merge in starting.pop(number):
                active.append((merge, _at(texts, merge[1] - 1)))
        if not active:
            yield Row(number, texts, no_anchors)
            continue
        anchors: dict[int, tuple[int, int]] = {}
        for (min_row, min_col, _, max_col), text in active:
            if max_col > len(texts):
                texts.extend([""] * (max_col - len(texts)))
            for col in range(min_col - 1, max_col):
                texts[col] = text
                anchors[col] = (min_row, min_col)
        yield Row(number, texts, anchors)


def _at(texts: list[str], index: int) -> str:
    return texts[index] if index < len(texts) else ""


def _text(value, simplify: bool) -> str:
    if value.__class__ is str:  # nearly every cell: skip cell_text's checks
        text = value.strip()
        if "\r" in text:
            text = cell_text(text)
        return clean_cell(text, simplify) if text else text
    return cell_text(value)
