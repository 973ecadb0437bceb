"""Writing the 填报表 (form) of one 责任单位: its problems, locked, with cells for it to fill in.

The unit fills 完成情况 per measure, and per problem 本月进展, 整改状态 (a drop-down) and
佐证材料 (the names of the files it sends along), and 填报人, 联系电话, 填报日期 at the top.
Everything taken from the ledger is locked (sheet protection without a password: it guards
against slips, not people). The identity travels twice: a hidden 识别码 column on every row,
and the hidden 台账标识 sheet with the values as sent (to tell what changed, and conflicts).
"""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation

from ... import APP_NAME
from ..exporting.safe_file import check_target, replacing
from ..exporting.text_fit import clean_text, row_height, wrapped_lines
from ..exporting.workbook_identity import KIND_FORM, form_row, write_identity
from ..exporting.xlsx_layout import BORDER, setup_page

FORM_SHEET = "填报表"
# (header, width, filled by the unit). Widths fill a landscape A4 page at about 90 %.
FORM_COLUMNS = (("序号", 5, False), ("反馈问题", 28, False), ("整改目标", 16, False),
                ("整改措施", 28, False), ("整改时限", 10, False), ("完成情况", 24, True),
                ("本月进展", 28, True), ("整改状态", 9, True), ("佐证材料", 14, True),
                ("识别码", 8, False))
HEADERS = tuple(h for h, _, _ in FORM_COLUMNS)
ID_HEADER = "识别码"
FILLER_LABELS = ("填报人", "联系电话", "填报日期")
FORM_STATUSES = ("未启动", "整改中", "已完成")  # what a unit reports; 销号 is the clerk's
INSTRUCTION = ("填报说明：灰色单元格是台账内容，不能修改；请在白色单元格填写每条措施的完成情况、"
               "每个问题的本月进展、整改状态（下拉选择）和佐证材料文件名（材料随表一并报送），"
               "并填写填报人、联系电话和填报日期。请勿增删行列、勿修改表名；填好后保存原文件报回。")
_LOCKED_FILL = PatternFill("solid", fgColor="EDEDED")
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_TEXT = Font(name="宋体", size=10.5)
_BOLD = Font(name="宋体", size=11, bold=True)
_TOP_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_UNLOCKED = Protection(locked=False)


@dataclass
class FormMeasure:
    id: int
    text: str
    completion: str


@dataclass
class FormProblem:
    id: int
    number: int  # as the ledger shows it (序号 within its inspection)
    description: str
    goal: str
    deadline_text: str
    status: str
    measures: list[FormMeasure] = field(default_factory=list)


@dataclass
class FormInspection:
    id: int
    name: str
    problems: list[FormProblem] = field(default_factory=list)


def id_token(problem_id: int, measure_id: int | None = None) -> str:
    return f"P{problem_id}" + (f"-M{measure_id}" if measure_id is not None else "")


def parse_token(text) -> tuple[int, int | None] | None:
    """"P12-M34" → (12, 34); "P12" → (12, None); anything else → None."""
    text = str(text or "").strip()
    if not text.startswith("P"):
        return None
    head, _, tail = text[1:].partition("-M")
    try:
        return int(head), (int(tail) if tail else None)
    except ValueError:
        return None


def write_form(target: Path, ledger_id: str, unit: str, inspections: list[FormInspection],
               sent_on: date | None = None) -> Path:
    """Write the form of unit to target (.xlsx), whole or not at all."""
    target = Path(target)
    check_target(target, ".xlsx")
    book = Workbook()
    book.properties.creator = APP_NAME
    book.properties.title = f"{unit}整改进展填报表"
    ws = book.active
    ws.title = FORM_SHEET
    _Sheet(ws, unit).write(inspections)
    rows = []
    for inspection in inspections:
        for problem in inspection.problems:
            rows.append(form_row(problem.id, None, {"status": problem.status,
                                                    "description": problem.description}))
            rows += [form_row(problem.id, m.id, {"completion": m.completion, "text": m.text})
                     for m in problem.measures]
    write_identity(book, KIND_FORM, ledger_id,
                   {"unit": unit, "sent_on": (sent_on or date.today()).isoformat(),
                    "inspections": "、".join(i.name for i in inspections)}, rows)
    with replacing(target) as partial:
        book.save(partial)
    return target


class _Sheet:
    def __init__(self, ws, unit: str):
        self.ws, self.unit = ws, unit
        self.widths = [w for _, w, _ in FORM_COLUMNS]
        self.last = len(FORM_COLUMNS) - 1  # the hidden 识别码 column is not printed
        self.row = 0

    def _cell(self, row: int, column: int, value, locked: bool, bold=False, center=False):
        if isinstance(value, str):
            value = clean_text(value)  # a control character from Word would stop openpyxl
        cell = self.ws.cell(row, column, value if value not in ("", None) else None)
        cell.font = _BOLD if bold else _TEXT
        cell.alignment = _CENTER if center else _TOP_LEFT
        cell.border = BORDER
        if locked:
            cell.fill = _LOCKED_FILL
        else:
            cell.protection = _UNLOCKED
        if isinstance(value, str):
            cell.data_type = "s"  # text stays text, even "=…"
        return cell

    def _across(self, text: str, font: Font, height: float, bordered: bool = False) -> None:
        self.row += 1
        cell = self.ws.cell(self.row, 1, text)
        cell.font, cell.alignment = font, _CENTER if not bordered else _TOP_LEFT
        if bordered:
            cell.fill = _LOCKED_FILL
        self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row,
                            end_column=self.last)
        self.ws.row_dimensions[self.row].height = height

    def write(self, inspections: list[FormInspection]) -> None:
        ws = self.ws
        for index, width in enumerate(self.widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.column_dimensions[get_column_letter(len(self.widths))].hidden = True
        self._across(f"{self.unit}督察整改进展填报表", Font(name="宋体", size=16, bold=True), 30)
        self._across(INSTRUCTION, Font(name="宋体", size=10), 42)
        self._filler_row()
        self.row += 1
        header_row = self.row
        for column, (header, _, filled) in enumerate(FORM_COLUMNS, start=1):
            cell = self._cell(self.row, column, header, locked=True, bold=True, center=True)
            cell.fill = _HEADER_FILL
        ws.row_dimensions[self.row].height = 24
        status_cells = []
        for inspection in inspections:
            self._across(f"督察批次：{inspection.name}", _BOLD, 20, bordered=True)
            ws.cell(self.row, len(self.widths), f"I{inspection.id}")
            for problem in inspection.problems:
                status_cells.append(self._problem(problem))
        self._validations(status_cells)
        setup_page(ws, "A4", landscape=True, title_rows=f"{header_row}:{header_row}",
                   freeze=f"A{header_row + 1}")
        ws.print_area = f"A1:{get_column_letter(self.last)}{self.row}"
        ws.protection.sheet = True
        # Allowed under protection: widening columns and rows to read or type long text.
        ws.protection.formatColumns = ws.protection.formatRows = False
        ws.protection.formatCells = False

    def _filler_row(self) -> None:
        self.row += 1
        self.filler_row = self.row
        places = ((2, 3), (4, 5), (6, 7))  # (label column, value column)
        for label, (at, value_at) in zip(FILLER_LABELS, places):
            self._cell(self.row, at, label, locked=True, bold=True, center=True)
            cell = self._cell(self.row, value_at, None, locked=False)
            if label == "填报日期":
                cell.number_format = "yyyy\"年\"m\"月\"d\"日\""
        self.ws.row_dimensions[self.row].height = 22

    def _problem(self, problem: FormProblem) -> str:
        measures = problem.measures or [None]
        first = self.row + 1
        for offset, measure in enumerate(measures):
            self.row += 1
            r = self.row
            head = offset == 0
            self._cell(r, 1, problem.number if head else None, locked=True, center=True)
            self._cell(r, 2, problem.description if head else None, locked=True)
            self._cell(r, 3, problem.goal if head else None, locked=True)
            text = f"{offset + 1}.{measure.text}" if measure else ""
            self._cell(r, 4, text, locked=True)
            self._cell(r, 5, problem.deadline_text if head else None, locked=True, center=True)
            self._cell(r, 6, measure.completion if measure else None, locked=measure is None)
            for column in (7, 8, 9):
                self._cell(r, column, problem.status if head and column == 8 else None,
                           locked=False, center=column == 8)
            self.ws.cell(r, 10, id_token(problem.id, measure.id if measure else None))
            lines = max(wrapped_lines(text, self.widths[3]),
                        wrapped_lines(measure.completion if measure else "", self.widths[5]), 2)
            self.ws.row_dimensions[r].height = row_height(min(lines, 16))
        last = self.row
        shared = max(wrapped_lines(problem.description, self.widths[1]),
                     wrapped_lines(problem.goal, self.widths[2]))
        have = sum(self.ws.row_dimensions[r].height for r in range(first, last + 1))
        need = row_height(min(shared, 60))
        if need > have:  # the description is taller than its measures: the last row grows
            self.ws.row_dimensions[last].height = min(409, self.ws.row_dimensions[last].height
                                                      + need - have)
        if last > first:
            for column in (1, 2, 3, 5, 7, 8, 9):
                self.ws.merge_cells(start_row=first, start_column=column, end_row=last,
                                    end_column=column)
        return f"H{first}"

    def _validations(self, status_cells: list[str]) -> None:
        if status_cells:
            status = DataValidation(type="list", formula1='"' + ",".join(FORM_STATUSES) + '"',
                                    allow_blank=True, showErrorMessage=True,
                                    errorTitle="整改状态", error="请从下拉列表中选择整改状态。")
            status.sqref = MultiCellRange(" ".join(status_cells))
            self.ws.add_data_validation(status)
        when = DataValidation(type="date", operator="greaterThan", formula1="36526",
                              allow_blank=True, showErrorMessage=True, errorTitle="填报日期",
                              error="请填写日期，例如 2024-05-20。")
        when.add(f"G{self.filler_row}")
        self.ws.add_data_validation(when)
