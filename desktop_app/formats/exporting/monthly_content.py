"""What a 月调度表 holds, as rows of text: the workbook (monthly_report.py) and the printed PDF
(ui/exporting/monthly_report_print.py) lay out the same content.

For one inspection or all, as of a date: the title, the 情况概述 paragraph, the statistics (by
整改类型 × 整改状态, by 大类 with 时序进度, and in a merged county ledger by 乡镇/单位) and one
row per problem not yet finished on that date, with its newest progress report up to the date.
"""

from dataclasses import dataclass, field
from datetime import date

from ...domain.notice import chinese_date
from ...domain.report_text import subject_of
from ...domain.schedule import ScheduleSettings
from ...domain.statistics import PetitionCount
from ...domain.vocabulary import FINISHED_STATUSES, Schedule, Status, Term
from ...store.statistics import latest_progress, overview
from ...store.summary_texts import kept
from .errors import ExportError
from .text_fit import clean_text

TITLE_TAIL = "反馈问题整改情况月调度表"
TERM_HEADER = ("整改类型", "问题数", *Status)
CATEGORY_HEADER = ("大类", "问题数", "已完成", "其中已销号", "未完成", "滞后", "逾期")
ORG_HEADER = ("乡镇/单位", "问题数", "已完成", "未完成", "滞后", "逾期", "最近报送")
# The problem list's columns: (key, header, width in character units: a CJK character is 2).
# The progress sits beside the problem it is about; the short columns after them line up under
# the statistics tables' six counts, whose label takes the first LABEL_COLUMNS.
PROBLEM_COLUMNS = (("number", "序号", 6), ("description", "反馈问题", 34), ("progress", "最新进展", 30),
                   ("report_date", "报送日期", 12), ("lead_unit", "责任单位", 12),
                   ("deadline", "整改时限", 11), ("term", "整改类型", 9), ("status", "整改状态", 9),
                   ("schedule", "时序进度", 13))
PROBLEM_HEADER = tuple(header for _, header, _ in PROBLEM_COLUMNS)
FLEXIBLE_COLUMNS = frozenset({"description", "progress"})  # they take what the paper leaves
CENTRED_COLUMNS = frozenset({"number", "report_date", "term", "status", "schedule"})
LABEL_COLUMNS = 3


@dataclass
class ReportProblem:
    number: int
    description: str
    lead_unit: str
    deadline_text: str
    term: str
    status: str
    schedule: str
    progress: str  # the newest report's text on or before the date ("" when none)
    progress_date: str

    def cells(self) -> list:
        """In PROBLEM_HEADER's order."""
        return [self.number, self.description, self.progress, self.progress_date, self.lead_unit,
                self.deadline_text, self.term, self.status, self.schedule]


@dataclass
class ReportGroup:
    """One inspection's part of a table (the heading is "" when the report covers one only)."""
    heading: str
    rows: list = field(default_factory=list)


@dataclass(frozen=True)
class Filing:
    """Who sends the 月调度表 up: 填报单位 (设置's 单位名称) and 填报人 (the 报送人 last typed)."""
    org: str = ""
    reporter: str = ""

    def line(self, day: date) -> str:
        """填报单位：…　填报人：…　填报日期：2024年4月30日; a blank left to fill in by hand."""
        blank = "\u3000" * 6
        return (f"填报单位：{self.org.strip() or blank}\u3000\u3000"
                f"填报人：{self.reporter.strip() or blank}\u3000\u3000填报日期：{chinese_date(day)}")


@dataclass
class MonthlyReport:
    title: str
    as_of: date
    summary: str
    terms: list[list]  # TERM_HEADER rows, 合计 last
    categories: list[ReportGroup]  # rows as CATEGORY_HEADER, per inspection; then 合计 alone
    petitions: PetitionCount
    problems: list[ReportGroup]  # ReportProblem rows, per inspection
    filing: str = ""  # the 填报单位 / 填报人 / 填报日期 line under the title
    orgs: list[list] = field(default_factory=list)  # ORG_HEADER rows; only when 2 or more orgs

    @property
    def unfinished(self) -> int:
        return sum(len(g.rows) for g in self.problems)


def subject_and_title(inspections: list[dict], as_of: date) -> tuple[str, str]:
    """Who 梳理形成 the problems (their 所属单位, when all share one) and the report's title."""
    org = subject_of(inspections)
    name = inspections[0]["name"] if len(inspections) == 1 else "生态环境保护督察"
    return org, f"{org}{name}{TITLE_TAIL}（截至{chinese_date(as_of)}）"


def build(ledger, inspection_id: int | None, as_of: date,
          settings: ScheduleSettings = ScheduleSettings(), filing: Filing = Filing()
          ) -> MonthlyReport:
    """The report of one inspection (None: all) on as_of; its 情况概述 is the clerk's own text
    for that scope and date when they kept one on the overview page, else the generated one."""
    inspections = [i for i in ledger.inspections() if inspection_id in (None, i["id"])]
    if not inspections:
        raise ExportError("台账里还没有这个督察批次（可能刚被删除），没有可以汇总的问题。请重新选择。")
    subject, title = subject_and_title(inspections, as_of)
    view = overview(ledger, inspection_id, as_of, settings, subject)
    stats = view.statistics
    summary = kept(ledger, inspection_id, as_of)
    several = len(inspections) > 1
    # In a merged ledger every township's inspection may have the same name: say whose it is.
    by_org = len({i["org"] for i in inspections if i["org"]}) > 1

    def heading(inspection: dict) -> str:
        if not several:
            return ""
        org = inspection["org"] if by_org else ""
        return f"{org}：{inspection['name']}" if org else inspection["name"]

    terms = [[term.value, stats.by_term[term], *stats.by_term_status[term].values()] for term in Term]
    terms.append(["合计", stats.problems, *stats.by_status.values()])

    statuses, schedules = stats.tally("category", "status"), stats.tally("category", "schedule")

    def category_row(title, problems, finished, signed_off, behind, overdue) -> list:
        return [title, problems, finished, signed_off, problems - finished, behind, overdue]

    categories = []
    for inspection in inspections:
        own = {c["id"] for c in ledger.categories(inspection["id"])}
        categories.append(ReportGroup(heading(inspection), [
            category_row(c.title, c.problems, c.finished, statuses[c.category_id, Status.SIGNED_OFF],
                         schedules[c.category_id, Schedule.BEHIND],
                         schedules[c.category_id, Schedule.OVERDUE])
            for c in stats.by_category if c.category_id in own]))
    categories.append(ReportGroup("", [category_row(
        "合计", stats.problems, stats.finished, stats.by_status[Status.SIGNED_OFF],
        stats.by_schedule[Schedule.BEHIND], stats.by_schedule[Schedule.OVERDUE])]))

    # A merged (汇总) ledger holds many 乡镇/单位: the county asks which of them lag.
    orgs = [[o.org or "（未填所属单位）", o.problems, o.finished, o.problems - o.finished, o.behind,
             o.overdue, o.last_report or "未报送"] for o in stats.by_org] if len(stats.by_org) > 1 else []

    reports = latest_progress(ledger, inspection_id, as_of)
    problems = {i["id"]: ReportGroup(heading(i)) for i in inspections}
    for row in sorted(view.problems.values(), key=lambda p: p["number"]):
        if row["status"] in FINISHED_STATUSES:
            continue
        report = reports.get(row["id"], {})
        problems[row["inspection_id"]].rows.append(ReportProblem(
            row["number"], clean_text(row["description"]), clean_text(row["lead_unit"]),
            clean_text(row["deadline_text"]), row["term"], row["status"],
            stats.facets[row["id"]].schedule,
            clean_text(report.get("text")), report.get("report_date") or ""))
    return MonthlyReport(title, as_of, summary.text if summary else view.summary_text, terms,
                         categories, stats.petitions, [g for g in problems.values() if g.rows],
                         filing.line(as_of), orgs)
