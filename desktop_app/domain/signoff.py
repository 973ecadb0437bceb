"""销号: the stages a finished problem passes to be closed, and the rules between them.

How a county 督查 office runs it, and so the rules here:
- 申请销号: the responsible unit applies once the work is done — the problem is 已完成 and
  every 整改措施 has its 完成情况 written. The application is checked against a checklist.
- 验收: the office (or the 牵头 department) has checked the work on site and on paper and
  ticked every item of the checklist; an item not ticked means the check is not passed.
- 公示: the 整改销号公示 is out; its period (公示期) is counted in working days.
- 已销号: the period has ended without an upheld objection. Only after its last day.
- Each step goes forward one stage. From 申请销号, 验收 or 公示 the office can send the
  problem back (退回) with a reason: the check failed, or an objection raised during 公示 was
  upheld. The problem is 整改中 again; after more work the unit applies anew (a new sign-off,
  the old one stays as history).
- A 已销号 problem can still be reopened (撤销销号), with a reason, when a 回头看 finds that
  the problem has come back: offices do this, and the ledger must show it rather than a lie.

While a sign-off is under way the problem's status is 销号中; 已销号 once closed; 整改中 when
sent back or reopened.
"""

import json
from dataclasses import asdict, dataclass
from datetime import date
from enum import StrEnum

from .notice import DEFAULT_BASIS, Contacts, chinese_date
from .vocabulary import Status
from .workdays import WorkCalendar, WorkingPeriod


class Stage(StrEnum):
    APPLIED = "申请销号"
    ACCEPTED = "验收"
    PUBLICITY = "公示"
    SIGNED_OFF = "已销号"
    RETURNED = "退回"  # a sign-off sent back or reopened; kept as history


FORWARD = (Stage.APPLIED, Stage.ACCEPTED, Stage.PUBLICITY, Stage.SIGNED_OFF)
OPEN_STAGES = frozenset({Stage.APPLIED, Stage.ACCEPTED, Stage.PUBLICITY})

# The problem's status while its sign-off is in each stage.
STATUS_OF_STAGE = {Stage.APPLIED: Status.SIGNING_OFF, Stage.ACCEPTED: Status.SIGNING_OFF,
                   Stage.PUBLICITY: Status.SIGNING_OFF, Stage.SIGNED_OFF: Status.SIGNED_OFF,
                   Stage.RETURNED: Status.IN_PROGRESS}
# The statuses only a sign-off sets: a clerk does not pick them by hand.
SIGNOFF_STATUSES = frozenset({Status.SIGNING_OFF, Status.SIGNED_OFF})

# 验收 criteria a reviewer ticks; the clerk may edit the list per sign-off and in 设置.
DEFAULT_CHECKLIST = (
    "整改措施全部完成",
    "整改效果达到目标",
    "佐证材料齐全",
    "举一反三、同类问题已排查",
    "长效机制已建立",
)

DEFAULT_PUBLICITY_DAYS = 5  # 公示期 most offices set: 不少于5个工作日


class SignoffRefused(ValueError):
    """A step the rules do not allow; str() lists every reason, one per line, in Chinese."""

    def __init__(self, reasons: list[str]):
        self.reasons = list(reasons)
        super().__init__("\n".join(self.reasons))


@dataclass(frozen=True)
class ChecklistItem:
    item: str
    checked: bool = False


def default_checklist(items=DEFAULT_CHECKLIST) -> list[ChecklistItem]:
    return [ChecklistItem(text) for text in items]


def checklist_to_json(items) -> str:
    return json.dumps([{"item": i.item, "checked": i.checked} for i in items], ensure_ascii=False)


def checklist_from_json(text: str | None) -> list[ChecklistItem]:
    """The stored checklist; an unreadable value reads as an empty list rather than failing."""
    try:
        data = json.loads(text or "[]")
    except ValueError:
        return []
    items = []
    for entry in data if isinstance(data, list) else []:
        if isinstance(entry, dict) and str(entry.get("item", "")).strip():
            items.append(ChecklistItem(str(entry["item"]), bool(entry.get("checked"))))
        elif isinstance(entry, str) and entry.strip():
            items.append(ChecklistItem(entry))
    return items


def can_apply(problem: dict, measures: list[dict]) -> list[str]:
    """Why the problem may not enter 申请销号 now: an empty list means it may."""
    reasons = []
    status = problem.get("status")
    if status in (Status.SIGNING_OFF, Status.SIGNED_OFF):
        reasons.append(f"该问题的整改状态已是“{status}”，不能再次申请销号。")
    elif status != Status.DONE:
        reasons.append(f"整改状态为“{status}”，改为“已完成”后才能申请销号。")
    if not measures and not (problem.get("completion") or "").strip():
        reasons.append("没有整改措施，也没有填写整改落实情况。")
    for number, measure in enumerate(measures, 1):
        if not (measure.get("completion") or "").strip():
            reasons.append(f"第{number}条整改措施还没有填写完成情况。")
    return reasons


def next_stage(stage: Stage | None) -> Stage | None:
    """The stage one step forward: a problem without an open sign-off applies first."""
    if stage is None or stage == Stage.RETURNED:
        return Stage.APPLIED
    stage = Stage(stage)
    if stage == Stage.SIGNED_OFF:
        return None
    return FORWARD[FORWARD.index(stage) + 1]


def check_forward(signoff: dict, to_stage: Stage, on_date: date) -> list[str]:
    """Why a sign-off (a signoffs row, checklist decoded to items) may not move to to_stage."""
    stage = Stage(signoff["stage"])
    if next_stage(stage) != to_stage:
        return [f"销号只能逐步进行：当前为“{stage}”，下一步是“{next_stage(stage) or '无'}”。"]
    reasons = []
    if to_stage == Stage.ACCEPTED:
        items = signoff["checklist"]
        if not items:
            reasons.append("验收清单是空的，请至少列出一项验收标准。")
        missing = [i.item for i in items if not i.checked]
        if missing:
            reasons.append("验收清单还有未勾选的项目：" + "；".join(missing) + "。")
    elif to_stage == Stage.PUBLICITY:
        if not (signoff.get("publicity_start") and signoff.get("publicity_end")):
            reasons.append("还没有设定公示时间。")
    elif to_stage == Stage.SIGNED_OFF:
        end = signoff.get("publicity_end")
        if end and on_date <= date.fromisoformat(end):
            reasons.append(f"公示期到{chinese_date(date.fromisoformat(end))}才结束，期满后才能销号。")
    return reasons


def check_back(signoff: dict, reason: str) -> list[str]:
    """Why a sign-off may not be sent back (退回) or reopened (撤销销号)."""
    reasons = []
    if Stage(signoff["stage"]) == Stage.RETURNED:
        reasons.append("该销号申请已经退回。")
    if not reason.strip():
        reasons.append("退回或撤销销号必须写明原因。")
    return reasons


def publicity_period(calendar: WorkCalendar, start: date, working_days: int | None = None,
                     end: date | None = None) -> WorkingPeriod:
    """The 公示期 from its start and either its length in working days or its typed last day.

    With working_days, the period starts on the first working day from start and ends on the
    last of them; with end (both ends typed), the working days between are counted.
    """
    if (working_days is None) == (end is None):
        raise ValueError("公示期请给出工作日天数或结束日期二者之一。")
    if end is None:
        return calendar.add_working_days(start, working_days)
    return calendar.count_working_days(start, end)


@dataclass(frozen=True)
class SignoffDefaults:
    """What a new sign-off and its notice start from; 设置 keeps them, each notice may differ."""
    contacts: Contacts = Contacts()
    working_days: int = DEFAULT_PUBLICITY_DAYS
    basis: str = DEFAULT_BASIS  # 根据…，现将…公示如下
    checklist: tuple[str, ...] = DEFAULT_CHECKLIST
    org_name: str = ""  # 单位名称, kept in 设置 → 本单位 under its own key (not in to_json)

    def contacts_for(self, own: Contacts) -> Contacts:
        """A sign-off's contacts, then 设置's, then 单位名称 as 受理单位 and 发布单位."""
        return own.merged(self.contacts).with_org(self.org_name)

    def to_json(self) -> str:
        return json.dumps({**asdict(self.contacts), "working_days": self.working_days,
                           "basis": self.basis, "checklist": list(self.checklist)},
                          ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | None) -> "SignoffDefaults":
        """Read what to_json wrote; anything missing or unreadable takes its default."""
        try:
            data = json.loads(text or "{}")
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        days = data.get("working_days")
        checklist = [str(i).strip() for i in data.get("checklist") or [] if str(i).strip()]
        return cls(contacts=Contacts.from_row(data),
                   working_days=days if isinstance(days, int) and days > 0
                   else DEFAULT_PUBLICITY_DAYS,
                   basis=str(data.get("basis") or DEFAULT_BASIS),
                   checklist=tuple(checklist) or DEFAULT_CHECKLIST)
