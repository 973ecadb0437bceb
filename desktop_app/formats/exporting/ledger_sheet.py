"""What an exported 整改任务清单 holds: the chosen columns, the problems kept, renumbered, as cell text.

No openpyxl here: this is the ledger seen as rows of text, shared by every export format.
"""

import re
from dataclasses import dataclass, field

from ...domain.ledger_tree import CategoryNode, ProblemNode
from ...domain.numbering import category_label, subcategory_label, summary_text
from ...domain.vocabulary import FINISHED_STATUSES, Status
from ...store.progress import latest_reports
from .text_fit import clean_text

# key → (header, default width in column units). The first nine are the issuer's fixed shape.
COLUMNS: dict[str, tuple[str, float]] = {
    "number": ("序号", 6),
    "description": ("反馈问题", 30),
    "goal": ("整改目标", 18),
    "measures": ("整改措施", 34),
    "lead_official": ("责任领导", 10),
    "lead_unit": ("责任单位", 12),
    "deadline": ("整改时限", 11),
    "progress": ("整改进展情况", 22),
    "remarks": ("备注", 9),
    # Extra columns a clerk may add in the export dialog.
    "code": ("问题编号", 10),
    "support_units": ("配合单位", 12),
    "term": ("整改类型", 9),
    "status": ("整改状态", 9),
    "completion": ("整改落实情况", 22),
}
DEFAULT_COLUMNS = ("number", "description", "goal", "measures", "lead_official", "lead_unit",
                   "deadline", "progress", "remarks")
# Long free text: these columns stretch or shrink to fill the paper; the others keep their width.
FLEXIBLE_COLUMNS = frozenset({"description", "goal", "measures", "progress", "completion",
                              "support_units"})
STATUSES = tuple(Status)


@dataclass
class Section:
    """一、 category or （一） subcategory, with the exported problems directly under it."""
    label: str
    title: str
    problems: list[ProblemNode] = field(default_factory=list)
    children: list["Section"] = field(default_factory=list)

    def all_problems(self) -> list[ProblemNode]:
        return self.problems + [p for child in self.children for p in child.problems]


@dataclass
class SheetContent:
    inspection: dict
    sections: list[Section]
    numbers: dict[int, int]  # problem id → 序号 in this export (1..K)
    progress: dict[int, str]  # problem id → latest progress report text

    @property
    def problem_count(self) -> int:
        return len(self.numbers)

    @property
    def summary(self) -> str:
        return summary_text(len(self.sections), self.problem_count)


def is_unfinished(problem: ProblemNode) -> bool:
    return problem.row["status"] not in FINISHED_STATUSES


def _section(node: CategoryNode, label: str, keep, only_kept: bool) -> Section | None:
    section = Section(label, node.title, [p for p in node.problems if keep(p)])
    for child in node.children:
        kept = _section(child, subcategory_label(len(section.children) + 1), keep, only_kept)
        if kept is not None:
            section.children.append(kept)
    if only_kept and not section.all_problems():
        return None
    return section


def sheet_content(ledger, inspection: dict, only_unfinished: bool) -> SheetContent:
    """The sections and problems of one inspection as exported.

    With only_unfinished, problems already done are left out, categories left empty are dropped,
    and what remains is renumbered without gaps (一、二、…, 1..K): an upward report is read as
    a list of its own, and gaps would look like missing pages. The summary counts what is
    exported. Without it, every category is kept (even an empty one) and the numbers are those
    the window shows.
    """
    tree = ledger.tree(inspection["id"])
    keep = is_unfinished if only_unfinished else (lambda problem: True)
    sections = []
    for node in tree.categories:
        section = _section(node, category_label(len(sections) + 1), keep, only_unfinished)
        if section is not None:
            sections.append(section)
    numbers = {}
    for section in sections:
        for problem in section.all_problems():
            numbers[problem.id] = len(numbers) + 1
    return SheetContent(inspection, sections, numbers, latest_progress(ledger, inspection["id"]))


def latest_progress(ledger, inspection_id: int) -> dict[int, str]:
    """Each problem's most recent progress report (调度) text, where it has one."""
    return {problem_id: report["text"]
            for problem_id, report in latest_reports(ledger, inspection_id).items()}


def _numbered(texts) -> str:
    texts = [t for t in (clean_text(t) for t in texts) if t]
    return "\n".join(f"{i}.{t}" for i, t in enumerate(texts, start=1))


def progress_text(problem: dict, progress: dict[int, str]) -> str:
    """整改进展情况: the latest progress report, else the problem's 整改落实情况,
    else what its measures record as done (numbered as the measures are)."""
    if progress.get(problem["id"]):
        return clean_text(progress[problem["id"]])
    if clean_text(problem["completion"]):
        return clean_text(problem["completion"])
    written = [m for m in problem["measures"] if clean_text(m["text"])]
    done = [(i, clean_text(m["completion"])) for i, m in enumerate(written, start=1)]
    return "\n".join(f"{i}.{text}" for i, text in done if text)


def cell_values(problem: ProblemNode, number: int, columns, progress: dict[int, str]) -> list:
    """The exported cells of one problem, in column order: 序号 an int, everything else text."""
    row = problem.row
    values = []
    for key in columns:
        if key == "number":
            values.append(number)
        elif key == "measures":
            values.append(_numbered(m["text"] for m in row["measures"]))
        elif key == "deadline":
            values.append(clean_text(row["deadline_text"]))
        elif key == "progress":
            values.append(progress_text(row, progress))
        else:
            values.append(clean_text(row[key]))
    return values


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


# A name that already names a document: "…整改任务清单" needs no 反馈意见整改任务清单 after it, and
# "…整改销号公示" (a 公示 page's title, imported as the name) is not itself a 清单.
_DOCUMENT_END = re.compile(r"(?:反馈意见|反馈问题)?(?:整改)?(?:任务|问题)?(?:清单|台账)$")
_NOTICE_END = re.compile(r"(?:整改销号情况的|整改情况的|整改销号|销号)?公示$")


def fill_template(template: str, values: dict) -> str:
    """{org}{name}反馈意见整改任务清单 → text; unknown {words} and stray braces stay as typed.

    The text right after {name} is not repeated where the name already says it.
    """
    pieces = _PLACEHOLDER.split(template)  # literal, word, literal, word, …
    out = []
    for i, piece in enumerate(pieces):
        if i % 2 == 0:
            if i > 0 and pieces[i - 1] == "name" and "name" in values:
                out[-1], piece = _name_then(out[-1], piece)
            out.append(piece)
        else:
            out.append(str(values[piece]) if piece in values else "{" + piece + "}")
    return "".join(out)


def _name_then(name: str, following: str) -> tuple[str, str]:
    """The name and the text after it, without saying one thing twice."""
    if not following:
        return name, following
    if _DOCUMENT_END.search(following) and _DOCUMENT_END.search(name) and len(_DOCUMENT_END.search(name)[0]) >= 2:
        return name, ""
    if _DOCUMENT_END.search(following):
        name = _NOTICE_END.sub("", name) or name
        if name.endswith("问题") and following.startswith("反馈意见"):
            following = following.removeprefix("反馈意见")  # …“长江大保护”问题整改任务清单
    for size in range(min(len(name), len(following)), 1, -1):  # …反馈意见 + 反馈意见整改任务清单
        if name.endswith(following[:size]):
            return name, following[size:]
    return name, following


def template_from_text(text: str, template: str, values: dict) -> str:
    """A title edited as it prints, back to a template, so each inspection gets its own names and
    figures: the values the preview showed turn into the placeholders they came from."""
    if text == fill_template(template, values):
        return template
    used = set(_PLACEHOLDER.findall(template))
    shown = sorted(((key, str(value)) for key, value in values.items() if key in used and str(value)),
                   key=lambda pair: -len(pair[1]))  # 42 before 4, the name before a part of it
    for key, value in shown:
        text = text.replace(value, "{" + key + "}")
    return text


def template_values(ledger_title: str, inspection: dict, content: SheetContent) -> dict:
    return counted_values(ledger_title, inspection, len(content.sections), content.problem_count)


def counted_values(ledger_title: str, inspection: dict, categories: int, problems: int) -> dict:
    """What the placeholders of a title or summary stand for."""
    return {"org": inspection.get("org") or "", "name": inspection["name"],
            "kind": inspection.get("kind") or "", "ledger": ledger_title,
            "categories": categories, "problems": problems}


def status_counts(problems) -> list[int]:
    """How many of problems are in each status, in the order of STATUSES."""
    counts = dict.fromkeys(STATUSES, 0)
    for problem in problems:
        counts[Status(problem.row["status"])] += 1
    return list(counts.values())
