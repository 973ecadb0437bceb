"""生成填报表 and 回收填报表 in the real window: forms written off-thread, the preview, unticking, applying."""

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop_app.ui.forms.collect_model import TICK
from desktop_app.ui.forms.flow import CollectPreview
from test_forms_loop import fill, query
from window_helpers import Clerk


def test_forms_are_sent_and_collected_from_the_window(qtbot, open_window, sample_ledger_file,
                                                     tmp_path, monkeypatch):
    window = open_window(sample_ledger_file)
    assert window.distribute_action.isEnabled() and window.collect_action.isEnabled()
    folder = tmp_path / "填报表"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(folder)))
    clerk = Clerk(qtbot)
    clerk.when(lambda d: isinstance(d, QMessageBox) and d.windowTitle() == "填报表已生成",
               lambda box: (clerk.messages.append(box.text()), box.reject()))
    window.distribute_action.trigger()
    qtbot.waitUntil(lambda: bool(clerk.messages or clerk.errors), timeout=15000)
    clerk.check()
    assert "已为5个责任单位生成填报表" in clerk.messages[0]
    returned = fill(folder / "县委办公室填报表.xlsx", tmp_path / "县委办公室报回.xlsx",
                    when=datetime(2024, 6, 3))

    seen = {}

    def preview(dialog: CollectPreview):
        model = dialog.model
        seen["rows"] = [model.index(r, 2).data() for r in range(model.rowCount())]
        seen["files"] = dialog.files.toPlainText()
        status = seen["rows"].index("整改状态")
        model.setData(model.index(status, TICK), Qt.Checked.value, Qt.CheckStateRole)
        model.setData(model.index(status, TICK), Qt.Unchecked.value, Qt.CheckStateRole)  # unticked
        clerk.acknowledge("回收完成")
        dialog.accept()

    clerk.when(lambda d: isinstance(d, CollectPreview), preview)
    window.forms.start_collect([returned])
    qtbot.waitUntil(lambda: len(clerk.messages) > 1 or bool(clerk.errors), timeout=15000)
    clerk.check()
    assert "县委办公室报回.xlsx（县委办公室）：对上1个问题" in seen["files"]
    assert sorted(seen["rows"]) == sorted(["整改状态", "整改措施1完成情况", "整改措施2完成情况", "本月进展"])
    assert "新增本月进展1条，修改2处" in clerk.messages[-1][1]
    assert query(sample_ledger_file, "SELECT report_date, reporter FROM progress_reports") == [
        ("2024-06-03", "王五（13800000000）")]
    assert query(sample_ledger_file, "SELECT status FROM problems WHERE lead_unit = '县委办公室'") == [
        ("整改中",)]  # the unticked status change was not written


def test_importing_an_export_of_this_ledger_offers_to_update_it(qtbot, open_window, sample_ledger_file,
                                                              tmp_path, monkeypatch):
    from openpyxl import load_workbook

    from desktop_app.formats.exporting.ledger_xlsx import export_ledger_file
    from test_window_import import choose_file
    from window_helpers import read_file
    export = tmp_path / "导出.xlsx"
    read_file(sample_ledger_file, lambda ledger: export_ledger_file(ledger, export))
    book = load_workbook(export)
    ws = book["整改任务清单"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == 5)
    ws.cell(row, 6).value = "县农业农村局、县畜牧水产事务中心"  # 责任单位
    book.save(export)
    window = open_window(sample_ledger_file)
    clerk = Clerk(qtbot)
    seen = {}

    def offered(box):
        seen["offer"] = [b.text() for b in box.buttons()]
        box.buttons()[0].click()

    def preview(dialog: CollectPreview):
        model = dialog.model
        seen["rows"] = [(model.index(r, 1).data(), model.index(r, 2).data(), model.index(r, 4).data())
                        for r in range(model.rowCount())]
        clerk.acknowledge("回收完成")
        dialog.accept()

    choose_file(clerk, monkeypatch, export)
    clerk.when(lambda d: isinstance(d, QMessageBox) and d.windowTitle() == "这是本台账导出的表格", offered)
    clerk.when(lambda d: isinstance(d, CollectPreview), preview)
    window.import_action.trigger()
    qtbot.waitUntil(lambda: bool(clerk.messages or clerk.errors), timeout=15000)
    clerk.check()
    assert seen["offer"][0] == "按表格更新本台账（先列出改动）"
    assert seen["rows"] == [("第二轮中央生态环境保护督察 第5项", "责任单位", "县农业农村局、县畜牧水产事务中心")]
    assert query(sample_ledger_file, "SELECT COUNT(*) FROM inspections") == [(1,)]
    assert query(sample_ledger_file, "SELECT lead_unit FROM problems WHERE code = '问题编号五'") == [
        ("县农业农村局、县畜牧水产事务中心",)]


def test_a_folder_dropped_on_the_collect_dialog_is_collected(qtbot, open_window, sample_ledger_file,
                                                           tmp_path):
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    from desktop_app.ui.forms.flow import CollectSource
    from test_forms_loop import send
    forms = send(sample_ledger_file, tmp_path / "发出")
    folder = tmp_path / "报回"
    folder.mkdir()
    fill(forms["县农业农村局"], folder / "县农业农村局.xlsx")
    fill(forms["县督查室"], folder / "县督查室.xlsx")
    window = open_window(sample_ledger_file)
    clerk = Clerk(qtbot)
    seen = {}

    def drop(dialog):
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(folder))])
        dialog.dropEvent(QDropEvent(QPointF(10, 10), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier))

    def preview(dialog: CollectPreview):
        seen["files"] = dialog.files.toPlainText()
        clerk.acknowledge("回收完成")
        dialog.accept()

    clerk.when(lambda d: isinstance(d, CollectSource), drop)
    clerk.when(lambda d: isinstance(d, CollectPreview), preview)
    window.collect_action.trigger()
    qtbot.waitUntil(lambda: bool(clerk.messages or clerk.errors), timeout=15000)
    clerk.check()
    assert "县农业农村局.xlsx（县农业农村局）：对上1个问题" in seen["files"]
    assert "县督查室.xlsx（县督查室）：对上1个问题" in seen["files"]
    assert query(sample_ledger_file, "SELECT COUNT(*) FROM progress_reports") == [(2,)]
