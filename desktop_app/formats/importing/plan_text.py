"""Reading a rectification plan (整改方案), progress list or 公示 page published as text into an ImportPlan.

The task list of a plan reads:  一、大类 / （一）小类 / 1.反馈问题 / 整改目标：… / 整改措施：
1.… 2.… / 责任领导：… / 责任单位：… / 整改时限：…  Whatever comes before a line naming the
list (…整改任务清单, 具体如下：) is the plan's preamble, and so are 指导思想/基本原则 parts and
numbered paragraphs in a 大类 without any of those labels once some other 大类 has them.
A 公示 page holds one problem under 一、反馈问题 / 二、整改目标 … and ends with its footer
(公示时间, 受理单位, 联系人, 电话, 落款), which becomes plan.publicity.

Every piece of the source is accounted for: the parser marks each one with the field it went to
(plan.taken) or lists it in plan.not_imported with the reason, so nothing is dropped unseen.
"""

import re
from dataclasses import dataclass, field

from ...domain.vocabulary import Status, Term
from .errors import NoProblemsFound
from .plan import (OUTSIDE, PUBLICITY_TEXT, UNKNOWN, ImportPlan, PlanCategory, PlanMeasure,
                          PlanProblem, PlanPublicity)
from .vocabulary import TEXT_LABELS as LABELS
from .values import (CATEGORY_NUMBER, CIRCLED_NUMBER, ITEM_NUMBER, PAREN_NUMBER,
                            SUBCATEGORY_NUMBER, category_title, numbered_items, split_measures,
                            split_points, states_done, status_and_term)
from .plan_cleaning import clean_plan_text, normalize_lines
from .publicity_text import FOOTER_START, OFFICE, read_footer_line

UNCATEGORIZED = "未分类"
PASTED = "粘贴的文字"
_CN = "一二三四五六七八九十"

_KEEP_LABEL = {"牵头验收单位", "配合验收单位", "验收单位", "下一步工作打算", "下一步打算", "下一步工作计划"}
_COLON_ONLY = {"整改任务"}  # alone on a line it is a plan's own heading (二、整改任务)
_NAMES = "|".join(sorted(LABELS, key=len, reverse=True))
_BRACKET = r"\s*(?:[（(]([^（()）]{1,30})[)）])?\s*"
_LABEL = re.compile(rf"^({_NAMES}){_BRACKET}[:：]\s*(.*)$")
_LABEL_HEADING = re.compile(rf"^({_NAMES}){_BRACKET}[:：]?\s*$")
_RUN_ON_LABEL = re.compile(rf"^({_NAMES})(?![:：（(])(.+)$")
_LIST_START = re.compile(r"(任务清单|问题清单|整改清单|具体如下)\s*[:：]?\s*$")
# A problem's own number: 第8号, 省编号第41号, 问题编号一, 序号十, FK-07.
CODE = re.compile(rf"省编号第\d+号|第\d+号|问题编号[{_CN}\d]+号?|序号[{_CN}\d]+|\b[A-Z]{{1,4}}-\d+\b")
# A plan's own parts: never problems, whatever numbers a site put before them.
_PREAMBLE = re.compile(r"^(?:指导思想|基本原则|总体要求|总体目标|工作目标|主要目标|工作原则|整改原则|"
                       r"组织保障|保障措施|工作要求|工作步骤|实施步骤|目标任务|工作措施|组织领导)")
_TITLE_WORDS = ("督察", "整改", "方案", "清单", "公示", "反馈", "台账")
_ABOUT = "关于"  # 一、关于……问题: a progress list's problem
# 一、关于……问题。整改进展：  the label closing the heading opens what follows it.
_TRAILING_LABEL = re.compile(rf"[。，]?\s*(?:{_NAMES})\s*[:：]?\s*$")
_UNIT_FIELDS = ("lead_official", "lead_unit", "support_units")
_SHORT_FIELDS = _UNIT_FIELDS + ("deadline_text",)
# What the labels after a _Fork may have written, to be handed to the problem it starts.
_FORK_FIELDS = ("code", "goal", "completion", "remarks", "description") + _SHORT_FIELDS


@dataclass
class _Fork:
    """Where a problem may really have ended: "N+1.…" read as its measure N+1 while it is itself
    problem N. A label it had before coming again (a second 整改措施：) proves it did."""
    mark: "_Mark"
    marks_at: int  # its index in _Parser.marks: the marks from there on move to the next problem
    measure: int  # the measure it became
    fields: dict  # the problem's text fields before it
    labels: set


@dataclass
class _Problem:
    problem: PlanProblem
    labelled: bool = False
    from_label: bool = False  # opened by 反馈问题：: ends only at the next such label
    measures_done: bool = False  # 整改措施及完成情况: the measures say what was done
    number: int | None = None  # its own N. in the list
    labels: set = field(default_factory=set)  # the fields its labels named
    fork: _Fork | None = None


@dataclass
class _Mark:
    """A piece of the source taken into a field of owner (a _Problem, a PlanCategory, the plan)."""
    line: int
    text: str
    field: str
    owner: object = None


def read_plan_text(text: str, source: str = PASTED) -> ImportPlan:
    """The plan in text (pasted, or read from a file): categories, problems, measures.

    Raises NoProblemsFound when the text has no numbered problem at all (a speech, a notice).
    """
    plan = ImportPlan(layout="text", source=source)
    pieces = clean_plan_text(text, plan)
    _Parser(plan).parse(pieces)
    if not plan.problem_count:
        raise NoProblemsFound(source)
    missing = unaccounted_lines(text, plan)
    for number, line in missing:  # the parser marks every piece; should one slip, it is still shown
        plan.leave(number, line, UNKNOWN)
    if missing:
        plan.not_imported.sort(key=lambda n: n.line)
    return plan


def unaccounted_lines(text: str, plan: ImportPlan) -> list[tuple[int, str]]:
    """(line number, text) of each non-empty source line neither taken into a field nor listed."""
    seen = {line for line, _, _ in plan.taken} | {n.line for n in plan.not_imported}
    return [(number, line.strip()) for number, line in enumerate(normalize_lines(text).split("\n"), start=1)
            if line.strip() and number not in seen]


class _Parser:
    def __init__(self, plan: ImportPlan):
        self.plan = plan
        self.marks: list[_Mark] = []
        self.publicity = PlanPublicity()
        self.preamble_skipped = 0
        self._reset()

    def _reset(self) -> None:
        for mark in self.marks:  # the task list starts here: what came before was the preamble
            self.plan.leave(mark.line, mark.text, OUTSIDE)
        self.marks = []
        self.plan.categories = []
        self.problems: list[tuple[PlanCategory, PlanCategory, _Problem]] = []  # (大类, owner, problem)
        self.category: PlanCategory | None = None
        self.sub: PlanCategory | None = None
        self.current: _Problem | None = None
        self.field: str | None = None
        self.numbered_measure = False  # the last measure began with a number: plain lines continue it
        self.heading: tuple[int, str, _Mark] | None = None  # the last heading, while no problem follows it
        self.preamble = 0  # in a 指导思想/基本原则 part: its level (1 一、, 2 （一）, 3 an item)
        self.in_footer = False
        self.head = True  # before the first heading, label or item

    def parse(self, pieces: list[tuple[int, str]]) -> None:
        numbers = [number for number, _ in pieces]
        self.flattened = {n for n in numbers if numbers.count(n) > 1} if len(set(numbers)) < len(numbers) else set()
        for number, line in pieces:
            self.at, self.marked = (number, line), False
            self._piece(number, line)
            if not self.marked:  # every handler takes or leaves its piece; this is the safety net
                self.plan.leave(number, line, UNKNOWN)
        self._finish()

    # -- accounting ---------------------------------------------------------------------------

    def _take(self, field_name: str, owner=None) -> _Mark:
        mark = _Mark(*self.at, field_name, owner if owner is not None else self.current)
        self.marks.append(mark)
        self.marked = True
        return mark

    def _leave(self, why: str, text: str | None = None) -> None:
        self.plan.leave(self.at[0], self.at[1] if text is None else text, why)
        if text is None:
            self.marked = True

    # -- lines --------------------------------------------------------------------------------

    def _piece(self, number: int, line: str) -> None:
        lead_in = line.rstrip("：:").endswith("具体如下")
        if _LIST_START.search(line) and (len(line) <= 80 or lead_in) and not ITEM_NUMBER.match(line):
            if not (lead_in and self.marks and all(m.field == "title" for m in self.marks)):
                self._reset()  # (…任务清单 / 对照…具体如下： is one start, not two)
            if lead_in:
                self._leave(OUTSIDE)
            else:
                self.plan.title = line.strip()
                self._take("title", self.plan)
            return
        if (self.in_footer or FOOTER_START.match(line)) and self._footer(line):
            return
        if self.head and self._head(line):
            return
        self.head = False
        self._line(number, line)

    def _head(self, line: str) -> bool:
        """The lines before the task list starts: the title, the issuing office, a lead-in."""
        if _structure(line):
            return False
        if OFFICE.match(line):
            self.publicity.issuer = self.publicity.issuer or line
            self._take("publicity.issuer", self.publicity)
        elif not self.plan.title and _could_be_title(line) and (
                not self.marks or any(w in line for w in _TITLE_WORDS)):
            self.plan.title = line
            self._take("title", self.plan)
        else:
            self._leave(OUTSIDE)
        return True

    def _footer(self, line: str) -> bool:
        """A 公示 page's closing lines; False when the text goes on with problems after all."""
        if _structure(line) and not FOOTER_START.match(line):
            self.in_footer = False
            return False
        self.in_footer = True
        name = read_footer_line(line, self.publicity)
        if name:
            self._take(f"publicity.{name}", self.publicity)
        else:
            self._leave(PUBLICITY_TEXT)
        return True

    def _line(self, number: int, line: str) -> None:
        for pattern, handler in ((CATEGORY_NUMBER, self._heading1), (SUBCATEGORY_NUMBER, self._heading2),
                                 (ITEM_NUMBER, self._item), (PAREN_NUMBER, self._sub_item),
                                 (CIRCLED_NUMBER, self._sub_item)):
            match = pattern.match(line)
            if match:
                rest = line[match.end():].strip()
                if self._label(number, rest):
                    return
                heading = pattern in (CATEGORY_NUMBER, SUBCATEGORY_NUMBER)
                run_on = _RUN_ON_LABEL.match(rest) if heading and number in self.flattened else None
                if run_on and self._label(number, f"{run_on.group(1)}：{run_on.group(2)}"):
                    return  # 一、反馈问题一些地方…: a flattened text lost the line break after the label
                handler(number, match, rest)
                return
        if not self._label(number, line):
            self._text(number, line)

    def _label(self, number: int, text: str) -> bool:
        match = _LABEL.match(text)
        value = match.group(3).strip() if match else ""
        if match is None:
            match = _LABEL_HEADING.match(text)
            if match is None or match.group(1) in _COLON_ONLY:
                return False
        name, bracket = match.group(1), match.group(2) or ""
        field_name = LABELS[name]
        self.preamble = 0
        if field_name == "description":
            # 反馈问题： after a labelled problem opens the next; after "1.…" it goes on with it.
            if self.current is None or self.current.labelled or self.current.from_label:
                self._new_problem(number, "")
            self.current.from_label = True
            code = CODE.search(bracket)
            if code and not self.current.problem.code:
                self.current.problem.code = code.group(0)
        elif self.current is None:
            self._heading_to_problem(number)
        elif self.current.fork is not None and field_name in self.current.fork.labels:
            self._split_at_fork(name)
        self.current.labels.add(field_name)
        self.field = field_name
        self.numbered_measure = False
        if field_name != "description":
            self.current.labelled = True
        if field_name == "measures" and name != "整改措施" and name != "主要措施":
            self.current.measures_done = True  # 整改措施及完成情况: 一是…二是… say what was done
        if bracket and field_name not in ("description", "code") and value:
            value = f"{value}（{bracket}）"  # 责任单位（县级）：县住建局: the 县级 is kept with the units
        if name in _KEEP_LABEL:
            value = f"{name}：{value}"
        self._append(field_name, value)
        self._take(field_name)
        return True

    def _heading_to_problem(self, number: int) -> None:
        """（一）…  followed at once by 整改目标：: the heading was the problem itself."""
        if self.heading is None:
            self._new_problem(number, "")
            return
        level, text, mark = self.heading
        if level == 2:
            self.category.children = [c for c in self.category.children if c is not self.sub or c.problems]
            self.sub = None
        else:
            self.plan.categories = [c for c in self.plan.categories
                                    if c is not self.category or c.all_problems() or c.children]
            self.category = None
        self._new_problem(mark.line, text)
        mark.field, mark.owner = "description", self.current

    def _heading1(self, number: int, match, rest: str) -> None:
        self.sub, self.current, self.field, self.heading = None, None, None, None
        if rest.startswith(_ABOUT):
            self._progress_problem(number, rest)
            return
        if _PREAMBLE.match(rest):
            self.preamble, self.category = 1, None
            self._skip_preamble()
            return
        self.preamble = 0
        self.category = self.plan.category(_title(rest), number)
        self.heading = (1, rest, self._take("category", self.category))
        self._leave_tail(rest, self.heading[2])

    def _heading2(self, number: int, match, rest: str) -> None:
        if self.current is not None and (self.field == "measures" or (
                self.current.from_label and self.field in ("completion", "remarks"))):
            if self.field == "measures":
                self._measure(rest)  # 整改措施：（一）…（二）… in a 销号公示
            else:
                self._append(self.field, line_number_kept(match, rest))
            self._take(self.field)
            return
        if rest.startswith(_ABOUT):
            self.sub, self.current, self.field, self.heading = None, None, None, None
            self._progress_problem(number, rest)
            return
        if self.preamble == 1 or _PREAMBLE.match(rest):
            self.preamble = self.preamble or 2
            self.current = None
            self._skip_preamble()
            return
        if self.category is None:
            self._heading1(number, match, rest)
            return
        self.preamble = 0
        self.sub = self.category.child(_title(rest), number)
        self.current, self.field = None, None
        self.heading = (2, rest, self._take("subcategory", self.sub))
        self._leave_tail(rest, self.heading[2])

    def _progress_problem(self, number: int, rest: str) -> None:
        """一、关于……问题: in a progress list the heading is the problem, its 1. 2. what was done."""
        self._new_problem(number, _TRAILING_LABEL.sub("", rest) or rest)
        self._take("description")
        self.field = "completion"

    def _skip_preamble(self) -> None:
        self.preamble_skipped += 1
        self._leave(OUTSIDE)

    def _leave_tail(self, rest: str, mark: _Mark) -> None:
        """A heading running on past its 。: the title is kept, the rest listed, not lost."""
        tail = rest.split("。", 1)[1].strip() if "。" in rest else ""
        if tail:
            mark.text = mark.text[:len(mark.text) - len(tail)]
            self._leave(UNKNOWN, tail)
            self.plan.warn(self.at[0], f"标题“{_title(rest)}”后面接着一段文字，没有导入，列在“未导入的内容”里。")

    def _item(self, number: int, match, rest: str) -> None:
        n = int(match.group(1))
        p = self.current.problem if self.current else None
        if self.preamble in (1, 2):
            self._skip_preamble()
        elif p is not None and self.field == "measures" and (
                n == len(p.measures) + 1 or self.current.from_label):
            self._measure(rest)
            mark = self._take("measures")
            if n == (self.current.number or -1) + 1 and self.current.fork is None:
                fields = {f: getattr(p, f) for f in _FORK_FIELDS}
                self.current.fork = _Fork(mark, len(self.marks) - 1, len(p.measures) - 1, fields,
                                          set(self.current.labels))
        elif p is not None and self.field in ("completion", "remarks"):
            self._append(self.field, f"{n}.{rest}")
            self._take(self.field)
        elif _PREAMBLE.match(rest):
            self.preamble, self.current = 3, None
            self._skip_preamble()
        else:
            self.preamble = 0
            self._new_problem(number, rest)
            self.current.number = n
            self._take("description")

    def _split_at_fork(self, label: str) -> None:
        """The measure at the fork was the next problem: it and all taken after it move there."""
        before, fork = self.current, self.current.fork
        old = before.problem
        measure = old.measures[fork.measure]
        self._new_problem(fork.mark.line, measure.text)
        self.current.number = before.number + 1
        new = self.current.problem
        new.measures = old.measures[fork.measure + 1:]
        del old.measures[fork.measure:]
        for name, kept in fork.fields.items():
            value = getattr(old, name)
            if value != kept and value.startswith(kept):
                setattr(old, name, kept)
                setattr(new, name, value[len(kept):].lstrip("\n、；"))
        self.current.labels = before.labels - fork.labels
        self.current.labelled = bool(self.current.labels)
        before.labels, before.fork = fork.labels, None
        fork.mark.field = "description"
        for mark in self.marks[fork.marks_at:]:
            if mark.owner is before:
                mark.owner = self.current
        self.plan.warn(fork.mark.line, f"“{_short(new.description)}”接在上一个问题的整改措施后面，编号也"
                       f"接得上，但它后面又有“{label}：”（上一个问题已经有过），所以按一个新的反馈问题"
                       "导入，请核对。")

    def _sub_item(self, number: int, match, rest: str) -> None:
        if self.preamble:
            self._skip_preamble()
            return
        if self.current is None:
            self._new_problem(number, rest)
            self._take("description")
            return
        if self.field in (None, "description", "measures"):
            self.field = "measures"
            self._measure(rest)
        else:
            self._append(self.field, rest)
        self._take(self.field)

    def _measure(self, text: str) -> None:
        self.current.problem.measures.append(PlanMeasure(text.rstrip("；;")))
        self.numbered_measure = True

    def _text(self, number: int, line: str) -> None:
        if self.preamble:
            self._skip_preamble()
            return
        if self.current is None:
            # A category's introduction, or the plan's own text: listed, never a problem.
            self._leave(OUTSIDE if not self.problems else UNKNOWN)
            return
        measures = self.current.problem.measures
        if self.field == "measures" and states_done(line):
            self._append("completion", line)  # 该问题已完成整改: a status, not a measure's text
            self._take("completion")
            return
        if self.field == "measures" and self.numbered_measure and measures:
            measures[-1].text += line  # a numbered measure's paragraph running on
            self._take("measures")
            return
        self._append(self.field or "description", line)
        self._take(self.field or "description")

    def _new_problem(self, number: int, description: str) -> None:
        owner = self.sub or self.category
        if owner is None:
            owner = self.category = self.plan.category(UNCATEGORIZED, number)
        self.current = _Problem(PlanProblem(description=description, row_number=number))
        self.field, self.heading = None, None
        self.problems.append((self.category, owner, self.current))

    def _append(self, field_name: str, value: str) -> None:
        if not value:
            return
        p = self.current.problem
        if field_name == "measures":
            points = split_points(value) if self.current.measures_done else []
            p.measures.extend(PlanMeasure(m) for m in (points or split_measures(value)))
            self.numbered_measure = bool(numbered_items(value)) or bool(points)
            return
        current = getattr(p, field_name) or ""
        joiner = "" if field_name == "description" or current.endswith("：") else "\n"
        if field_name in _SHORT_FIELDS:
            value = value.rstrip("。；;，,")  # 责任单位：县住建局。 in a flattened text
            joiner = "、" if field_name in _UNIT_FIELDS else "；"
        setattr(p, field_name, f"{current}{joiner}{value}" if current else value)

    # -- the end ------------------------------------------------------------------------------

    def _finish(self) -> None:
        # Where some 大类 hold labelled problems, a 大类 without any is the plan's own text
        # (总体要求, 组织保障): its numbered paragraphs are no problems.
        labelled = {id(top) for top, _, item in self.problems if item.labelled}
        skipped = 0
        for top, owner, item in self.problems:
            if labelled and id(top) not in labelled:
                skipped += 1
                continue
            _settle(item.problem)
            owner.problems.append(item.problem)
        if skipped:
            self.plan.warn(None, f"跳过了{skipped}段编号文字：它们所在的大类里没有“整改目标/整改措施/"
                                 "责任单位/整改时限”，通常是方案的总体要求部分。")
        if self.preamble_skipped:
            self.plan.warn(None, f"{self.preamble_skipped}段是方案的指导思想、基本原则等部分，没有当作"
                                 "反馈问题导入，列在“未导入的内容”里。")
        self.plan.drop_empty_categories()
        problems = self.plan.problems()
        if len(problems) == 1 and not problems[0].code:
            code = CODE.search(self.plan.title)  # a 公示 names its one problem's number in its title
            problems[0].code = code.group(0) if code else ""
        found = self.publicity.as_dict().keys()
        if found - {"issuer"} or (found and "公示" in self.plan.title):
            self.plan.publicity = self.publicity
        self._settle_marks()

    def _settle_marks(self) -> None:
        """Each mark whose owner made it into the plan is taken; the others were the plan's own text."""
        kept = {id(self.plan)} | {id(p) for p in self.plan.problems()}
        for category in self.plan.categories:
            kept |= {id(category)} | {id(c) for c in category.children}
        if self.plan.publicity is not None:
            kept.add(id(self.publicity))
        for mark in self.marks:
            owner = mark.owner.problem if isinstance(mark.owner, _Problem) else mark.owner
            if id(owner) in kept:
                self.plan.taken.append((mark.line, mark.field, mark.text))
            else:
                self.plan.leave(mark.line, mark.text, OUTSIDE)
        self.plan.not_imported.sort(key=lambda n: n.line)
        unknown = sum(1 for n in self.plan.not_imported if n.why == UNKNOWN)
        if unknown:
            self.plan.warn(None, f"有{unknown}处文字没有认出属于哪个字段，没有导入，列在“未导入的内容”里，"
                                 "请对照原文核对。")


def _settle(p: PlanProblem) -> None:
    """Status and term from what the text says: 已完成（并持续推进）, 各项整改措施均已完成, 长期坚持."""
    p.completion_to_measures()
    status, term = status_and_term(p.completion, anywhere=False)
    if status is None and (states_done(p.completion) or any(states_done(m.completion) for m in p.measures)):
        status = Status.DONE
    p.status = status.value if status else None
    if "长期坚持" in p.deadline_text or "长期坚持" in p.completion:
        p.term = Term.ONGOING.value  # 2019年6月底前完成，长期坚持: ongoing, the date kept as written
    elif term and not p.deadline_text:
        p.term = term.value


def line_number_kept(match, rest: str) -> str:
    """（一）… inside a running text keeps its number: it is part of what was written."""
    return match.group(0).strip() + rest


def _structure(line: str) -> bool:
    """A heading, numbered item or field label: the task list (or the problem) has begun."""
    for pattern in (CATEGORY_NUMBER, SUBCATEGORY_NUMBER, ITEM_NUMBER, PAREN_NUMBER, CIRCLED_NUMBER):
        match = pattern.match(line)
        if match:
            return True
    return bool(_LABEL.match(line) or _LABEL_HEADING.match(line))


def _could_be_title(line: str) -> bool:
    return len(line) <= 120 and "。" not in line and not _structure(line)


def _short(text: str, length: int = 20) -> str:
    return text if len(text) <= length else text[:length] + "…"


def _title(text: str) -> str:
    """A heading's title: up to its first 。 (some headings run on into their paragraph)."""
    head = text.split("。", 1)[0]
    return category_title(head).rstrip("。；;")
