"""The opening sentences of a progress report, written from the counts as township reports word them.

Numbers are Arabic digits, as in the reports ("梳理形成的42项问题，30项已完成整改，12项达到时序进度
要求"); problems are counted in 项, petitions in 件. A count of zero is left out, or said in words,
never written as "0项".
"""

from .notice import chinese_date
from .statistics import Statistics
from .vocabulary import Schedule, Status, Term


def subject_of(inspections: list[dict]) -> str:
    """Who 梳理形成 the problems: the 所属单位 (org) the inspections share, else no one named."""
    orgs = {(i.get("org") or "").strip() for i in inspections}
    return orgs.pop() if len(orgs) == 1 else ""


def _join(parts: list[str]) -> str:
    """a、b和c"""
    if len(parts) <= 1:
        return "".join(parts)
    return "、".join(parts[:-1]) + "和" + parts[-1]


def problems_sentence(stats: Statistics, subject: str = "") -> str:
    """截至…，梳理形成的42项问题，30项已完成整改，12项达到时序进度要求。"""
    head = f"截至{chinese_date(stats.as_of)}，{subject}"
    if stats.problems == 0:
        return head + "尚无督察反馈问题。"
    total, finished = stats.problems, stats.finished
    if finished == total:
        return head + f"梳理形成的{total}项问题已全部完成整改。"
    parts = [f"{finished}项已完成整改" if finished else "尚无问题完成整改"]
    on, behind, overdue = (stats.by_schedule[k] for k in
                           (Schedule.ON_SCHEDULE, Schedule.BEHIND, Schedule.OVERDUE))
    if on:
        parts.append(f"{on}项达到时序进度要求")
    if behind:
        parts.append(f"{behind}项滞后于时序进度")
    if overdue:
        parts.append(f"{overdue}项已超过整改时限")
    return head + f"梳理形成的{total}项问题，" + "，".join(parts) + "。"


def _signoff_note(signed_off: int, signing_off: int) -> str:
    parts = []
    if signed_off:
        parts.append(f"{signed_off}项已销号")
    if signing_off:
        parts.append(f"{signing_off}项正在销号中")
    return f"（其中{'，'.join(parts)}）" if parts else ""


def terms_sentence(stats: Statistics) -> str:
    """其中，限期整改64项，长期坚持35项；限期整改问题已完成50项（其中46项已销号，4项正在销号中），
    剩余14项限期整改问题和35项长期坚持问题尚未完成整改。"""
    if stats.problems == 0:
        return ""
    present = [t for t in Term if stats.by_term[t]]
    if len(present) == 1:
        split = f"以上问题均为{present[0]}问题"
    else:
        split = "其中，" + "，".join(f"{t}{stats.by_term[t]}项" for t in present)
    done = []
    for term in present:
        finished = stats.finished_of(term)
        if finished == 0:
            continue
        counts = stats.by_term_status[term]
        name = "" if len(present) == 1 else f"{term}问题"
        note = _signoff_note(counts[Status.SIGNED_OFF], counts[Status.SIGNING_OFF])
        if finished == stats.by_term[term] and len(present) > 1:
            done.append(f"{name}已全部完成{note}")
        else:
            done.append(f"{name}已完成{finished}项{note}")
    remaining = [(t, stats.by_term[t] - stats.finished_of(t)) for t in present]
    left = [f"{n}项{t}问题" for t, n in remaining if n]
    clauses = [split] + done
    if left and done:
        clauses.append(f"剩余{_join(left)}尚未完成整改")
    return "；".join([clauses[0], "，".join(clauses[1:])]) + "。" if len(clauses) > 1 \
        else clauses[0] + "。"


def petitions_sentence(stats: Statistics) -> str:
    """交办信访件共102件，已办结102件，销号101件。"""
    p = stats.petitions
    if p.received == 0:
        return ""
    parts = [f"交办信访件共{p.received}件"]
    parts.append(f"已办结{p.concluded}件" if p.concluded else "尚无办结")
    if p.signed_off:
        parts.append(f"销号{p.signed_off}件")
    return "，".join(parts) + "。"


def summary_paragraph(stats: Statistics, subject: str = "") -> str:
    """The whole paragraph for stats' date; subject (say 青山镇) names who 梳理形成 the problems."""
    return "".join(s for s in (problems_sentence(stats, subject), terms_sentence(stats),
                               petitions_sentence(stats)) if s)
