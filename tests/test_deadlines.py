"""Reading the date out of a deadline as written (整改时限), and the term (整改类型) it implies."""

from datetime import date

import pytest

from desktop_app.domain.deadlines import infer_term, parse_deadline
from desktop_app.domain.vocabulary import Term


@pytest.mark.parametrize("text, expected", [
    ("2019年6月底前", date(2019, 6, 30)),
    ("2019年6月30日前", date(2019, 6, 30)),
    ("2019年6月15号前完成", date(2019, 6, 15)),
    ("2019年12月底前", date(2019, 12, 31)),
    ("2019年11月", date(2019, 11, 30)),
    ("2020年2月底前", date(2020, 2, 29)),  # leap year
    ("2019年2月底前", date(2019, 2, 28)),
    ("2019年底前", date(2019, 12, 31)),
    ("2019年年底前", date(2019, 12, 31)),
    ("2019年内", date(2019, 12, 31)),
    ("2020年上半年", date(2020, 6, 30)),
    ("2020年下半年", date(2020, 12, 31)),
    ("2021年第一季度", date(2021, 3, 31)),
    ("2021年第二季度", date(2021, 6, 30)),
    ("2021年第三季度", date(2021, 9, 30)),
    ("2021年第四季度", date(2021, 12, 31)),
    ("2023.6.30", date(2023, 6, 30)),
    ("2023-06-30", date(2023, 6, 30)),
    ("2023/6/30", date(2023, 6, 30)),
    ("二〇一九年十二月底前", date(2019, 12, 31)),
    ("二〇一九年十一月底前", date(2019, 11, 30)),
    ("二〇二〇年十月底前", date(2020, 10, 31)),
    ("二〇二〇年三月底前", date(2020, 3, 31)),
])
def test_parse_single_date(text, expected):
    assert parse_deadline(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("2019年6月底前基本完成，2020年底前全面完成", date(2020, 12, 31)),
    # the latest date, not the last one written
    ("2020年底前全面完成，其中2019年6月底前完成主体工程", date(2020, 12, 31)),
    ("2019年底前完成整治；2020年上半年验收；2021年第一季度销号", date(2021, 3, 31)),
    ("立行立改，2019年6月30日前完成", date(2019, 6, 30)),
])
def test_multi_stage_text_takes_latest_date(text, expected):
    assert parse_deadline(text) == expected


@pytest.mark.parametrize("text", [
    "长期坚持", "立行立改", "持续推进", "按序时推进", "", None,
    "2019年2月30日前",  # no such day
    "2019年2月29日前",  # not a leap year
    "2019年13月底前",   # no such month
    "2021年第五季度",
])
def test_no_date(text):
    assert parse_deadline(text) is None


@pytest.mark.parametrize("text, expected", [
    ("二〇一九年六月二十日前", date(2019, 6, 20)),
    ("二〇一九年十月十五日前", date(2019, 10, 15)),
    ("二〇一九年六月三十日前", date(2019, 6, 30)),
    ("二〇一九年十二月三十一日前", date(2019, 12, 31)),
    ("二〇二一年第三季度", date(2021, 9, 30)),
    ("二〇二〇年下半年", date(2020, 12, 31)),
    ("二〇一九年底前完成一期工程，二〇二〇年六月底前完成二期工程", date(2020, 6, 30)),
])
def test_dates_in_chinese_numerals_name_the_day(text, expected):
    # Older documents write the whole date in Chinese numerals: 二十日 is the 20th, not the month end.
    assert parse_deadline(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("2019年6月底前", Term.FIXED),
    ("2020年上半年", Term.FIXED),
    ("2023.6.30", Term.FIXED),
    ("长期坚持", Term.ONGOING),
    ("持续推进", Term.ONGOING),
    ("立行立改", Term.IMMEDIATE),
    ("立即整改", Term.IMMEDIATE),
    ("", Term.FIXED),
    (None, Term.FIXED),
])
def test_infer_term(text, expected):
    assert infer_term(text) == expected


def test_terms_are_stored_as_their_chinese_words():
    assert [t.value for t in Term] == ["限期整改", "长期坚持", "立行立改"]
