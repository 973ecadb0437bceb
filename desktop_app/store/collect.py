"""回收: what returned 填报表 (forms) would change in the ledger, and applying what the clerk accepts.

    plan = plan_collect(ledger, paths)      # reads, matches and compares; writes nothing
    apply_collect(ledger, plan)             # one transaction: reports, completions, statuses

A field the ledger changed since the form was sent AND the unit changed too is a conflict: both
values are listed and the ledger's is kept until the clerk picks the returned one. A form read
twice adds nothing the second time (its reports exist, its values are already the ledger's).
"""

import difflib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..domain.field_names import field_label
from ..domain.vocabulary import Status
from ..formats.forms.form_reader import ReturnedForm, ReturnedProblem, read_form
from ..formats.importing.errors import ImportFailed
from ..formats.exporting.text_fit import clean_text
from ..formats.exporting.workbook_identity import KIND_FORM
from .identity import ledger_id
from .progress import add_report

STATUS_FIELD = "整改状态"
PROGRESS_FIELD = "本月进展"
_SIMILAR = 0.85  # of two descriptions, for rows matched by 序号 and text


def measure_field(index: int) -> str:
    return f"整改措施{index}完成情况"


@dataclass
class FileResult:
    file: str
    unit: str = ""
    matched: int = 0
    unmatched: list[dict] = field(default_factory=list)  # {"row", "text", "reason"}
    refused: str | None = None
    notes: list[str] = field(default_factory=list)  # things the clerk should know


@dataclass
class Change:
    """One value the returned form changes: a field of a problem or measure, or a new report."""
    problem_id: int
    problem: str  # as the clerk knows it: 督察批次 第N项
    field: str  # 整改状态, 整改措施N完成情况, 本月进展
    old: str
    new: str
    source: str  # the file it came from
    measure_id: int | None = None
    column: str = "status"  # the ledger column written (of the measure, when measure_id is set)
    report: dict | None = None  # for 本月进展: report_date, text, reporter, status
    by_text: bool = False  # matched by 序号 and text, not by identity: for the clerk to confirm
    accepted: bool = True

    def to_json(self) -> dict:
        return {"problem": self.problem, "field": self.field, "old": self.old, "new": self.new}


@dataclass
class Conflict:
    change: Change  # applying it takes the returned value
    ledger: str
    returned: str
    take_returned: bool = False  # the clerk's pick; the ledger's value stays until then

    def to_json(self) -> dict:
        return {"problem": self.change.problem, "field": self.change.field,
                "ledger": self.ledger, "returned": self.returned}


@dataclass
class CollectPlan:
    files: list[FileResult] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def reports(self) -> list[Change]:
        return [c for c in self.changes if c.report is not None]

    def chosen(self) -> list[Change]:
        """What applying writes: accepted changes, and conflicts resolved for the returned value."""
        return ([c for c in self.changes if c.accepted]
                + [c.change for c in self.conflicts if c.take_returned])

    def to_json(self, applied: bool) -> dict:
        return {"files": [{"file": f.file, "unit": f.unit, "matched": f.matched,
                           "unmatched": f.unmatched, "refused": f.refused} for f in self.files],
                "changes": [c.to_json() for c in self.changes],
                "reports_added": sum(1 for c in self.chosen() if c.report) if applied else
                len(self.reports),
                "conflicts": [c.to_json() for c in self.conflicts],
                "applied": applied}


class _Ledger:
    """The ledger as the matching needs it, read once for all forms."""

    def __init__(self, ledger):
        self.problems: dict[int, dict] = {}
        self.labels: dict[int, str] = {}
        self.by_number: dict[str, list[int]] = {}
        self.inspection_of: dict[int, str] = {}
        for inspection in ledger.inspections():
            for node in ledger.tree(inspection["id"]).problems:
                row = node.row
                self.problems[row["id"]] = row
                self.labels[row["id"]] = f"{inspection['name']} 第{node.number}项"
                self.inspection_of[row["id"]] = inspection["name"]
                self.by_number.setdefault(str(node.number), []).append(row["id"])
        self.reports = {(r[0], r[1], r[2]) for r in ledger.db.execute(
            "SELECT problem_id, report_date, text FROM progress_reports")}

    def match_by_text(self, returned: ReturnedProblem) -> int | None:
        """The ledger problem a row without identity is: same 序号 and a like description (or,
        failing that, the one problem with that very description)."""
        wanted = _compact(returned.description)
        if not wanted:
            return None
        candidates = [pid for pid in self.by_number.get(returned.number, [])
                      if not returned.inspection or self.inspection_of[pid] == returned.inspection]
        for pid in candidates:
            if _similar(wanted, _compact(self.problems[pid]["description"])):
                return pid
        same = [pid for pid, row in self.problems.items() if _compact(row["description"]) == wanted]
        return same[0] if len(same) == 1 else None


def _compact(text: str) -> str:
    return "".join((text or "").split())


def _similar(a: str, b: str) -> bool:
    return a == b or difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= _SIMILAR


def workbook_paths(given) -> list[Path]:
    """The files given, a folder standing for the .xlsx files in it (not Excel's ~$ lock files)."""
    paths = []
    for name in given:
        path = Path(name)
        if path.is_dir():
            paths += sorted(p for p in path.iterdir()
                            if p.suffix.lower() == ".xlsx" and not p.name.startswith("~$"))
        else:
            paths.append(path)
    return paths


def plan_collect(ledger, paths, today: date | None = None) -> CollectPlan:
    """Read every form in paths and work out what it changes; the ledger is not touched."""
    plan = CollectPlan()
    view = _Ledger(ledger)
    own_id = ledger_id(ledger)
    seen_reports: set[tuple] = set()
    for path in paths:
        path = Path(path)
        result = FileResult(path.name)
        plan.files.append(result)
        try:
            form = read_form(path)
        except ImportFailed as e:
            result.refused = str(e)
            continue
        result.unit = form.unit
        identity = form.identity
        if identity is not None and identity.ledger_id != own_id:
            result.refused = ("这份填报表是另一个台账生成的，与当前台账的问题对不上，没有读入。"
                              "请在生成它的台账里回收，或确认打开的是正确的台账。")
            continue
        if identity is not None and identity.kind != KIND_FORM:
            result.refused = "这是本软件导出的整改任务清单，不是填报表；要读回台账请用“导入”。"
            continue
        _Form(plan, view, form, result, today or date.today(), seen_reports).compare()
    return plan


class _Form:
    def __init__(self, plan, view: _Ledger, form: ReturnedForm, result: FileResult, today: date,
                 seen_reports: set):
        self.plan, self.view, self.form, self.result = plan, view, form, result
        self.sent = form.identity.form_rows if form.identity else {}
        self.seen_reports = seen_reports
        self.report_date = form.filled_on or today
        if form.filled_on is None:
            typed = f"（填的是“{form.filled_on_text}”）" if form.filled_on_text else ""
            result.notes.append(f"没有读到填报日期{typed}，本月进展按今天（{today.isoformat()}）记录。")
        reporter = form.reporter or form.unit
        self.reporter = f"{reporter}（{form.phone}）" if form.phone else reporter

    def compare(self) -> None:
        for returned in self.form.problems:
            by_text = returned.problem_id is None or not self.sent
            pid = returned.problem_id
            if by_text:
                pid = self.view.match_by_text(returned)
            row = self.view.problems.get(pid) if pid is not None else None
            if row is None:
                why = ("台账里已没有这个问题（可能已删除）" if returned.problem_id is not None
                       and not by_text else "按序号和问题内容在台账里找不到对应的问题")
                self.result.unmatched.append({"row": returned.row, "text":
                                              f"{returned.number} {returned.description}".strip(),
                                              "reason": why})
                continue
            self.result.matched += 1
            self._problem(returned, row, by_text)

    def _change(self, row, field, old, new, by_text, sent=None, **extra) -> None:
        change = Change(row["id"], self.view.labels[row["id"]], field, old, new, self.form.file,
                        by_text=by_text, accepted=not by_text, **extra)
        if sent is not None and old != sent:  # the ledger moved on since the form was sent
            self.plan.conflicts.append(Conflict(change, old, new))
        else:
            self.plan.changes.append(change)

    def _problem(self, returned: ReturnedProblem, row: dict, by_text: bool) -> None:
        sent = self.sent.get((row["id"], None), {})
        status = returned.status.split("\n")[-1].strip()
        if status:
            try:
                status = Status(status).value
            except ValueError:
                self.result.notes.append(f"第{returned.row}行的整改状态“{status}”认不出来，没有读入。")
                status = ""
        baseline = sent.get("status", row["status"])
        if status and status != baseline and status != row["status"]:
            self._change(row, STATUS_FIELD, row["status"], status, by_text, sent.get("status"))
        self._measures(returned, row, by_text)
        text = returned.progress.strip()
        if returned.evidence.strip():
            files = "、".join(returned.evidence.split())
            text = f"{text}\n佐证材料：{files}" if text else f"佐证材料：{files}"
        if text:
            key = (row["id"], self.report_date.isoformat(), text)
            if key in self.view.reports or key in self.seen_reports:
                return  # this form (or its twin) was collected before
            self.seen_reports.add(key)
            report = {"report_date": key[1], "text": text, "reporter": self.reporter,
                      "status": status or None}
            self._change(row, PROGRESS_FIELD, "", text, by_text, report=report)

    def _measures(self, returned: ReturnedProblem, row: dict, by_text: bool) -> None:
        measures = row["measures"]
        by_id = {m["id"]: (i, m) for i, m in enumerate(measures, start=1)}
        by_words = {_compact(m["text"]): (i, m) for i, m in enumerate(measures, start=1)}
        for position, back in enumerate(returned.measures, start=1):
            if back.measure_id is not None and not by_text:
                found = by_id.get(back.measure_id)
            else:
                found = by_words.get(_compact(back.text)) or (
                    by_id.get(measures[position - 1]["id"]) if position <= len(measures) else None)
            if found is None:
                if back.completion:
                    self.result.unmatched.append({"row": back.row, "text": back.completion,
                                                  "reason": "台账里找不到对应的整改措施"})
                continue
            index, measure = found
            sent = self.sent.get((row["id"], measure["id"]))
            baseline = sent["completion"] if sent else measure["completion"]
            # The form showed them as a cell holds them (clean_text): unchanged, they come back so.
            if back.completion in (clean_text(baseline), clean_text(measure["completion"])):
                continue
            if not back.completion:
                continue  # an empty cell says nothing: a unit does not erase the ledger
            self._change(row, measure_field(index), measure["completion"], back.completion,
                         by_text, sent["completion"] if sent else None, measure_id=measure["id"],
                         column="completion")


def apply_collect(ledger, plan: CollectPlan) -> dict:
    """Write what the clerk chose, in ONE transaction; returns counts of what was written."""
    chosen = plan.chosen()
    counts = {"reports_added": 0, "fields_changed": 0}
    with ledger.writing():
        for change in chosen:
            if change.report is not None:
                add_report(ledger, change.problem_id, **change.report)
                counts["reports_added"] += 1
            else:
                kind, row_id = (("measure", change.measure_id) if change.measure_id is not None
                                else ("problem", change.problem_id))
                ledger.update(kind, row_id, **{change.column: change.new})
                counts["fields_changed"] += 1
    return counts


# Fields an exported 整改任务清单 brings back (整改进展情况 reads back as completion).
_EXPORT_FIELDS = ("code", "description", "goal", "lead_official", "lead_unit", "support_units",
                  "deadline_text", "term", "status", "completion", "remarks")


def is_own_export(ledger, import_plan) -> bool:
    """The workbook being imported is an export of this very ledger (not a copy from elsewhere)."""
    return bool(import_plan.ledger_id) and import_plan.ledger_id == ledger_id(ledger)


def plan_update_from_export(ledger, import_plan) -> CollectPlan:
    """An export of this ledger, edited and read back: what it changes, as 回收 shows it.

    Only the columns the workbook has are compared; a problem no longer in the ledger, or one
    the workbook added, is listed rather than written (adding belongs to a plain import).
    """
    view = _Ledger(ledger)
    plan = CollectPlan()
    result = FileResult(import_plan.source)
    plan.files.append(result)
    mapped = {c.field for c in import_plan.columns}
    if not any(c.field == "completion" and c.source_header == "整改落实情况"
               for c in import_plan.columns):
        mapped.discard("completion")  # 整改进展情况 shows the latest report: no field to update
    fields = [f for f in _EXPORT_FIELDS if f in mapped]
    for problem in import_plan.problems():
        row = view.problems.get(problem.source_id) if problem.source_id is not None else None
        if row is None:
            why = ("台账里已没有这个问题（可能已删除）" if problem.source_id is not None
                   else "是表格里新加的问题，要添加请作为新督察批次导入")
            result.unmatched.append({"row": problem.row_number, "text": problem.description[:60],
                                     "reason": why})
            continue
        result.matched += 1
        for name in fields:
            new = getattr(problem, name)
            if new is None or new == row[name]:
                continue
            if name == "completion" and not new:
                continue  # read into the measures (numbered items), not a blank over the ledger's
            plan.changes.append(Change(row["id"], view.labels[row["id"]], field_label("problem", name),
                                       row[name], new, import_plan.source, column=name))
        measures = row["measures"]
        if len(problem.measures) != len(measures):
            if "measures" in mapped:
                result.notes.append(f"{view.labels[row['id']]}：表格里有{len(problem.measures)}条措施，"
                                    f"台账里有{len(measures)}条，措施没有按表格更新，请在软件里核对。")
            continue
        columns = [("text", "整改措施")] + ([("completion", "")] if "completion" in mapped else [])
        for index, (back, measure) in enumerate(zip(problem.measures, measures), start=1):
            for column, label in columns:
                label = f"整改措施{index}" if column == "text" else measure_field(index)
                new = getattr(back, column)
                if new and new != measure[column]:
                    plan.changes.append(Change(row["id"], view.labels[row["id"]], label,
                                               measure[column], new, import_plan.source,
                                               measure_id=measure["id"], column=column))
    return plan
