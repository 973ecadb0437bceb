"""Chinese document numbering: 一、 for categories, （一） for subcategories, 1..M for problems."""

_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 105 → 一百零五, as documents write them."""
    if n <= 0:
        raise ValueError(f"numbering starts at 1, got {n}")
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    hundreds, rest = divmod(n, 100)
    if rest == 0:
        tail = ""
    elif rest < 10:
        tail = "零" + _DIGITS[rest]
    elif rest < 20:
        tail = "一" + chinese_numeral(rest)  # 一百一十五, not 一百十五
    else:
        tail = chinese_numeral(rest)
    return chinese_numeral(hundreds) + "百" + tail


def category_label(index: int) -> str:
    """The label of the index-th (1-based) top-level category: 一、"""
    return chinese_numeral(index) + "、"


def subcategory_label(index: int) -> str:
    """The label of the index-th (1-based) subcategory within its category: （一）"""
    return "（" + chinese_numeral(index) + "）"


def summary_text(categories: int, problems: int) -> str:
    """The ledger's summary as clerks write it: 8大类34项."""
    return f"{categories}大类{problems}项"
