"""Reading a ledger workbook (.xlsx/.xls) into an ImportPlan, as a generator yielding progress.

    plan = yield from read_workbook(path)          # in a worker; or finish(read_workbook(path))

Categories come either as rows (一、… and （一）… rows, merged across the table or not) or as
a 问题类别 column; the layout is told by the header. A problem may span several rows (one
measure per row under a vertically merged 反馈问题): those rows become one problem.
"""

import gc
import itertools
from contextlib import contextmanager
from pathlib import Path
from typing import Generator

from .errors import NoHeader, NoProblemsFound, WorkbookEmpty
from .plan import ImportPlan, PlanCategory
from .values import category_title, heading_level, is_chinese_ordinal
from .vocabulary import FOOTER_WORDS, SUMMARY_WORDS
from ...jobs import Step
from .problem_rows import ProblemBuilder
from .workbook_layout import (HEADER_SEARCH_ROWS, Header, find_header, header_texts,
                              is_header_repeat, override)
from ..exporting.workbook_identity import KIND_LEDGER
from .workbook_rows import Row, sheet_rows
from ..reading.workbook_source import Sheet, open_sheets

PROGRESS_EVERY = 250  # rows
UNCATEGORIZED = "未分类"
_LONGEST_CATEGORY = 60


def read_workbook(path, mapping_override: dict[int, str | None] | None = None
                  ) -> Generator[Step, None, ImportPlan]:
    """Read the first visible sheet that has a ledger header; raises ImportFailed when none does.

    mapping_override (source_index → field or None) replaces the automatic mapping of those
    columns: pass back ImportPlan.mapping() as the clerk corrected it in the preview.
    """
    path = Path(path)
    yield Step(0, 0, f"正在打开“{path.name}”…")
    with open_sheets(path) as sheets:
        return (yield from read_sheets(sheets, path.name, mapping_override))


def read_sheets(sheets: list[Sheet], source: str,
                mapping_override: dict[int, str | None] | None = None
                ) -> Generator[Step, None, ImportPlan]:
    """The first of sheets (a workbook's, or a Word document's tables) with a ledger header."""
    with _fewer_collections():
        searched, any_content = [], False
        for sheet in sheets:
            simplified, rows = sheet_rows(sheet)
            head = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
            filled = [(r.number, r.texts) for r in head if any(r.texts)]
            any_content = any_content or bool(filled)
            header = find_header(filled)
            searched.append(sheet.name)
            if header is None:
                continue
            if mapping_override:
                header = override(header, mapping_override, max(len(r.texts) for r in head))
            plan = ImportPlan(source=source, sheet=sheet.name, header_rows=header.rows)
            reader = _SheetReader(plan, header, sheet)
            if simplified:
                plan.warn(None, "表格是繁体字，已转换为简体字，请核对人名和地名。")
            others = [s.name for s in sheets if s is not sheet and s.rows_total > 1]
            if others:
                plan.warn(None, f"只导入了“{sheet.name}”，没有导入：" + "、".join(others))
            yield from reader.read(itertools.chain(head, rows))
            if not plan.problem_count:
                raise NoProblemsFound(f"{source}”的“{sheet.name}")
            return plan
        if not any_content:
            raise WorkbookEmpty(source)
        raise NoHeader(source, searched)


class _SheetReader:
    def __init__(self, plan: ImportPlan, header: Header, sheet: Sheet):
        self.plan, self.header, self.sheet = plan, header, sheet
        plan.columns = header.columns
        first = {f: (header.indexes(f) or [None])[0] for f in ("sequence", "category", "subcategory")}
        self.sequence, self.category_column, self.subcategory_column = (
            first["sequence"], first["category"], first["subcategory"])
        self.description = header.indexes("description")
        self.header_texts = header_texts(header)
        plan.layout = "column" if self.category_column is not None else "rows"
        self.current: PlanCategory | None = None  # from category rows
        self.current_sub: PlanCategory | None = None
        self.problem: ProblemBuilder | None = None
        self.problem_owner: PlanCategory | None = None
        self.problem_number = ""  # the 序号 on the current problem's first row
        self.builders: list[ProblemBuilder] = []
        self.formulas: dict[int, list[int]] = {}  # row → 1-based columns of formulas without a value
        for r, c in sorted(sheet.formulas_without_value):
            self.formulas.setdefault(r, []).append(c)
        # An export of this app says which rows each problem fills: exact where the text alone
        # cannot tell a page-break continuation row from a heading or a problem of its own.
        identity = sheet.identity if sheet.identity and sheet.identity.kind == KIND_LEDGER else None
        spans = identity.spans.get(sheet.name, []) if identity else []
        self.starts = {first: problem_id for first, _, problem_id in spans}
        self.continued = {row for first, last, _ in spans for row in range(first + 1, last + 1)}
        if spans:
            plan.ledger_id = identity.ledger_id
        for kept, dropped in header.duplicates:
            plan.warn(None, f"“{dropped.source_header}”列和“{kept.source_header}”列都像是"
                            f"“{kept.field_label}”，只导入了“{kept.source_header}”列；可以在预览里调整。")

    def read(self, rows) -> Generator[Step, None, None]:
        total = self.sheet.rows_total
        for row in rows:
            if row.number % PROGRESS_EVERY == 0:
                yield Step(row.number, max(total, row.number), f"正在读取第{row.number}行…")
            if row.number <= self.header.last_row:
                if row.number < self.header.rows[0]:
                    self._before_header(row)
                continue
            self._row(row)
        for builder in self.builders:
            builder.finish()
        self._drop_empty_categories()
        yield Step(total, total, "读取完成")

    def _before_header(self, row: Row) -> None:
        distinct = row.distinct()
        if len(distinct) == 1 and not self.plan.title and not _is_footer(distinct[0]):
            self.plan.title = distinct[0].replace("\n", "")

    def _row(self, row: Row) -> None:
        distinct = row.distinct()
        if not distinct:
            return
        if row.number in self.continued and self.problem is not None:
            self.problem.continue_row(row)
            return
        if row.number in self.starts and not row.text(self.sequence):
            self._distrust_spans()  # rows were inserted or moved since the export
        first = distinct[0]
        if _is_footer(first) or _is_summary(first) or is_header_repeat(row.texts, self.header_texts):
            return
        for column in self.formulas.get(row.number, ()):
            name = next((m.source_header for m in self.header.columns if m.source_index == column - 1),
                        f"第{column}列")
            self.plan.warn(row.number, f"“{name}”是公式，但文件里没有保存计算结果，已留空。"
                                       "请在 WPS/Excel 里打开并保存一次后再导入。")
        level, title = self._category_row(row, distinct)
        if level:
            self._start_category(row.number, level, title)
            return
        self._problem_row(row)

    def _category_row(self, row: Row, distinct: list[str]) -> tuple[int, str]:
        """(1 or 2, title) when the row is a category heading, else (0, "")."""
        sequence = row.text(self.sequence)
        if len(distinct) == 2 and sequence and is_chinese_ordinal(sequence):
            other = distinct[1] if distinct[0] == sequence else distinct[0]
            return is_chinese_ordinal(sequence), category_title(other)
        if len(distinct) != 1:
            return 0, ""
        text = distinct[0]
        level = heading_level(text)
        only_in_sequence = self.sequence is not None and row.texts.index(text) == self.sequence
        short = len(text) <= _LONGEST_CATEGORY and "。" not in text
        filled = [i for i, t in enumerate(row.texts) if t]
        # A heading typed into one cell sits at the left: a lone measure or unit is no heading.
        lone = len(filled) == 1 and (filled[0] == 0 or filled[0] in self.description)
        if level or ((row.merged_across() or only_in_sequence or lone) and short):
            if row.merged_from_above(row.texts.index(text)):
                return 0, ""  # a vertical merge running on: not a heading of its own
            return level or 1, category_title(text)
        return 0, ""

    def _start_category(self, number: int, level: int, title: str) -> None:
        self.problem = None
        if not title:
            return
        if level == 2 and self.current is not None:
            self.current_sub = self.current.child(title, number)
            return
        if level == 2:
            self.plan.warn(number, f"小类“{title}”前面没有大类，已作为大类导入。")
        self.current = self.plan.category(title, number)
        self.current_sub = None

    def _problem_row(self, row: Row) -> None:
        described = any(row.text(i) for i in self.description)
        described_above = any(row.merged_from_above(i) for i in self.description) or not described
        sequence = row.text(self.sequence)
        # a problem's further rows leave the 序号 empty, merge it, or repeat it (our exports)
        sequence_above = (not sequence or row.merged_from_above(self.sequence)
                          or (bool(self.problem_number) and sequence == self.problem_number))
        owner = self._owner(row)
        if self.problem is not None and owner is self.problem_owner:
            same_number = self.problem_number and (sequence_above or sequence == self.problem_number)
            if same_number and self.problem.runs_on(row, described_above):
                # Under a numbered problem, a row without a 序号 of its own (or with the same one)
                # whose cells carry on mid-text: a long cell cut where a printed page ends.
                self.problem.continue_row(row)
                return
            if described_above and sequence_above:
                self.problem.add_row(row)
                return
        self.problem = ProblemBuilder(self.plan, self.header, row)
        self.problem.problem.source_id = self.starts.get(row.number)
        self.problem_owner = owner
        self.problem_number = "" if row.merged_from_above(self.sequence) else sequence
        self.builders.append(self.problem)
        owner.problems.append(self.problem.problem)

    def _distrust_spans(self) -> None:
        self.starts, self.continued = {}, set()
        self.plan.ledger_id = ""
        for problem in self.plan.problems():
            problem.source_id = None

    def _owner(self, row: Row) -> PlanCategory:
        """The category a problem on this row goes into."""
        if self.category_column is not None and row.text(self.category_column):
            category = self.plan.category(category_title(row.text(self.category_column)), row.number)
            sub_text = row.text(self.subcategory_column)
            return category.child(category_title(sub_text), row.number) if sub_text else category
        if self.current is not None:
            return self.current_sub or self.current
        if self.problem is not None and self.category_column is not None:
            return self.problem_owner  # a continuation row with the category cell left blank
        if not any(c.title == UNCATEGORIZED for c in self.plan.categories):
            self.plan.warn(row.number, f"这一行之前没有问题类别，放在“{UNCATEGORIZED}”下；"
                                       "导入后可以改名或移动。")
        return self.plan.category(UNCATEGORIZED, row.number)

    def _drop_empty_categories(self) -> None:
        for category in self.plan.categories:
            for child in category.children:
                if not child.problems:
                    self.plan.warn(child.row_number, f"小类“{child.title}”下面没有问题，没有导入。")
            if not category.all_problems():
                self.plan.warn(category.row_number, f"大类“{category.title}”下面没有问题，没有导入。")
        self.plan.drop_empty_categories()


@contextmanager
def _fewer_collections():
    """Collect garbage less often while reading: the plan keeps every object made for it, and
    the collector would re-scan that growing heap again and again (docs/benchmarks.md)."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], 50_000), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _is_footer(text: str) -> bool:
    compact = "".join(text.split())
    return compact.startswith(FOOTER_WORDS) or any(w in compact for w in ("填报人：", "联系电话：", "填表人："))


def _is_summary(text: str) -> bool:
    compact = "".join(text.split())
    return compact.startswith(SUMMARY_WORDS)
