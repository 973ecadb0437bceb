"""Cleaning text copied from web pages: traditional → simplified, pinyin noise, page furniture.

Corrupted reposts of government pages carry the pinyin of some characters in brackets
(環(huán)境, 堅(jiān)), site furniture (掃碼下載, 备注：数据仅供参考…) and truncation notes
(……(新文秘網…省略919字…)……). These functions take them out and say what they did.
"""

import re
from functools import lru_cache

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
# A bracketed pinyin syllable right after a character: must carry a tone mark, so that
# (VOCs) or (PM2.5) after a character stay.
_PINYIN = re.compile(rf"(?<=[{_CJK}])[(（]([a-zü{_TONED}]{{1,6}})[)）]")
_HAS_TONE = re.compile(f"[{_TONED}]")

# Whole lines that are page furniture, not the plan (matched on simplified text).
_FURNITURE_LINE = re.compile(
    r"^\s*(?:扫码下载|扫一扫|免费看价格|免费下载|分享到|打印本页|【?打印】?|【?关闭】?|关闭窗口|返回顶部|"
    r"上一篇|下一篇|相关阅读|相关文章|您的位置|当前位置|目录/提纲|发表时间|发布时间|浏览次数|"
    r"阅读次数|来源[:：]|字号[:：]|\[?责任编辑|作者[:：]|收藏本文|点击[:：])"
    r"|数据仅供参考|不作为投资依据|正式会员可|全文共\d+字|请阅读下面提示|版权所有|ICP备")
# Truncation notes and links inside a line.
_INLINE_NOISE = [
    re.compile(r"…*\s*[(（][^()（）]*?省略\d+字[^()（）]*?[)）]\s*…*"),
    re.compile(r"…*\s*[(（]未完[，,].*$"),
    re.compile(r"https?://\S+"),
]
# Half-width punctuation next to a Chinese character (web copies mix them); digits on both
# sides (1,000 or 23:16) are left alone.
# "?" is left alone: between two characters it is far more often a character lost in transit.
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "!": "！"}
_HALF_PUNCT = re.compile(rf"(?<=[{_CJK}”’）])([,;:!])|([,;:!])(?=[{_CJK}“‘（])")
_HALF_PAREN = re.compile(rf"\(([^()]*[{_CJK}][^()]*)\)")
_SPACES = re.compile(r"[ \t\u3000\xa0]+")
_CJK_CHAR = re.compile(f"[{_CJK}]")


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # imported on first use: the window starts without loading its dictionaries
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text) if text else text


def traditional_share(text: str) -> float:
    """The share of Chinese characters that conversion to simplified changes (0 for simplified text)."""
    sample = text[:20000]
    chinese = _CJK_CHAR.findall(sample)
    if not chinese:
        return 0.0
    converted = to_simplified(sample)
    changed = sum(1 for a, b in zip(sample, converted) if a != b)
    return changed / len(chinese)


def looks_traditional(text: str) -> bool:
    return traditional_share(text) >= 0.02


# A character lost with the pinyin note half kept: 地方?jīng)]有 (没有). Nothing can tell which.
_LOST_CHARACTER = re.compile(rf"[?？][a-zü{_TONED}]{{1,6}}[)）]\]?")
_GARBLED = re.compile(rf"(?<=[{_CJK}])\?(?=[{_CJK}a-z])|\ufffd")
LOST_MARK = "□"


def mark_lost_characters(text: str) -> tuple[str, int]:
    """地方?jīng)]有 → 地方□有: a lost character marked for the clerk, with the count."""
    return _LOST_CHARACTER.subn(LOST_MARK, text)


def is_garbled(line: str) -> bool:
    """The line carries mojibake (第一?己藬嗝孢) or a replacement character."""
    return LOST_MARK in line or bool(_GARBLED.search(line))


def remove_pinyin(text: str) -> tuple[str, int]:
    """環(huán)境 → 環境; returns the text and how many syllables were removed."""
    count = 0

    def drop(match: re.Match) -> str:
        nonlocal count
        if not _HAS_TONE.search(match.group(1)):
            return match.group(0)
        count += 1
        return ""

    return _PINYIN.sub(drop, text), count


def full_width_punctuation(text: str) -> str:
    """督察期间通过谈话了解到,济源市 → 督察期间通过谈话了解到，济源市."""
    text = _HALF_PUNCT.sub(lambda m: _HALF_TO_FULL[m.group(1) or m.group(2)], text)
    return _HALF_PAREN.sub(r"（\1）", text)


def is_furniture(line: str) -> bool:
    return bool(_FURNITURE_LINE.search(line))


def clean_line(line: str) -> str:
    """One line of simplified text without inline noise, with Chinese punctuation and tidy spaces."""
    for pattern in _INLINE_NOISE:
        line = pattern.sub("", line)
    line = full_width_punctuation(line)
    return _SPACES.sub(" ", line).strip()


def clean_cell(text: str, simplify: bool) -> str:
    """A workbook cell's text: pinyin noise out, simplified when the workbook is traditional."""
    if "(" in text or "（" in text:
        text = remove_pinyin(text)[0]
        text = mark_lost_characters(text)[0]
    return to_simplified(text) if simplify else text
