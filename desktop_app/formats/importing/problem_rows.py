"""One problem out of one or more workbook rows: fields, measures, status and term, with warnings."""

from functools import lru_cache

from ...domain.deadlines import parse_deadline
from ...domain.vocabulary import Status
from .plan import ImportPlan, PlanMeasure, PlanProblem
from .values import (CIRCLED_NUMBER, ITEM_NUMBER, PAREN_NUMBER, is_only_status,
                            split_measures, status_and_term, strip_item_number, term_from_text)
from .workbook_layout import Header
from .workbook_rows import Row

_TEXT_FIELDS = ("code", "goal", "lead_official", "lead_unit", "support_units", "remarks")
_UNIT_FIELDS = ("lead_official", "lead_unit", "support_units")  # joined with 、 when rows differ
_STATUS_ORDER = list(Status)
_NO_DATE_NEEDED = ("长期", "持续", "立行立改", "立即", "常态", "已完成", "完成")


@lru_cache(maxsize=4096)
def _unclear_deadline(text: str) -> bool:
    """A deadline naming neither a date nor a term (尽快): worth a warning.

    Cached: a ledger repeats a handful of deadlines (2024年底前, 长期坚持…) over thousands of rows.
    """
    return parse_deadline(text) is None and not any(w in text for w in _NO_DATE_NEEDED)


class ProblemBuilder:
    """Collects the rows of one problem; finish() settles measures' completions and the status."""

    def __init__(self, plan: ImportPlan, header: Header, row: Row):
        self.plan, self.header = plan, header
        self.problem = PlanProblem(row_number=row.number)
        self.rows: list[tuple[int, list[str], str]] = []  # (row, its measures, its 完成情况)
        self.statuses: list[Status] = []  # from a status column: these win
        self.inferred: list[Status] = []  # from status words opening a 完成情况 text
        # The row being read, kept open while rows continuing its cells follow (continue_row).
        self._pending: Row | None = row
        self._first = True

    def _fields(self, row: Row) -> dict[str, str]:
        """field → the row's text for it (several columns of one field joined by line breaks)."""
        texts, cells = {}, row.texts
        width = len(cells)
        for field, columns in self.header.by_field().items():
            if len(columns) == 1:
                texts[field] = cells[columns[0]] if columns[0] < width else ""
            else:
                texts[field] = "\n".join(dict.fromkeys(
                    cells[i] for i in columns if i < width and cells[i]))
        return texts

    def add_row(self, row: Row) -> None:
        """A further row of the same problem (one measure per row under a merged 反馈问题)."""
        self._flush()
        self._pending = row

    def runs_on(self, row: Row, described_above: bool) -> bool:
        """Whether row continues the cells of the row above rather than adding a row of its own:
        it has a description of its own, or a text that carries on a sentence left open above."""
        if not described_above:
            return True
        above = self._pending
        if above is None or any(row.merged_from_above(i) for i in range(len(row.texts))):
            return False
        for index, text in enumerate(row.texts):
            head = above.text(index)
            if text and head and not head.endswith(_SENTENCE_ENDS) and not _joiner(text):
                return True
        return False

    def continue_row(self, row: Row) -> None:
        """A row whose texts run on from the row above: a long cell cut where a printed page
        ends (an exported ledger does this). Each column's text is joined to the one above."""
        above = self._pending
        texts = list(above.texts) + [""] * max(0, len(row.texts) - len(above.texts))
        for index, text in enumerate(row.texts):
            if not text or row.merged_from_above(index):
                continue
            head = texts[index]
            texts[index] = head + (_joiner(text) if head else "") + text
        self._pending = Row(above.number, texts, above.anchors)

    def _flush(self) -> None:
        if self._pending is None:
            return
        row, self._pending = self._pending, None
        self._add(row, first=self._first)
        if self._first and not self.problem.description:
            self.plan.warn(row.number, "没有“反馈问题”内容，已导入为空白问题，请补上。")
        self._first = False

    def _add(self, row: Row, first: bool) -> None:
        p = self.problem
        texts = self._fields(row)
        get = texts.get
        if first:
            p.description = strip_item_number(get("description", ""))
        for name in _TEXT_FIELDS:
            value = get(name)
            if not value:
                continue
            current = getattr(p, name)
            joiner = "、" if name in _UNIT_FIELDS else "\n"
            if not current:
                setattr(p, name, value)
            elif value not in current.split(joiner):
                setattr(p, name, f"{current}{joiner}{value}")
        deadline = get("deadline_text")
        if deadline and deadline not in p.deadline_text:
            p.deadline_text = f"{p.deadline_text}；{deadline}" if p.deadline_text else deadline
        measures = split_measures(get("measures", ""))
        completion = get("completion", "")
        status_text = get("status")
        term_text = get("term")
        if status_text:
            status, term = status_and_term(status_text, anywhere=True)
            if status is None and term is None:
                self.plan.warn(row.number, f"整改状态“{status_text}”认不出来，已按“未启动”导入。")
            self._note(status, term, self.statuses)
        if completion and is_only_status(completion):
            self._note(*status_and_term(completion, anywhere=True), self.inferred)
            if completion not in self.problem.progress:
                self.problem.progress = "\n".join(filter(None, (self.problem.progress, completion)))
            completion = ""
        elif completion:
            self._note(*status_and_term(completion, anywhere=False), self.inferred)
        if term_text:
            term = term_from_text(term_text)
            if term is None:
                self.plan.warn(row.number, f"整改类型“{term_text}”认不出来，已按整改时限推断。")
            else:
                p.term = term.value
        self.rows.append((row.number, measures, completion))

    def _note(self, status, term, into: list) -> None:
        if status is not None:
            into.append(status)
        if term is not None and self.problem.term is None:
            self.problem.term = term.value

    def finish(self) -> None:
        self._flush()
        p = self.problem
        per_measure = len(self.rows) > 1 and all(len(m) == 1 for _, m, c in self.rows if c)
        completions = []
        for _, measures, completion in self.rows:
            for i, text in enumerate(measures):
                own = completion if per_measure and i == 0 else ""
                p.measures.append(PlanMeasure(text, own))
            if completion and not per_measure and completion not in completions:
                completions.append(completion)
        p.completion = "\n".join(completions)
        if not per_measure:
            p.completion_to_measures()
        statuses = self.statuses or self.inferred
        if statuses:  # a problem is only as far along as its least advanced row
            p.status = min(statuses, key=_STATUS_ORDER.index).value
        self._check_deadline()

    def _check_deadline(self) -> None:
        text = self.problem.deadline_text
        if text and _unclear_deadline(text):
            self.plan.warn(self.problem.row_number,
                           f"整改时限“{text}”里没有可识别的日期，已按原文保存，请核对。")


_SENTENCE_ENDS = ("。", "；", ";", "！", "？", "!", "?")


def _joiner(text: str) -> str:
    """How a cut text joins the part above: a new line before a numbered item (a cut between
    two measures), nothing inside a paragraph (the exporter cuts mid-sentence too)."""
    starts_item = ITEM_NUMBER.match(text) or PAREN_NUMBER.match(text) or CIRCLED_NUMBER.match(text)
    return "\n" if starts_item else ""
