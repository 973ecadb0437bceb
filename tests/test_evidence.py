"""佐证材料: files copied into the store by hash, rows committed after them, recycled, checked,
and cleaned up after a crash (a child killed with SIGKILL mid-attach)."""

import errno
import hashlib
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from desktop_app.jobs import finish
from desktop_app.store import evidence, evidence_attach, evidence_check, evidence_files
from desktop_app.store.errors import AttachFailedError, EvidenceTooLargeError, LedgerError
from desktop_app.store.evidence_files import display_name, safe_filename
from desktop_app.store.evidence_check import check_ledger, verify_ledger_file
from desktop_app.store.integrity import check_connection, verify_file
from desktop_app.store.ledger import Ledger


def problem_ids(ledger):
    return [r[0] for r in ledger.db.execute("SELECT id FROM problems ORDER BY id")]


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def attach(ledger, problem_id, paths, **options):
    steps = []
    ids = finish(evidence_attach.attach_files(ledger, problem_id, paths, **options), steps.append)
    return ids, steps


def store_files(ledger) -> list[Path]:
    store = evidence.evidence_store(ledger)
    return sorted(p for p in store.rglob("*") if p.is_file()) if store.exists() else []


def objects(ledger) -> list[Path]:
    return [p for p in store_files(ledger) if p.parent.parent.name == "objects"]


def temps(ledger) -> list[Path]:
    return [p for p in store_files(ledger) if p.parent.name == "tmp"]


def rows(ledger) -> list[dict]:
    return list(ledger.db.query("SELECT * FROM evidence ORDER BY id"))


# -- attaching ---------------------------------------------------------------------------------

def test_attach_copies_by_hash_and_keeps_the_chinese_name(sample_ledger, tmp_path):
    problem = problem_ids(sample_ledger)[0]
    data = "污水处理厂二期工程验收".encode() * 5000
    source = write(tmp_path / "来源" / "验收照片（二期）.jpg", data)
    sample_ledger.app_user = "王五"
    ids, steps = attach(sample_ledger, problem, [source], caption="二期工程竣工", kind="现场照片",
                        taken_on="2022-06-30")
    row = sample_ledger.db["evidence"].get(ids[0])
    sha = hashlib.sha256(data).hexdigest()
    assert (row["display_name"], row["sha256"], row["size"], row["kind"], row["caption"],
            row["taken_on"], row["added_by"], row["deleted_at"]) == (
        "验收照片（二期）.jpg", sha, len(data), "现场照片", "二期工程竣工", "2022-06-30", "王五", None)
    stored = evidence.file_path(sample_ledger, row)
    assert stored == sample_ledger.path.parent / "台账-佐证材料" / "objects" / sha[:2] / sha
    assert stored.read_bytes() == data
    assert store_files(sample_ledger) == [stored]  # nothing else, no temporary file left
    assert [s.done for s in steps] == sorted(s.done for s in steps)
    assert steps[-1].done == steps[-1].total and "验收照片（二期）.jpg" in steps[1].message
    assert evidence.evidence_for(sample_ledger, problem) == [dict(row)]
    audit = sample_ledger.db.execute(
        "SELECT action, entity, entity_id FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    assert audit == ("create", "evidence", ids[0])
    assert check_ledger(sample_ledger) == []


def test_same_file_stored_once_and_a_changed_file_is_new(sample_ledger, tmp_path):
    first, second = problem_ids(sample_ledger)[:2]
    photo = write(tmp_path / "照片.jpg", b"\xff\xd8" + os.urandom(300_000))
    same = write(tmp_path / "另一个名字.jpg", photo.read_bytes())
    attach(sample_ledger, first, [photo])
    attach(sample_ledger, second, [photo, same])
    assert len(rows(sample_ledger)) == 3
    assert len(objects(sample_ledger)) == 1
    photo.write_bytes(photo.read_bytes() + b"edited")  # the clerk touched up the photo
    ids, _ = attach(sample_ledger, first, [photo])
    assert len(objects(sample_ledger)) == 2
    assert evidence.file_path(sample_ledger, ids[0]).read_bytes() == photo.read_bytes()
    assert {r["display_name"] for r in rows(sample_ledger)} == {"照片.jpg", "另一个名字.jpg"}


def test_a_batch_longer_than_the_copies_in_flight_keeps_its_order(sample_ledger, tmp_path,
                                                                   monkeypatch):
    monkeypatch.setattr(evidence_files, "CHUNK_SIZE", 4096)  # several chunks per file
    datas = [os.urandom(10_000 + 997 * n) for n in range(3 * evidence_files.IN_FLIGHT)]
    datas[5] = datas[2]  # the same content twice in one batch: stored once
    sources = [write(tmp_path / f"照片{n:02d}.jpg", data) for n, data in enumerate(datas)]
    ids, _ = attach(sample_ledger, problem_ids(sample_ledger)[0], sources)
    stored = [(r["display_name"], r["sha256"], r["size"]) for r in rows(sample_ledger)]
    assert stored == [(s.name, hashlib.sha256(d).hexdigest(), len(d)) for s, d in zip(sources, datas)]
    assert [evidence.file_path(sample_ledger, i).read_bytes() for i in ids] == datas
    assert len(objects(sample_ledger)) == len(datas) - 1 and temps(sample_ledger) == []


def test_a_file_gone_before_it_is_copied_is_named_and_nothing_is_kept(sample_ledger, tmp_path):
    sources = [write(tmp_path / f"材料{n}.pdf", os.urandom(50_000)) for n in range(3)]
    steps = evidence_attach.attach_files(sample_ledger, problem_ids(sample_ledger)[0], sources)
    next(steps)  # measured; the clerk's USB stick is pulled out
    sources[1].unlink()
    with pytest.raises(AttachFailedError, match="材料1.pdf") as failed:
        finish(steps)
    assert "U盘没有被拔出" in str(failed.value) and "都没有添加" in str(failed.value)
    assert rows(sample_ledger) == [] and store_files(sample_ledger) == []


def test_attach_to_a_measure_and_refusals(sample_ledger, tmp_path):
    first, second = problem_ids(sample_ledger)[:2]
    measure = sample_ledger.measures(first)[1]["id"]
    other_measure = sample_ledger.measures(second)[0]["id"]
    source = write(tmp_path / "责任清单.pdf", b"%PDF-1.4 ...")
    ids, _ = attach(sample_ledger, first, [source], measure_id=measure, kind="文件")
    assert sample_ledger.db["evidence"].get(ids[0])["measure_id"] == measure
    with pytest.raises(LedgerError, match="整改措施"):
        attach(sample_ledger, first, [source], measure_id=other_measure)
    with pytest.raises(LedgerError, match="没有 id 为 9999 的问题"):
        attach(sample_ledger, 9999, [source])
    with pytest.raises(ValueError, match="不是佐证材料类型"):
        attach(sample_ledger, first, [source], kind="照片墙")
    with pytest.raises(LedgerError, match="找不到要添加的文件"):
        attach(sample_ledger, first, [source, tmp_path / "没有这个文件.doc"])
    assert len(rows(sample_ledger)) == 1  # the refused batches added nothing


def test_kinds_are_an_editable_list(sample_ledger, tmp_path):
    assert evidence.evidence_kinds(sample_ledger) == ["现场照片", "文件", "会议纪要", "合同", "验收材料", "其他"]
    old = evidence.set_evidence_kinds(sample_ledger, ["现场照片", "整改方案", " ", "整改方案"])
    assert evidence.evidence_kinds(sample_ledger) == ["现场照片", "整改方案"]
    ids, _ = attach(sample_ledger, problem_ids(sample_ledger)[0],
                    [write(tmp_path / "方案.docx", b"docx")], kind="整改方案")
    assert evidence.update_evidence(sample_ledger, ids[0], caption="县政府印发") == {"caption": ""}
    evidence.set_evidence_kinds(sample_ledger, old)
    assert sample_ledger.db["evidence"].get(ids[0])["kind"] == "整改方案"  # kept as filed
    with pytest.raises(ValueError):
        evidence.set_evidence_kinds(sample_ledger, ["", "  "])
    assert check_ledger(sample_ledger) == []


def test_copy_off_the_ledgers_thread_then_commit(sample_ledger, tmp_path):
    """The window's way: checks and commit on the GUI thread, copying on a worker thread."""
    import threading
    first, second = problem_ids(sample_ledger)[:2]
    shared = write(tmp_path / "共用照片.jpg", os.urandom(100_000))
    plan = evidence_attach.prepare_attach(sample_ledger, first, [shared], caption="甲")
    worker = threading.Thread(target=lambda: finish(evidence_attach.copy_files(plan)))
    worker.start()
    worker.join()
    assert plan.created and rows(sample_ledger) == []
    # Meanwhile another batch with the same content is attached and committed …
    (other,), _ = attach(sample_ledger, second, [shared])
    # … so abandoning the first batch must not take the file the second one now names.
    evidence_attach.abandon_attach(sample_ledger, plan)
    assert evidence.file_path(sample_ledger, other).read_bytes() == shared.read_bytes()
    plan = evidence_attach.prepare_attach(sample_ledger, first, [shared], caption="甲")
    finish(evidence_attach.copy_files(plan))
    ids = evidence_attach.commit_attach(sample_ledger, plan)
    assert sample_ledger.db["evidence"].get(ids[0])["caption"] == "甲"
    with pytest.raises(ValueError, match="还没有复制完"):
        evidence_attach.commit_attach(sample_ledger, evidence_attach.prepare_attach(sample_ledger, first, [shared]))
    assert evidence_check.verify_evidence(sample_ledger) == []


def test_failed_commit_discards_the_new_files(sample_ledger, tmp_path, monkeypatch):
    from desktop_app.store.errors import WriteFailedError
    plan = evidence_attach.prepare_attach(sample_ledger, problem_ids(sample_ledger)[0],
                                   [write(tmp_path / "纪要.pdf", b"minutes" * 100)])
    finish(evidence_attach.copy_files(plan))
    assert len(objects(sample_ledger)) == 1

    def full(*_args, **_kwargs):
        raise WriteFailedError(sample_ledger.path, "磁盘空间不足。")
    monkeypatch.setattr(sample_ledger.db["evidence"].__class__, "insert", full)
    with pytest.raises(WriteFailedError):
        evidence_attach.commit_attach(sample_ledger, plan)
    assert rows(sample_ledger) == [] and store_files(sample_ledger) == []


# -- names from outside ------------------------------------------------------------------------

@pytest.mark.parametrize("outside, shown", [
    ("../../etc/passwd", "passwd"),
    ("C:\\Windows\\System32\\驱动.sys", "驱动.sys"),
    ("/abs/path/整改报告.pdf", "整改报告.pdf"),
    ("..", "未命名文件"),
    ("名字\x00带\x07控制符.txt", "名字带控制符.txt"),
])
def test_display_names_are_only_the_last_component(outside, shown):
    assert display_name(outside) == shown


@pytest.mark.parametrize("name, safe", [
    ("CON", "_CON"), ("nul.txt", "_nul.txt"), ("COM1.jpg", "_COM1.jpg"), ("Lpt9", "_Lpt9"),
    ("..", "未命名文件"), ("../../x.txt", "x.txt"), ("a:b*c?.doc", "a_b_c_.doc"),
    ("会议纪要. ", "会议纪要"), ("整改照片 2023年.JPG", "整改照片 2023年.JPG"),
    ("CONSOLE.txt", "CONSOLE.txt"),
])
def test_safe_filenames_for_writing_out(name, safe):
    assert safe_filename(name) == safe


def test_outside_names_never_become_store_paths(sample_ledger, tmp_path):
    problem = problem_ids(sample_ledger)[0]
    sources = [write(tmp_path / "来源" / name, name.encode() + b"-content")
               for name in ("CON.txt", "NUL", "..奇怪的名字..", "会议纪要（第3次）.docx")]
    ids, _ = attach(sample_ledger, problem, sources)
    for path in store_files(sample_ledger):
        assert evidence_files.is_sha256(path.name)  # every stored file is named by its hash
    evidence.update_evidence(sample_ledger, ids[0], display_name="..\\..\\evil/CON.txt")
    assert sample_ledger.db["evidence"].get(ids[0])["display_name"] == "CON.txt"
    out = tmp_path / "打开"
    copies = [evidence.copy_to(sample_ledger, i, out) for i in ids]
    assert [p.name for p in copies] == ["_CON.txt", "_NUL", "奇怪的名字", "会议纪要（第3次）.docx"]
    assert all(p.parent == out for p in copies)
    assert copies[3].read_bytes() == sources[3].read_bytes()
    again = evidence.copy_to(sample_ledger, ids[3], out)  # never overwrites
    assert again.name == "会议纪要（第3次） (2).docx"


# -- limits and failures -----------------------------------------------------------------------

def test_size_limit_refuses_with_a_clear_message(sample_ledger, tmp_path):
    small = write(tmp_path / "小.jpg", b"x" * 10)
    video = write(tmp_path / "现场视频.mp4", b"v" * (3 * 1024 * 1024))
    with pytest.raises(EvidenceTooLargeError) as refused:
        attach(sample_ledger, problem_ids(sample_ledger)[0], [small, video], max_bytes=2 * 1024 * 1024)
    message = str(refused.value)
    assert "现场视频.mp4" in message and "3 MB" in message and "2 MB" in message and "上限" in message
    assert rows(sample_ledger) == [] and store_files(sample_ledger) == []


class _FullDiskOs:
    """The os module, except that the nth fsync finds the disk full."""

    def __init__(self, fail_at: int):
        self.calls, self.fail_at = 0, fail_at

    def __getattr__(self, name):
        return getattr(os, name)

    def fsync(self, fd):
        self.calls += 1
        if self.calls == self.fail_at:
            raise OSError(errno.ENOSPC, "No space left on device")
        return os.fsync(fd)


@pytest.mark.parametrize("fail_at", [1, 2, 3])
def test_full_disk_leaves_no_half_file_and_no_row(sample_ledger, tmp_path, monkeypatch, fail_at):
    problem = problem_ids(sample_ledger)[0]
    kept = write(tmp_path / "早先的.pdf", b"earlier")
    attach(sample_ledger, problem, [kept])
    before_rows, before_files = rows(sample_ledger), store_files(sample_ledger)
    sources = [write(tmp_path / f"材料{n}.pdf", os.urandom(200_000)) for n in range(3)]
    # fsyncs per new file: the copy, then its folder (POSIX); so 1 and 2 hit file one or its
    # folder, 3 the copy of the second file after the first was renamed into place.
    monkeypatch.setattr(evidence_files, "os", _FullDiskOs(fail_at))
    with pytest.raises(AttachFailedError) as failed:
        attach(sample_ledger, problem, sources)
    assert "磁盘空间不足" in str(failed.value) and "都没有添加" in str(failed.value)
    assert rows(sample_ledger) == before_rows
    assert store_files(sample_ledger) == before_files
    assert check_ledger(sample_ledger) == []


def test_enospc_while_writing(sample_ledger, tmp_path, monkeypatch):
    real_open = open

    class Full:
        def __init__(self, f):
            self.f = f

        def write(self, chunk):
            self.f.write(chunk[: len(chunk) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name):
            return getattr(self.f, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return self.f.__exit__(*exc)

    def fake_open(path, mode="r", *args, **kwargs):
        f = real_open(path, mode, *args, **kwargs)
        return Full(f) if "x" in mode else f

    monkeypatch.setattr(evidence_files, "open", fake_open, raising=False)
    with pytest.raises(AttachFailedError, match="磁盘空间不足"):
        attach(sample_ledger, problem_ids(sample_ledger)[0], [write(tmp_path / "大.pdf", b"p" * 5000)])
    assert rows(sample_ledger) == [] and store_files(sample_ledger) == []


def test_cancel_midway_keeps_nothing(sample_ledger, tmp_path, monkeypatch):
    monkeypatch.setattr(evidence_files, "CHUNK_SIZE", 4096)
    sources = [write(tmp_path / f"照片{n}.jpg", os.urandom(40_000)) for n in range(3)]
    steps = evidence_attach.attach_files(sample_ledger, problem_ids(sample_ledger)[0], sources)
    for step in steps:
        if "照片2.jpg" in step.message and step.done * 1024 > 80_000:  # the third on its way
            break
    # The third is half copied in tmp/; the first two are placed, or still being fsynced on
    # the placing thread (listing both folders at once would race with its renames).
    assert temps(sample_ledger)
    steps.close()  # the clerk pressed 取消
    assert rows(sample_ledger) == [] and store_files(sample_ledger) == []


# -- recycling ---------------------------------------------------------------------------------

def test_remove_restore_and_empty_recycle(sample_ledger, tmp_path):
    first, second = problem_ids(sample_ledger)[:2]
    shared = write(tmp_path / "共用.pdf", b"shared" * 1000)
    own = write(tmp_path / "自己的.jpg", b"own" * 1000)
    (a, b), _ = attach(sample_ledger, first, [shared, own])
    (c,), _ = attach(sample_ledger, second, [shared])
    assert evidence.remove(sample_ledger, [a, b, b]) == [a, b]
    assert evidence.evidence_for(sample_ledger, first) == []
    assert [r["id"] for r in evidence.evidence_for(sample_ledger, first, recycled=True)] == [a, b]
    assert {r["id"] for r in evidence.recycle_bin(sample_ledger)} == {a, b}
    assert evidence.restore(sample_ledger, [b]) == [b]
    assert [r["id"] for r in evidence.evidence_for(sample_ledger, first)] == [b]
    assert len(objects(sample_ledger)) == 2  # recycled files stay until emptied
    emptied = evidence.empty_recycle(sample_ledger)
    assert (emptied.rows, emptied.files) == (1, 0)  # 共用.pdf is still attached to `second`
    assert sample_ledger.db["evidence"].count_where("id = ?", [a]) == 0
    evidence.remove(sample_ledger, [b, c])
    emptied = evidence.empty_recycle(sample_ledger, [b])
    assert (emptied.rows, emptied.files, emptied.bytes) == (1, 1, 3000)
    assert [r["id"] for r in evidence.recycle_bin(sample_ledger)] == [c]
    evidence.empty_recycle(sample_ledger)
    assert rows(sample_ledger) == [] and objects(sample_ledger) == []
    actions = [r[0] for r in sample_ledger.db.execute(
        "SELECT action FROM audit_log WHERE entity = 'evidence' ORDER BY id")]
    assert actions.count("delete") == 3  # emptied from the 回收站
    recycled = [r[0] for r in sample_ledger.db.execute(
        "SELECT new_value FROM audit_log WHERE entity = 'evidence' AND field = 'deleted_at'")]
    assert len(recycled) == 5 and recycled.count(None) == 1  # 4 into the 回收站, 1 back out
    assert check_ledger(sample_ledger) == []


# -- checking ----------------------------------------------------------------------------------

def test_check_reports_altered_and_missing_files_by_problem(sample_ledger, tmp_path):
    first, second, third = problem_ids(sample_ledger)[:3]
    (altered,), _ = attach(sample_ledger, first, [write(tmp_path / "验收报告.pdf", b"A" * 5000)])
    (gone,), _ = attach(sample_ledger, second, [write(tmp_path / "会议纪要.docx", b"B" * 5000)])
    attach(sample_ledger, third, [write(tmp_path / "完好.jpg", b"C" * 5000)])
    assert evidence_check.verify_evidence(sample_ledger) == []
    path = evidence.file_path(sample_ledger, altered)
    path.write_bytes(b"A" * 4999 + b"Z")  # same size, different content
    evidence.file_path(sample_ledger, gone).unlink()
    findings = evidence_check.verify_evidence(sample_ledger)
    assert [(f.kind, f.problem_id) for f in findings] == [
        ("evidence_altered", first), ("evidence_missing", second)]
    assert "验收报告.pdf" in findings[0].message and "问题编号一" in findings[0].message
    assert "会议纪要.docx" in findings[1].message and "找不到" in findings[1].message
    assert list(evidence_check.by_problem(findings)) == [first, second]
    assert check_ledger(sample_ledger) == findings
    assert check_connection(sample_ledger.db.conn) == []
    assert verify_file(sample_ledger.path) == []  # the start-up check leaves files to the window
    assert verify_ledger_file(sample_ledger.path) == findings


def test_startup_cleanup(sample_ledger, tmp_path):
    problem = problem_ids(sample_ledger)[0]
    (kept, lost), _ = attach(sample_ledger, problem, [write(tmp_path / "留.pdf", b"keep"),
                                                      write(tmp_path / "丢.pdf", b"lost")])
    store = evidence.evidence_store(sample_ledger)
    stray = write(store / "tmp" / "0123.part", b"half a cop")
    orphan_sha = hashlib.sha256(b"orphan").hexdigest()
    orphan = write(store / "objects" / orphan_sha[:2] / orphan_sha, b"orphan")
    evidence.file_path(sample_ledger, lost).unlink()
    outside = write(tmp_path / "别动我.txt", b"not ours")
    result = evidence_check.startup_cleanup(sample_ledger)
    assert result.removed_temp == [stray] and not stray.exists()
    assert result.orphans == [orphan] and orphan.exists()  # listed, not deleted
    assert [(f.kind, f.problem_id) for f in result.missing] == [("evidence_missing", problem)]
    assert "丢.pdf" in result.missing[0].message and not result.clean
    assert evidence_check.discard_orphans(sample_ledger, result.orphans + [outside,
                                    evidence.file_path(sample_ledger, kept)]) == 1
    assert not orphan.exists() and outside.exists()
    assert evidence.file_path(sample_ledger, kept).exists()


def test_the_walk_after_opening_reads_only(sample_ledger, tmp_path):
    """find_unmatched runs on a worker's read-only connection: it lists, it never removes, and it
    reads a file in the wrong folder as an orphan and its row as missing."""
    problem = problem_ids(sample_ledger)[0]
    (moved, kept), _ = attach(sample_ledger, problem, [write(tmp_path / "挪.pdf", b"moved"),
                                                       write(tmp_path / "留.pdf", b"kept")])
    store = evidence.evidence_store(sample_ledger)
    stray = write(store / "tmp" / "0123.part", b"half a cop")
    source = evidence.file_path(sample_ledger, moved)
    misplaced = store / "objects" / "00" / source.name
    misplaced.parent.mkdir(exist_ok=True)
    source.rename(misplaced)
    reader = Ledger.open(sample_ledger.path, read_only=True)
    try:
        assert evidence_check.clear_temp(reader) == [] and stray.exists()  # the writer may be copying
        found = evidence_check.find_unmatched(reader.db.conn, reader.path)
    finally:
        reader.close()
    assert found.orphans == [misplaced] and found.removed_temp == []
    assert len(found.missing) == 1 and "挪.pdf" in found.missing[0].message
    assert evidence_check.startup_cleanup(sample_ledger).removed_temp == [stray] and not stray.exists()


# -- a killed process --------------------------------------------------------------------------

CHILD = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from desktop_app.jobs import finish
    from desktop_app.store import evidence, evidence_attach, evidence_check, evidence_files
    from desktop_app.store.ledger import Ledger

    ledger_path, journal_path, sources, hang = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), sys.argv[4]
    evidence_files.CHUNK_SIZE = 64 * 1024  # many small steps, each a moment to be killed in
    journal = open(journal_path, "a", encoding="utf-8")

    def note(*fields):
        journal.write(" ".join(map(str, fields)) + "\\n"); journal.flush(); os.fsync(journal.fileno())

    def slowly(step):
        if hang == "1" and step.message.startswith("正在保存"):
            note("SAVING"); time.sleep(60)  # killed between the rename and the commit
        time.sleep(0.003)

    ledger = Ledger.open(ledger_path)
    problem = ledger.db.execute("SELECT min(id) FROM problems").fetchone()[0]
    note("START")
    for batch in sorted(sources.iterdir()):
        note("PENDING", batch.name)
        ids = finish(evidence_attach.attach_files(ledger, problem, sorted(batch.iterdir())), slowly)
        note("OK", batch.name, *ids)
""")


def _journal(path: Path) -> list[list[str]]:
    if not path.exists():
        return []
    return [line.split() for line in path.read_text("utf-8").splitlines(keepends=True)
            if line.endswith("\n")]


@pytest.mark.parametrize("cycle", range(5))
def test_killed_mid_attach_leaves_ledger_and_store_consistent(sample_ledger_file, tmp_path, cycle):
    sources = tmp_path / "sources"
    expected = {}
    for b in range(3):
        for f in range(2):
            data = os.urandom(700_000 + 1000 * f)
            write(sources / f"batch{b}" / f"照片{f}.jpg", data)
            expected[hashlib.sha256(data).hexdigest()] = data
    journal = tmp_path / "journal.txt"
    hang = "1" if cycle == 0 else "0"
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(sample_ledger_file), str(journal),
                             str(sources), hang], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        lines = _journal(journal)
        if hang == "1" and lines and lines[-1] == ["SAVING"]:
            break
        if hang == "0" and any(line[0] == "PENDING" for line in lines):
            time.sleep([0.05, 0.15, 0.3, 0.6][cycle - 1])
            break
        time.sleep(0.005)
    proc.kill()
    _, stderr = proc.communicate()
    assert b"Traceback" not in stderr, stderr.decode(errors="replace")
    lines = _journal(journal)
    assert lines, "the child never started"
    reported = [int(i) for line in lines if line[0] == "OK" for i in line[2:]]

    assert verify_file(sample_ledger_file) == []
    ledger = Ledger.open(sample_ledger_file)  # the dead child's lock clears by itself
    try:
        result = evidence_check.startup_cleanup(ledger)
        assert temps(ledger) == []
        assert result.missing == []  # never a row without its file
        ids = [r["id"] for r in rows(ledger)]
        assert set(reported) <= set(ids)  # everything reported committed is there
        assert len(ids) - len(reported) in (0, 2)  # at most the batch committed before its OK line
        assert all(r["sha256"] in expected for r in rows(ledger))
        for orphan in result.orphans:  # whole, renamed copies whose rows never committed
            assert expected[orphan.name] == orphan.read_bytes()
        if hang == "1":
            assert len(result.orphans) == 2 and ids == []
        evidence_check.discard_orphans(ledger, result.orphans)
        assert evidence_check.startup_cleanup(ledger).clean
        assert len(objects(ledger)) == len({r["sha256"] for r in rows(ledger)})
        assert check_ledger(ledger) == []
    finally:
        ledger.close()


def test_a_nameless_stored_file_gets_its_extension_back_from_its_bytes(tmp_path):
    from docx import Document
    from openpyxl import Workbook
    from desktop_app.store.evidence_files import guess_suffix
    Document().save(tmp_path / "a")
    Workbook().save(tmp_path / "b")
    (tmp_path / "c").write_bytes(b"%PDF-1.7 ...")
    (tmp_path / "d").write_bytes(b"plain words")
    assert [guess_suffix(tmp_path / n) for n in "abcd"] == [".docx", ".xlsx", ".pdf", ""]
