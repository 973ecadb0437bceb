"""The Qt models on their own, without widgets: structure, numbering, filtering, drop targets."""

from PySide6.QtCore import QModelIndex, Qt

from desktop_app.store.seeds import fill_demo
from desktop_app.ui.ledger.model import KEY_ROLE, LedgerFilterProxy, LedgerTreeModel, split_units
from desktop_app.ui.ledger.table_models import InspectionsModel, MeasuresModel


def make_model(ledger):
    model = LedgerTreeModel()
    model.set_tree(ledger.tree(ledger.inspections()[0]["id"]))
    return model


def test_tree_model_passes_qt_model_checks(qtmodeltester, sample_ledger):
    model = make_model(sample_ledger)
    qtmodeltester.check(model)
    proxy = LedgerFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_filter("污水")
    qtmodeltester.check(proxy)


def test_rows_show_numbering_and_summary(sample_ledger):
    model = make_model(sample_ledger)
    first = model.index(0, 0)
    assert first.data() == "一、思想认识还不到位（3项）"
    assert first.data(KEY_ROLE)[0] == "category"
    assert model.index(0, 0, first).data() == "1"
    assert model.index(0, 1, first).data().startswith("县委、县政府对生态环境保护")
    sub = model.index(2, 0, first)
    assert sub.data() == "（一）履职尽责有所懈怠（1项）"
    assert model.index(0, 0, sub).data() == "3"
    second = model.index(1, 0)
    assert [model.index(r, 0, second).data() for r in range(model.rowCount(second))] == ["4", "5"]
    assert model.tree.summary == "2大类5项"
    assert model.headerData(6, Qt.Horizontal) == "状态"


def test_filter_keeps_ancestors_and_counts(sample_ledger):
    model = make_model(sample_ledger)
    proxy = LedgerFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_filter("林地")
    assert proxy.rowCount() == 1
    category = proxy.index(0, 0)
    sub = proxy.index(0, 0, category)
    assert sub.data() == "（一）履职尽责有所懈怠（1项）"
    assert proxy.index(0, 0, sub).data() == "3"
    assert proxy.matched_problems == 1
    proxy.set_filter("")
    assert proxy.matched_problems is None and proxy.rowCount() == 2


def test_filter_by_status_and_split_units(sample_ledger):
    model = make_model(sample_ledger)
    assert "县委办公室" in model.units()
    proxy = LedgerFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_filter("", status="已完成")
    assert proxy.matched_problems == 1
    assert split_units("市委宣传部、市生态环境局；县水利局") == ["市委宣传部", "市生态环境局", "县水利局"]


def test_restriction_to_chosen_problems_combines_with_search(sample_ledger):
    model = make_model(sample_ledger)
    proxy = LedgerFilterProxy()
    proxy.setSourceModel(model)
    chosen = {p.id for p in model.tree.problems if p.number in (3, 4)}
    proxy.set_filter("", only=frozenset(chosen))
    assert proxy.matched_problems == 2
    assert proxy.rowCount() == 2  # both 大类 keep a problem
    proxy.set_filter("林地", only=frozenset(chosen))
    assert proxy.matched_problems == 1
    # A matching category title does not widen a restriction to the category's other problems.
    proxy.set_filter("思想认识", only=frozenset(chosen))
    assert proxy.matched_problems == 0
    proxy.set_filter("", only=frozenset())
    assert proxy.matched_problems == 0 and proxy.rowCount() == 0


def test_field_update_refreshes_row_and_search(sample_ledger, qtbot):
    model = make_model(sample_ledger)
    problem_id = model.tree.problems[0].id
    sample_ledger.update("problem", problem_id, description="新的问题描述：扬尘污染")
    with qtbot.waitSignal(model.dataChanged):
        model.update_problem(sample_ledger.problem(problem_id))
    assert model.index(0, 1, model.index(0, 0)).data() == "新的问题描述：扬尘污染"
    assert model.matching("扬尘", None, None)[0] == {problem_id}


def test_drop_targets(sample_ledger):
    model = make_model(sample_ledger)
    tree = model.tree
    first, second = tree.categories
    problem = model._by_key[("problem", tree.problems[0].id)]
    # Onto the second category, at its first row.
    assert model.drop_target(problem, 0, model.index_for("category", second.id)) == (second.id, 0)
    # Onto another problem: takes its place.
    target = model.index_for("problem", tree.problems[4].id)
    assert model.drop_target(problem, -1, target) == (second.id, 1)
    # Between top-level categories: not a place for a problem.
    assert model.drop_target(problem, 1, QModelIndex()) is None
    # A category with a subcategory cannot become a subcategory; one without can.
    first_item = model._by_key[("category", first.id)]
    second_item = model._by_key[("category", second.id)]
    assert model.drop_target(first_item, -1, model.index_for("category", second.id)) is None
    assert model.drop_target(second_item, -1, model.index_for("category", first.id)) == (first.id, 1)
    # Reordering top-level categories: Qt counts the dragged row, the ledger does not.
    assert model.drop_target(first_item, 2, QModelIndex()) == (None, 1)


def test_inspections_and_measures_models(ledger, qtmodeltester):
    fill_demo(ledger)
    inspections = InspectionsModel()
    inspections.set_rows(ledger.inspections())
    qtmodeltester.check(inspections)
    assert inspections.rowCount() == 3
    assert inspections.index(0, 3).data() == "贵州省"  # the demo opens on its biggest batch
    measures = MeasuresModel()
    first_problem = ledger.tree(ledger.inspections()[1]["id"]).problems[0]  # 岳阳楼区, 5 measures
    measures.set_rows(ledger.measures(first_problem.id))
    qtmodeltester.check(measures)
    assert [measures.index(r, 0).data() for r in range(measures.rowCount())] == ["1.", "2.", "3.", "4.", "5."]
    assert measures.index(0, 1).data().startswith("深入学习贯彻习近平生态文明思想")


def test_schedule_column_colour_and_filter(sample_ledger):
    from datetime import date

    from desktop_app.ui.ledger.model import COL_SCHEDULE, SCHEDULE_PREFIX
    model = LedgerTreeModel()
    model.today = date(2022, 8, 1)  # after 问题编号四's 2022年6月30日前
    model.set_tree(sample_ledger.tree(sample_ledger.inspections()[0]["id"]))
    second = model.index(1, 0)
    overdue = model.index(0, COL_SCHEDULE, second)
    assert overdue.data() == "逾期"
    assert overdue.data(Qt.BackgroundRole).color().name() == "#fbdcdc"
    assert "逾期" in overdue.data(Qt.ToolTipRole) or "超过" in overdue.data(Qt.ToolTipRole)
    finished = model.index(1, COL_SCHEDULE, model.index(0, 0))  # 问题编号二, 已完成
    assert finished.data() == "已完成"
    # The schedule filter and the status filter are told apart: 已完成 as a status is one problem.
    assert model.matching("", "已完成", None)[0] == {model.tree.problems[1].id}
    overdue_ids = {p.id for p in model.tree.problems if p.row["deadline"]
                   and p.row["deadline"] < "2022-08-01" and p.row["status"] not in ("已完成", "已销号")}
    assert model.tree.problems[3].id in overdue_ids
    assert model.matching("", SCHEDULE_PREFIX + "逾期", None)[0] == overdue_ids


def test_progress_column_shows_the_newest_report(sample_ledger, qtbot, qtmodeltester):
    from desktop_app.store import progress
    from desktop_app.ui.ledger.model import COL_PROGRESS
    inspection_id = sample_ledger.inspections()[0]["id"]
    first = sample_ledger.tree(inspection_id).problems[0].id
    progress.add_report(sample_ledger, first, "2024-03-05", "整改过半。\n下月完成。", "王五")
    progress.add_report(sample_ledger, first, "2024-01-10", "摸底排查完成。")
    model = LedgerTreeModel()
    model.set_tree(sample_ledger.tree(inspection_id), progress.latest_reports(sample_ledger, inspection_id))
    qtmodeltester.check(model)
    assert model.headerData(COL_PROGRESS, Qt.Horizontal) == "整改进展"
    cell = model.index(0, COL_PROGRESS, model.index(0, 0))
    assert cell.data() == "整改过半。 下月完成。"  # one line in the cell
    assert cell.data(Qt.ToolTipRole) == "2024-03-05（王五）\n整改过半。\n下月完成。"
    assert model.index(1, COL_PROGRESS, model.index(0, 0)).data() == ""
    assert model.matching("下月完成", None, None)[0] == {first}  # the search reads it too
    with qtbot.waitSignal(model.dataChanged):
        model.update_problem(sample_ledger.problem(first), None)  # its reports were deleted
    assert cell.data() == "" and model.matching("下月完成", None, None)[0] == set()


def test_warning_days_come_from_the_models_schedule_settings(sample_ledger):
    from datetime import date

    from desktop_app.domain.schedule import ScheduleSettings
    from desktop_app.ui.ledger.model import COL_SCHEDULE
    model = LedgerTreeModel()
    model.today = date(2022, 5, 1)  # 60 days before 问题编号四's 2022年6月30日前, not started
    tree = sample_ledger.tree(sample_ledger.inspections()[0]["id"])
    model.set_tree(tree)
    fourth = model.index(0, COL_SCHEDULE, model.index(1, 0))
    assert fourth.data() == "达到时序进度"
    model.schedule_settings = ScheduleSettings(warning_days=90)
    model.set_tree(tree)
    assert model.index(0, COL_SCHEDULE, model.index(1, 0)).data() == "滞后"
