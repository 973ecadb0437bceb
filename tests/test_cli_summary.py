"""`python -m desktop_app summary`: the contract county IT scripts rely on, run as they run it."""

import json
import subprocess
import sys

import pytest


def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "desktop_app", *args], cwd=cwd,
                          capture_output=True, timeout=60)


def text(stream: bytes) -> str:
    return stream.decode("utf-8")  # the CLI promises UTF-8 whatever the console


def has_chinese(value):
    return any("\u4e00" <= ch <= "\u9fff" for ch in value)


def test_summary_json(sample_ledger_file, tmp_path):
    result = run("summary", "--db", str(sample_ledger_file), "--json", cwd=tmp_path)
    assert result.returncode == 0, text(result.stderr)
    data = json.loads(text(result.stdout))
    assert len(data["inspections"]) == 1
    inspection = data["inspections"][0]
    assert inspection["name"] == "第二轮中央生态环境保护督察"
    assert inspection["categories"] == 2
    assert inspection["problems"] == 5
    assert [(c["title"], c["problems"]) for c in inspection["by_category"]] == [
        ("思想认识还不到位", 3), ("突出生态环境问题整改不力", 2)]


def test_summary_json_lists_every_inspection(sample_ledger, ledger_path, tmp_path):
    other = sample_ledger.add_inspection("省级生态环境保护督察", "省级")
    sample_ledger.add_category(other, "空的大类")
    sample_ledger.close()
    result = run("summary", "--db", str(ledger_path), "--json", cwd=tmp_path)
    assert result.returncode == 0, text(result.stderr)
    inspections = json.loads(text(result.stdout))["inspections"]
    assert [(i["name"], i["categories"], i["problems"]) for i in inspections] == [
        ("第二轮中央生态环境保护督察", 2, 5), ("省级生态环境保护督察", 1, 0)]
    assert [(c["title"], c["problems"]) for c in inspections[1]["by_category"]] == [("空的大类", 0)]


def test_summary_text(sample_ledger_file, tmp_path):
    result = run("summary", "--db", str(sample_ledger_file), cwd=tmp_path)
    assert result.returncode == 0, text(result.stderr)
    out = text(result.stdout)
    assert "第二轮中央生态环境保护督察" in out
    assert "2大类5项" in out
    assert "思想认识还不到位" in out and "3项" in out


def test_summary_does_not_change_the_file(sample_ledger_file, tmp_path):
    before = sample_ledger_file.read_bytes()
    assert run("summary", "--db", str(sample_ledger_file), "--json", cwd=tmp_path).returncode == 0
    assert sample_ledger_file.read_bytes() == before


def _assert_clean_failure(result):
    assert result.returncode != 0
    err = text(result.stderr)
    assert has_chinese(err), err
    assert "Traceback" not in err
    assert text(result.stdout) == ""


def test_missing_file(tmp_path):
    result = run("summary", "--db", str(tmp_path / "没有这个文件.db"), "--json", cwd=tmp_path)
    _assert_clean_failure(result)
    assert "找不到台账文件" in text(result.stderr)


@pytest.mark.parametrize("content", [b"not a ledger at all\n", "一、思想认识\n".encode("utf-8")])
def test_not_a_ledger(tmp_path, content):
    path = tmp_path / "台账.db"
    path.write_bytes(content)
    result = run("summary", "--db", str(path), "--json", cwd=tmp_path)
    _assert_clean_failure(result)
    assert "不是督察整改台账文件" in text(result.stderr)


def test_folder_instead_of_a_file(tmp_path):
    # A script given a folder (a typo, or the ledger's directory) must get a message, not a traceback.
    folder = tmp_path / "台账"
    folder.mkdir()
    _assert_clean_failure(run("summary", "--db", str(folder), cwd=tmp_path))


def test_help_lists_summary(tmp_path):
    result = run("--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "summary" in text(result.stdout)
