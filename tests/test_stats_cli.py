"""`python -m desktop_app stats`: the contract county IT scripts rely on, run as they run it."""

import json
import subprocess
import sys

import pytest

from follow_up_helpers import LEVELS_004, OUTCOMES_004, fill_004
from report_ledgers import SEED_003_DATE, SEED_004_DATE, build_003, build_004

KEYS = ["problems", "categories", "by_term", "by_status", "by_schedule", "by_category",
        "petitions", "rechecks", "links", "supervision", "accountability", "summary_text",
        "by_org"]


def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "desktop_app", *args], cwd=cwd,
                          capture_output=True, timeout=60)


def text(stream: bytes) -> str:
    return stream.decode("utf-8")


@pytest.fixture
def seeds_file(ledger, ledger_path):
    build_004(ledger)
    build_003(ledger)
    ledger.close()
    return ledger_path


def test_json_of_one_inspection(seeds_file, tmp_path):
    result = run("stats", "--db", str(seeds_file), "--inspection", "第二轮中央生态环境保护督察",
                 "--date", SEED_003_DATE, "--json", cwd=tmp_path)
    assert result.returncode == 0, text(result.stderr)
    data = json.loads(text(result.stdout))
    assert list(data) == KEYS
    assert data["problems"] == 99 and data["categories"] == 2
    assert data["by_term"] == {"限期整改": 64, "长期坚持": 35, "立行立改": 0}
    assert data["by_status"] == {"未启动": 0, "整改中": 49, "已完成": 0, "销号中": 4, "已销号": 46}
    assert data["by_schedule"] == {"已完成": 50, "达到时序进度": 49, "滞后": 0, "逾期": 0}
    assert data["by_category"] == [{"title": "限期整改问题", "problems": 64, "finished": 50},
                                   {"title": "长期坚持问题", "problems": 35, "finished": 0}]
    assert data["petitions"] == {"received": 102, "concluded": 102, "signed_off": 101}
    assert data["summary_text"].startswith(
        "截至2024年4月30日，青山县梳理形成的99项问题，50项已完成整改，49项达到时序进度要求。")
    assert data["summary_text"].endswith("交办信访件共102件，已办结102件，销号101件。")


def test_json_of_the_other_inspection(seeds_file, tmp_path):
    result = run("stats", "--db", str(seeds_file), "--inspection", "中央生态环境保护督察“回头看”",
                 "--date", SEED_004_DATE, "--json", cwd=tmp_path)
    assert result.returncode == 0, text(result.stderr)
    data = json.loads(text(result.stdout))
    assert [c["problems"] for c in data["by_category"]] == [8, 11, 6, 4, 5, 3, 5]
    assert "贵州省梳理形成的42项问题，30项已完成整改，12项达到时序进度要求" in data["summary_text"]
    assert data["petitions"] == {"received": 0, "concluded": 0, "signed_off": 0}


def test_text_of_all_inspections(seeds_file, tmp_path):
    result = run("stats", "--db", str(seeds_file), "--date", SEED_003_DATE, cwd=tmp_path)
    assert result.returncode == 0, text(result.stderr)
    out = text(result.stdout).splitlines()
    assert out[0].startswith("截至2024年4月30日，梳理形成的141项问题，")
    assert out[1] == ""
    assert "问题：141项（9大类）" in out
    assert "整改类型：限期整改100项，长期坚持41项，立行立改0项" in out
    assert "  思想认识类问题：8项，已完成8项" in out
    assert out[-1] == "信访件：交办102件，办结102件，销号101件"


def test_date_defaults_to_today(seeds_file, tmp_path):
    result = run("stats", "--db", str(seeds_file), "--json", cwd=tmp_path)
    assert result.returncode == 0, text(result.stderr)
    assert json.loads(text(result.stdout))["problems"] == 141


def test_unknown_inspection(seeds_file, tmp_path):
    result = run("stats", "--db", str(seeds_file), "--inspection", "没有这个批次", cwd=tmp_path)
    assert result.returncode == 2
    error = text(result.stderr)
    assert "“没有这个批次”不是台账里的督察批次" in error and "第二轮中央生态环境保护督察" in error
    assert result.stdout == b""


def test_bad_date(seeds_file, tmp_path):
    result = run("stats", "--db", str(seeds_file), "--date", "2024-02-30", cwd=tmp_path)
    assert result.returncode == 2
    assert "“2024-02-30”不是有效日期" in text(result.stderr)


def test_missing_file(tmp_path):
    result = run("stats", "--db", str(tmp_path / "无.db"), cwd=tmp_path)
    assert result.returncode == 2
    assert "找不到台账文件" in text(result.stderr)


def test_empty_ledger(ledger_path, tmp_path):
    result = run("stats", "--db", str(ledger_path), "--date", "2024-01-01", "--json", cwd=tmp_path)
    assert result.returncode == 0, text(result.stderr)
    data = json.loads(text(result.stdout))
    assert data["problems"] == 0 and data["by_category"] == []
    assert data["summary_text"] == "截至2024年1月1日，尚无督察反馈问题。"


def test_inspection_matched_as_notice_matches_it(seeds_file, tmp_path):
    """A part of the name that only one inspection has is enough; one that several have is not."""
    whole = run("stats", "--db", str(seeds_file), "--inspection", "第二轮中央生态环境保护督察",
                "--date", SEED_003_DATE, "--json", cwd=tmp_path)
    part = run("stats", "--db", str(seeds_file), "--inspection", "第二轮",
               "--date", SEED_003_DATE, "--json", cwd=tmp_path)
    assert part.returncode == 0, text(part.stderr)
    assert json.loads(text(part.stdout)) == json.loads(text(whole.stdout))
    several = run("stats", "--db", str(seeds_file), "--inspection", "督察", cwd=tmp_path)
    assert several.returncode == 2 and "对应多个" in text(several.stderr)


def test_004_accountability_and_supervision_figures(ledger, ledger_path, tmp_path):
    fill_004(ledger, build_004(ledger))
    ledger.close()
    result = run("stats", "--db", str(ledger_path), "--date", SEED_004_DATE, "--json", cwd=tmp_path)
    assert result.returncode == 0, text(result.stderr)
    data = json.loads(text(result.stdout))
    assert data["accountability"] == {"orgs": 19, "people": 81,
                                      "by_level": {**LEVELS_004, "其他": 0},
                                      "by_outcome": OUTCOMES_004}
    assert data["supervision"] == {"函告": 14, "通报": 2, "约谈": 3, "挂牌督办": 0, "区域限批": 0,
                                   "公开曝光": 0, "移交问责": 0}
    assert data["links"] == {"fed_back": 42, "distinct": 42}
    assert data["rechecks"]["planned"] == 0
    out = text(run("stats", "--db", str(ledger_path), "--date", SEED_004_DATE, cwd=tmp_path).stdout)
    assert "督办：函告14次，通报2次，约谈3次" in out
    assert "责任追究：19个党组织或单位，81名责任人员（厅级11人，处级37人，科级及以下33人，其他0人）" in out
