"""The counts a township's report opens with, from plain rows as of a date (the warnings list
is domain/ledger_warnings.py).

"As of a date" (D) uses the dates the ledger keeps, and nothing else:

- Every problem of the inspection counts, whenever it was typed in: created_at is the day of
  data entry, not of the finding, and clerks import old ledgers.
- A problem's status on D is its current status, unless a dated record after D shows that it
  changed since: a progress report carrying a status, or a 销号 step (申请/验收/公示 → 销号中,
  已销号, 退回 → 整改中). Then it is the status of the newest such record on or before D, and
  未启动 when there is none. (A status typed straight into the ledger has no date; it is taken
  to have held since the last dated record.)
- The 整改时限 on D is the one in force then: a deadline change made after D is undone.
- 时序进度 is domain/schedule.py's judgement on D with that status and 时限. 长期坚持 problems
  count as 达到时序进度, as the reports do ("长期坚持问题……均达时序进展").
- A petition counts as received, 办结 and 销号 once the date is on or before D. A petition
  without a received date counts as received (it is in the register); without a 办结 or 销号
  date it is not 办结 or 销号.

'Finished' is 已完成, 销号中 or 已销号 (vocabulary.FINISHED_STATUSES). Every count is a tally of the
problems' Facets, so the problems behind any count (the overview's links) are found by the same
facets and can never disagree with it.
"""

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from .accountability import AccountabilityCount
from .deadlines import parse_deadline
from .links import LinkCount
from .recheck import RecheckCount
from .schedule import ScheduleSettings, assess
from .vocabulary import FINISHED_STATUSES, Schedule, Status, Term

NO_UNIT = "（未填写责任单位）"

# by_schedule's keys: every problem lands in exactly one.
SCHEDULE_KEYS = (Schedule.DONE, Schedule.ON_SCHEDULE, Schedule.BEHIND, Schedule.OVERDUE)


def as_date(value) -> date | None:
    if isinstance(value, date) or value is None:
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


# -- a problem as it stood on a date ----------------------------------------------------------

def statuses_as_of(current: str, events, days) -> list[str]:
    """The status on each of days, from the current one and dated (day, status) records (any
    order): the events are sorted once, however many days are asked about."""
    dated = []
    for i, (d, s) in enumerate(events):
        day = as_date(d)
        if day is not None:
            dated.append((day, i, s))
    dated.sort()
    found = []
    for day in days:
        if not dated or dated[-1][0] <= day:
            found.append(current)
            continue
        at = bisect_right(dated, (day, len(dated)))  # the records on or before day
        found.append(dated[at - 1][2] if at else Status.NOT_STARTED.value)
    return found


def status_as_of(current: str, events, as_of: date) -> str:
    """The status on as_of, from the current one and dated (day, status) records (any order)."""
    return statuses_as_of(current, events, [as_of])[0]


def deadline_text_as_of(current: str, changes, as_of: date) -> str:
    """The 整改时限 text in force on as_of; changes are (changed_on, old_text) of the problem."""
    later = sorted((d, i, old) for i, (d, old) in enumerate(changes)
                   if as_date(d) is not None and as_date(d) > as_of)
    return later[0][2] if later else current


def problem_as_of(row: dict, events, deadline_changes, as_of: date) -> dict:
    """A copy of a problems row with status, deadline_text and deadline as they were on as_of."""
    row = dict(row)
    row["status"] = status_as_of(row["status"], events, as_of)
    text = deadline_text_as_of(row.get("deadline_text", ""), deadline_changes, as_of)
    if text != row.get("deadline_text", ""):
        parsed = parse_deadline(text)
        row["deadline_text"], row["deadline"] = text, parsed.isoformat() if parsed else None
    return row


# -- counts -----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Facets:
    """What one problem counts as on the date: every count is a tally of these, and every
    clickable count's problems are those whose facets match (Statistics.problem_ids)."""
    term: str
    status: str
    schedule: str  # a SCHEDULE_KEYS value
    category: int  # its 大类's id
    unit: str  # 责任单位, or NO_UNIT
    org: str = ""  # the 乡镇/单位 whose inspection it is (a merged ledger holds several)

    @property
    def finished(self) -> bool:
        return self.status in FINISHED_STATUSES


@dataclass(frozen=True)
class CategoryCount:
    title: str
    problems: int
    finished: int
    category_id: int | None = None


@dataclass(frozen=True)
class UnitCount:
    unit: str
    problems: int
    finished: int
    behind: int
    overdue: int


@dataclass(frozen=True)
class OrgCount:
    """One 乡镇/单位 of a merged (汇总) ledger: its figures, and how long it has been silent."""
    org: str
    problems: int
    finished: int
    behind: int
    overdue: int
    last_report: str | None  # its newest 调度 on or before the date; None: never reported

    def to_json(self) -> dict:
        return {"org": self.org, "problems": self.problems, "finished": self.finished,
                "behind": self.behind, "overdue": self.overdue, "last_report": self.last_report}


@dataclass(frozen=True)
class PetitionCount:
    received: int = 0
    concluded: int = 0  # 办结
    signed_off: int = 0  # 销号


@dataclass(frozen=True)
class Statistics:
    as_of: date
    problems: int
    categories: int  # 大类
    by_term: dict[str, int]  # every Term, zeros included
    by_status: dict[str, int]  # every Status
    by_schedule: dict[str, int]  # SCHEDULE_KEYS
    by_category: list[CategoryCount]  # the 大类 in document order
    by_unit: list[UnitCount]  # most problems first
    by_term_status: dict[str, dict[str, int]]  # term → status → count
    petitions: PetitionCount = field(default_factory=PetitionCount)
    by_org: list[OrgCount] = field(default_factory=list)  # in the order the orgs first appear
    # After the list (filled by store/statistics from their own tables): 回头看, links, 督办, 责任追究
    rechecks: RecheckCount = field(default_factory=RecheckCount)
    links: LinkCount = field(default_factory=LinkCount)
    supervision: dict[str, int] = field(default_factory=dict)  # kind → count
    accountability: AccountabilityCount = field(default_factory=AccountabilityCount)
    facets: dict[int, Facets] = field(default_factory=dict, compare=False, repr=False)

    @property
    def finished(self) -> int:
        return sum(self.by_status[s] for s in FINISHED_STATUSES)

    def finished_of(self, term: str) -> int:
        return sum(self.by_term_status[term][s] for s in FINISHED_STATUSES)

    def problem_ids(self, **where) -> list[int]:
        """The problems behind a count, in document order: problem_ids(status="逾期"),
        problem_ids(category=7, finished=True), problem_ids(unit="县林业局", schedule="滞后")."""
        return [pid for pid, f in self.facets.items()
                if all(getattr(f, name) == value for name, value in where.items())]

    def tally(self, *names: str) -> Counter:
        """Counts by one or more facets: tally("category", "status")[(7, "已完成")]."""
        return Counter(tuple(getattr(f, n) for n in names) if len(names) > 1 else getattr(f, names[0])
                       for f in self.facets.values())

    def to_json(self, summary_text: str = "") -> dict:
        """The `stats --json` contract."""
        return {
            "problems": self.problems,
            "categories": self.categories,
            "by_term": dict(self.by_term),
            "by_status": dict(self.by_status),
            "by_schedule": dict(self.by_schedule),
            "by_category": [{"title": c.title, "problems": c.problems, "finished": c.finished}
                            for c in self.by_category],
            "petitions": {"received": self.petitions.received,
                          "concluded": self.petitions.concluded,
                          "signed_off": self.petitions.signed_off},
            "rechecks": self.rechecks.to_json(),
            "links": self.links.to_json(),
            "supervision": dict(self.supervision),
            "accountability": self.accountability.to_json(),
            "summary_text": summary_text,
            "by_org": [o.to_json() for o in self.by_org],
        }

    def lagging_orgs(self, limit: int = 5) -> list[OrgCount]:
        """The orgs to chase first: most 逾期, then the longest without a 调度 (never first)."""
        return sorted((o for o in self.by_org if o.overdue or o.finished < o.problems),
                      key=lambda o: (-o.overdue, o.last_report or "", o.org))[:limit]


def schedule_key(schedule: Schedule) -> Schedule:
    """The by_schedule key of a 时序进度: 长期坚持 counts as 达到时序进度."""
    return Schedule.ON_SCHEDULE if schedule is Schedule.ONGOING else schedule


def count_petitions(rows, as_of: date) -> PetitionCount:
    """Received, 办结 and 销号 petitions on as_of (rows: petitions rows, dates as text)."""
    def by(value) -> bool:
        day = as_date(value)
        return day is not None and day <= as_of

    received = [r for r in rows if not r.get("received_on") or by(r["received_on"])]
    return PetitionCount(len(received),
                         sum(1 for r in received if by(r.get("concluded_on"))),
                         sum(1 for r in received if by(r.get("signed_off_on"))))


def facets_of(row: dict, as_of: date, settings: ScheduleSettings = ScheduleSettings()) -> Facets:
    """The facets of a problem row (as problem_as_of returns it, with "top_category_id")."""
    term, status = Term(row["term"]).value, Status(row["status"]).value
    key = schedule_key(assess(status, term, as_date(row.get("deadline")),
                              as_date(row.get("start_date")), as_of, settings).schedule)
    return Facets(term, status, key.value, row["top_category_id"],
                  (row.get("lead_unit") or "").strip() or NO_UNIT, row.get("org") or "")


def count_orgs(problems, facets: dict[int, Facets], last_reports: dict[int, str]) -> list[OrgCount]:
    """by_org, from the org facet (problems rows carry "org": their inspection's 所属单位)."""
    per_org: dict[str, list] = {}
    for row in problems:
        f = facets[row["id"]]
        tally = per_org.setdefault(f.org, [0, 0, 0, 0, None])
        tally[0] += 1
        tally[1] += f.finished
        tally[2] += f.schedule == Schedule.BEHIND
        tally[3] += f.schedule == Schedule.OVERDUE
        reported = last_reports.get(row["id"])
        if reported and (tally[4] is None or reported > tally[4]):
            tally[4] = reported
    return [OrgCount(org, *n) for org, n in per_org.items()]


def count(problems, categories, as_of: date, petitions=(),
          settings: ScheduleSettings = ScheduleSettings(), last_reports=None) -> Statistics:
    """The counts on as_of.

    problems: rows as problem_as_of returns them, each with "id" and "top_category_id" (its
    大类) and, for by_org, "org"; categories: the 大类 as (id, title) in document order;
    petitions: petitions rows; last_reports: problem id → newest report date (for by_org).
    """
    facets = {row["id"]: facets_of(row, as_of, settings) for row in problems}
    by_term, by_status, by_schedule = Counter(), Counter(), Counter()
    by_term_status = {t.value: Counter() for t in Term}
    per_category: dict[int, list[int]] = {cid: [0, 0] for cid, _ in categories}
    per_unit: dict[str, list[int]] = {}
    for f in facets.values():
        by_term[f.term] += 1
        by_status[f.status] += 1
        by_schedule[f.schedule] += 1
        by_term_status[f.term][f.status] += 1
        tally = per_category.setdefault(f.category, [0, 0])
        tally[0] += 1
        tally[1] += f.finished
        unit = per_unit.setdefault(f.unit, [0, 0, 0, 0])
        unit[0] += 1
        unit[1] += f.finished
        unit[2] += f.schedule == Schedule.BEHIND
        unit[3] += f.schedule == Schedule.OVERDUE
    titles = dict(categories)
    return Statistics(
        as_of=as_of,
        problems=len(facets),
        categories=len(categories),
        by_term={t.value: by_term[t.value] for t in Term},
        by_status={s.value: by_status[s.value] for s in Status},
        by_schedule={k.value: by_schedule[k.value] for k in SCHEDULE_KEYS},
        by_category=[CategoryCount(titles[cid], *per_category[cid], cid) for cid, _ in categories],
        by_unit=sorted((UnitCount(u, *n) for u, n in per_unit.items()),
                       key=lambda u: (-u.problems, u.unit)),
        by_term_status={t: {s.value: c[s.value] for s in Status} for t, c in by_term_status.items()},
        petitions=count_petitions(list(petitions), as_of),
        by_org=count_orgs(problems, facets, last_reports or {}),
        facets=facets,
    )


def month_ends(as_of: date, months: int = 12) -> list[date]:
    """The last day of each of the months before as_of's, then as_of itself: months days."""
    days = [as_of]
    for _ in range(months - 1):
        days.append(days[-1].replace(day=1) - timedelta(days=1))
    return days[::-1]


def finished_over_time(problems, events: dict[int, list], days) -> list[tuple[date, int, int]]:
    """(day, finished, 已销号) on each of days; problems: current rows (id, status), events:
    {problem id: dated (day, status) records}, as in status_as_of."""
    days = list(days)
    finished, signed_off = [0] * len(days), [0] * len(days)
    for row in problems:
        for i, status in enumerate(statuses_as_of(row["status"], events.get(row["id"], ()), days)):
            finished[i] += status in FINISHED_STATUSES
            signed_off[i] += status == Status.SIGNED_OFF
    return list(zip(days, finished, signed_off))
