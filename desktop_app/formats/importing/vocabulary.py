"""The words county workbooks and plans use: column headers per field, and status words.

Kept in one place so that a header or status word met in a real workbook is added here, once.
Headers are compared after normalize_header (simplified, no spaces, no brackets' content).
"""

import re

from ...domain.vocabulary import Status, Term

# field → header words, most specific first (when two columns name one field, the column
# with the earlier word wins: 整改落实情况 over 整改进展情况). A header equal to one of them maps at once; a
# longer header maps to the field whose longest word it contains (督察反馈问题 → description).
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "sequence": ("序号", "序", "项次", "编号序号"),
    "category": ("问题类别", "问题类型", "问题分类", "类别", "类型", "分类", "所属类别", "大类",
                 "问题领域", "领域", "方面"),
    "subcategory": ("小类", "子类", "问题小类", "二级类别", "二级分类"),
    "code": ("问题编号", "编号", "问题序号", "交办编号", "原编号"),
    "description": ("反馈问题", "存在问题", "问题描述", "问题", "反馈意见", "督察反馈问题", "问题内容",
                    "具体问题", "主要问题", "反馈问题内容", "问题清单", "反馈意见问题", "突出问题",
                    "披露问题", "交办问题", "问题表现"),
    "goal": ("整改目标", "目标", "整改要求", "整改标准", "目标要求"),
    "measures": ("整改措施", "措施", "主要措施", "具体措施", "整改举措", "整改任务", "工作措施"),
    "lead_official": ("责任领导", "牵头领导", "分管领导", "包案领导", "责任县领导", "督办领导",
                      "县级责任领导", "责任人", "领导"),
    "lead_unit": ("责任单位", "牵头单位", "主责单位", "责任部门", "牵头部门", "责任主体",
                  "整改责任单位", "牵头责任单位", "主要责任单位"),
    "support_units": ("配合单位", "协办单位", "配合部门", "参与单位", "协同单位", "责任配合单位"),
    "deadline_text": ("整改时限", "完成时限", "时限", "整改期限", "完成时间", "整改时间", "期限",
                      "时间节点", "完成期限"),
    "term": ("整改类型", "整改性质", "整改方式"),
    "status": ("整改状态", "完成状态", "状态", "是否完成", "整改进度", "进度"),
    "completion": ("整改落实情况", "整改完成情况", "完成情况", "落实情况", "整改情况", "整改进展情况",
                   "整改进展", "进展情况", "工作进展", "推进情况", "进展"),
    "remarks": ("备注", "说明"),
}

# label → field. A label opens a line ("整改目标：…"), may follow a number ("二、整改目标：") and
# may carry a bracket before its colon ("反馈问题（省编号第12号）：", "责任单位（县级）：").
TEXT_LABELS: dict[str, str] = {
    "反馈问题": "description", "问题描述": "description", "存在问题": "description",
    "整改任务": "description", "问题编号": "code", "整改目标": "goal", "整改措施": "measures",
    "主要措施": "measures", "整改措施及完成情况": "measures", "整改措施及落实情况": "measures",
    "整改措施及进展情况": "measures", "责任领导": "lead_official", "牵头领导": "lead_official",
    "责任单位": "lead_unit", "牵头单位": "lead_unit", "整改实施主体": "lead_unit",
    "整改责任单位": "lead_unit", "配合单位": "support_units", "整改时限": "deadline_text",
    "完成时限": "deadline_text", "整改进展": "completion", "整改进展情况": "completion",
    "完成情况": "completion", "整改落实情况": "completion", "整改完成情况": "completion",
    "整改情况": "completion", "备注": "remarks",
    # No ledger field of their own: kept in 备注 with their label, never glued onto a measure.
    "牵头验收单位": "remarks", "配合验收单位": "remarks", "验收单位": "remarks",
    "下一步工作打算": "remarks", "下一步打算": "remarks", "下一步工作计划": "remarks",
}
# Words a merged group header puts over several columns (责任分工 over 责任领导 and 责任单位):
# never a field themselves, but a sign that the row below finishes the header.
GROUP_HEADERS = ("责任分工", "责任主体", "责任", "整改责任", "整改情况", "完成情况", "进展情况")

# Status words as clerks write them, most specific first: "未完成" must win over "完成".
# Each gives (status, term); either may be None (立行立改 says nothing about the status).
STATUS_WORDS: tuple[tuple[str, Status | None, Term | None], ...] = (
    ("尚未完成", Status.IN_PROGRESS, None),
    ("未完成", Status.IN_PROGRESS, None),
    ("尚未启动", Status.NOT_STARTED, None),
    ("未启动", Status.NOT_STARTED, None),
    ("未开始", Status.NOT_STARTED, None),
    ("已销号", Status.SIGNED_OFF, None),
    ("完成销号", Status.SIGNED_OFF, None),
    ("销号中", Status.SIGNING_OFF, None),
    ("正在销号", Status.SIGNING_OFF, None),
    ("申请销号", Status.SIGNING_OFF, None),
    ("待销号", Status.SIGNING_OFF, None),
    ("达到时序进度", Status.IN_PROGRESS, None),
    ("达到序时进度", Status.IN_PROGRESS, None),
    ("达到时序要求", Status.IN_PROGRESS, None),
    ("达到序时要求", Status.IN_PROGRESS, None),
    ("按时序推进", Status.IN_PROGRESS, None),
    ("按序时推进", Status.IN_PROGRESS, None),
    ("序时推进", Status.IN_PROGRESS, None),
    ("时序推进", Status.IN_PROGRESS, None),
    ("长期坚持", Status.IN_PROGRESS, Term.ONGOING),
    ("持续推进", Status.IN_PROGRESS, None),
    ("正在推进", Status.IN_PROGRESS, None),
    ("推进中", Status.IN_PROGRESS, None),
    ("正在整改", Status.IN_PROGRESS, None),
    ("整改中", Status.IN_PROGRESS, None),
    ("基本完成", Status.IN_PROGRESS, None),
    ("阶段性完成", Status.IN_PROGRESS, None),
    ("进度滞后", Status.IN_PROGRESS, None),
    ("滞后", Status.IN_PROGRESS, None),
    ("已完成", Status.DONE, None),
    ("已整改", Status.DONE, None),
    ("整改完成", Status.DONE, None),
    ("已办结", Status.DONE, None),
    ("办结", Status.DONE, None),
    ("完成", Status.DONE, None),
    ("立行立改", None, Term.IMMEDIATE),
    ("限期整改", None, Term.FIXED),
)

TERM_WORDS: dict[str, Term] = {t.value: t for t in Term} | {"长期": Term.ONGOING, "立即整改": Term.IMMEDIATE}

# Rows that end a table or sum it up: never problems.
FOOTER_WORDS = ("填报人", "填表人", "制表人", "审核人", "联系电话", "联系人", "填报单位", "填报日期",
                "填表日期", "制表日期", "审核：", "单位负责人", "分管领导：", "填表说明", "注：", "备注：",
                "说明：")
SUMMARY_WORDS = ("合计", "总计", "小计", "共计")

_BRACKETED = re.compile(r"[（(【\[].*?[）)】\]]")
_SPACE = re.compile(r"\s+")


def normalize_header(text: str) -> str:
    """整改 时限\n（完成时间） → 整改时限: spaces, line breaks, bracketed notes and marks go."""
    text = _SPACE.sub("", text)
    stripped = _BRACKETED.sub("", text)
    return (stripped or text).strip("*＊:：、.")


def header_field(text: str) -> str | None:
    """The field a header names, or None."""
    header = normalize_header(text)
    if not header:
        return None
    best, best_length = None, 0
    for name, words in HEADER_WORDS.items():
        for word in words:
            if header == word:
                return name
            # A contained word must be long enough to mean something on its own (not 问题 in 问题类别).
            if len(word) >= 3 and word in header and len(word) > best_length:
                best, best_length = name, len(word)
    if best is None and header.endswith("问题") and len(header) <= 10:
        return "description"  # 督察反馈的问题, 存在的主要问题
    return best


def header_rank(text: str, field: str) -> int:
    """How squarely a header names field: the index of its word, or past the end when contained."""
    words = HEADER_WORDS.get(field, ())
    header = normalize_header(text)
    return words.index(header) if header in words else len(words)


def is_group_header(text: str) -> bool:
    return normalize_header(text) in GROUP_HEADERS
