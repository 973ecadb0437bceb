"""Turning one cell or paragraph into ledger values: numbering, measures, status words, dates."""

import re
from datetime import date, datetime, time

from ...domain.vocabulary import Status, Term
from .vocabulary import STATUS_WORDS, TERM_WORDS

_CN_NUM = "一二三四五六七八九十"
# 一、 (一) （一） 1. 1、 1． (1) （1） ① as they open a heading or an item.
CATEGORY_NUMBER = re.compile(rf"^\s*[{_CN_NUM}]+\s*[、.．]\s*")
SUBCATEGORY_NUMBER = re.compile(rf"^\s*[（(]\s*[{_CN_NUM}]+\s*[)）]\s*[、.．]?\s*")
ITEM_NUMBER = re.compile(r"^\s*(\d{1,5})\s*(?:[、．]|\.(?!\d))\s*")
PAREN_NUMBER = re.compile(r"^\s*[（(]\s*(\d{1,5})\s*[)）]\s*[、.．]?\s*")
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
CIRCLED_NUMBER = re.compile(rf"^\s*([{CIRCLED}])\s*")
# "（共5项）" after a category title, "第一类" before one.
_COUNT_SUFFIX = re.compile(r"\s*[（(]\s*(?:共|计)?\s*\d+\s*(?:项|个|条)\s*(?:问题)?\s*[)）]\s*$")
_ORDINAL_PREFIX = re.compile(rf"^\s*第[{_CN_NUM}\d]+\s*(?:类|部分|方面)\s*(?:[、:：.．]|\s)\s*")
# Where a numbered measure starts inside one cell: 1. at the start, after a line break or a
# ；/;/。 (elsewhere 1.5公里 is no number); （1） and ① anywhere. These run over every measures
# cell, so one regex finds them: it opens with a character class, which re looks for quickly,
# and what follows that character decides (most 。 end a sentence, most （ open a remark).
_NUMBER = re.compile(r"[ \t\u3000]*(\d{1,2})[ \t]*(?:[、．]|\.(?!\d))")
# A number after 。 starts its item there: the 。 stays with the item before.
_ITEM = re.compile(rf"[\n；;。（({CIRCLED}](?:(?<=[\n；;。]){_NUMBER.pattern}"
                   rf"|(?<=[（(])(\d{{1,2}})[)）]|(?<=[{CIRCLED}]))")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def cell_text(value) -> str:
    """A cell's value as the clerk sees it: 1.0 → 1, a date → 2019年6月30日, None → ""."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            value = value.date()
        else:
            return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value).strip()


def heading_level(text: str) -> int:
    """1 for 一、…, 2 for （一）…, 0 for anything else."""
    if CATEGORY_NUMBER.match(text):
        return 1
    if SUBCATEGORY_NUMBER.match(text):
        return 2
    return 0


def is_chinese_ordinal(text: str) -> int:
    """一 / 二 alone (a 序号 cell of a category row) → 1; （一） alone → 2; else 0."""
    text = text.strip()
    if re.fullmatch(rf"[{_CN_NUM}]+[、.．]?", text):
        return 1
    if re.fullmatch(rf"[（(][{_CN_NUM}]+[)）]", text):
        return 2
    return 0


def category_title(text: str) -> str:
    """一、思想认识还不到位（共5项） → 思想认识还不到位: the ledger numbers categories itself."""
    text = SUBCATEGORY_NUMBER.sub("", CATEGORY_NUMBER.sub("", text, count=1), count=1)
    text = _ORDINAL_PREFIX.sub("", text, count=1)
    return _COUNT_SUFFIX.sub("", text).strip().rstrip("：:")


def strip_item_number(text: str) -> str:
    """1.督察期间… → 督察期间…: problems are numbered 1..M by the ledger."""
    return ITEM_NUMBER.sub("", text, count=1).strip()


def _item_starts(text: str) -> list[tuple[int, int, int]]:
    """(start, end of the number, the number) of every numbered item in text, in order."""
    found = []
    first = _NUMBER.match(text)
    if first:
        found.append((0, first.end(), int(first.group(1))))
    for m in _ITEM.finditer(text):
        if m.group(1):
            found.append((m.start() + 1, m.end(), int(m.group(1))))
        elif m.group(2):
            found.append((m.start(), m.end(), int(m.group(2))))
        else:
            found.append((m.start(), m.end(), CIRCLED.index(text[m.start()]) + 1))
    return found


def split_measures(text: str) -> list[str]:
    """"1.…；2.…" or one measure per line → the measures, without their numbers."""
    text = text.strip()
    if not text:
        return []
    starts = _item_starts(text)
    if len(starts) >= 2 or (starts and starts[0][0] == 0):
        pieces = []
        head = text[:starts[0][0]].strip()
        if head:  # a lead-in before the first number ("采取以下措施：")
            pieces.append(head)
        for i, (_, number_end, _) in enumerate(starts):
            end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
            pieces.append(text[number_end:end])
        measures = [_tidy_measure(p) for p in pieces]
    else:
        lines = _BLANK_LINES.sub("\n", text).split("\n")
        measures = [_tidy_measure(line) for line in lines]
    return [m for m in measures if m]


def numbered_items(text: str) -> list[tuple[int, str]]:
    """"1.…\n3.…" → [(1, …), (3, …)] when the whole text is numbered items, else []."""
    text = text.strip()
    if not text or not (text[0].isdigit() or text[0] in "(（" or text[0] in CIRCLED):
        return []
    starts = _item_starts(text)
    if not starts or starts[0][0] != 0:
        return []
    items = []
    for i, (_, number_end, number) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        items.append((number, _tidy_measure(text[number_end:end])))
    numbers = [n for n, _ in items]
    return items if numbers == sorted(set(numbers)) else []


# 一是…二是…三是…: the points of a 整改措施及完成情况 paragraph.
_POINT = re.compile(rf"(?<![{_CN_NUM}])(?=[{_CN_NUM}]{{1,2}}是)")


def split_points(text: str) -> list[str]:
    """"一是建立台账；二是定期通报。" → the points without their 一是; [] when there are fewer than two."""
    starts = [m.start() for m in _POINT.finditer(text)
              if text[m.start():].startswith(("一是", "二是", "三是", "四是", "五是", "六是", "七是",
                                               "八是", "九是", "十是"))]
    if len(starts) < 2 or not text[starts[0]:].startswith("一是"):
        return []
    pieces = [text[:starts[0]]] + [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])]
    return [_tidy_measure(re.sub(rf"^[{_CN_NUM}]{{1,2}}是[，,：:]?", "", p)) for p in pieces if p.strip()]


# "该问题已完成整改", "各项整改措施均已完成", "已经完成": a clause saying the whole problem is done.
_DONE_CLAUSE = re.compile(
    r"^(?:截至目前|截止目前|目前|现)?(?:该问题|此问题|本问题|该项问题|该项整改|各项整改措施|各项整改任务|各项措施|"
    r"整改措施|整改任务|问题)?(?:已经|均已|已全部|全部|均|已)+(?:整改)?完成(?:了)?(?:整改|销号)?(?:工作|任务)?$")
_CLAUSE_BREAK = re.compile(r"[，,。；;！!\n]")


def states_done(text: str) -> bool:
    """Some clause of text says, in so many words, that the problem's rectification is finished."""
    if "完" not in (text or ""):  # every such clause has 完成 (maybe spaced out): most texts go here
        return False
    return any(_DONE_CLAUSE.match(re.sub(r"\s+", "", clause)) for clause in _CLAUSE_BREAK.split(text))


def _tidy_measure(text: str) -> str:
    text = text.strip()  # first: most pieces end in the line break before the next number
    if "\n" in text:
        text = " ".join(part.strip() for part in text.splitlines() if part.strip())
    return text.rstrip("；;").strip()


def status_and_term(text: str, anywhere: bool) -> tuple[Status | None, Term | None]:
    """The status (and term) the first status word in text names.

    anywhere: the cell is a status column, so the word may stand anywhere; otherwise (a long
    进展 text) only a word at the very start counts — "按期完成了…的部署" says nothing.
    The earliest word wins, the longest at a tie: 未完成 over 完成, 已完成（并持续推进） is done.
    """
    compact = _compact(text)
    found = _first_word(compact)
    if found is None or (not anywhere and found[0] > 0):
        return None, None
    _, word, status, term = found
    if status is None:
        # 立行立改，已完成: the term word came first; look on for a status after it.
        rest = compact[found[0] + len(word):]
        later = _first_word(rest)
        status = later[2] if later else None
    return status, term


_PUNCTUATION = re.compile(r"[\s，,。；;、（）()]+")


def _compact(text: str) -> str:
    return _PUNCTUATION.sub("", text)


# Longest first: at one position the regex takes the first alternative, so 未完成 beats 完成.
_STATUS_PATTERN = re.compile("|".join(re.escape(w) for w in sorted(
    (w for w, _, _ in STATUS_WORDS), key=len, reverse=True)))
_STATUS_OF = {w: (status, term) for w, status, term in STATUS_WORDS}


def _first_word(compact: str):
    """(position, word, status, term) of the earliest status word, the longest at a tie."""
    match = _STATUS_PATTERN.search(compact)
    if match is None:
        return None
    return (match.start(), match.group(0), *_STATUS_OF[match.group(0)])


def is_only_status(text: str) -> bool:
    """已完成 / 达到时序进度要求: a cell that holds status words and no account of the work."""
    rest = _compact(text)
    if not rest or len(rest) > 16:
        return False
    while (found := _first_word(rest)) is not None:
        rest = rest[:found[0]] + rest[found[0] + len(found[1]):]
    return len(rest) <= 4 and not re.search(r"\d", rest) and len(rest) < len(_compact(text))


def term_from_text(text: str) -> Term | None:
    return TERM_WORDS.get(re.sub(r"\s+", "", text))
