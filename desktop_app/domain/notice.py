"""整改销号公示: the notice's text composed from a problem, as plain text and back.

The structure follows the notices offices print (shared/seeds 000 and 002): a title
"关于…整改销号情况的公示", a lead paragraph, 一、反馈问题 二、整改目标 三、整改措施
四、整改完成情况, the publicity paragraphs with the dates and the number of working days, the
contact lines (受理单位 / 联系人 / 联系电话 / 传真), and the issuing organisation over the date.

The clerk edits the plain text (as_text) before printing; parse reads it back into the same
structure so that it prints with the same layout. The plain text's rules, which parse follows:
- the first block of lines (up to the first blank line) is the title;
- lines starting with 一、二、… are headings; lines before the first are the lead;
- in the last section, a blank line ends it: what follows is the publicity text;
- lines starting with 受理单位：联系人：联系电话：传真：… at the end are the contact lines (one
  with nothing after its label is dropped);
- the last line, when it is a date (2023年10月13日), is the date, and the line right above it
  the issuer.
Every other line is one paragraph.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date

from .numbering import chinese_numeral

HEADING_RE = re.compile(r"^[一二三四五六七八九十]+、")
DATE_RE = re.compile(r"^(\d{4}|[〇零一二三四五六七八九]{4})年[\d〇一二三四五六七八九十]{1,3}月"
                     r"[\d〇一二三四五六七八九十]{1,3}日$")
CONTACT_LABELS = ("受理单位", "联系人", "联系电话", "电话", "传真", "通讯地址", "地址", "邮编",
                  "邮政编码", "电子邮箱", "邮箱", "监督电话", "举报电话")
CONTACT_RE = re.compile("^(" + "|".join(CONTACT_LABELS) + ")[：:]")
BLANK_DATE = "　　年　月　日"
DEFAULT_BASIS = "督察整改销号有关规定"
_SPACES = " \t\u3000"


def chinese_date(day: date) -> str:
    """2023年10月13日: Arabic numerals, no leading zeros (GB/T 9704)."""
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class Contacts:
    """Where objections go and who issues the notice (GLOSSARY publicity.office …)."""
    office: str = ""  # 受理单位
    contact: str = ""  # 联系人
    phone: str = ""  # 联系电话
    fax: str = ""  # 传真
    address: str = ""  # 通讯地址
    issuer: str = ""  # the issuing organisation, printed above the date

    def merged(self, fallback: "Contacts") -> "Contacts":
        """Each field of self, or of fallback where self's is empty."""
        return Contacts(**{f.name: getattr(self, f.name) or getattr(fallback, f.name)
                           for f in fields(self)})

    def with_org(self, org_name: str) -> "Contacts":
        """单位名称 as 受理单位 and 发布单位 where they are not set (GLOSSARY org_name); without
        one, each of the two stands in for the other (the office that takes objections is
        usually the one that posts the notice)."""
        org = org_name.strip()
        return self.merged(Contacts(office=org or self.issuer, issuer=org or self.office))

    @classmethod
    def from_row(cls, row: dict | None) -> "Contacts":
        row = row or {}
        return cls(**{f.name: str(row.get(f.name) or "").strip() for f in fields(cls)})


@dataclass(frozen=True)
class Section:
    heading: str  # "一、反馈问题"
    paragraphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Notice:
    title: str
    lead: tuple[str, ...] = ()
    sections: tuple[Section, ...] = ()
    publicity: tuple[str, ...] = ()  # the sentences of publicity: dates, working days, objections
    contacts: tuple[str, ...] = ()  # "受理单位：…", "联系人：…", …
    issuer: str = ""
    date: str = ""  # as printed: "2023年10月13日"


@dataclass(frozen=True)
class Publicity:
    """The 公示期 as the notice states it; None where not set yet (printed as blanks to fill)."""
    start: date | None = None
    end: date | None = None
    working_days: int | None = None


# -- composing ----------------------------------------------------------------------------------

def _paragraphs(text: str | None) -> list[str]:
    return [line.strip(_SPACES) for line in (text or "").splitlines() if line.strip(_SPACES)]


def _numbered(texts: list[str]) -> list[str]:
    out = []
    for number, text in enumerate(texts, 1):
        lines = _paragraphs(text)
        if lines:
            out.append(f"{number}.{lines[0]}")
            out.extend(lines[1:])
    return out


def subject(inspection_name: str, code: str = "", number: int | None = None) -> str:
    """督察…反馈问题（问题编号一）: how the notice names the problem."""
    label = f"（{code.strip()}）" if code.strip() else (f"（第{number}项）" if number else "")
    return f"{inspection_name.strip()}反馈问题{label}"


def publicity_paragraphs(publicity: Publicity, office: str) -> tuple[str, ...]:
    if publicity.start and publicity.end:
        period = f"{chinese_date(publicity.start)}至{chinese_date(publicity.end)}"
    else:
        period = f"{BLANK_DATE}至{BLANK_DATE}"
    days = publicity.working_days if publicity.working_days else "　"
    return (f"以上整改情况予以公示。公示期间，如有异议，请以书面或电话形式向{office or '受理单位'}"
            "反映，并提供真实姓名和联系方式；邮寄的以邮戳日期为准，直接送达的以送达日期为准。",
            f"公示时间：{period}（共{days}个工作日）。")


def contact_lines(contacts: Contacts) -> tuple[str, ...]:
    """受理单位 / 联系人 / 联系电话 / 传真 / 通讯地址, those that are set: an empty "传真：" on a
    posted notice reads as a mistake."""
    labelled = (("受理单位", contacts.office), ("联系人", contacts.contact),
                ("联系电话", contacts.phone), ("传真", contacts.fax),
                ("通讯地址", contacts.address))
    return tuple(f"{label}：{value.strip()}" for label, value in labelled if value.strip())


class NoticeIncomplete(ValueError):
    """A notice that must not be printed as it is; str() says what to fill in and where."""


def check_printable(notice: Notice) -> None:
    """Refuse a notice without its issuing unit: a 公示 nobody signed cannot be posted."""
    if not notice.issuer.strip():
        raise NoticeIncomplete(
            f"“{notice.title or '公示'}”没有发布单位（落款），不能打印。请在“设置 → 本单位”填写"
            "单位名称（或在“设置 → 销号与公示”填写发布单位），也可以在这个问题的销号记录里填写。")


def compose(problem: dict, measures: list[dict], inspection_name: str, publicity: Publicity,
            contacts: Contacts, number: int | None = None, issued_on: date | None = None,
            basis: str = DEFAULT_BASIS) -> Notice:
    """The notice of one problem (a problems row; measures in order).

    number is the problem's 序号, used in the title when it has no 问题编号. The date is
    issued_on, else the first day of publicity, else left blank to fill by hand.
    """
    named = subject(inspection_name, problem.get("code") or "", number)
    completion = _paragraphs(problem.get("completion"))
    done = [m["completion"] for m in measures
            if (m.get("completion") or "").strip()
            and _paragraphs(m["completion"]) != completion]  # the closing sentence comes last
    parts = [("反馈问题", _paragraphs(problem.get("description"))),
             ("整改目标", _paragraphs(problem.get("goal"))),
             ("整改措施", _numbered([m.get("text") or "" for m in measures])),
             ("整改完成情况", _numbered(done) + completion)]
    sections = tuple(Section(f"{chinese_numeral(i)}、{heading}", tuple(paragraphs))
                     for i, (heading, paragraphs) in enumerate(
                         ((h, p) for h, p in parts if p), 1))
    on = issued_on or publicity.start
    return Notice(
        title=f"关于{named}整改销号情况的公示",
        lead=(f"根据{basis or DEFAULT_BASIS}，现将{named}整改销号情况公示如下：",),
        sections=sections,
        publicity=publicity_paragraphs(publicity, contacts.office or contacts.issuer),
        contacts=contact_lines(contacts),
        issuer=contacts.issuer,
        date=chinese_date(on) if on else BLANK_DATE)


# Characters a line may not start with, or end with (避头尾).
NO_LINE_START = set("，。、；：？！）》」』〕】”’…—·%％")
NO_LINE_END = set("（《「『〔【“‘")

# -- the title's lines ----------------------------------------------------------------------------------

_BREAK_AFTER = set("）》”、，：；的")
_BREAK_BEFORE = set("（《“关")


def title_lines(title: str, fits: Callable[[str], bool]) -> list[str]:
    """The title broken into balanced lines (梯形/菱形 rather than one long and one short).

    fits(text) tells whether a line fits the type area. Breaks go near the balanced positions,
    preferably after ）” 、的 or before （“, never inside a number.
    """
    if fits(title):
        return [title]
    for count in range(2, len(title) + 1):
        lines, start = [], 0
        for k in range(1, count):
            ideal = round(len(title) * k / count)
            best = min(range(max(start + 1, ideal - 4), min(len(title) - 1, ideal + 4) + 1),
                       key=lambda i: _break_cost(title, i, ideal))
            lines.append(title[start:best])
            start = best
        lines.append(title[start:])
        if all(fits(line) for line in lines):
            return lines
    return [title]


def _break_cost(title: str, i: int, ideal: int) -> float:
    cost = abs(i - ideal)
    before, after = title[i - 1], title[i]
    if before.isdigit() and after.isdigit():
        cost += 100  # never split 2021
    if after in NO_LINE_START or before in NO_LINE_END:
        cost += 100
    if before in _BREAK_AFTER or after in _BREAK_BEFORE:
        cost -= 2.5
    if i < ideal:
        cost += 0.25  # with no better reason, the upper line is the longer one (正梯形)
    return cost


# -- plain text and back ------------------------------------------------------------------------

def as_text(notice: Notice) -> str:
    """The notice as the plain text the clerk edits (see the module for its rules)."""
    blocks = [[notice.title], list(notice.lead)]
    for section in notice.sections:
        blocks.append([section.heading, *section.paragraphs])
    blocks.append(list(notice.publicity))
    blocks.append(list(notice.contacts))
    blocks.append([line for line in (notice.issuer, notice.date) if line])
    if notice.date and not notice.issuer:
        blocks[-1] = ["", notice.date]  # keeps the line above the date from reading as issuer
    return "\n\n".join("\n".join(block) for block in blocks if block) + "\n"


def parse(text: str) -> Notice:
    """Read the (edited) plain text back into a Notice (see the module for the rules)."""
    lines = [line.strip(_SPACES) for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    if not lines:
        return Notice(title="")
    end = len(lines)
    issuer = day = ""
    if DATE_RE.match(lines[-1]):
        day, end = lines[-1], end - 1
        if end > 0 and lines[end - 1] and not CONTACT_RE.match(lines[end - 1]) \
                and not HEADING_RE.match(lines[end - 1]):
            issuer, end = lines[end - 1], end - 1
    contacts = []
    while end > 0 and (not lines[end - 1] or CONTACT_RE.match(lines[end - 1])):
        if lines[end - 1] and CONTACT_RE.sub("", lines[end - 1]).strip(_SPACES):
            contacts.insert(0, lines[end - 1])  # an empty "传真：" is not printed
        end -= 1
    title_end = lines.index("") if "" in lines[:end] else min(1, end)
    title = "".join(lines[:title_end])
    lead, sections, publicity = [], [], []
    gap = False
    for line in lines[title_end:end]:
        if not line:
            gap = gap or bool(sections and sections[-1][1])  # a blank line after section text
        elif HEADING_RE.match(line):
            if sections:  # the blank line was inside a section that is not the last
                sections[-1][1].extend(publicity)
            publicity, gap = [], False
            sections.append((line, []))
        elif not sections:
            lead.append(line)
        elif gap:
            publicity.append(line)
        else:
            sections[-1][1].append(line)
    return Notice(title=title, lead=tuple(lead),
                  sections=tuple(Section(h, tuple(p)) for h, p in sections),
                  publicity=tuple(publicity), contacts=tuple(contacts), issuer=issuer, date=day)


__all__ = ["Notice", "Section", "Contacts", "Publicity", "compose", "as_text", "parse",
           "chinese_date", "check_printable", "NoticeIncomplete", "title_lines"]
