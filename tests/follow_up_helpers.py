"""Ledgers for the follow-up tests: a problem taken all the way to 已销号, and 004's figures."""

from desktop_app.store import accountability, signoff, supervision

# 004: 19个党组织、81名责任人员（厅级11、处级37、科级及以下33）; outcomes as the report lists them.
OUTCOMES_004 = {"党纪政务处分": 48, "党纪政务处分并组织处理": 9, "组织处理": 2, "诫勉谈话": 17,
                "书面检查": 1, "约谈": 3, "批评教育": 1}
LEVELS_004 = {"厅级": 11, "处级": 37, "科级及以下": 33}
SUPERVISION_004 = {"函告": 14, "约谈": 3, "通报": 2}


def sign_off(ledger, problem_id, applied="2023-09-28", end_day="2023-10-20"):
    """Finish the problem and take it through 申请销号 → 验收 → 公示 → 已销号."""
    for measure in ledger.measures(problem_id):
        if not measure["completion"]:
            ledger.update("measure", measure["id"], completion="已完成。")
    ledger.update("problem", problem_id, status="已完成")
    signoff_id = signoff.apply(ledger, problem_id, applied).signoff_id
    for index in range(len(signoff.signoff(ledger, signoff_id)["checklist"])):
        signoff.tick(ledger, signoff_id, index)
    signoff.advance(ledger, signoff_id, applied)
    start = signoff.signoff(ledger, signoff_id)["applied_on"]
    signoff.set_publicity(ledger, signoff_id, start, working_days=5)
    signoff.advance(ledger, signoff_id)
    signoff.advance(ledger, signoff_id, end_day)
    return signoff_id


def fill_004(ledger, inspection_id, problem_id=None, day="2019-08-01"):
    """19 units and 81 persons in 3 cases, and 19 督办, as 004 reports them."""
    persons = [{"level": level, "outcome": ""} for level, n in LEVELS_004.items() for _ in range(n)]
    outcomes = [o for o, n in OUTCOMES_004.items() for _ in range(n)]
    for person, outcome in zip(persons, outcomes):
        person["outcome"] = outcome
    for case in range(3):
        units = [(f"第{u + 1}个党组织", "党组织") for u in range(19) if u % 3 == case]
        accountability.add_case(ledger, f"第{case + 1}批责任追究", inspection_id, problem_id,
                                day, units=units, persons=persons[case::3])
    for kind, n in SUPERVISION_004.items():
        for i in range(n):
            supervision.add(ledger, kind, inspection_id=inspection_id, issued_on=day,
                            target_unit=f"某某县人民政府{i}", issued_by="省督察整改办")
