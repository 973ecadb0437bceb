"""The fixed vocabularies of the ledger (GLOSSARY): stored, or shown, as their Chinese words."""

from enum import StrEnum


class InspectionKind(StrEnum):
    CENTRAL = "中央"
    PROVINCIAL = "省级"
    REVIEW = "回头看"
    SPECIAL = "专项"
    WARNING_FILM = "警示片"
    PETITION = "信访交办"
    OTHER = "其他"


class Term(StrEnum):
    FIXED = "限期整改"
    ONGOING = "长期坚持"
    IMMEDIATE = "立行立改"


class Status(StrEnum):
    NOT_STARTED = "未启动"
    IN_PROGRESS = "整改中"
    DONE = "已完成"
    SIGNING_OFF = "销号中"
    SIGNED_OFF = "已销号"


FINISHED_STATUSES = frozenset({Status.DONE, Status.SIGNING_OFF, Status.SIGNED_OFF})


class Schedule(StrEnum):
    """时序进度: derived from status, term and dates by domain/schedule.py; never typed or stored."""
    DONE = "已完成"
    ON_SCHEDULE = "达到时序进度"
    BEHIND = "滞后"
    OVERDUE = "逾期"
    ONGOING = "长期坚持"


class Band(StrEnum):
    """The 督查 colour of a 时序进度: 蓝 fine or finished, 黄 warning, 红 overdue."""
    BLUE = "蓝"
    YELLOW = "黄"
    RED = "红"


# 佐证材料类型: the list a new ledger starts with; each ledger keeps its own, editable copy
# (store.evidence.evidence_kinds). The first kind a file is filed under by default is 文件.
DEFAULT_EVIDENCE_KINDS = ("现场照片", "文件", "会议纪要", "合同", "验收材料", "其他")
