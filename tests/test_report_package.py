"""上报包 and 汇总: a township's package merged into a county ledger, re-merged, refused, undone."""

import copy
import hashlib
import json
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest

from conftest import SAMPLE_LEDGER
from desktop_app.cli import main
from desktop_app.jobs import finish
from desktop_app.store import progress, seeds
from desktop_app.store.changes import RowRange
from desktop_app.store.integrity import check_connection
from desktop_app.store.ledger import Ledger
from desktop_app.store.merge import apply, check_packages, close_checked, merge_files, prepare
from desktop_app.store.report_package import (MANIFEST, SNAPSHOT, PackageOptions, PackageRefused,
                                              open_package, write_package)
from desktop_app.store.statistics import statistics
from desktop_app.store.summary import summarize
from file_damage import dump


def township(tmp_path, org: str) -> Path:
    path = tmp_path / f"{org}.db"
    data = copy.deepcopy(SAMPLE_LEDGER)
    data["inspections"][0]["org"] = org
    ledger = Ledger.create(path)
    try:
        seeds.fill(ledger, data)
    finally:
        ledger.close()
    return path


def package(db: Path, out: Path, period: str = "2024-06-30", **options) -> Path:
    ledger = Ledger.open(db, read_only=True)
    try:
        org = ledger.inspections()[0]["org"]
        finish(write_package(ledger, out, PackageOptions(org, date.fromisoformat(period), **options)))
    finally:
        ledger.close()
    return out


def county(tmp_path) -> Path:
    path = tmp_path / "县汇总.db"
    Ledger.create(path).close()
    return path


def merged(county_path: Path, *packages: Path, dry_run: bool = False):
    ledger = Ledger.open(county_path, read_only=dry_run)
    try:
        return merge_files(ledger, packages, dry_run)
    finally:
        ledger.close()


def merge(ledger: Ledger, checked):
    """prepare, then apply, on one connection (the window runs them on two workers)."""
    prepared = finish(prepare(ledger, checked))
    try:
        return finish(apply(ledger, prepared))
    finally:
        prepared.close()


def problem_of(ledger: Ledger, code: str, org: str) -> dict:
    return dict(next(ledger.db.query(
        "SELECT p.* FROM problems p JOIN categories c ON c.id = p.category_id"
        " JOIN inspections i ON i.id = c.inspection_id WHERE p.code = ? AND i.org = ?",
        [code, org])))


def edit(path: Path, change) -> None:
    """change(ledger) on the ledger file at path, opened for writing and closed again."""
    ledger = Ledger.open(path)
    try:
        change(ledger)
    finally:
        ledger.close()


def set_field(path: Path, code: str, **fields) -> None:
    edit(path, lambda ledger: ledger.update("problem", township_problem(ledger, code), **fields))


def township_problem(ledger: Ledger, code: str) -> int:
    return ledger.db.execute("SELECT id FROM problems WHERE code = ?", [code]).fetchone()[0]


def test_package_then_merge_keeps_orgs_apart_and_counts_by_org(tmp_path):
    east = package(township(tmp_path, "东镇"), tmp_path / "东镇.sbb")
    west = package(township(tmp_path, "西镇"), tmp_path / "西镇.sbb")
    target = county(tmp_path)

    result = merged(target, east, west)

    assert result.applied and not result.conflicts
    assert [(p.org, p.period, p.problems, p.added, p.refused) for p in result.packages] == [
        ("东镇", "2024-06-30", 5, 5, None), ("西镇", "2024-06-30", 5, 5, None)]
    ledger = Ledger.open(target, read_only=True)
    try:
        summary = summarize(ledger)
        stats = statistics(ledger, as_of=date(2024, 6, 30))
        inspections = ledger.inspections()
        measures = ledger.db.execute("SELECT count(*) FROM measures").fetchone()[0]
    finally:
        ledger.close()
    assert summary["by_org"] == [{"org": "东镇", "inspections": 1, "problems": 5},
                                 {"org": "西镇", "inspections": 1, "problems": 5}]
    assert [(o.org, o.problems, o.finished) for o in stats.by_org] == [("东镇", 5, 1), ("西镇", 5, 1)]
    assert [i["org"] for i in inspections] == ["东镇", "西镇"]
    assert measures == 2 * 8  # every measure came along, under its own org's problem


def test_the_package_leaves_the_township_s_row_digests_at_home_and_the_county_digests_its_own(
        tmp_path):
    import sqlite3
    sbb = package(township(tmp_path, "东镇"), tmp_path / "东镇.sbb")
    with zipfile.ZipFile(sbb) as archive:
        (tmp_path / "snapshot.db").write_bytes(archive.read(SNAPSHOT))
    conn = sqlite3.connect(tmp_path / "snapshot.db")
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    keys = {r[0] for r in conn.execute("SELECT key FROM meta")}
    conn.close()
    assert "row_digests" not in tables and "row_digests" not in keys and "problems" in tables

    target = county(tmp_path)
    assert merged(target, sbb).applied
    ledger = Ledger.open(target, read_only=True)
    try:
        digested = ledger.db.execute("SELECT count(*) FROM row_digests WHERE tbl = 'problems'").fetchone()[0]
        assert digested == 5 and check_connection(ledger.db.conn) == []
    finally:
        ledger.close()


def test_a_newer_package_replaces_the_snapshot_and_says_what_moved(tmp_path):
    db = township(tmp_path, "东镇")
    first = package(db, tmp_path / "6月.sbb", "2024-06-30")
    target = county(tmp_path)
    merged(target, first)

    ledger = Ledger.open(db)
    try:
        ledger.update("problem", township_problem(ledger, "问题编号五"), status="整改中")
        progress.add_report(ledger, township_problem(ledger, "问题编号四"), "2024-07-15", "二期主体完工。")
        category = ledger.db.execute("SELECT category_id FROM problems WHERE code = '问题编号一'").fetchone()[0]
        ledger.add_problem(category, code="问题编号六", description="新发现的问题。")
        ledger.delete("problem", township_problem(ledger, "问题编号二"))
    finally:
        ledger.close()
    second = package(db, tmp_path / "7月.sbb", "2024-07-31")

    preview = merged(target, second, dry_run=True)
    before = dump(target)
    result = merged(target, second)

    outcome = result.packages[0]
    assert (outcome.problems, outcome.added, outcome.removed) == (5, 1, 1)
    assert (outcome.updated, outcome.unchanged) == (2, 2)  # 四 (new report) and 五 (status)
    assert outcome.new_reports == 1
    assert outcome.status_changes == [{"problem": "问题编号五", "from": "未启动", "to": "整改中"}]
    assert preview.to_json()["packages"] == result.to_json()["packages"] and not preview.applied
    assert before != dump(target)
    ledger = Ledger.open(target, read_only=True)
    try:
        codes = [r[0] for r in ledger.db.execute("SELECT code FROM problems ORDER BY code")]
        reports = ledger.db.execute("SELECT text FROM progress_reports").fetchall()
    finally:
        ledger.close()
    assert codes == ["问题编号一", "问题编号三", "问题编号五", "问题编号六", "问题编号四"]
    assert reports == [("二期主体完工。",)]


def test_an_identical_or_older_package_changes_nothing_and_says_so(tmp_path):
    db = township(tmp_path, "东镇")
    older = package(db, tmp_path / "6月.sbb", "2024-06-30")
    newer = package(db, tmp_path / "7月.sbb", "2024-07-31")
    target = county(tmp_path)
    merged(target, newer)
    before = target.read_bytes()

    again = merged(target, newer)
    old = merged(target, older)

    assert not again.applied and not old.applied
    assert "相同" in again.packages[0].note and again.packages[0].unchanged == 5
    assert "旧" in old.packages[0].note and old.packages[0].added == 0
    assert target.read_bytes() == before


def rewrite(source: Path, target: Path, change) -> Path:
    """A copy of the package with change(name, data) -> data applied to each member (None drops it)."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for name in src.namelist():
            data = change(name, src.read(name))
            if data is not None:
                dst.writestr(name, data)
    return target


def tampered_snapshot(name, data):
    if name != SNAPSHOT:
        return data
    return data.replace("青山河".encode(), "清水河".encode())


def newer_version(name, data):
    if name != MANIFEST:
        return data
    manifest = json.loads(data)
    manifest["app_version"] = "99.0.0"
    return json.dumps(manifest, ensure_ascii=False)


def newer_format(name, data):
    if name != MANIFEST:
        return data
    manifest = json.loads(data)
    manifest["format_version"] = 2
    return json.dumps(manifest, ensure_ascii=False)


@pytest.mark.parametrize("damage, reason", [
    ("tampered", "校验值与清单不符"),
    ("missing part", "缺少清单里列出的部分"),
    ("truncated", "文件不完整"),
    ("renamed ledger", "这是一个台账文件（.db），不是上报包"),
    ("newer app", "更新版本"),
    ("newer format", "更新版本"),
])
def test_a_damaged_or_foreign_package_is_refused_and_the_county_ledger_untouched(
        tmp_path, damage, reason):
    db = township(tmp_path, "东镇")
    good = package(db, tmp_path / "东镇.sbb")
    bad = tmp_path / "坏.sbb"
    if damage == "tampered":
        rewrite(good, bad, tampered_snapshot)
    elif damage == "missing part":
        rewrite(good, bad, lambda name, data: None if name == SNAPSHOT else data)
    elif damage == "truncated":
        bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif damage == "renamed ledger":
        shutil.copyfile(db, bad)
    elif damage == "newer app":
        rewrite(good, bad, newer_version)
    else:
        rewrite(good, bad, newer_format)
    target = county(tmp_path)
    before = hashlib.sha256(target.read_bytes()).hexdigest()

    result = merged(target, bad)

    assert not result.applied
    assert reason in result.packages[0].refused and "坏.sbb" in result.packages[0].refused
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before
    with pytest.raises(PackageRefused):
        open_package(bad)


def test_the_county_remark_survives_re_merges_and_a_clash_is_a_conflict(tmp_path):
    db = township(tmp_path, "东镇")
    target = county(tmp_path)
    merged(target, package(db, tmp_path / "6月.sbb", "2024-06-30"))
    for code, remark in (("问题编号一", "县复核：材料齐全"), ("问题编号三", "县复核：需补现场照片")):
        edit(target, lambda ledger: ledger.update("problem", problem_of(ledger, code, "东镇")["id"],
                                                  remarks=remark))

    set_field(db, "问题编号一", completion="已召开专题会议3次。")
    set_field(db, "问题编号三", remarks="镇里：已补照片")
    result = merged(target, package(db, tmp_path / "7月.sbb", "2024-07-31"))

    assert result.conflicts == [{"org": "东镇", "problem": "问题编号三", "field": "备注",
                                 "county": "县复核：需补现场照片", "township": "镇里：已补照片",
                                 "township_before": ""}]
    set_field(db, "问题编号四", status="整改中")
    third = merged(target, package(db, tmp_path / "8月.sbb", "2024-08-31"))

    assert third.conflicts == []  # the township did not touch the 备注 again
    ledger = Ledger.open(target, read_only=True)
    try:
        one, three = problem_of(ledger, "问题编号一", "东镇"), problem_of(ledger, "问题编号三", "东镇")
    finally:
        ledger.close()
    assert (one["remarks"], one["completion"]) == ("县复核：材料齐全", "已召开专题会议3次。")
    assert three["remarks"] == "县复核：需补现场照片"


def test_a_township_remark_flows_up_when_the_county_wrote_none(tmp_path):
    db = township(tmp_path, "东镇")
    target = county(tmp_path)
    merged(target, package(db, tmp_path / "6月.sbb", "2024-06-30"))
    set_field(db, "问题编号三", remarks="镇里：已补照片")
    result = merged(target, package(db, tmp_path / "7月.sbb", "2024-07-31"))

    ledger = Ledger.open(target, read_only=True)
    try:
        assert problem_of(ledger, "问题编号三", "东镇")["remarks"] == "镇里：已补照片"
    finally:
        ledger.close()
    assert result.conflicts == [] and result.packages[0].updated == 1


def test_one_merge_is_one_transaction_and_rolling_it_back_restores_the_ledger(tmp_path):
    packages = [package(township(tmp_path, org), tmp_path / f"{org}.sbb") for org in ("东镇", "西镇")]
    target = county(tmp_path)
    before = dump(target, without_audit_head=False)
    ledger = Ledger.open(target)
    statements = []
    checked = finish(check_packages(packages))
    try:
        ledger.db.conn.set_trace_callback(statements.append)
        result = merge(ledger, checked)
        ledger.db.conn.set_trace_callback(None)
        assert result.applied
        writes = [s for s in statements if s.split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
        begins = [i for i, s in enumerate(statements) if s.strip().upper().startswith("BEGIN")]
        commits = [i for i, s in enumerate(statements) if s.strip().upper() == "COMMIT"]
        assert len(begins) == 1 and len(commits) == 1
        assert all(begins[0] < statements.index(s) < commits[0] for s in writes)

        # The same merge inside an outer transaction that is then rolled back (as undo of a
        # change set replays it) leaves every row as it was.
        ledger.db.conn.execute("DELETE FROM merge_sources")
        ledger.db.conn.commit()
        with pytest.raises(RuntimeError):
            with ledger.writing():
                merge(ledger, checked)
                raise RuntimeError("undo")
    finally:
        close_checked(checked)
        ledger.close()
    after_rollback = dump(target, without_audit_head=False)
    assert after_rollback["problems"] and after_rollback["merge_sources"] == []
    assert before["problems"] == []


def merged_beside(target: Path, sbb: Path) -> None:
    """A merge on a second connection to a ledger this test holds open."""
    beside = Ledger.open_beside(target)
    try:
        assert merge_files(beside, [sbb]).applied
    finally:
        beside.close()


def test_a_merge_staged_before_the_county_changed_is_staged_again_not_doubled(tmp_path):
    east = package(township(tmp_path, "东镇"), tmp_path / "东镇.sbb")
    target = county(tmp_path)
    ledger = Ledger.open(target)
    checked = finish(check_packages([east]))
    try:
        prepared = finish(prepare(ledger, checked))
        assert [(p.org, p.added) for p in prepared.outcomes] == [("东镇", 5)] and not prepared.stale()
        merged_beside(target, east)  # while the clerk looks at the preview, from elsewhere
        assert prepared.stale()
        with ledger.change("汇总上报包", "东镇.sbb"):  # as the window's worker applies it
            result = finish(apply(ledger, prepared))
        prepared.close()
        problems = ledger.db.execute("SELECT count(*) FROM problems").fetchone()[0]
    finally:
        close_checked(checked)
        ledger.close()
    assert not result.applied and problems == 5
    assert "与上次汇总的上报包" in result.packages[0].note


def test_a_merge_staged_before_another_org_came_in_takes_ids_above_it(tmp_path):
    east = package(township(tmp_path, "东镇"), tmp_path / "东镇.sbb")
    west = package(township(tmp_path, "西镇"), tmp_path / "西镇.sbb")
    target = county(tmp_path)
    ledger = Ledger.open(target)
    checked = finish(check_packages([west]))
    try:
        prepared = finish(prepare(ledger, checked))
        merged_beside(target, east)  # 东镇 takes the ids 西镇 was staged at
        with ledger.change("汇总上报包", "西镇.sbb"):
            result = finish(apply(ledger, prepared))
        prepared.close()
        orgs = [i["org"] for i in ledger.inspections()]
        problems = ledger.db.execute("SELECT count(*) FROM problems").fetchone()[0]
        assert check_connection(ledger.db.conn) == []
    finally:
        close_checked(checked)
        ledger.close()
    assert result.applied and orgs == ["东镇", "西镇"] and problems == 10


def test_evidence_travels_in_the_package(tmp_path):
    from desktop_app.store import evidence, evidence_attach
    db = township(tmp_path, "东镇")
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + b"photo" * 1000)
    ledger = Ledger.open(db)
    try:
        finish(evidence_attach.attach_files(ledger, township_problem(ledger, "问题编号四"), [photo]))
    finally:
        ledger.close()
    sbb = package(db, tmp_path / "东镇.sbb", with_evidence=True)
    target = county(tmp_path)

    merged(target, sbb)

    ledger = Ledger.open(target, read_only=True)
    try:
        row = next(ledger.db.query("SELECT * FROM evidence"))
        stored = evidence.file_path(ledger, row)
    finally:
        ledger.close()
    assert stored.read_bytes() == photo.read_bytes()


def test_command_line_package_and_merge_json(tmp_path, capsys):
    db = township(tmp_path, "东镇")
    out = tmp_path / "东镇.sbb"
    assert main(["package", "--db", str(db), "--out", str(out), "--period", "2024-06-30"]) == 0
    target = county(tmp_path)
    capsys.readouterr()

    assert main(["merge", "--db", str(target), str(tmp_path), "--json"]) == 0

    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["packages", "conflicts", "applied"]
    entry = data["packages"][0]
    assert {k: entry[k] for k in ("file", "org", "period", "problems", "added", "updated",
                                  "unchanged", "removed", "refused")} == {
        "file": "东镇.sbb", "org": "东镇", "period": "2024-06-30", "problems": 5, "added": 5,
        "updated": 0, "unchanged": 0, "removed": 0, "refused": None}
    assert data["applied"] is True
    backups = list((tmp_path / "县汇总-备份").glob("*汇总前*"))
    assert len(backups) == 1

    # The same package again changes nothing: no second backup.
    assert main(["merge", "--db", str(target), str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["applied"] is False
    assert list((tmp_path / "县汇总-备份").glob("*汇总前*")) == backups


def test_command_line_package_without_an_org_says_how(tmp_path, capsys):
    db = township(tmp_path, "")
    assert main(["package", "--db", str(db), "--out", str(tmp_path / "x.sbb")]) == 2
    assert "--org" in capsys.readouterr().err
    assert not (tmp_path / "x.sbb").exists()


def test_the_excel_export_of_a_merged_ledger_has_a_summary_and_a_sheet_per_org(tmp_path):
    from openpyxl import load_workbook

    from desktop_app.formats.exporting.ledger_xlsx import export_ledger_file
    east = township(tmp_path, "东镇")
    ledger = Ledger.open(east)
    try:  # a second inspection: the org's sheet holds both, each under its own name
        second = ledger.add_inspection("省级生态环境保护督察", "省级", org="东镇")
        category = ledger.add_category(second, "大气污染防治方面")
        ledger.add_problem(category, code="省1", description="砖厂扬尘。", deadline_text="2024年6月底前")
    finally:
        ledger.close()
    target = county(tmp_path)
    merged(target, package(east, tmp_path / "东镇.sbb"), package(township(tmp_path, "西镇"), tmp_path / "西镇.sbb"))
    ledger = Ledger.open(target, read_only=True)
    try:
        result = export_ledger_file(ledger, tmp_path / "县汇总.xlsx")
    finally:
        ledger.close()

    workbook = load_workbook(result.path)
    assert [ws.title for ws in workbook.worksheets if ws.sheet_state == "visible"] == [
        "汇总", "东镇", "西镇", "统计"]
    summary = list(workbook["汇总"].iter_rows(min_row=3, values_only=True))
    assert summary[0][:3] == ("乡镇/单位", "督察批次", "问题数")
    assert [row[:3] for row in summary[1:]] == [("东镇", 2, 6), ("西镇", 1, 5), ("合计", 3, 11)]
    assert summary[1][-1] == "见“东镇”表"
    east_sheet = [row[:2] for row in workbook["东镇"].iter_rows(values_only=True)]
    assert east_sheet[0][0] == "东镇督察反馈意见整改任务清单"
    headings = [row[0] for row in east_sheet if isinstance(row[0], str) and "（" in row[0] and "项）" in row[0]]
    assert headings == ["第二轮中央生态环境保护督察（2大类5项）", "省级生态环境保护督察（1大类1项）"]
    assert result.sheets == ["东镇", "东镇", "西镇"]


def test_a_newer_package_and_a_first_one_in_one_merge_keep_their_rows_apart(tmp_path):
    east_db = township(tmp_path, "东镇")
    target = county(tmp_path)
    merged(target, package(east_db, tmp_path / "东镇6月.sbb", "2024-06-30"))
    ledger = Ledger.open(east_db)
    try:
        category = ledger.db.execute("SELECT category_id FROM problems WHERE code = '问题编号四'").fetchone()[0]
        ledger.add_problem(category, code="问题编号六", measures=["新措施。"])
    finally:
        ledger.close()

    result = merged(target, package(east_db, tmp_path / "东镇7月.sbb", "2024-07-31"),
                    package(township(tmp_path, "西镇"), tmp_path / "西镇.sbb"))

    assert [(p.org, p.added, p.unchanged) for p in result.packages] == [("东镇", 1, 5), ("西镇", 5, 0)]
    ledger = Ledger.open(target, read_only=True)
    try:
        assert ledger.db.execute("PRAGMA foreign_key_check").fetchall() == []
        per_org = ledger.db.execute(
            "SELECT i.org, count(DISTINCT p.id), count(m.id) FROM problems p"
            " JOIN categories c ON c.id = p.category_id JOIN inspections i ON i.id = c.inspection_id"
            " LEFT JOIN measures m ON m.problem_id = p.id GROUP BY i.org ORDER BY i.org").fetchall()
        new, four = problem_of(ledger, "问题编号六", "东镇"), problem_of(ledger, "问题编号四", "东镇")
    finally:
        ledger.close()
    assert per_org == [("东镇", 6, 9), ("西镇", 5, 8)]
    assert new["category_id"] == four["category_id"]


def test_cancelling_the_packaging_leaves_no_file(tmp_path):
    from desktop_app.store import evidence_attach
    db = township(tmp_path, "东镇")
    photos = []
    for n in range(3):
        photos.append(tmp_path / f"现场{n}.jpg")
        photos[-1].write_bytes(b"\xff\xd8\xff" + bytes([n]) * 5000)
    edit(db, lambda ledger: finish(evidence_attach.attach_files(ledger, township_problem(ledger, "问题编号一"), photos)))
    out = tmp_path / "东镇.sbb"
    ledger = Ledger.open(db, read_only=True)
    try:
        steps = write_package(ledger, out, PackageOptions("东镇", date(2024, 6, 30), with_evidence=True))
        first = next(steps)
        next(steps)
        assert "1/3" in next(steps).message  # packing the evidence, into a temporary file
        assert (tmp_path / "东镇.sbb.part").exists()
        steps.close()  # the window's 取消
    finally:
        ledger.close()

    assert first.message.startswith("预计上报包大小约") and "其中佐证材料" in first.message
    assert sorted(p.name for p in tmp_path.iterdir() if "sbb" in p.name) == []


def test_command_line_dry_run_changes_nothing(tmp_path, capsys):
    sbb = package(township(tmp_path, "东镇"), tmp_path / "东镇.sbb")
    target = county(tmp_path)
    before = target.read_bytes()

    assert main(["merge", "--db", str(target), str(sbb), "--dry-run"]) == 0

    out = capsys.readouterr().out
    assert "将新增5个" in out and "（预览：台账没有改动）" in out
    assert target.read_bytes() == before


def test_a_version_1_ledger_gains_the_merge_tables_when_opened(tmp_path):
    import sqlite3
    path = township(tmp_path, "东镇")
    conn = sqlite3.connect(path)
    for table in ("merge_sources", "merged_rows", "merged_ranges", "row_digests", "rechecks",
                  "links", "supervisions", "accountable_persons", "accountable_units",
                  "accountability_cases"):
        conn.execute(f"DROP TABLE {table}")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()

    ledger = Ledger.open(path)
    try:
        tables = {r[0] for r in ledger.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        problems = ledger.db.execute("SELECT count(*) FROM problems").fetchone()[0]
    finally:
        ledger.close()
    assert {"merge_sources", "merged_rows", "merged_ranges"} <= tables and problems == 5


def test_the_history_lists_each_merged_package(tmp_path):
    from desktop_app.store.history import audit_entries
    target = county(tmp_path)
    merged(target, package(township(tmp_path, "东镇"), tmp_path / "东镇.sbb"))
    ledger = Ledger.open(target, read_only=True)
    try:
        entries = [e for e in audit_entries(ledger.db.conn) if e["entity"] == "report_package"]
    finally:
        ledger.close()
    assert [(e["action_label"], e["entity_label"], e["new_text"]) for e in entries] == [
        ("汇总", "上报包", "东镇（截至2024-06-30，东镇.sbb）：新增5个，更新0个，移除0个")]


def test_a_report_the_county_added_on_a_merged_problem_stays_across_re_merges(tmp_path):
    db = township(tmp_path, "东镇")
    target = county(tmp_path)
    merged(target, package(db, tmp_path / "6月.sbb", "2024-06-30"))
    edit(target, lambda ledger: progress.add_report(
        ledger, problem_of(ledger, "问题编号四", "东镇")["id"], "2024-07-05", "县督查室现场复核：主体已完工。",
        "县督查室"))
    set_field(db, "问题编号四", status="整改中")

    result = merged(target, package(db, tmp_path / "7月.sbb", "2024-07-31"))

    assert result.packages[0].status_changes == [{"problem": "问题编号四", "from": "未启动", "to": "整改中"}]
    ledger = Ledger.open(target, read_only=True)
    try:
        reports = ledger.db.execute("SELECT reporter, text FROM progress_reports").fetchall()
    finally:
        ledger.close()
    assert reports == [("县督查室", "县督查室现场复核：主体已完工。")]


def test_a_merge_through_the_window_is_one_undo_step_that_restores_the_county_ledger(
        qtbot, tmp_path):
    from desktop_app.ui.document import LedgerDocument
    from test_store import dump as content
    target = county(tmp_path)
    merged(target, package(township(tmp_path, "东镇"), tmp_path / "东镇.sbb"))
    second = package(township(tmp_path, "西镇"), tmp_path / "西镇.sbb")
    ledger = Ledger.open(target)
    document = LedgerDocument(ledger)
    try:
        before = content(ledger, with_audit=False)
        checked = finish(check_packages([second]))
        try:
            result = document.run_change("汇总上报包", lambda: merge(ledger, checked),
                                         source="西镇.sbb")
        finally:
            close_checked(checked)
        assert result.packages[0].added > 0
        after = content(ledger, with_audit=False)
        # The new org's rows went in as ranges (store.bulk): their digests and the audit chain
        # check, after the merge and after each replay.
        assert any(isinstance(r, RowRange) for r in ledger.last_change.rows)
        assert check_connection(ledger.db.conn) == []
        assert document.undo_stack.count() == 1
        assert document.undo()
        assert content(ledger, with_audit=False) == before
        assert check_connection(ledger.db.conn) == []
        assert document.redo()
        assert content(ledger, with_audit=False) == after
        assert check_connection(ledger.db.conn) == []
    finally:
        document.deleteLater()
        ledger.close()
