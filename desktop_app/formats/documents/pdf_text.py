"""The text layer of the PDFs Qt writes: radical code points put back to the ideographs drawn.

Why: a PDF maps each glyph back to text through the font's ToUnicode table, and Qt builds that
table by taking, for each glyph, the lowest code point the font maps to it. Fonts such as Noto
CJK (and Source Han) map the Kangxi radical ⽇ U+2F47 and the ideograph 日 U+65E5 to one glyph,
so 日 月 水 见 长 言 … are copied and searched as radicals (U+2E80–U+2FDF). The fix rewrites
those entries of the ToUnicode tables to the ideographs they stand for. Qt writes the tables
uncompressed and as 4-digit hex, and an ideograph is 4 digits too: the file keeps its length and
every offset in it, so nothing else needs rewriting.
"""

import re
import unicodedata
from pathlib import Path

RADICALS = range(0x2E80, 0x2FE0)  # CJK Radicals Supplement + Kangxi Radicals

# CJK Radicals Supplement → the ideograph a font draws for it (taken from the glyphs Noto CJK SC,
# TC, JP and KR share; they agree with Unicode's EquivalentUnifiedIdeograph). Kangxi radicals
# come from their compatibility decomposition (NFKC) instead.
_SUPPLEMENT = {
    0x2E82: 0x4E5B, 0x2E83: 0x4E5A, 0x2E85: 0x4EBB, 0x2E89: 0x5202, 0x2E8E: 0x5140, 0x2E8F: 0x5C23,
    0x2E90: 0x5C22, 0x2E92: 0x5DF3, 0x2E93: 0x5E7A, 0x2E94: 0x5F51, 0x2E95: 0x5F50, 0x2E96: 0x5FC4,
    0x2E98: 0x624C, 0x2E99: 0x6535, 0x2E9B: 0x65E1, 0x2E9E: 0x6B7A, 0x2E9F: 0x6BCD, 0x2EA0: 0x6C11,
    0x2EA1: 0x6C35, 0x2EA3: 0x706C, 0x2EA4: 0x722B, 0x2EA6: 0x4E2C, 0x2EA8: 0x72AD, 0x2EAB: 0x7F52,
    0x2EAD: 0x793B, 0x2EAF: 0x7CF9, 0x2EB0: 0x7E9F, 0x2EB1: 0x7F53, 0x2EB2: 0x7F52, 0x2EB9: 0x8002,
    0x2EBA: 0x8080, 0x2EBE: 0x8279, 0x2EBF: 0x8279, 0x2EC1: 0x864E, 0x2EC2: 0x8864, 0x2EC3: 0x8980,
    0x2EC4: 0x897F, 0x2EC5: 0x89C1, 0x2EC6: 0x89D2, 0x2EC8: 0x8BA0, 0x2EC9: 0x8D1D, 0x2ECB: 0x8F66,
    0x2ECC: 0x8FB6, 0x2ECD: 0x8FB6, 0x2ECE: 0x8FB6, 0x2ED0: 0x9485, 0x2ED1: 0x9577, 0x2ED2: 0x9578,
    0x2ED3: 0x957F, 0x2ED4: 0x95E8, 0x2ED6: 0x961D, 0x2ED8: 0x9752, 0x2ED9: 0x97E6, 0x2EDA: 0x9875,
    0x2EDB: 0x98CE, 0x2EDC: 0x98DE, 0x2EDD: 0x98DF, 0x2EDF: 0x98E0, 0x2EE0: 0x9963, 0x2EE2: 0x9A6C,
    0x2EE3: 0x9AA8, 0x2EE4: 0x9B3C, 0x2EE5: 0x9C7C, 0x2EE6: 0x9E1F, 0x2EE7: 0x5364, 0x2EE8: 0x9EA6,
    0x2EE9: 0x9EC4, 0x2EEA: 0x9EFE, 0x2EEB: 0x6589, 0x2EEC: 0x9F50, 0x2EED: 0x6B6F, 0x2EEE: 0x9F7F,
    0x2EEF: 0x7ADC, 0x2EF0: 0x9F99, 0x2EF1: 0x9F9C, 0x2EF2: 0x4E80, 0x2EF3: 0x9F9F,
}
# ⼾ decomposes to 戶 U+6236, but Simplified Chinese fonts draw it as 户 U+6237 — our text.
_KANGXI_OVERRIDES = {0x2F3E: 0x6237}

_CMAP = re.compile(rb"begincmap.*?endcmap", re.S)
_SECTION = re.compile(rb"(\d+)\s+begin(bfrange|bfchar)(.*?)end\2", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f]{4})>")


def ideograph(code: int) -> int:
    """The ideograph a radical code point stands for; any other code point is returned as is."""
    if code in _KANGXI_OVERRIDES:
        return _KANGXI_OVERRIDES[code]
    if code in _SUPPLEMENT:
        return _SUPPLEMENT[code]
    if code in RADICALS:
        normal = unicodedata.normalize("NFKC", chr(code))
        if len(normal) == 1:
            return ord(normal)
    return code


def radicals_in(text: str) -> list[str]:
    """The radical characters in extracted text: each is a character copied wrongly."""
    return [c for c in text if ord(c) in RADICALS]


def _repair_line(line: bytes, sources: int) -> tuple[bytes, int]:
    """Rewrite the destination codes of one bfrange/bfchar line (the first `sources` are CIDs)."""
    tokens = list(_HEX.finditer(line))
    if sources == 2 and len(tokens) == 3 and tokens[0].group(1) != tokens[1].group(1):
        return line, 0  # <lo> <hi> <dst>: a run of consecutive codes, not fixable in place
    out, changed, last = [], 0, 0
    for token in tokens[sources:]:
        code = int(token.group(1), 16)
        fixed = ideograph(code)
        if fixed != code:
            out += [line[last:token.start(1)], b"%04X" % fixed]
            last, changed = token.end(1), changed + 1
    out.append(line[last:])
    return b"".join(out), changed


def _repair_cmap(cmap: bytes) -> tuple[bytes, int]:
    total = 0

    def section(match: re.Match) -> bytes:
        nonlocal total
        sources = 2 if match.group(2) == b"bfrange" else 1
        lines = []
        for line in match.group(3).split(b"\n"):
            fixed, changed = _repair_line(line, sources)
            lines.append(fixed)
            total += changed
        body = b"\n".join(lines)
        return match.group(0)[:match.start(3) - match.start(0)] + body + \
            match.group(0)[match.end(3) - match.start(0):]

    return _SECTION.sub(section, cmap), total


def repair(data: bytes) -> tuple[bytes, int]:
    """The PDF with radicals in its ToUnicode tables put back; and how many were. Same length."""
    total = 0

    def cmap(match: re.Match) -> bytes:
        nonlocal total
        fixed, changed = _repair_cmap(match.group(0))
        total += changed
        return fixed

    fixed = _CMAP.sub(cmap, data)
    assert len(fixed) == len(data)  # offsets in the xref table must stay valid
    return fixed, total


def repair_file(path: Path) -> int:
    """Repair a PDF file in place; returns the number of code points put back."""
    path = Path(path)
    data = path.read_bytes()
    fixed, total = repair(data)
    if total:
        with open(path, "r+b") as f:  # same length: overwrite without truncating
            f.write(fixed)
    return total
