"""Reading the date out of a deadline as written (整改时限): 2019年6月底前, 2020年底, 2023.6.30 …"""

import calendar
import re
from datetime import date
from functools import lru_cache

from .vocabulary import Term

_CN_VALUES = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
_CN_NUMBER = re.compile("[〇零一二三四五六七八九十]+")
_YEAR = r"((?:19|20)\d\d)\s*年"
_PATTERNS = [
    # 2019年6月30日 / 2019年6月底 / 2019年6月
    (re.compile(_YEAR + r"\s*(\d{1,2})\s*月\s*(?:(\d{1,2})\s*[日号]|(底|末))?"), "ymd"),
    # 2023.6.30 / 2023-06-30 / 2023/6/30
    (re.compile(r"((?:19|20)\d\d)[.\-/](\d{1,2})[.\-/](\d{1,2})"), "ymd_numeric"),
    # 2020年上半年 / 下半年
    (re.compile(_YEAR + r"\s*(上|下)半年"), "half"),
    # 2021年第一季度 (digits after translation)
    (re.compile(_YEAR + r"\s*第?\s*(\d)\s*季度"), "quarter"),
    # 2019年底 / 2019年年底 / 2019年末 / 2019年内
    (re.compile(_YEAR + r"\s*(?:年?底|年?末|内|全年)"), "year_end"),
]


def _arabic(match: re.Match) -> str:
    """二〇一九 → 2019 (digit by digit), 十二 → 12, 二十 → 20, 三十一 → 31."""
    numeral = match.group(0)
    if "十" not in numeral:
        return "".join(str(_CN_VALUES[c]) for c in numeral)
    tens, _, units = numeral.partition("十")
    if len(tens) > 1 or "十" in units:
        return numeral  # not a number a date would use
    return str((_CN_VALUES[tens] if tens else 1) * 10 + (_CN_VALUES[units] if units else 0))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _candidates(text: str):
    for pattern, kind in _PATTERNS:
        for m in pattern.finditer(text):
            try:
                if kind == "ymd":
                    year, month = int(m.group(1)), int(m.group(2))
                    yield m.start(), (date(year, month, int(m.group(3))) if m.group(3)
                                      else _month_end(year, month))
                elif kind == "ymd_numeric":
                    yield m.start(), date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                elif kind == "half":
                    year = int(m.group(1))
                    yield m.start(), _month_end(year, 6 if m.group(2) == "上" else 12)
                elif kind == "quarter":
                    year, quarter = int(m.group(1)), int(m.group(2))
                    if 1 <= quarter <= 4:
                        yield m.start(), _month_end(year, quarter * 3)
                else:
                    yield m.start(), date(int(m.group(1)), 12, 31)
            except ValueError:  # 2月30日 and the like: not a date, keep the text only
                continue


@lru_cache(maxsize=4096)  # a ledger repeats a few dozen deadline texts; an import parses each often
def parse_deadline(text: str | None) -> date | None:
    """The final date a deadline text names, or None (长期坚持, 立行立改, no date).

    Where the text names several stages (2019年6月底前基本完成，2020年底前全面完成),
    the last date is the deadline.
    """
    if not text:
        return None
    normalized = _CN_NUMBER.sub(_arabic, text)
    found = [d for _, d in _candidates(normalized)]
    return max(found) if found else None


@lru_cache(maxsize=4096)
def infer_term(text: str | None) -> Term:
    """The term a deadline text implies; a clerk may still choose another."""
    text = text or ""
    if parse_deadline(text) is not None:
        return Term.FIXED
    if "长期" in text or "持续" in text:
        return Term.ONGOING
    if "立行立改" in text or "立即" in text:
        return Term.IMMEDIATE
    return Term.FIXED
