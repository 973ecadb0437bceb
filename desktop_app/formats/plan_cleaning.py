"""A pasted or downloaded plan's text made ready to parse: simplified, without web-page noise.

Each kept line keeps its line number in the original, so warnings point where the clerk can look.
"""

from .chinese_text import (clean_line, is_furniture, is_garbled, looks_traditional,
                           mark_lost_characters, remove_pinyin, to_simplified)
from .import_plan import ImportPlan

_TRUNCATION_WORDS = ("省略", "未完", "全文共", "仅显示")


def clean_plan_text(text: str, plan: ImportPlan) -> list[tuple[int, str]]:
    """(line number, cleaned line) for every line worth parsing; what was done goes to plan.warnings."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text, pinyin = remove_pinyin(text)
    text, _ = mark_lost_characters(text)
    if pinyin:
        plan.warn(None, f"去掉了网页复制带来的{pinyin}处拼音注音，如“环(huán)境”。")
    if looks_traditional(text):
        text = to_simplified(text)
        plan.warn(None, "原文是繁体字，已转换为简体字，请核对人名和地名。")
    kept, furniture = [], 0
    for number, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        if is_furniture(raw):
            furniture += 1
            if any(w in raw for w in _TRUNCATION_WORDS):
                plan.warn(number, "原文在这里被网站截断（“省略…字”），这之后的内容可能不完整。")
            continue
        line = clean_line(raw)
        if line != raw.strip() and any(w in raw for w in _TRUNCATION_WORDS):
            plan.warn(number, "原文在这里被网站截断（“省略…字”），这之后的内容可能不完整。")
        if is_garbled(line):
            plan.warn(number, "这一行有乱码或丢失的字（已用□标出），请对照原文核对。")
        if line:
            kept.append((number, line))
    if furniture:
        plan.warn(None, f"去掉了{furniture}行网页上的无关内容（如“扫码下载”“数据仅供参考”）。")
    return kept
