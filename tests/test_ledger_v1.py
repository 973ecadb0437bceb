"""A ledger written by version 1 of the app opens with today's code, contents and chain intact."""

import shutil
from pathlib import Path

from desktop_app.store import evidence_check, progress, signoff
from desktop_app.store.ledger import Ledger
from desktop_app.store.schema import SCHEMA_VERSION

V1 = Path(__file__).parent / "data" / "v1"


def open_copy(tmp_path: Path) -> Ledger:
    for item in V1.iterdir():
        target = tmp_path / item.name
        (shutil.copytree if item.is_dir() else shutil.copy2)(item, target)
    return Ledger.open(tmp_path / "版本1台账.db")


def test_v1_ledger_opens_with_its_content(tmp_path):
    ledger = open_copy(tmp_path)
    try:
        version = ledger.db.execute("PRAGMA user_version").fetchone()[0]
        assert version == SCHEMA_VERSION
        counts = {t: ledger.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("inspections", "problems", "measures", "progress_reports",
                            "deadline_changes", "signoffs", "evidence", "petitions", "holidays")}
        assert counts["problems"] == 44
        assert all(counts.values()), counts
        report = ledger.db.execute("SELECT * FROM progress_reports").fetchone()
        problem_id = ledger.db.execute("SELECT problem_id FROM progress_reports").fetchone()[0]
        assert progress.reports(ledger, problem_id)[0]["text"] == "已完成现场排查，制定整改方案。"
        assert report is not None
        applied = ledger.db.execute("SELECT problem_id FROM signoffs").fetchone()[0]
        assert signoff.current(ledger, applied)["stage"] == "申请销号"
        assert ledger.db.execute("SELECT deadline_text FROM problems WHERE id = ?",
                                 [problem_id]).fetchone()[0] == "2027年6月底前"
    finally:
        ledger.close()


def test_v1_ledger_checks_clean_and_keeps_a_pre_upgrade_copy(tmp_path):
    ledger = open_copy(tmp_path)
    try:
        findings = evidence_check.check_ledger(ledger)
        assert findings == [], findings
    finally:
        ledger.close()
    if SCHEMA_VERSION > 1:
        assert list(tmp_path.rglob("*升级前*.db"))
