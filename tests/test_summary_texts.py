"""The clerk's 情况概述 kept in the ledger per scope and date, audited, undoable."""

from datetime import date

from desktop_app.store import summary_texts
from desktop_app.store.summary_texts import KeptSummary

DAY = date(2024, 4, 30)


def test_kept_per_scope_and_date(ledger):
    inspection = ledger.add_inspection("第二轮中央生态环境保护督察", "中央")
    assert summary_texts.kept(ledger, None, DAY) is None
    mine = KeptSummary("我县梳理形成的……", "截至2024年4月30日，梳理形成的……")
    assert summary_texts.keep(ledger, inspection, DAY, mine) is None
    assert summary_texts.kept(ledger, inspection, DAY) == mine
    assert summary_texts.kept(ledger, None, DAY) is None  # all inspections: another paragraph
    assert summary_texts.kept(ledger, inspection, date(2024, 5, 31)) is None  # another month
    again = KeptSummary("改了第二遍", mine.auto_text)
    assert summary_texts.keep(ledger, inspection, DAY, again) == mine  # undo puts this back
    assert summary_texts.keep(ledger, inspection, DAY, None) == again
    assert summary_texts.kept(ledger, inspection, DAY) is None
    audited = ledger.db.execute("SELECT entity, entity_id, old_value, new_value FROM audit_log"
                                " WHERE entity = 'summary_text' ORDER BY id").fetchall()
    assert [(e, i) for e, i, _, _ in audited] == [("summary_text", inspection)] * 3
    assert "改了第二遍" in audited[1][3] and audited[2][3] is None


def test_a_damaged_entry_reads_as_none(ledger):
    ledger.db.execute("INSERT INTO meta (key, value) VALUES (?, '{not json')",
                      [summary_texts.key(None, DAY)])
    assert summary_texts.kept(ledger, None, DAY) is None
