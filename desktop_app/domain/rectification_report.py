"""The 整改落实情况报告 as text: sections and paragraphs written from the ledger's figures and texts.

Every figure comes from the one Statistics the caller computed for the date, so the report says
what `stats` says on that day. formats/documents/rectification_report_docx.py lays it out as a 公文.
"""

from dataclasses import dataclass, field
from datetime import date

from .accountability import accountability_sentence
from .notice import chinese_date
from .numbering import chinese_numeral, summary_text
from .report_text import summary_paragraph
from .statistics import Statistics
from .supervision import supervision_sentence
from .vocabulary import Schedule

NEXT_STEPS_PLACEHOLDER = "（请在此填写下一步工作打算：针对存在的问题，明确措施、责任单位和完成时限。）"
NO_SUPERVISION = "截至目前，尚未对有关地方和部门开展督办。"
NO_ACCOUNTABILITY = "截至目前，尚未开展责任追究。"


@dataclass(frozen=True)
class ReportProblem:
    number: int
    code: str
    description: str
    lead_unit: str
    status: str
    completion: str  # the problem's 整改落实情况, then its measures' completions
    latest_progress: str  # the newest progress report on or before the date ("" none)
    deadline_text: str = ""


@dataclass(frozen=True)
class ReportCategory:
    title: str
    problems: list[ReportProblem]
    finished: int


@dataclass(frozen=True)
class Section:
    heading: str  # 一、基本情况
    paragraphs: list[str] = field(default_factory=list)
    subsections: list["Section"] = field(default_factory=list)


@dataclass(frozen=True)
class RectificationReport:
    title: str
    sections: list[Section]
    issuer: str
    day: str  # 2024年4月30日

    def text(self) -> str:
        """Everything the document says, one paragraph a line (for tests and a preview)."""
        lines = [self.title]

        def walk(section):
            lines.append(section.heading)
            lines.extend(section.paragraphs)
            for sub in section.subsections:
                walk(sub)
        for section in self.sections:
            walk(section)
        return "\n".join(lines + [self.issuer, self.day])


def _short(text: str, limit: int = 40) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit] + "……"


def _name(problem: ReportProblem) -> str:
    """第3项（问题编号三）“县自然资源局对……”"""
    code = f"（{problem.code}）" if problem.code and problem.code != f"第{problem.number}项" else ""
    return f"第{problem.number}项{code}“{_short(problem.description)}”"


def basic_paragraphs(stats: Statistics, inspection: dict | None, subject: str,
                     sources: list[str]) -> list[str]:
    """The feedback, N大类M项, and the statistics paragraph."""
    if inspection is not None:
        when = inspection.get("feedback_date")
        day = f"{chinese_date(date.fromisoformat(when))}，" if when else ""
        feedback = (f"{day}{inspection['name']}向{subject or '我单位'}反馈了督察意见。"
                    f"对照反馈意见，梳理形成整改任务{summary_text(stats.categories, stats.problems)}。")
    else:
        feedback = (f"{'、'.join(sources)}反馈问题共{stats.problems}项"
                    f"（{summary_text(stats.categories, stats.problems)}）。" if sources else "")
    if stats.links.distinct != stats.links.fed_back:
        feedback += (f"其中与其他督察反馈的同一问题合并后，共{stats.links.distinct}个问题"
                     f"（含{'、'.join(sources[1:]) or '其他批次'}反馈问题）。" if sources else "")
    return [p for p in (feedback, summary_paragraph(stats, subject)) if p]


def category_section(index: int, category: ReportCategory) -> Section:
    paragraphs = [f"该类问题共{len(category.problems)}项，已完成整改{category.finished}项。"]
    for problem in category.problems:
        done = problem.completion or problem.latest_progress
        text = f"{_name(problem)}，责任单位{problem.lead_unit or '未填写'}，目前{problem.status}。"
        if problem.completion:
            text += f"整改落实情况：{problem.completion}"
        if problem.latest_progress and problem.latest_progress != problem.completion:
            text += f"最新进展：{problem.latest_progress}"
        if not done:
            text += "尚无整改落实情况和进展报送。"
        paragraphs.append(text)
    return Section(f"（{chinese_numeral(index)}）{category.title}", paragraphs)


def problems_paragraphs(stats: Statistics, problems: dict[int, ReportProblem]) -> list[str]:
    """存在的问题: the overdue and the lagging items by name."""
    out = []
    for schedule, what in ((Schedule.OVERDUE, "已超过整改时限尚未完成"),
                           (Schedule.BEHIND, "滞后于时序进度")):
        ids = [i for i in stats.problem_ids(schedule=schedule.value) if i in problems]
        if ids:
            names = "；".join(f"{_name(problems[i])}（{problems[i].lead_unit or '未填写责任单位'}，"
                             f"时限{problems[i].deadline_text or '未填写'}）" for i in ids)
            out.append(f"有{len(ids)}项问题{what}：{names}。")
    return out or ["截至目前，没有逾期或滞后于时序进度的问题。"]


def compose(stats: Statistics, categories: list[ReportCategory], problems: dict[int, ReportProblem],
            inspection: dict | None, subject: str, sources: list[str]) -> RectificationReport:
    """The whole report on stats' date. inspection: the inspections row (None: all of them);
    subject: who reports (所属单位); sources: the names of the inspections counted."""
    what = inspection["name"] if inspection else "督察"
    title = f"{subject}关于{what}反馈问题整改落实情况的报告"
    measures = [Section(f"（{chinese_numeral(1)}）督办", [supervision_sentence(stats.supervision)
                                                        or NO_SUPERVISION]),
                Section(f"（{chinese_numeral(2)}）责任追究",
                        [accountability_sentence(stats.accountability) or NO_ACCOUNTABILITY])]
    sections = [
        Section("一、基本情况", basic_paragraphs(stats, inspection, subject, sources)),
        Section("二、整改工作开展情况", ["按照整改方案确定的任务分工，各责任单位逐项推进整改，情况如下。"],
                [category_section(i, c) for i, c in enumerate(categories, 1)]),
        Section("三、督办和责任追究情况", [], measures),
        Section("四、存在的问题", problems_paragraphs(stats, problems)),
        Section("五、下一步工作打算", [NEXT_STEPS_PLACEHOLDER]),
    ]
    return RectificationReport(title, sections, subject, chinese_date(stats.as_of))
