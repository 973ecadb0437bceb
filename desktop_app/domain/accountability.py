"""责任追究: levels and outcomes of the persons held accountable, the counts and the sentence."""

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum


class Level(StrEnum):
    BUREAU = "厅级"
    DIVISION = "处级"
    SECTION = "科级及以下"
    OTHER = "其他"


class UnitKind(StrEnum):
    PARTY = "党组织"
    UNIT = "单位"


# The outcome list a ledger starts with (editable in 设置); the report names them in this order.
DEFAULT_OUTCOMES = ("党纪政务处分", "党纪政务处分并组织处理", "组织处理", "诫勉谈话", "书面检查",
                    "约谈", "批评教育")
_LEVEL_WORDS = {Level.BUREAU: "厅级干部", Level.DIVISION: "处级干部", Level.SECTION: "科级及以下干部",
                Level.OTHER: "其他人员"}
_UNIT_WORDS = {UnitKind.PARTY: "党组织", UnitKind.UNIT: "单位"}


@dataclass(frozen=True)
class AccountabilityCount:
    orgs: int = 0
    people: int = 0
    by_level: dict = field(default_factory=dict)  # every Level, zeros included
    by_outcome: dict = field(default_factory=dict)  # outcomes with people, list order first
    by_unit_kind: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"orgs": self.orgs, "people": self.people, "by_level": dict(self.by_level),
                "by_outcome": dict(self.by_outcome)}


def count_accountability(units, persons, outcomes=DEFAULT_OUTCOMES) -> AccountabilityCount:
    """units: accountable_units rows (kind); persons: accountable_persons rows (level, outcome)."""
    units, persons = list(units), list(persons)
    levels = Counter(p["level"] for p in persons)
    found = Counter((p.get("outcome") or "").strip() or "其他" for p in persons)
    order = [o for o in outcomes if found[o]] + sorted(o for o in found if o not in outcomes)
    kinds = Counter(u["kind"] for u in units)
    return AccountabilityCount(
        len(units), len(persons), {lv.value: levels[lv.value] for lv in Level},
        {o: found[o] for o in order}, {k.value: kinds[k.value] for k in UnitKind})


def accountability_sentence(count: AccountabilityCount) -> str:
    """对19个党组织、81名责任人员（厅级干部11人、…）进行责任追究。被处理人员中，党纪政务处分48人、…"""
    if not count.orgs and not count.people:
        return ""
    whom = [f"{n}个{_UNIT_WORDS[UnitKind(k)]}" for k, n in count.by_unit_kind.items() if n]
    if count.people:
        levels = "、".join(f"{_LEVEL_WORDS[Level(k)]}{n}人" for k, n in count.by_level.items() if n)
        whom.append(f"{count.people}名责任人员（{levels}）")
    text = f"对{'、'.join(whom)}进行责任追究。"
    if count.by_outcome:
        text += "被处理人员中，" + "、".join(f"{o}{n}人" for o, n in count.by_outcome.items()) + "。"
    return text
