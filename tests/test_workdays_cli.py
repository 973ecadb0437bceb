"""`python -m desktop_app workdays`: the 公示期 twin scripts rely on, run as they run it.

The date (or the count) is the first line on stdout; a warning about a year without 放假安排
goes to stderr, so `head -1` of stdout is always the answer.
"""

import subprocess
import sys
from datetime import date, timedelta

import pytest

from desktop_app.cli import main
from desktop_app.domain.workdays import OFFICIAL_YEARS
from desktop_app.store import holidays
from desktop_app.store.ledger import Ledger

UNKNOWN = OFFICIAL_YEARS.stop  # the first year without official data


def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "desktop_app", "workdays", *args], cwd=cwd,
                          capture_output=True, timeout=60)


def text(stream: bytes) -> str:
    return stream.decode("utf-8")


def first_monday(year, month):
    day = date(year, month, 1)
    return day + timedelta((0 - day.weekday()) % 7)


def test_seed_002_end_of_ten_working_days(tmp_path):
    result = run("--start", "2023-10-13", "--days", "10", cwd=tmp_path)
    assert result.returncode == 0, text(result.stderr)
    assert text(result.stdout) == "2023-10-26\n"
    assert text(result.stderr) == ""


@pytest.mark.parametrize("start, end, count", [
    ("2023-10-12", "2023-10-17", "4"),  # seed 000: （共五天）
    ("2023-10-13", "2023-10-24", "8"),  # seed 002: 共10个工作日
    ("2024-02-04", "2024-02-18", "7"),  # 春节 2024 with both 调休 Sundays
])
def test_count_between_two_dates(tmp_path, start, end, count):
    result = run("--start", start, "--end", end, cwd=tmp_path)
    assert result.returncode == 0, text(result.stderr)
    assert text(result.stdout) == count + "\n"


def test_unknown_year_prints_the_date_first_and_warns_on_stderr(tmp_path):
    monday = first_monday(UNKNOWN, 3)
    result = run("--start", monday.isoformat(), "--days", "5", cwd=tmp_path)
    assert result.returncode == 0
    assert text(result.stdout).splitlines() == [(monday + timedelta(4)).isoformat()]
    assert text(result.stderr).strip() == (
        f"警告：{UNKNOWN}年的法定节假日安排还没有录入，已按周一至周五计算；"
        "请在“设置→节假日安排”中录入当年的放假安排。")


def test_db_adds_the_clerks_holidays(tmp_path):
    monday = first_monday(UNKNOWN, 3)
    path = tmp_path / "台账.db"
    ledger = Ledger.create(path)
    try:
        holidays.set_day(ledger, monday + timedelta(1), False, "测试假日")
    finally:
        ledger.close()
    before = path.read_bytes()
    result = run("--start", monday.isoformat(), "--days", "5", "--db", str(path), cwd=tmp_path)
    assert result.returncode == 0, text(result.stderr)
    assert text(result.stdout) == (monday + timedelta(7)).isoformat() + "\n"  # next Monday
    assert text(result.stderr) == ""  # the year is entered: no warning
    count = run("--start", monday.isoformat(), "--end", (monday + timedelta(4)).isoformat(),
                "--db", str(path), cwd=tmp_path)
    assert text(count.stdout) == "4\n"
    assert path.read_bytes() == before  # read-only


def _assert_clean_failure(result, *words):
    assert result.returncode == 2
    err = text(result.stderr)
    assert "Traceback" not in err
    assert text(result.stdout) == ""
    for word in words:
        assert word in err, err


@pytest.mark.parametrize("args, words", [
    (["--start", "2023-02-30", "--days", "10"], ["“2023-02-30”不是有效日期", "YYYY-MM-DD"]),
    (["--start", "2023年10月13日", "--days", "10"], ["不是有效日期"]),
    (["--start", "2023-10-13", "--end", "10/24"], ["“10/24”不是有效日期"]),
    (["--start", "2023-10-24", "--end", "2023-10-13"], ["早于开始日期"]),
    (["--start", "2023-10-13", "--days", "十"], ["正整数"]),
    (["--start", "2023-10-13", "--days", "0"], ["正整数"]),
    (["--start", "2023-10-13"], ["--days", "--end"]),
    (["--start", "2023-10-13", "--days", "3", "--end", "2023-10-20"], ["--days", "--end"]),
    (["--days", "3"], ["--start"]),
])
def test_bad_arguments_get_a_chinese_message_and_exit_2(capsys, args, words):
    assert main(["workdays", *args]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("错误：")
    for word in words:
        assert word in err, err


def test_bad_date_from_a_script(tmp_path):
    _assert_clean_failure(run("--start", "2023-13-01", "--days", "3", cwd=tmp_path), "不是有效日期")


def test_missing_ledger(tmp_path):
    result = run("--start", "2023-10-13", "--days", "3", "--db", str(tmp_path / "没有.db"),
                 cwd=tmp_path)
    _assert_clean_failure(result, "找不到台账文件")


def test_db_before_the_subcommand_is_used_too(tmp_path, capsys):
    monday = first_monday(UNKNOWN, 3)
    path = tmp_path / "台账.db"
    ledger = Ledger.create(path)
    try:
        holidays.set_day(ledger, monday, False, "测试假日")
    finally:
        ledger.close()
    assert main(["--db", str(path), "workdays", "--start", monday.isoformat(), "--days", "1"]) == 0
    assert capsys.readouterr().out == (monday + timedelta(1)).isoformat() + "\n"


def test_help_lists_workdays(tmp_path):
    result = subprocess.run([sys.executable, "-m", "desktop_app", "--help"], cwd=tmp_path,
                            capture_output=True, timeout=60)
    assert "workdays" in text(result.stdout)
