"""`python -m desktop_app attach` and the evidence half of `check`, run as scripts run them."""

import hashlib
import subprocess
import sys

from desktop_app.store import evidence
from desktop_app.store.ledger import Ledger


def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "desktop_app", *args], cwd=cwd,
                          capture_output=True, timeout=60)


def out(stream: bytes) -> str:
    return stream.decode("utf-8")


def evidence_rows(path):
    ledger = Ledger.open(path, read_only=True)
    try:
        return list(ledger.db.query(
            "SELECT e.*, p.code FROM evidence e JOIN problems p ON p.id = e.problem_id ORDER BY e.id"))
    finally:
        ledger.close()


def store(path):
    return path.parent / f"{path.stem}-佐证材料"


def test_attach_by_number_with_caption_kind_and_measure(sample_ledger_file, tmp_path):
    photo = tmp_path / "二期工程现场.jpg"
    photo.write_bytes(b"\xff\xd8photo" * 1000)
    minutes = tmp_path / "专题会议纪要.docx"
    minutes.write_bytes(b"PK minutes")
    result = run("attach", "--db", str(sample_ledger_file), "--problem", "第4项", str(photo),
                 str(minutes), "--caption", "二期工程完工", "--kind", "现场照片", "--measure", "1",
                 "--taken-on", "2022-06-30", cwd=tmp_path)
    assert result.returncode == 0, out(result.stderr)
    rows = evidence_rows(sample_ledger_file)
    assert out(result.stdout).splitlines() == [
        f"已添加 {rows[0]['id']}：二期工程现场.jpg", f"已添加 {rows[1]['id']}：专题会议纪要.docx"]
    assert [(r["code"], r["caption"], r["kind"], r["taken_on"]) for r in rows] == [
        ("问题编号四", "二期工程完工", "现场照片", "2022-06-30")] * 2
    assert all(r["measure_id"] is not None and r["added_by"] for r in rows)
    sha = hashlib.sha256(photo.read_bytes()).hexdigest()
    assert (store(sample_ledger_file) / "objects" / sha[:2] / sha).read_bytes() == photo.read_bytes()
    assert run("check", "--db", str(sample_ledger_file), cwd=tmp_path).returncode == 0


def test_attach_by_id_and_refusals(sample_ledger_file, tmp_path):
    ledger = Ledger.open(sample_ledger_file, read_only=True)
    problem_id = ledger.db.execute("SELECT max(id) FROM problems").fetchone()[0]
    ledger.close()
    paper = tmp_path / "文件.pdf"
    paper.write_bytes(b"%PDF")
    assert run("attach", "--db", str(sample_ledger_file), "--id", str(problem_id), str(paper),
               cwd=tmp_path).returncode == 0
    assert [r["code"] for r in evidence_rows(sample_ledger_file)] == ["问题编号五"]

    missing = run("attach", "--db", str(sample_ledger_file), "--problem", "第1项", str(paper),
                  str(tmp_path / "没有.jpg"), cwd=tmp_path)
    assert missing.returncode == 2 and "找不到要添加的文件" in out(missing.stderr)
    big = tmp_path / "现场视频.mp4"
    big.write_bytes(b"v" * (2 * 1024 * 1024 + 1))
    too_big = run("attach", "--db", str(sample_ledger_file), "--problem", "第1项", str(big),
                  "--max-mb", "2", cwd=tmp_path)
    assert too_big.returncode == 2
    assert "现场视频.mp4" in out(too_big.stderr) and "上限" in out(too_big.stderr)
    no_problem = run("attach", "--db", str(sample_ledger_file), "--problem", "第9项", str(paper),
                     cwd=tmp_path)
    assert no_problem.returncode == 2 and "没有第9项" in out(no_problem.stderr)
    bad_measure = run("attach", "--db", str(sample_ledger_file), "--problem", "第2项", str(paper),
                      "--measure", "5", cwd=tmp_path)
    assert bad_measure.returncode == 2 and "整改措施" in out(bad_measure.stderr)
    assert len(evidence_rows(sample_ledger_file)) == 1  # the refused runs added nothing
    assert sorted(p.name for p in store(sample_ledger_file).rglob("*") if p.is_file()) == [
        hashlib.sha256(b"%PDF").hexdigest()]


def test_check_reports_evidence_by_problem(sample_ledger_file, tmp_path):
    first = tmp_path / "验收报告.pdf"
    first.write_bytes(b"report" * 100)
    second = tmp_path / "整改照片.jpg"
    second.write_bytes(b"photo" * 100)
    run("attach", "--db", str(sample_ledger_file), "--problem", "第1项", str(first), cwd=tmp_path)
    run("attach", "--db", str(sample_ledger_file), "--problem", "第4项", str(second), cwd=tmp_path)
    clean = run("check", "--db", str(sample_ledger_file), cwd=tmp_path)
    assert clean.returncode == 0
    assert out(clean.stdout).strip() == "检查通过：数据库完好，修改记录链完整。"

    rows = evidence_rows(sample_ledger_file)
    ledger = Ledger.open(sample_ledger_file, read_only=True)
    altered = evidence.file_path(ledger, rows[0])
    gone = evidence.file_path(ledger, rows[1])
    ledger.close()
    altered.write_bytes(b"REPORT" * 100)  # same size, another content
    gone.unlink()
    result = run("check", "--db", str(sample_ledger_file), cwd=tmp_path)
    assert result.returncode == 1
    lines = out(result.stdout).splitlines()
    assert lines[0].startswith("问题“问题编号一”") and lines[0].endswith("：")
    assert "验收报告.pdf" in lines[1] and "改动过" in lines[1] and lines[1].startswith("  ")
    assert lines[2].startswith("问题“问题编号四”")
    assert "整改照片.jpg" in lines[3] and "找不到" in lines[3]
    assert len(lines) == 4


def test_help_lists_attach(tmp_path):
    result = run("--help", cwd=tmp_path)
    assert "attach" in out(result.stdout)
    attach_help = run("attach", "--help", cwd=tmp_path)
    assert "--caption" in out(attach_help.stdout) and "--problem 序号 | --id ID" in out(attach_help.stdout)
    for words in (result.stdout, attach_help.stdout):  # argparse's own words too
        assert "用法：" in out(words) and "显示本帮助并退出" in out(words) and "选项" in out(words)
        for english in ("usage:", "options:", "show this help", "positional arguments"):
            assert english not in out(words)
