"""批量打印公示 composes many notices at once: the same notices as one at a time, each
inspection's tree built once."""

from datetime import date

from desktop_app.domain.notice import Contacts
from desktop_app.domain.signoff import SignoffDefaults
from desktop_app.store import notices, seeds
from desktop_app.store import signoff as signoffs

DEFAULTS = SignoffDefaults(Contacts(office="区督察办", contact="李明", phone="0730-8245473"))


def test_a_batch_equals_its_notices_one_at_a_time(ledger, monkeypatch):
    seeds.fill_demo(ledger)
    by_inspection = [[node.id for node in ledger.tree(i["id"]).problems] for i in ledger.inspections()]
    assert len(by_inspection) >= 2 and max(map(len, by_inspection)) > 3
    big = max(by_inspection, key=len)
    # Mixed inspections, out of order: each notice must still carry its own 序号.
    chosen = [big[5], by_inspection[1][0], big[0], big[-1], by_inspection[2][0], big[2]]
    first = by_inspection[1][0]  # seed 002's problem, its measures completed
    ledger.update("problem", first, status="已完成")
    step = signoffs.apply(ledger, first, "2023-10-09", contacts={"office": "镇督察办"})
    signoffs.set_notice_text(ledger, step.signoff_id, "关于某问题整改销号情况的公示\n\n正文（已改过）。\n")

    for options in ({}, {"start": date(2023, 10, 13)}, {"use_edited": False}):
        one_by_one = [notices.notice_for(ledger, pid, DEFAULTS, **options) for pid in chosen]
        built = []
        tree = ledger.tree
        monkeypatch.setattr(ledger, "tree", lambda inspection_id: (built.append(inspection_id),
                                                                   tree(inspection_id))[1])
        batch = notices.notices_for(ledger, chosen, DEFAULTS, **options)
        monkeypatch.undo()
        assert batch == one_by_one
        assert sorted(built) == sorted(set(built)) and len(built) == 3  # once per inspection
    assert [r.edited for r in notices.notices_for(ledger, chosen, DEFAULTS)] == [
        False, True, False, False, False, False]
    assert [c.number for c in notices.contexts(ledger, chosen)] == [6, 1, 1, len(big), 1, 3]
