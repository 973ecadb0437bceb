"""The numbered tree: labels per level, problems 1..M continuous, a category's own problems first."""

from desktop_app.domain.ledger_tree import build_tree


def category(id, position, title, parent_id=None):
    return {"id": id, "position": position, "title": title, "parent_id": parent_id}


def problem(id, category_id, position, description):
    return {"id": id, "category_id": category_id, "position": position, "description": description}


# Rows in the order a query might return them, ids not in document order.
CATEGORIES = [
    category(7, 0, "履职尽责有所懈怠", parent_id=3),
    category(3, 0, "思想认识还不到位"),
    category(5, 1, "突出问题整改不力"),
    category(9, 1, "监管执法偏松偏软", parent_id=3),
    category(4, 0, "水污染问题", parent_id=5),
    category(2, 2, "其他问题"),
]
PROBLEMS = [
    problem(10, 7, 0, "甲"),   # 小类（一） of 大类一
    problem(11, 3, 1, "乙"),   # 大类一 itself, second
    problem(12, 3, 0, "丙"),   # 大类一 itself, first
    problem(13, 9, 0, "丁"),   # 小类（二） of 大类一
    problem(14, 5, 0, "戊"),   # 大类二 itself
    problem(15, 4, 1, "己"),   # 小类（一） of 大类二, second
    problem(16, 4, 0, "庚"),   # 小类（一） of 大类二, first
    problem(17, 2, 0, "辛"),   # 大类三
]


def test_problems_numbered_continuously_in_document_order():
    tree = build_tree(CATEGORIES, PROBLEMS)
    assert [p.row["description"] for p in tree.problems] == ["丙", "乙", "甲", "丁", "戊", "庚", "己", "辛"]
    assert [p.number for p in tree.problems] == list(range(1, 9))


def test_category_labels_by_position():
    tree = build_tree(CATEGORIES, PROBLEMS)
    assert [(c.label, c.id) for c in tree.categories] == [("一、", 3), ("二、", 5), ("三、", 2)]


def test_subcategory_labels_restart_in_each_category():
    tree = build_tree(CATEGORIES, PROBLEMS)
    first, second, third = tree.categories
    assert [(c.label, c.id) for c in first.children] == [("（一）", 7), ("（二）", 9)]
    assert [(c.label, c.id) for c in second.children] == [("（一）", 4)]
    assert third.children == []
    assert all(c.is_subcategory and c.parent is first for c in first.children)
    assert not first.is_subcategory and first.parent is None


def test_problems_hang_under_their_own_category():
    tree = build_tree(CATEGORIES, PROBLEMS)
    first = tree.categories[0]
    assert [p.id for p in first.problems] == [12, 11]
    assert [p.id for p in first.children[0].problems] == [10]
    assert [p.id for p in first.all_problems()] == [12, 11, 10, 13]
    assert tree.problems[2].parent is first.children[0]


def test_summary_counts_top_categories_and_all_problems():
    assert build_tree(CATEGORIES, PROBLEMS).summary == "3大类8项"
    assert build_tree([], []).summary == "0大类0项"


def test_empty_category_keeps_its_label_and_numbering_continues():
    categories = [category(1, 0, "甲类"), category(2, 1, "空类"), category(3, 2, "丙类")]
    problems = [problem(1, 1, 0, "一号"), problem(2, 3, 0, "二号")]
    tree = build_tree(categories, problems)
    assert [c.label for c in tree.categories] == ["一、", "二、", "三、"]
    assert tree.categories[1].all_problems() == []
    assert [(p.number, p.row["description"]) for p in tree.problems] == [(1, "一号"), (2, "二号")]


def test_many_categories_use_compound_numerals():
    categories = [category(i, i - 1, f"第{i}类") for i in range(1, 22)]
    categories.append(category(100, 0, "小类", parent_id=11))
    tree = build_tree(categories, [problem(1, 100, 0, "问题")])
    labels = [c.label for c in tree.categories]
    assert labels[9:12] == ["十、", "十一、", "十二、"]
    assert labels[19:21] == ["二十、", "二十一、"]
    assert tree.categories[10].children[0].label == "（一）"
    assert tree.problems[0].number == 1 and tree.problems[0].parent.parent is tree.categories[10]
