"""What an import will create, before anything is written: the plan a preview shows and apply_plan writes.

A reader (workbook or plan text) turns a file into an ImportPlan; nothing here touches a
ledger or Qt, so a preview can be rebuilt as often as the clerk changes the column mapping.
"""

from dataclasses import dataclass, field

from ...domain.numbering import summary_text
from .values import numbered_items, states_done

# The fields a source column can fill, in the order a mapping combo box lists them, with the
# words the ledger shows for them (GLOSSARY). "sequence" (序号) and "category"/"subcategory"
# (问题类别) shape the tree instead of filling a problem field.
IMPORT_FIELDS: dict[str, str] = {
    "sequence": "序号",
    "category": "问题类别（大类）",
    "subcategory": "小类",
    "code": "问题编号",
    "description": "反馈问题",
    "goal": "整改目标",
    "measures": "整改措施",
    "lead_official": "责任领导",
    "lead_unit": "责任单位",
    "support_units": "配合单位",
    "deadline_text": "整改时限",
    "term": "整改类型",
    "status": "整改状态",
    "completion": "整改落实情况",
    "remarks": "备注",
}

# The problem fields add_problem takes, apart from measures.
PROBLEM_FIELDS = ("code", "description", "goal", "lead_official", "lead_unit", "support_units",
                  "deadline_text", "term", "status", "completion", "remarks")


@dataclass
class ColumnMapping:
    """One source column: its header as written, its 0-based index, and the field it fills."""
    source_header: str
    source_index: int
    field: str | None  # a key of IMPORT_FIELDS, or None: the column is not imported

    @property
    def field_label(self) -> str:
        return IMPORT_FIELDS.get(self.field, "（不导入）") if self.field else "（不导入）"


@dataclass
class RowWarning:
    """Something the clerk should check: the row (workbook) or line (text) it is about."""
    row_number: int | None  # 1-based row of the sheet, or line of the text; None: the whole file
    message: str

    def __str__(self) -> str:
        return f"第{self.row_number}行：{self.message}" if self.row_number else self.message


# Why a line of a text was not imported (import --json "why"; the preview's list).
WEB_NOISE = "网页杂项"  # site furniture, datelines, 扫码下载
OUTSIDE = "正文前后"  # the plan's preamble and closing text, a notice's lead-in
PUBLICITY_TEXT = "公示信息"  # a notice's footer that fills no 公示 field (特此公示, 如有异议…)
UNKNOWN = "不认识"  # a line the reader could not place: the clerk should look


@dataclass
class NotImported:
    """A line of the source the import leaves out, and why (one of the four words above)."""
    line: int
    text: str
    why: str

    def as_dict(self) -> dict:
        return {"line": self.line, "text": self.text, "why": self.why}


@dataclass
class PlanPublicity:
    """A 公示 page's footer: where objections go and the period, as a problem's 公示 record."""
    office: str = ""
    contact: str = ""
    phone: str = ""
    fax: str = ""
    issuer: str = ""  # 落款: the office that published the notice
    issued_on: str = ""  # the 落款's date as written
    period: str = ""  # 公示时间 as written
    publicity_start: str | None = None  # ISO dates read from period
    publicity_end: str | None = None
    publicity_working_days: int | None = None

    def as_dict(self) -> dict:
        return {name: value for name, value in self.__dict__.items() if value not in (None, "")}

    def __bool__(self) -> bool:
        return bool(self.as_dict())


@dataclass
class PlanMeasure:
    text: str
    completion: str = ""


@dataclass
class PlanProblem:
    description: str = ""
    code: str = ""
    goal: str = ""
    lead_official: str = ""
    lead_unit: str = ""
    support_units: str = ""
    deadline_text: str = ""
    term: str | None = None  # None: the ledger infers it from deadline_text
    status: str | None = None  # None: 未启动
    completion: str = ""
    remarks: str = ""
    measures: list[PlanMeasure] = field(default_factory=list)
    row_number: int | None = None  # where it starts in the source
    progress: str = ""  # a 整改进展 cell holding status words only: kept as a progress report
    source_id: int | None = None  # the problem's id in the ledger that exported the workbook

    def completion_to_measures(self) -> None:
        """"1.已召开专题会议\n2.已印发清单" under numbered measures: each measure's own 完成情况.

        One result per measure, numbered alike, pairs by number. Otherwise (5 measures, 4 results)
        a result goes to the measure its text shares most with, and one that shares too little
        with every measure stays in the problem's completion. A line saying the problem is done
        (截至目前，各项整改措施均已完成) stays with the problem.
        """
        if not self.completion or not self.measures or any(m.completion for m in self.measures):
            return
        lines = self.completion.split("\n")
        status_lines = [line for line in lines if states_done(line) and not numbered_items(line)]
        numbered = numbered_items("\n".join(line for line in lines if line not in status_lines))
        if not numbered:
            return
        if [n for n, _ in numbered] == list(range(1, len(self.measures) + 1)):
            pairs = {n - 1: text for n, text in numbered}
            kept = []
        else:
            pairs, unpaired = _pair_by_content(numbered, [m.text for m in self.measures])
            kept = [f"{n}.{text}" for n, text in unpaired]
        for index, text in pairs.items():
            self.measures[index].completion = text
        self.completion = "\n".join(kept + status_lines)

    def ledger_fields(self) -> dict:
        """Keyword arguments for Ledger.add_problem."""
        fields = {name: getattr(self, name) for name in PROBLEM_FIELDS}
        fields = {k: v for k, v in fields.items() if v not in (None, "")}
        fields["measures"] = [{"text": m.text, "completion": m.completion} for m in self.measures]
        return fields


@dataclass
class PlanCategory:
    title: str
    problems: list[PlanProblem] = field(default_factory=list)
    children: list["PlanCategory"] = field(default_factory=list)  # subcategories, one level
    row_number: int | None = None

    def all_problems(self) -> list[PlanProblem]:
        """Its own problems, then its subcategories', in document order (as the ledger numbers them)."""
        found = list(self.problems)
        for child in self.children:
            found.extend(child.problems)
        return found

    def child(self, title: str, row_number: int | None = None) -> "PlanCategory":
        """The subcategory with this title, added at the end if it is new."""
        return _find_or_append(self.children, title, row_number)


@dataclass
class ImportPlan:
    categories: list[PlanCategory] = field(default_factory=list)
    columns: list[ColumnMapping] = field(default_factory=list)  # empty for plan text
    warnings: list[RowWarning] = field(default_factory=list)
    layout: str = "rows"  # "rows": categories as rows; "column": a 问题类别 column; "text": a plan text
    title: str = ""  # the document's own title (workbook title row, plan heading), if it has one
    source: str = ""  # the file name, or "粘贴的文字"
    sheet: str = ""  # the worksheet read (workbooks)
    header_rows: tuple[int, ...] = ()  # 1-based rows of the header (workbooks)
    # Plan text: every non-empty source line is in taken (line, field it went to, the text as
    # read) or in not_imported.
    taken: list[tuple[int, str, str]] = field(default_factory=list)
    not_imported: list[NotImported] = field(default_factory=list)
    publicity: PlanPublicity | None = None  # a 公示 page's footer
    ledger_id: str = ""  # of the ledger that exported the workbook, when this app wrote it

    def problems(self) -> list[PlanProblem]:
        """All problems in document order: numbered 1..M by the ledger."""
        found = []
        for category in self.categories:
            found.extend(category.all_problems())
        return found

    @property
    def problem_count(self) -> int:
        return len(self.problems())

    @property
    def measure_count(self) -> int:
        return sum(len(p.measures) for p in self.problems())

    @property
    def summary(self) -> str:
        """N大类M项, as the ledger will show it once imported."""
        return summary_text(len(self.categories), self.problem_count)

    @property
    def mapped_columns(self) -> list[ColumnMapping]:
        return [c for c in self.columns if c.field]

    @property
    def unmapped_columns(self) -> list[ColumnMapping]:
        return [c for c in self.columns if not c.field]

    def mapping(self) -> dict[int, str | None]:
        """source_index → field: what read_workbook takes back as mapping_override."""
        return {c.source_index: c.field for c in self.columns}

    def category(self, title: str, row_number: int | None = None) -> PlanCategory:
        """The top-level category with this title, added at the end if it is new."""
        return _find_or_append(self.categories, title, row_number)

    def warn(self, row_number: int | None, message: str) -> None:
        self.warnings.append(RowWarning(row_number, message))

    def leave(self, line: int, text: str, why: str) -> None:
        """A source line (or the part of one) the import does not take, listed for the clerk."""
        if text.strip():
            self.not_imported.append(NotImported(line, text.strip(), why))

    def drop_empty_categories(self) -> None:
        """Categories that ended up with no problem at all are not worth creating."""
        for category in self.categories:
            category.children = [c for c in category.children if c.problems]
        self.categories = [c for c in self.categories if c.all_problems()]


# A result belongs to a measure when this share of its character pairs is found in that measure
# and clearly more (PAIRING_MARGIN times) than in any other.
PAIRING_OVERLAP = 0.15
PAIRING_MARGIN = 1.5


def _pair_by_content(numbered: list[tuple[int, str]], measures: list[str]
                     ) -> tuple[dict[int, str], list[tuple[int, str]]]:
    """{measure index: result} for results that belong to one measure; the rest unpaired.

    A result goes to the measure its text clearly shares most with; failing that, to the measure
    of its own number when no other measure shares more with it (shared numbering, nothing against).
    """
    grams = [_bigrams(m) for m in measures]
    pairs: dict[int, str] = {}
    unpaired = []
    for number, result in numbered:
        own = _bigrams(result)
        scores = [len(own & g) / max(len(own), 1) for g in grams]
        ranked = sorted(range(len(scores)), key=lambda i: scores[i], reverse=True)
        best = ranked[0]
        second = scores[ranked[1]] if len(ranked) > 1 else 0.0
        by_number = number - 1
        if scores[best] >= PAIRING_OVERLAP and scores[best] >= PAIRING_MARGIN * second:
            index = best
        elif 0 <= by_number < len(measures) and scores[by_number] >= scores[best]:
            index = by_number
        else:
            index = None
        if index is not None and index not in pairs:
            pairs[index] = result
        else:
            unpaired.append((number, result))
    return pairs, unpaired


def _bigrams(text: str) -> set[str]:
    chars = [c for c in text if c.isalnum()]
    return {a + b for a, b in zip(chars, chars[1:])}


def _find_or_append(categories: list, title: str, row_number: int | None):
    """The category with this title in the list, appended at the end if it is new."""
    for existing in categories:
        if existing.title == title:
            return existing
    created = PlanCategory(title, row_number=row_number)
    categories.append(created)
    return created
