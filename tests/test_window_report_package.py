"""文件 → 生成上报包… and 文件 → 汇总上报包… in the real window."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPlainTextEdit

from desktop_app.store.ledger import Ledger
from desktop_app.store.report_package import open_package
from desktop_app.ui.report_package.actions import PackageDialog, PreviewDialog
from test_report_package import county, package, township
from window_helpers import Clerk, click_button


def test_the_township_window_writes_a_package(qtbot, open_window, tmp_path, monkeypatch):
    window = open_window(township(tmp_path, "东镇"))
    out = tmp_path / "东镇上报.sbb"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))
    clerk = Clerk(qtbot)
    seen = {}

    def fill(dialog: PackageDialog):
        seen["org"] = dialog.org.text()
        seen["size"] = dialog.size.text()
        dialog.accept()

    clerk.when(lambda d: isinstance(d, PackageDialog), fill)
    window.report_packages.package_action.trigger()
    qtbot.waitUntil(out.exists, timeout=15000)
    clerk.check()

    assert seen["org"] == "东镇" and seen["size"].startswith("预计大小：约")
    with open_package(out) as checked:
        assert checked.org == "东镇" and checked.manifest["problems"] == 5


def test_the_county_window_previews_merges_and_lists_a_refusal(qtbot, open_window, tmp_path, monkeypatch):
    folder = tmp_path / "本月上报"
    folder.mkdir()
    package(township(tmp_path, "东镇"), folder / "东镇.sbb")
    (folder / "坏.sbb").write_bytes(b"PK\x03\x04 not really")
    target = county(tmp_path)
    window = open_window(target)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(folder)))
    clerk = Clerk(qtbot)
    seen = {}

    def preview(dialog: PreviewDialog):
        seen["text"] = dialog.findChild(QPlainTextEdit).toPlainText()
        dialog.accept()

    clerk.when(lambda d: isinstance(d, QMessageBox), click_button("选择文件夹…"))
    clerk.when(lambda d: isinstance(d, PreviewDialog), preview)
    window.report_packages.merge_action.trigger()
    qtbot.waitUntil(lambda: "text" in seen or bool(clerk.errors), timeout=15000)
    # Written on a worker's connection, then onto the window's undo stack as one step.
    qtbot.waitUntil(lambda: window.document.undo_stack.count() == 1, timeout=15000)
    clerk.check()

    assert seen["text"].splitlines()[0] == (
        "合计：2个上报包，1个将汇总（将新增5个问题，将更新0个，将移除0个），0个无需改动，1个未汇总。")
    assert "东镇（截至2024-06-30，东镇.sbb）：5个问题，将新增5个" in seen["text"]
    assert "未汇总：“坏.sbb”不能汇总" in seen["text"]
    assert [r["org"] for r in window.document.ledger.inspections()] == ["东镇"]
    assert [r["org"] for r in window.inspections.model.rows] == ["东镇"]
    assert len(list(window.safety.policy().folder_for(target).glob("*汇总前*"))) == 1
    assert window.document.undo()
    assert window.document.ledger.inspections() == []
    window.close()
    ledger = Ledger.open(target, read_only=True)
    try:
        assert ledger.db.execute("SELECT count(*) FROM problems").fetchone()[0] == 0
    finally:
        ledger.close()


def test_a_merged_ledger_shows_and_filters_by_org(qtbot, open_window, tmp_path):
    from test_report_package import merged
    target = county(tmp_path)
    merged(target, package(township(tmp_path, "东镇"), tmp_path / "东镇.sbb"),
           package(township(tmp_path, "西镇"), tmp_path / "西镇.sbb"))
    window = open_window(target)
    panel = window.inspections

    assert panel.org_filter.isVisibleTo(panel)
    assert [panel.org_filter.itemText(i) for i in range(panel.org_filter.count())] == [
        "全部乡镇/单位", "东镇", "西镇"]
    assert panel.model.headerData(3, Qt.Horizontal) == "乡镇/单位"
    assert [r["org"] for r in panel.model.rows] == ["东镇", "西镇"]

    panel.org_filter.setCurrentIndex(2)

    assert [r["org"] for r in panel.model.rows] == ["西镇"]
    assert window.ledger_view.inspection_id == panel.model.rows[0]["id"]


def test_a_township_ledger_has_no_org_filter(qtbot, open_window, tmp_path):
    window = open_window(township(tmp_path, "东镇"))
    assert not window.inspections.org_filter.isVisibleTo(window.inspections)
    assert window.inspections.model.headerData(3, Qt.Horizontal) == "所属单位"


def test_the_overview_of_a_merged_ledger_puts_the_lagging_org_first(qtbot, open_window, tmp_path):
    from datetime import date

    from desktop_app.store import progress
    from test_report_package import merged
    from test_window_overview import show_overview
    east, west = township(tmp_path, "东镇"), township(tmp_path, "西镇")
    ledger = Ledger.open(west)
    try:
        for (problem_id,) in ledger.db.execute("SELECT id FROM problems WHERE status != '已完成'").fetchall():
            ledger.update("problem", problem_id, status="已完成")
        progress.add_report(ledger, problem_id, "2024-06-20", "全部完成。")
    finally:
        ledger.close()
    target = county(tmp_path)
    merged(target, package(west, tmp_path / "西镇.sbb"), package(east, tmp_path / "东镇.sbb"))
    window = open_window(target)

    page = show_overview(qtbot, window, date(2024, 6, 30))

    tables = page.tables
    assert tables.isTabVisible(tables.indexOf(tables.org_view))
    assert [(r["org"], r["problems"], r["overdue"], r["last_report"]) for r in tables.orgs.rows] == [
        ("东镇", 5, 3, "从未调度"), ("西镇", 5, 0, "2024-06-20")]
