"""The full check after opening runs in a child process for a big file: it finds what the check
in this process finds."""

import sqlite3

import pytest

from desktop_app.store.check_apart import check_file_apart
from desktop_app.store.errors import LedgerError
from desktop_app.store.integrity import verify_file


def test_a_sound_ledger_passes_in_its_own_process(sample_ledger_file):
    assert check_file_apart(sample_ledger_file, apart_from=0) == []


def test_an_edited_audit_entry_is_found_from_the_child(sample_ledger_file):
    conn = sqlite3.connect(sample_ledger_file)
    target = conn.execute("SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET 3").fetchone()[0]
    conn.execute("UPDATE audit_log SET new_value = '\"已完成\"' WHERE id = ?", [target])
    conn.commit()
    conn.close()
    findings = check_file_apart(sample_ledger_file, apart_from=0)
    assert [f.kind for f in findings] == ["audit_edited"]
    assert f"第{target}条" in findings[0].message
    assert findings == verify_file(sample_ledger_file)
    assert check_file_apart(sample_ledger_file) == findings  # small: checked in this process


def test_a_file_that_is_no_ledger_gives_the_message_of_the_check_here(tmp_path):
    path = tmp_path / "台账.db"
    path.write_bytes(b"not a ledger at all " * 500)
    with pytest.raises(LedgerError) as apart:
        check_file_apart(path, apart_from=0)
    with pytest.raises(LedgerError) as here:
        verify_file(path)
    assert str(apart.value) == str(here.value) and "不是督察整改台账文件" in str(apart.value)


def test_a_stopped_check_ends_its_child_and_has_no_findings(sample_ledger_file):
    import multiprocessing
    import threading

    from desktop_app.store.check_apart import CheckStopped
    stop = threading.Event()
    stop.set()  # the ledger closed as the check began
    with pytest.raises(CheckStopped) as caught:
        check_file_apart(sample_ledger_file, apart_from=0, stop=stop)
    assert "下次打开时再做" in str(caught.value)
    assert multiprocessing.active_children() == []
