"""分发: one 填报表 per 责任单位, holding only its problems, written into a folder.

A problem whose 责任单位 names several units (县住建局、县水利局) goes into each one's form.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Generator

from ..formats.exporting.errors import ExportError
from ..formats.forms.form_xlsx import FormInspection, FormMeasure, FormProblem, write_form
from ..jobs import Step
from .identity import ledger_id

NO_UNIT = "未填写责任单位"
_UNIT_SEPARATORS = re.compile(r"[、，,；;/／\n]+|\s{2,}")
_FILE_FORBIDDEN = re.compile(r'[\\/:*?"<>|\r\n\t]')


def split_units(text: str) -> list[str]:
    """"县住建局、县水利局" → both; "（牵头）" and the like stay with their unit."""
    units = [u.strip() for u in _UNIT_SEPARATORS.split(text or "")]
    return list(dict.fromkeys(u for u in units if u))


@dataclass
class FormsResult:
    folder: Path
    files: list[tuple[str, Path, int]]  # (unit, file, problems)


def unit_forms(ledger, inspection_ids: list[int] | None = None) -> dict[str, list[FormInspection]]:
    """unit → its inspections with only its problems, in ledger order."""
    forms: dict[str, dict[int, FormInspection]] = {}
    for inspection in ledger.inspections():
        if inspection_ids is not None and inspection["id"] not in inspection_ids:
            continue
        for node in ledger.tree(inspection["id"]).problems:
            row = node.row
            problem = FormProblem(row["id"], node.number, row["description"], row["goal"],
                                  row["deadline_text"], row["status"],
                                  [FormMeasure(m["id"], m["text"], m["completion"])
                                   for m in row["measures"]])
            for unit in split_units(row["lead_unit"]) or [NO_UNIT]:
                by_inspection = forms.setdefault(unit, {})
                if inspection["id"] not in by_inspection:
                    by_inspection[inspection["id"]] = FormInspection(inspection["id"],
                                                                     inspection["name"])
                by_inspection[inspection["id"]].problems.append(problem)
    return {unit: list(by.values()) for unit, by in forms.items()}


def form_file_name(unit: str) -> str:
    return (_FILE_FORBIDDEN.sub("_", unit).strip(" .") or "责任单位")[:80] + "填报表.xlsx"


def inspection_ids_named(ledger, name: str | None) -> list[int] | None:
    if name is None:
        return None
    ids = [i["id"] for i in ledger.inspections() if i["name"] == name]
    if not ids:
        known = "、".join(i["name"] for i in ledger.inspections()) or "（台账里还没有督察批次）"
        raise ExportError(f"台账里没有名为“{name}”的督察批次。现有：{known}")
    return ids


def distribute(ledger, folder: Path, inspection_ids: list[int] | None = None,
               unit: str | None = None) -> Generator[Step, None, FormsResult]:
    """Write the forms into folder (one per unit, or only unit's); yields progress."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ExportError(f"文件夹“{folder}”不存在。请先建好文件夹，或选择另一个文件夹。")
    forms = unit_forms(ledger, inspection_ids)
    if unit is not None:
        if unit not in forms:
            known = "、".join(forms) or "（没有问题）"
            raise ExportError(f"没有责任单位“{unit}”的问题。台账里的责任单位有：{known}")
        forms = {unit: forms[unit]}
    if not forms:
        raise ExportError("没有可以分发的问题：台账里还没有问题，或所选督察批次下没有问题。")
    identity = ledger_id(ledger)
    written, taken = [], set()
    for index, (name, inspections) in enumerate(forms.items()):
        yield Step(index, len(forms), f"正在生成“{name}”的填报表…")
        file_name, n = form_file_name(name), 1
        while file_name.casefold() in taken:  # two names the file system would make one
            n += 1
            file_name = form_file_name(f"{name}({n})")
        taken.add(file_name.casefold())
        path = write_form(folder / file_name, identity, name, inspections)
        written.append((name, path, sum(len(i.problems) for i in inspections)))
    yield Step(len(forms), len(forms), "填报表已生成")
    return FormsResult(folder, written)
