"""A pasted or downloaded plan's text made ready to parse: simplified, without web-page noise.

Each kept line keeps its line number in the original, so warnings point where the clerk can look;
each line taken out is listed in plan.not_imported (网页杂项), so nothing goes without a word.
Text flattened by a document-sharing site (a whole plan on one line) is broken again at its
headings and labels.
"""

import re

from .chinese_text import (clean_line, is_furniture, is_garbled, looks_traditional,
                           mark_lost_characters, remove_pinyin, to_simplified)
from .plan import WEB_NOISE, ImportPlan
from .vocabulary import TEXT_LABELS
from .publicity_text import FOOTER_LABELS

_TRUNCATION_WORDS = ("省略", "未完", "全文共", "仅显示")
# "…人民政府 2019-12-13 16:36 来源：…", "10.09.2020  14:44": a web page's dateline, not the plan.
_DATELINE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\s+\d{1,2}:\d{2}|\d{1,2}\.\d{1,2}\.\d{4}\s+\d{1,2}:\d{2}"
                       r"|来源[:：]|浏览量|访问量")
_DATELINE_MAX = 100
# Where a flattened text is broken again: before a heading after the end of a sentence (一、 inside
# 统一、规范 follows no break, so it stays), before a field label with its colon, before a
# 公示's footer, 落款 and title, and before a numbered item that follows no digit.
_BREAK = "。；;：:！？!?\\s"
_CN = "一二三四五六七八九十"
_NAMES = {*TEXT_LABELS, *FOOTER_LABELS}
# A label, but not the tail of a longer one (电话 in 监督电话, 责任单位 in 整改责任单位).
_LABEL_WORDS = "|".join(
    "".join(f"(?<!{other[:-len(name)]})" for other in _NAMES if other != name and other.endswith(name)) + name
    for name in sorted(_NAMES, key=len, reverse=True))
_AFTER_OFFICE = "|".join(f"(?<={office}{space})" for office in ("办公室", "人民政府", "委员会", "领导小组")
                         for space in ("", " "))
_STRUCTURE = re.compile(
    rf"(?<=[{_BREAK}])(?=[{_CN}]+、)|(?=[（(][{_CN}]+[)）])"
    rf"|(?<![{_CN}])(?=[{_CN}]{{1,2}}、(?:{_LABEL_WORDS}))"
    rf"|(?=(?<![{_CN}]、)(?:{_LABEL_WORDS})(?:[（(][^（()）]{{1,20}}[)）])?[:：])"
    # a 公示's footer: 以上整改情况向社会公示 / 特此公示, and its 落款 office and date at the very end
    r"|(?=特此公示|以上[^。]{0,20}公示)"
    r"|(?:(?<=。)|(?<=。 ))(?=[^。]{2,40}(?:办公室|人民政府|委员会|领导小组)\s?\d{4}年\d{1,2}月\d{1,2}日$)"
    rf"|(?:{_AFTER_OFFICE})(?=\d{{4}}年\d{{1,2}}月\d{{1,2}}日$|关于)"
    r"|(?:(?<=的公示)|(?<=的公示 ))(?=根据|按照|为)")  # the office, the 公示's title and its lead-in
_ITEM = re.compile(r"(?<![\d.．、])(?=\d{1,2}[、．](?!\d)|\d{1,2}\.(?!\d))")
FLATTENED = 400  # a line this long holding two headings or labels was a whole text once
FEW_LINES = 3  # a text of so few lines holding two headings or labels was flattened, however short


def clean_plan_text(text: str, plan: ImportPlan) -> list[tuple[int, str]]:
    """(line number, cleaned line) for every line worth parsing; what was done goes to plan.warnings.

    A flattened line comes back as several pieces with the same line number.
    """
    text, pinyin = remove_pinyin(normalize_lines(text))
    text, _ = mark_lost_characters(text)
    if pinyin:
        plan.warn(None, f"去掉了网页复制带来的{pinyin}处拼音注音，如“环(huán)境”。")
    if looks_traditional(text):
        text = to_simplified(text)
        plan.warn(None, "原文是繁体字，已转换为简体字，请核对人名和地名。")
    kept, furniture = [], 0
    few = sum(1 for raw in text.split("\n") if raw.strip()) <= FEW_LINES
    for number, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        truncated = any(w in raw for w in _TRUNCATION_WORDS)
        line = clean_line(raw)
        if truncated and (line != raw.strip() or is_furniture(raw)):
            plan.warn(number, "原文在这里被网站截断（“省略…字”），这之后的内容可能不完整。")
        pieces = rebreak(line, few) if line else []
        if len(pieces) > 1:
            plan.warn(number, f"这一行很长（{len(line)}字），像是网页把整篇压成了一行，已按编号和"
                              f"“整改目标：”等标题断成{len(pieces)}段，请核对。")
        for piece in pieces or [raw]:
            text_of = raw if len(pieces) <= 1 else piece  # a whole line is listed as it was written
            if not line or is_furniture(text_of) or (len(piece) <= _DATELINE_MAX and _DATELINE.search(piece)):
                furniture += 1
                plan.leave(number, text_of, WEB_NOISE)
                continue
            if is_garbled(piece):
                plan.warn(number, "这一行有乱码或丢失的字（已用□标出），请对照原文核对。")
            kept.append((number, piece))
    if furniture:
        plan.warn(None, f"去掉了{furniture}行网页上的无关内容（如“扫码下载”“数据仅供参考”、网页的发布时间），"
                        "列在“未导入的内容”里。")
    return kept


def normalize_lines(text: str) -> str:
    """One kind of line break and no BOM: what line numbers count in."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")


def rebreak(line: str, few_lines: bool = False) -> list[str]:
    """A flattened plan's line cut before each heading, label and numbered item; else [line]."""
    if (len(line) < FLATTENED and not few_lines) or len(_STRUCTURE.findall(line)) < 2:
        return [line]
    cuts = sorted({m.start() for m in _STRUCTURE.finditer(line)} | {m.start() for m in _ITEM.finditer(line)})
    pieces, start = [], 0
    for cut in cuts + [len(line)]:
        piece = line[start:cut].strip()
        if piece:
            pieces.append(piece)
        start = cut
    return pieces
