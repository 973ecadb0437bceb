"""The identity a workbook we write carries back: a hidden sheet naming the ledger and its rows.

A hidden worksheet survives a clerk or a 责任单位 opening and saving the file in Excel, WPS or
LibreOffice (custom document properties do not always: WPS drops some). It holds tagged rows:
    ("meta", key, value)                              ledger id, kind of workbook, unit …
    ("span", sheet, first_row, last_row, problem_id)  an exported ledger: the rows of a problem
    ("form", problem_id, measure_id, values_json)     a form: its rows and the values as sent
"""

import json
from dataclasses import dataclass, field

IDENTITY_SHEET = "台账标识"
KIND_LEDGER = "ledger"  # an exported 整改任务清单
KIND_FORM = "form"  # a 填报表
_TITLE = ("督察整改台账软件生成的标识，请勿修改或删除本工作表",)


@dataclass
class Identity:
    meta: dict[str, str] = field(default_factory=dict)
    spans: dict[str, list[tuple[int, int, int]]] = field(default_factory=dict)  # sheet → spans
    form_rows: dict[tuple[int, int | None], dict] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return self.meta.get("kind", "")

    @property
    def ledger_id(self) -> str:
        return self.meta.get("ledger_id", "")


def write_identity(workbook, kind: str, ledger_id: str, meta: dict, rows) -> None:
    """Append the hidden identity sheet to workbook (write-only or not); rows are tagged tuples."""
    ws = workbook.create_sheet(IDENTITY_SHEET)
    ws.sheet_state = "hidden"
    rows = [_TITLE, ("meta", "kind", kind), ("meta", "ledger_id", ledger_id),
            *(("meta", key, str(value)) for key, value in meta.items()), *rows]
    if workbook.write_only:
        from .xlsx_sheets import write_values  # openpyxl's writer: not for the readers of this
        write_values(ws, rows)
    else:
        for row in rows:
            ws.append(list(row))


def form_row(problem_id: int, measure_id: int | None, values: dict) -> tuple:
    # JSON escapes control characters; the noncharacters XML refuses are escaped here.
    text = json.dumps(values, ensure_ascii=False, sort_keys=True)
    return ("form", problem_id, measure_id if measure_id is not None else "",
            text.replace("\ufffe", "\\ufffe").replace("\uffff", "\\uffff"))


def read_identity(rows) -> Identity | None:
    """The identity from the rows of the hidden sheet, or None when they are not one."""
    identity = Identity()
    for row in rows:
        tag = row[0] if row else None
        try:
            if tag == "meta" and len(row) >= 3:
                identity.meta[str(row[1])] = "" if row[2] is None else str(row[2])
            elif tag == "span" and len(row) >= 5:
                identity.spans.setdefault(str(row[1]), []).append(
                    (int(row[2]), int(row[3]), int(row[4])))
            elif tag == "form" and len(row) >= 4:
                measure = int(row[2]) if row[2] not in (None, "") else None
                identity.form_rows[int(row[1]), measure] = json.loads(row[3])
        except (TypeError, ValueError):  # a row somebody typed over: ignore it, keep the rest
            continue
    return identity if identity.ledger_id else None
