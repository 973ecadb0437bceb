"""导入 Excel 或整改方案 in the real window: choose, preview, remap a column, apply, undo, refuse."""

import threading
from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QPushButton

from desktop_app.formats.importing.plan_text import read_plan_text
from desktop_app.ui.importing import dialog as import_dialog
from desktop_app.ui.importing.dialog import SourceDialog
from desktop_app.ui.importing.preview import NOT_IMPORTED, PreviewDialog
from desktop_app.ui.tasks import Task
from window_helpers import Clerk, read_file

SEED_PLAN = Path(__file__).parent / "data" / "seed_001_plan.txt"


def county_workbook(path: Path) -> Path:
    """2大类4项 as a township keeps it: title row, category rows merged across, one 小类, and a
    责任领导 merged down over the two problems he leads."""
    wb = Workbook()
    ws = wb.active
    ws.title = "整改台账"
    ws.append(["青山镇第二轮省级生态环境保护督察反馈问题整改台账"])
    ws.merge_cells("A1:G1")
    ws.append(["序号", "反馈问题", "整改措施", "责任领导", "责任单位", "整改时限", "备注"])
    ws.append(["一、大气污染防治方面"])
    ws.merge_cells("A3:G3")
    ws.append([1, "镇区餐饮油烟直排，群众反映强烈。", "1.安装油烟净化设施；2.开展联合执法检查。",
               "王五（副镇长）", "镇综合执法队", "2024年6月底前", "群众信访件"])
    ws.append(["（一）工业企业监管"])
    ws.merge_cells("A5:G5")
    ws.append([2, "砖厂无组织排放问题突出。", "督促砖厂完成密闭改造。", "李四（副镇长）", "镇安监站",
               "2024年9月底前", None])
    ws.append([3, "石料加工点扬尘污染。", "取缔无证石料加工点。", None, "镇国土所", "立行立改", None])
    ws.merge_cells("D6:D7")
    ws.append(["二、水污染防治方面"])
    ws.merge_cells("A8:G8")
    ws.append([4, "青山河沿岸生活污水直排。", "建设村级污水收集管网。", "赵六（镇长）", "镇建设办",
               "长期坚持", None])
    wb.save(path)
    return path


def choose_file(clerk, monkeypatch, path):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    clerk.when(lambda d: isinstance(d, SourceDialog),
               lambda d: d.findChild(QPushButton, "chooseFile").click())


def refused_in_window(qtbot, window, monkeypatch, path) -> tuple[str, str]:
    """The (title, text) of the message the window shows when importing path fails."""
    clerk = Clerk(qtbot)
    choose_file(clerk, monkeypatch, path)
    clerk.acknowledge()
    window.import_action.trigger()
    qtbot.waitUntil(lambda: bool(clerk.messages or clerk.errors), timeout=15000)
    clerk.check()
    return clerk.messages[0]


def paste_text(clerk, text):
    def handler(dialog):
        dialog.text.setPlainText(text)
        dialog.read_text_button.click()
    clerk.when(lambda d: isinstance(d, SourceDialog), handler)


def inspection_names(path):
    return read_file(path, lambda ledger: [r["name"] for r in ledger.inspections()])


def test_workbook_import_previews_remaps_applies_and_undoes(qtbot, open_window, sample_ledger_file,
                                                          tmp_path, monkeypatch):
    window = open_window(sample_ledger_file)
    source = county_workbook(tmp_path / "青山镇整改台账.xlsx")
    clerk = Clerk(qtbot)
    seen = {}

    def preview(dialog: PreviewDialog):
        seen["heading"] = dialog.heading.text()
        seen["tree"] = dialog.tree.topLevelItemCount()
        first = dialog.tree.topLevelItem(0)
        seen["first"] = (first.text(0), first.text(1), first.child(0).text(0), first.child(1).text(1))
        seen["name"] = dialog.name.text()
        seen["kind"] = dialog.kind.currentText()
        remarks = next(c for c in dialog.plan.columns if c.source_header == "备注")
        assert remarks.field == "remarks"
        combo = dialog.combo_for(remarks.source_index)
        combo.setCurrentIndex(combo.findText(NOT_IMPORTED))
        qtbot.waitUntil(lambda: dialog.isEnabled() and not dialog.plan.problems()[0].remarks, timeout=10000)
        seen["unmapped"] = [dialog.unmapped.item(i).text() for i in range(dialog.unmapped.count())]
        seen["heading after"] = dialog.heading.text()
        seen["lead of 3"] = dialog.plan.problems()[2].lead_official
        dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0).child(1).child(1))
        seen["detail of 3"] = dialog.detail.toPlainText()
        clerk.acknowledge("导入完成")
        dialog.accept()

    choose_file(clerk, monkeypatch, source)
    clerk.when(lambda d: isinstance(d, PreviewDialog), preview)
    window.import_action.trigger()
    qtbot.waitUntil(lambda: bool(clerk.messages or clerk.errors), timeout=15000)
    clerk.check()

    assert "2大类4项" in seen["heading"] and "大类、小类单独成行" in seen["heading"]
    assert seen["tree"] == 2
    assert seen["first"] == ("一、", "大气污染防治方面", "1", "工业企业监管")
    assert seen["name"] == "青山镇第二轮省级生态环境保护督察反馈问题整改台账"
    assert seen["kind"] == "省级"
    assert any("备注" in text for text in seen["unmapped"])
    assert "2大类4项" in seen["heading after"]
    assert seen["lead of 3"] == "李四（副镇长）"  # the merged 责任领导 reaches both problems
    assert seen["detail of 3"].startswith("3. 石料加工点扬尘污染。") and "责任领导：李四（副镇长）" in seen["detail of 3"]
    title, text = clerk.messages[0]
    assert "2大类4项" in text and "Ctrl+Z" in text

    assert window.ledger_view.title.text().startswith("青山镇第二轮省级生态环境保护督察反馈问题整改台账")
    assert "2大类4项" in window.ledger_view.title.text()
    names = inspection_names(sample_ledger_file)
    assert names[-1] == "青山镇第二轮省级生态环境保护督察反馈问题整改台账"
    remarks = read_file(sample_ledger_file, lambda ledger: [
        p.row["remarks"] for p in ledger.tree(ledger.inspections()[-1]["id"]).problems])
    assert remarks == ["", "", "", ""]  # 备注 was set to 不导入

    backups = list(window.safety.policy().folder_for(sample_ledger_file).glob("*导入前*"))
    assert len(backups) == 1

    window.undo_action.trigger()
    assert inspection_names(sample_ledger_file) == ["第二轮中央生态环境保护督察"]
    assert "青山镇" not in window.ledger_view.title.text()
    window.redo_action.trigger()
    assert len(inspection_names(sample_ledger_file)) == 2


def test_pasted_seed_plan_is_imported(qtbot, open_window, sample_ledger_file):
    window = open_window(sample_ledger_file)
    text = SEED_PLAN.read_text(encoding="utf-8")
    expected = read_plan_text(text)
    clerk = Clerk(qtbot)
    seen = {}

    def preview(dialog):
        seen["heading"] = dialog.heading.text()
        seen["columns tab"] = dialog.tabs.isTabVisible(0)
        clerk.acknowledge("导入完成")
        dialog.accept()

    paste_text(clerk, text)
    clerk.when(lambda d: isinstance(d, PreviewDialog), preview)
    window.import_action.trigger()
    qtbot.waitUntil(lambda: bool(clerk.messages or clerk.errors), timeout=15000)
    clerk.check()

    assert expected.summary in seen["heading"] and "整改方案文字" in seen["heading"]
    assert not seen["columns tab"]  # a text has no columns to map
    assert inspection_names(sample_ledger_file)[-1] == expected.title
    stored = read_file(sample_ledger_file, lambda ledger: ledger.tree(ledger.inspections()[-1]["id"]).summary)
    assert stored == expected.summary
    assert expected.summary in window.ledger_view.title.text()
    assert f"有 {len(expected.warnings)} 处需要核对" in clerk.messages[0][1]


def test_merge_into_an_existing_inspection_points_to_the_backup(qtbot, open_window, sample_ledger_file):
    window = open_window(sample_ledger_file)
    existing = inspection_names(sample_ledger_file)
    clerk = Clerk(qtbot)

    def preview(dialog):
        dialog.to_existing.setChecked(True)
        clerk.acknowledge("导入完成")
        dialog.accept()

    paste_text(clerk, "一、思想认识还不到位\n1.新问题甲。\n二、新的大类\n2.新问题乙。")
    clerk.when(lambda d: isinstance(d, PreviewDialog), preview)
    window.import_action.trigger()
    qtbot.waitUntil(lambda: bool(clerk.messages or clerk.errors), timeout=15000)
    clerk.check()

    text = clerk.messages[0][1]
    assert "思想认识还不到位" in text and "3大类7项" in text and "导入前" in text
    assert inspection_names(sample_ledger_file) == existing
    assert "3大类7项" in window.ledger_view.title.text()


@pytest.mark.parametrize("content", [b"PK\x03\x04 not really a workbook" * 10, b""])
def test_corrupt_file_is_refused_in_chinese_and_nothing_changes(qtbot, open_window, sample_ledger_file,
                                                              tmp_path, monkeypatch, content):
    window = open_window(sample_ledger_file)
    before = read_file(sample_ledger_file, lambda ledger: list(ledger.db.conn.iterdump()))
    broken = tmp_path / "坏了的台账.xlsx"
    broken.write_bytes(content)
    title, text = refused_in_window(qtbot, window, monkeypatch, broken)
    assert title == "读不出要导入的内容"
    assert "坏了的台账.xlsx" in text and "台账没有任何改动" in text
    assert read_file(sample_ledger_file, lambda ledger: list(ledger.db.conn.iterdump())) == before
    assert not list(window.safety.policy().folder_for(sample_ledger_file).glob("*导入前*"))


def test_cancel_while_writing_rolls_everything_back(qtbot, open_window, sample_ledger_file, monkeypatch):
    window = open_window(sample_ledger_file)
    before = read_file(sample_ledger_file, lambda ledger: list(ledger.db.conn.iterdump()))
    clerk = Clerk(qtbot)

    # The clerk presses 取消 once the writing has begun, inside the transaction. The worker waits
    # for that press before it writes on (else, on a busy machine, it may commit first: a 取消
    # after the commit rightly comes too late), then hands the task one more step, before which
    # the task looks at 取消.
    pressed = threading.Event()
    writing = import_dialog.apply_plan_steps

    def waiting_for_cancel(*args, **kwargs):
        steps = writing(*args, **kwargs)
        try:
            step = next(steps)
            while True:
                yield step
                if step.done > 0 and not pressed.is_set():
                    assert pressed.wait(10)
                    yield step
                step = next(steps)
        except StopIteration as end:
            return end.value
        finally:
            steps.close()  # the task closes this generator: the writing's must close with it
    monkeypatch.setattr(import_dialog, "apply_plan_steps", waiting_for_cancel)

    def preview(dialog):
        shown = Task._show_step

        def step_then_cancel(task, done, total, message):
            shown(task, done, total, message)
            if done > 0:
                task.dialog.canceled.emit()
                pressed.set()
        monkeypatch.setattr(Task, "_show_step", step_then_cancel)
        clerk.acknowledge("导入已取消")
        dialog.accept()

    paste_text(clerk, "一、新的大类\n" + "\n".join(f"{n}.新问题{n}。" for n in range(1, 151)))
    clerk.when(lambda d: isinstance(d, PreviewDialog), preview)
    window.import_action.trigger()
    qtbot.waitUntil(lambda: bool(clerk.messages or clerk.errors), timeout=15000)
    clerk.check()

    assert "台账没有任何改动" in clerk.messages[0][1]
    assert read_file(sample_ledger_file, lambda ledger: list(ledger.db.conn.iterdump())) == before
    assert not window.document.undo_stack.canUndo()
