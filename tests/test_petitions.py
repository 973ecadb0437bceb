"""The 信访件 register: add, edit, delete and restore, each audited, dates checked."""

import pytest

from desktop_app.store import petitions
from desktop_app.store.errors import ReadOnlyError
from desktop_app.store.ledger import Ledger


def audit_rows(ledger):
    return ledger.db.execute(
        "SELECT action, entity, entity_id, field FROM audit_log WHERE entity = 'petition'"
        " ORDER BY id").fetchall()


@pytest.fixture
def inspection(ledger):
    return ledger.add_inspection("第二轮中央生态环境保护督察", "中央")


def test_add_and_read_back(ledger, inspection):
    pid = petitions.add(ledger, inspection, code="D2021-015", received_on="2021-05-01",
                        source="中央第五生态环境保护督察组交办", content="  某砂场夜间生产噪声扰民 ",
                        lead_unit="县生态环境局", concluded_on="2021-06-20")
    row = ledger.db.execute("SELECT code, received_on, source, content, lead_unit, concluded_on,"
                            " signed_off_on, remarks FROM petitions WHERE id = ?", [pid]).fetchone()
    assert row == ("D2021-015", "2021-05-01", "中央第五生态环境保护督察组交办", "某砂场夜间生产噪声扰民",
                   "县生态环境局", "2021-06-20", None, "")
    assert audit_rows(ledger) == [("create", "petition", pid, None)]


def test_update_returns_old_values_for_undo(ledger, inspection):
    pid = petitions.add(ledger, inspection, received_on="2021-05-01", content="反映问题")
    old = petitions.update(ledger, pid, concluded_on="2021-06-01", signed_off_on="2021-09-01")
    assert old == {"concluded_on": None, "signed_off_on": None}
    assert petitions.petition(ledger, pid)["signed_off_on"] == "2021-09-01"
    assert petitions.update(ledger, pid, concluded_on="2021-06-01") == {}  # no change, no audit
    petitions.update(ledger, pid, **old)
    assert petitions.petition(ledger, pid)["concluded_on"] is None
    assert [r[0] for r in audit_rows(ledger)] == ["create", "update", "update", "update", "update"]


def test_delete_and_restore(ledger, inspection):
    pid = petitions.add(ledger, inspection, received_on="2021-05-01", content="反映问题")
    row = petitions.delete(ledger, pid)
    assert petitions.petitions(ledger, inspection) == []
    ledger.revert(ledger.last_change)
    assert petitions.petitions(ledger, inspection) == [row]
    assert [r[0] for r in audit_rows(ledger)] == ["create", "delete", "restore"]


def test_register_order_and_scope(ledger, inspection):
    other = ledger.add_inspection("省级督察", "省级")
    late = petitions.add(ledger, inspection, received_on="2021-07-01")
    undated = petitions.add(ledger, inspection)
    early = petitions.add(ledger, inspection, received_on="2021-03-01")
    elsewhere = petitions.add(ledger, other, received_on="2021-01-01")
    assert [p["id"] for p in petitions.petitions(ledger, inspection)] == [early, late, undated]
    assert [p["id"] for p in petitions.petitions(ledger)] == [elsewhere, early, late, undated]


@pytest.mark.parametrize("fields, message", [
    ({"received_on": "2021-13-01"}, "收件日期“2021-13-01”不是有效日期"),
    ({"signed_off_on": "2021-06-01"}, "尚未办结，不能填写销号日期"),
    ({"received_on": "2021-06-01", "concluded_on": "2021-05-01"}, "办结日期（2021-05-01）早于收件日期"),
    ({"concluded_on": "2021-06-01", "signed_off_on": "2021-05-01"}, "销号日期（2021-05-01）早于办结日期"),
    ({"unknown": "x"}, "no fields"),
])
def test_refusals(ledger, inspection, fields, message):
    with pytest.raises(ValueError, match=message):
        petitions.add(ledger, inspection, **fields)
    assert petitions.petitions(ledger) == []
    assert audit_rows(ledger) == []


def test_update_checks_the_whole_row(ledger, inspection):
    pid = petitions.add(ledger, inspection, received_on="2021-05-01", concluded_on="2021-06-01")
    with pytest.raises(ValueError, match="早于收件日期"):
        petitions.update(ledger, pid, concluded_on="2021-04-01")
    assert petitions.petition(ledger, pid)["concluded_on"] == "2021-06-01"


def test_read_only_ledger_refuses(ledger_path):
    ledger = Ledger.open(ledger_path, read_only=True)
    try:
        with pytest.raises(ReadOnlyError):
            petitions.add(ledger, None, content="反映问题")
    finally:
        ledger.close()
