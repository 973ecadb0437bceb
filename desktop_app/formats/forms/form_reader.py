"""Reading a returned 填报表 (form): who filled it, when, and what it says per problem and measure.

Works on the form as sent (hidden 识别码 column and 台账标识 sheet) and on a sheet a unit made
itself with the rows copied over (no identity: the rows carry only 序号 and text, matched later).
Nothing here knows the ledger: matching and the diff are store/collect.py's.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from .form_xlsx import FILLER_LABELS, ID_HEADER, parse_token
from ..importing.errors import ImportFailed
from ..importing.values import cell_text
from ..exporting.workbook_identity import Identity
from ..reading.workbook_source import open_sheets

_HEADER_WORDS = {"序号": "number", "反馈问题": "description", "整改措施": "measure",
                 "完成情况": "completion", "本月进展": "progress", "整改状态": "status",
                 "佐证材料": "evidence", ID_HEADER: "token"}
_HEADER_SEARCH_ROWS = 20
_DATE = re.compile(r"(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})")
_MEASURE_NUMBER = re.compile(r"^\s*\d{1,3}\s*[.．、]\s*")


class NotAForm(ImportFailed):
    def __init__(self, name: str, why: str):
        super().__init__(f"“{name}”不是填报表：{why}。请选择本软件“生成填报表”生成、"
                         "由责任单位填好报回的表格。")


@dataclass
class ReturnedMeasure:
    measure_id: int | None
    text: str
    completion: str
    row: int


@dataclass
class ReturnedProblem:
    problem_id: int | None  # None: the row had no 识别码 (a sheet the unit made itself)
    number: str
    description: str
    inspection: str  # the 督察批次 heading above it, if any
    row: int
    progress: str = ""
    status: str = ""
    evidence: str = ""
    measures: list[ReturnedMeasure] = field(default_factory=list)


@dataclass
class ReturnedForm:
    file: str
    identity: Identity | None
    reporter: str = ""
    phone: str = ""
    filled_on: date | None = None
    filled_on_text: str = ""  # as typed, when it is no date we could read
    problems: list[ReturnedProblem] = field(default_factory=list)

    @property
    def unit(self) -> str:
        return self.identity.meta.get("unit", "") if self.identity else ""


def read_form(path) -> ReturnedForm:
    """The form at path; raises ImportFailed (NotAForm, or the workbook checks') with a reason."""
    path = Path(path)
    with open_sheets(path) as sheets:
        identity = sheets[0].identity if sheets else None
        for sheet in sheets:
            rows = sheet.rows()
            head = []
            for _ in range(_HEADER_SEARCH_ROWS):
                try:
                    head.append(next(rows))
                except StopIteration:
                    break
            found = _header(head)
            if found is None:
                continue
            form = ReturnedForm(path.name, identity)
            at, columns = found
            _filler(form, head[:at])
            _body(form, columns, at + 1, head[at + 1:], rows)
            return form
    if identity is not None and identity.kind != "form":
        raise NotAForm(path.name, "这是本软件导出的整改任务清单（台账），不是填报表；"
                                  "要把它读回台账，请用“导入”")
    raise NotAForm(path.name, "找不到含“反馈问题”“完成情况”“本月进展”的表头")


def _header(rows) -> tuple[int, dict[str, int]] | None:
    """(0-based row index, field → column) of the form's header row."""
    for index, values in enumerate(rows):
        columns = {}
        for column, value in enumerate(values):
            name = _HEADER_WORDS.get("".join(cell_text(value).split()))
            if name and name not in columns:
                columns[name] = column
        if "description" in columns and ({"completion", "progress", "status"} & set(columns)):
            return index, columns
    return None


def _filler(form: ReturnedForm, rows) -> None:
    """填报人, 联系电话, 填报日期: a label cell and the value beside it, or "填报人：张三"."""
    for values in rows:
        texts = [cell_text(v) for v in values]
        for i, text in enumerate(texts):
            compact = "".join(text.split())
            for label in FILLER_LABELS:
                if not compact.startswith(label):
                    continue
                rest = compact[len(label):].lstrip("：:")
                raw = values[i] if not rest else rest
                if not rest:
                    raw = next((values[j] for j in range(i + 1, len(values))
                                if cell_text(values[j])), None)
                _set_filler(form, label, raw)


def _set_filler(form: ReturnedForm, label: str, raw) -> None:
    text = cell_text(raw)
    if not text or text in FILLER_LABELS:
        return
    if label == "填报人":
        form.reporter = text
    elif label == "联系电话":
        form.phone = text
    else:
        form.filled_on = _date(raw)
        form.filled_on_text = "" if form.filled_on else text


def _date(raw) -> date | None:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, (int, float)) and 20000 < raw < 80000:  # an Excel day number
        return date(1899, 12, 30) + timedelta(days=int(raw))
    match = _DATE.search(cell_text(raw))
    if match:
        try:
            return date(*(int(g) for g in match.groups()))
        except ValueError:
            return None
    return None


def _body(form: ReturnedForm, columns: dict[str, int], first_row: int, head, rest) -> None:
    def text(values, name):
        column = columns.get(name)
        return cell_text(values[column]) if column is not None and column < len(values) else ""

    inspection = ""
    current: ReturnedProblem | None = None
    for number, values in enumerate(_chain(head, rest), start=first_row + 1):
        token = parse_token(text(values, "token"))
        texts = [cell_text(v) for v in values]
        filled = [t for t in texts if t]
        if not filled:
            continue
        if filled[0].startswith("督察批次："):
            inspection, current = filled[0].removeprefix("督察批次：").strip(), None
            continue
        sequence, description = text(values, "number"), text(values, "description")
        if token is not None:
            problem_id, measure_id = token
            starts = current is None or current.problem_id != problem_id
        else:
            problem_id, measure_id = None, None
            starts = current is None or bool(sequence or description)
        if starts:
            current = ReturnedProblem(problem_id, sequence, description, inspection, number)
            form.problems.append(current)
        for name in ("progress", "status", "evidence"):
            value = text(values, name)
            if value and value not in getattr(current, name).split("\n"):
                joined = getattr(current, name)
                setattr(current, name, f"{joined}\n{value}" if joined else value)
        measure = _MEASURE_NUMBER.sub("", text(values, "measure"))
        completion = text(values, "completion")
        if measure or completion or measure_id is not None:
            current.measures.append(ReturnedMeasure(measure_id, measure, completion, number))


def _chain(head, rest):
    yield from head
    yield from rest
