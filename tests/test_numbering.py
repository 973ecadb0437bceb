"""Chinese document numbering: 一、 for categories, （一） for subcategories, and the N大类M项 summary."""

import pytest

from desktop_app.domain.numbering import (category_label, chinese_numeral, subcategory_label,
                                          summary_text)


@pytest.mark.parametrize("n, expected", [
    (1, "一"), (2, "二"), (9, "九"),
    (10, "十"), (11, "十一"), (15, "十五"), (19, "十九"),
    (20, "二十"), (21, "二十一"), (30, "三十"), (99, "九十九"),
    (100, "一百"), (101, "一百零一"), (105, "一百零五"), (110, "一百一十"),
    (115, "一百一十五"), (120, "一百二十"), (234, "二百三十四"), (999, "九百九十九"),
])
def test_chinese_numeral_as_documents_write_it(n, expected):
    assert chinese_numeral(n) == expected


@pytest.mark.parametrize("n", [0, -1])
def test_numbering_starts_at_one(n):
    with pytest.raises(ValueError):
        chinese_numeral(n)


@pytest.mark.parametrize("index, expected", [
    (1, "一、"), (2, "二、"), (10, "十、"), (11, "十一、"), (20, "二十、"), (105, "一百零五、"),
])
def test_category_label(index, expected):
    assert category_label(index) == expected


@pytest.mark.parametrize("index, expected", [
    (1, "（一）"), (3, "（三）"), (11, "（十一）"), (20, "（二十）"), (105, "（一百零五）"),
])
def test_subcategory_label(index, expected):
    assert subcategory_label(index) == expected


def test_subcategory_label_uses_full_width_brackets():
    label = subcategory_label(1)
    assert label[0] == "\uff08" and label[-1] == "\uff09"
    assert "(" not in label and ")" not in label


def test_category_label_uses_ideographic_comma():
    assert category_label(1).endswith("\u3001")


@pytest.mark.parametrize("categories, problems, expected", [
    (2, 5, "2大类5项"), (8, 34, "8大类34项"), (0, 0, "0大类0项"), (11, 105, "11大类105项"),
])
def test_summary_text(categories, problems, expected):
    assert summary_text(categories, problems) == expected
