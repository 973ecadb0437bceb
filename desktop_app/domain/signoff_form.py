"""销号审批表: the one-page application and acceptance form of a sign-off, as plain data."""

import re
from dataclasses import dataclass, replace
from datetime import date

from .notice import chinese_date
from .signoff import ChecklistItem

TITLE = "督察整改问题销号审批表"
SIGNATURES = ("申请单位意见", "验收单位意见", "审批意见")
FULL_TEXT_NOTE = "（摘要，全文见整改销号公示）"
_SENTENCE = re.compile(r"^.+?[。；！？]")


@dataclass(frozen=True)
class SignoffForm:
    title: str
    facts: tuple[tuple[str, str], ...]  # (label, value) rows: 督察批次, 反馈问题 …
    measures: tuple[tuple[str, str], ...]  # (整改措施, 完成情况), numbered when printed
    checklist: tuple[ChecklistItem, ...]
    evidence: tuple[str, ...]  # one line per 佐证材料
    signatures: tuple[str, ...] = SIGNATURES  # each printed with room to sign, 盖章 and 年 月 日
    abridged: bool = False  # measures cut to their first sentence, to keep the form on a page


def first_sentence(text: str, limit: int = 48) -> str:
    """A text's opening sentence, its summary: 深入学习贯彻习近平生态文明思想。

    A sentence longer than limit is cut after its last comma within the limit, with "……".
    """
    text = (text or "").strip()
    match = _SENTENCE.match(text)
    sentence = match.group(0) if match else text
    if len(sentence) > limit:
        cut = max(sentence.rfind(mark, 0, limit) for mark in "，、：")
        sentence = sentence[:cut if cut > limit // 3 else limit] + "……"
    return sentence


def abridged(form: SignoffForm) -> SignoffForm:
    """The form with each measure and completion cut to its first sentence."""
    return replace(form, measures=tuple((first_sentence(m), first_sentence(c))
                                        for m, c in form.measures), abridged=True)


def _date(value: str | None) -> str:
    return chinese_date(date.fromisoformat(value)) if value else ""


def evidence_line(row: dict) -> str:
    """一张佐证材料: its name, kind and caption as the form lists it."""
    line = row.get("display_name") or ""
    if row.get("kind"):
        line += f"（{row['kind']}）"
    if (row.get("caption") or "").strip():
        line += f"：{row['caption'].strip()}"
    return line


def compose_form(problem: dict, measures: list[dict], inspection_name: str, number: int | None,
                 signoff: dict | None, evidence: list[dict],
                 default_checklist=()) -> SignoffForm:
    """The form of one problem; signoff is its sign-off row (checklist decoded) or None."""
    label = f"第{number}项" if number else ""
    if (problem.get("code") or "").strip():
        label = f"{label}（{problem['code'].strip()}）" if label else problem["code"].strip()
    units = problem.get("lead_unit") or ""
    if (problem.get("support_units") or "").strip():
        units += f"（配合单位：{problem['support_units'].strip()}）"
    signoff = signoff or {}
    period = ""
    if signoff.get("publicity_start") and signoff.get("publicity_end"):
        period = (f"{_date(signoff['publicity_start'])}至{_date(signoff['publicity_end'])}"
                  f"（共{signoff.get('publicity_working_days') or ''}个工作日）")
    facts = (("督察批次", inspection_name), ("问题序号", label),
             ("反馈问题", problem.get("description") or ""),
             ("整改目标", problem.get("goal") or ""), ("责任单位", units),
             ("责任领导", problem.get("lead_official") or ""),
             ("整改时限", problem.get("deadline_text") or ""),
             ("整改落实情况", problem.get("completion") or ""),
             ("申请日期", _date(signoff.get("applied_on"))),
             ("验收日期", _date(signoff.get("accepted_on"))), ("公示时间", period))
    checklist = signoff.get("checklist") or [ChecklistItem(i) for i in default_checklist]
    return SignoffForm(
        title=TITLE, facts=facts,
        measures=tuple((m.get("text") or "", m.get("completion") or "") for m in measures),
        checklist=tuple(checklist), evidence=tuple(evidence_line(e) for e in evidence))
