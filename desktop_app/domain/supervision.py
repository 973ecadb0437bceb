"""督办: the kinds of pressure put on lagging units, their counts and the report's sentence."""

from collections import Counter
from enum import StrEnum


class SupervisionKind(StrEnum):
    LETTER = "函告"
    BULLETIN = "通报"
    TALK = "约谈"
    LISTED = "挂牌督办"
    REGIONAL_BAN = "区域限批"
    EXPOSURE = "公开曝光"
    REFERRAL = "移交问责"


# How the reports say each ("向有关地方和部门致函14次、约谈3次、通报2次"), in their order.
_SENTENCE = ((SupervisionKind.LETTER, "致函"), (SupervisionKind.TALK, "约谈"),
             (SupervisionKind.BULLETIN, "通报"), (SupervisionKind.LISTED, "挂牌督办"),
             (SupervisionKind.REGIONAL_BAN, "实施区域限批"), (SupervisionKind.EXPOSURE, "公开曝光"),
             (SupervisionKind.REFERRAL, "移交问责"))


def count_supervision(kinds) -> dict[str, int]:
    """{kind: count}, every kind present, zeros included, in the list's order."""
    counts = Counter(kinds)
    return {k.value: counts[k.value] for k in SupervisionKind}


def supervision_sentence(counts: dict[str, int], target: str = "有关地方和部门") -> str:
    """向有关地方和部门致函14次、约谈3次、通报2次。 ("" when there is none)"""
    parts = [f"{verb}{counts[kind]}次" for kind, verb in _SENTENCE if counts.get(kind)]
    return f"向{target}{'、'.join(parts)}。" if parts else ""
