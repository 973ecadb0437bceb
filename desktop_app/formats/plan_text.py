"""Reading a rectification plan (整改方案) published as text into an ImportPlan.

The task list of a plan reads:  一、大类 / （一）小类 / 1.反馈问题 / 整改目标：… / 整改措施：
1.… 2.… / 责任领导：… / 责任单位：… / 整改时限：…  Whatever comes before a line naming the
list (…整改任务清单, 具体如下：) is the plan's preamble and is left out, and so are numbered
paragraphs in a 大类 without any of those labels once some other 大类 has them.
"""

import re
from dataclasses import dataclass

from .import_errors import NoProblemsFound
from .import_plan import ImportPlan, PlanCategory, PlanMeasure, PlanProblem
from .import_values import (CATEGORY_NUMBER, CIRCLED_NUMBER, ITEM_NUMBER, PAREN_NUMBER,
                            SUBCATEGORY_NUMBER, category_title, numbered_items, split_measures,
                            status_and_term)
from .plan_cleaning import clean_plan_text

UNCATEGORIZED = "未分类"
PASTED = "粘贴的文字"

# label → field. A label opens a line ("整改目标：…") and may follow a number ("二、整改目标：").
LABELS = {
    "反馈问题": "description", "问题描述": "description", "存在问题": "description",
    "问题编号": "code", "整改目标": "goal", "整改措施": "measures", "主要措施": "measures",
    "责任领导": "lead_official", "牵头领导": "lead_official", "责任单位": "lead_unit",
    "牵头单位": "lead_unit", "配合单位": "support_units", "整改时限": "deadline_text",
    "完成时限": "deadline_text", "整改进展": "completion", "完成情况": "completion",
    "整改落实情况": "completion", "整改完成情况": "completion", "整改情况": "completion",
    "备注": "remarks",
}
_LABEL = re.compile(r"^(" + "|".join(sorted(LABELS, key=len, reverse=True)) + r")\s*[:：]\s*(.*)$")
_LABEL_HEADING = re.compile(r"^(" + "|".join(sorted(LABELS, key=len, reverse=True)) + r")\s*[:：]?\s*$")
_LIST_START = re.compile(r"(任务清单|问题清单|整改清单|具体如下)\s*[:：]?\s*$")
_LABELLED_FIELDS = {"goal", "measures", "lead_official", "lead_unit", "deadline_text", "completion"}


@dataclass
class _Problem:
    problem: PlanProblem
    labelled: bool = False


def read_plan_text(text: str, source: str = PASTED) -> ImportPlan:
    """The plan in text (pasted, or read from a file): categories, problems, measures.

    Raises NoProblemsFound when the text has no numbered problem at all (a speech, a notice).
    """
    plan = ImportPlan(layout="text", source=source)
    lines = clean_plan_text(text, plan)
    _Parser(plan).parse(lines)
    if not plan.problem_count:
        raise NoProblemsFound(source)
    return plan


class _Parser:
    def __init__(self, plan: ImportPlan):
        self.plan = plan
        self.problems: list[tuple[PlanCategory, PlanCategory, _Problem]] = []  # (大类, owner, problem)
        self._reset()

    def _reset(self) -> None:
        self.plan.categories = []
        self.problems = []
        self.category: PlanCategory | None = None
        self.sub: PlanCategory | None = None
        self.current: _Problem | None = None
        self.field: str | None = None
        self.numbered_measure = False  # the last measure began with a number: plain lines continue it

    def parse(self, lines: list[tuple[int, str]]) -> None:
        if lines and _could_be_title(lines[0][1]):
            self.plan.title = lines[0][1]
            lines = lines[1:]
        for number, line in lines:
            if _LIST_START.search(line) and len(line) <= 80 and not ITEM_NUMBER.match(line):
                self._reset()  # the task list starts here: what came before was the preamble
                if not line.rstrip("：:").endswith("具体如下"):
                    self.plan.title = line.strip()
                continue
            self._line(number, line)
        self._finish()

    def _line(self, number: int, line: str) -> None:
        for pattern, handler in ((CATEGORY_NUMBER, self._heading1), (SUBCATEGORY_NUMBER, self._heading2),
                                 (ITEM_NUMBER, self._item), (PAREN_NUMBER, self._sub_item),
                                 (CIRCLED_NUMBER, self._sub_item)):
            match = pattern.match(line)
            if match:
                rest = line[match.end():].strip()
                if self._label(number, rest):
                    return
                handler(number, match, rest)
                return
        if not self._label(number, line):
            self._text(number, line)

    def _label(self, number: int, text: str) -> bool:
        match = _LABEL.match(text) or _LABEL_HEADING.match(text)
        if not match:
            return False
        field = LABELS[match.group(1)]
        value = match.group(2).strip() if match.lastindex and match.lastindex >= 2 else ""
        if self.current is None:
            self._new_problem(number, "")
        self.field = field
        if field != "description":
            self.current.labelled = True
        self._append(field, value)
        return True

    def _heading1(self, number: int, match, rest: str) -> None:
        self.category = self.plan.category(_title(rest), number)
        self.sub, self.current, self.field = None, None, None

    def _heading2(self, number: int, match, rest: str) -> None:
        if self.current is not None and self.field == "measures":
            self._measure(rest)  # 整改措施：（一）…（二）… in a 销号公示
            return
        if self.category is None:
            self._heading1(number, match, rest)
            return
        self.sub = self.category.child(_title(rest), number)
        self.current, self.field = None, None

    def _item(self, number: int, match, rest: str) -> None:
        n = int(match.group(1))
        p = self.current.problem if self.current else None
        if p is not None and self.field == "measures" and n == len(p.measures) + 1:
            self._measure(rest)
        elif p is not None and self.field == "completion":
            self._append("completion", f"{n}.{rest}")
        else:
            self._new_problem(number, rest)

    def _sub_item(self, number: int, match, rest: str) -> None:
        if self.current is None:
            self._new_problem(number, rest)
        elif self.field in (None, "description", "measures"):
            self.field = "measures"
            self._measure(rest)
        else:
            self._append(self.field, rest)

    def _measure(self, text: str) -> None:
        self.current.problem.measures.append(PlanMeasure(text))
        self.numbered_measure = True

    def _text(self, number: int, line: str) -> None:
        if self.current is None:
            return  # a category's introduction, or the preamble
        measures = self.current.problem.measures
        if self.field == "measures" and self.numbered_measure and measures:
            measures[-1].text += line  # a numbered measure's paragraph running on
            return
        self._append(self.field or "description", line)

    def _new_problem(self, number: int, description: str) -> None:
        owner = self.sub or self.category
        if owner is None:
            owner = self.category = self.plan.category(UNCATEGORIZED, number)
        self.current = _Problem(PlanProblem(description=description, row_number=number))
        self.field = None
        self.problems.append((self.category, owner, self.current))

    def _append(self, field: str, value: str) -> None:
        if not value:
            return
        p = self.current.problem
        if field == "measures":
            p.measures.extend(PlanMeasure(m) for m in split_measures(value))
            self.numbered_measure = bool(numbered_items(value))
            return
        current = getattr(p, field) or ""
        joiner = "" if field == "description" else "\n"
        setattr(p, field, f"{current}{joiner}{value}" if current else value)

    def _finish(self) -> None:
        # Where some 大类 hold labelled problems, a 大类 without any is the plan's own text
        # (总体要求, 组织保障): its numbered paragraphs are no problems.
        labelled = {id(top) for top, _, item in self.problems if item.labelled}
        skipped = 0
        for top, owner, item in self.problems:
            if labelled and id(top) not in labelled:
                skipped += 1
                continue
            p = item.problem
            p.completion_to_measures()
            status, term = status_and_term(p.completion, anywhere=False)
            p.status = status.value if status else None
            if term and not p.deadline_text:
                p.term = term.value
            owner.problems.append(p)
        if skipped:
            self.plan.warn(None, f"跳过了{skipped}段编号文字：它们所在的大类里没有“整改目标/整改措施/"
                                 "责任单位/整改时限”，通常是方案的总体要求部分。")
        self.plan.drop_empty_categories()


def _could_be_title(line: str) -> bool:
    return len(line) <= 80 and "。" not in line and not _LABEL.match(line) and not any(
        p.match(line) for p in (CATEGORY_NUMBER, SUBCATEGORY_NUMBER, ITEM_NUMBER, PAREN_NUMBER))


def _title(text: str) -> str:
    """A heading's title: up to its first 。 (some headings run on into their paragraph)."""
    head = text.split("。", 1)[0]
    return category_title(head).rstrip("。；;")
