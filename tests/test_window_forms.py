"""生成填报表 and 回收填报表 in the real window: forms written off-thread, the preview, unticking, applying."""

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop_app.ui.collect_model import TICK
from desktop_app.ui.forms_flow import CollectPreview
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
