"""The summary paragraph: the seeds' sentences from the seeds' figures, and sense when counts are zero."""

from datetime import date

from desktop_app.domain import report_text
from desktop_app.domain.statistics import count
from desktop_app.store import statistics as store

from report_ledgers import SEED_003_DATE, SEED_004_DATE, build_003, build_004


def test_seed_004_sentence(ledger):
    stats = store.statistics(ledger, build_004(ledger), date.fromisoformat(SEED_004_DATE))
    text = report_text.summary_paragraph(stats, subject="贵州省")
    assert text.startswith(
        "截至2020年8月31日，贵州省梳理形成的42项问题，30项已完成整改，12项达到时序进度要求。")
    assert "其中，限期整改36项，长期坚持6项；限期整改问题已完成30项（其中10项已销号，10项正在销号中），" \
           "剩余6项限期整改问题和6项长期坚持问题尚未完成整改。" in text
    assert "信访" not in text  # no petitions registered: no petition sentence


def test_seed_003_sentences(ledger):
    stats = store.statistics(ledger, build_003(ledger), date.fromisoformat(SEED_003_DATE))
    assert report_text.summary_paragraph(stats) == (
        "截至2024年4月30日，梳理形成的99项问题，50项已完成整改，49项达到时序进度要求。"
        "其中，限期整改64项，长期坚持35项；"
        "限期整改问题已完成50项（其中46项已销号，4项正在销号中），"
        "剩余14项限期整改问题和35项长期坚持问题尚未完成整改。"
        "交办信访件共102件，已办结102件，销号101件。")


def _stats(rows, petitions=(), day=date(2024, 6, 30)):
    problems = [{"id": i, "top_category_id": 1, "lead_unit": "", **row} for i, row in enumerate(rows)]
    return count(problems, [(1, "大类")], day, petitions)


def test_zero_counts_are_never_written_as_zero():
    assert report_text.summary_paragraph(_stats([])) == "截至2024年6月30日，尚无督察反馈问题。"
    none_done = report_text.summary_paragraph(_stats(
        [{"term": "限期整改", "status": "整改中", "deadline": "2024-03-31"},
         {"term": "限期整改", "status": "未启动", "deadline": "2024-07-10"}]))
    assert none_done == ("截至2024年6月30日，梳理形成的2项问题，尚无问题完成整改，1项滞后于时序进度，"
                         "1项已超过整改时限。以上问题均为限期整改问题。")
    assert "0项" not in none_done


def test_all_finished():
    text = report_text.summary_paragraph(_stats(
        [{"term": "立行立改", "status": "已销号"}, {"term": "限期整改", "status": "已完成"}],
        petitions=[{"received_on": "2024-01-02", "concluded_on": None, "signed_off_on": None}]))
    assert text == ("截至2024年6月30日，梳理形成的2项问题已全部完成整改。"
                    "其中，限期整改1项，立行立改1项；限期整改问题已全部完成，立行立改问题已全部完成（其中1项已销号）。"
                    "交办信访件共1件，尚无办结。")


def test_single_term_partly_finished():
    text = report_text.terms_sentence(_stats(
        [{"term": "限期整改", "status": "销号中"}, {"term": "限期整改", "status": "整改中"}]))
    assert text == "以上问题均为限期整改问题；已完成1项（其中1项正在销号中），剩余1项限期整改问题尚未完成整改。"


def test_chinese_date():
    assert report_text.chinese_date(date(2020, 8, 31)) == "2020年8月31日"
