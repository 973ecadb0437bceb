"""销号 in the real window: from 整改中 through 申请销号, 验收 and 公示 to 已销号, and back."""

import shutil
import subprocess

import pytest
from docx import Document
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QAbstractItemDelegate, QFileDialog, QLineEdit

from desktop_app.store import signoff as signoffs
from desktop_app.store.ledger import Ledger
from desktop_app.ui.ledger.model import COL_STATUS
from window_helpers import answer_next_dialog, click_button, in_dialog, type_chinese
from window_helpers import read_file as read

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="needs pdftotext (poppler-utils) to read PDFs back")


def status_in_file(path, problem_id):
    return read(path, lambda l: l.row("problem", problem_id)["status"])


def pdf_text(path) -> str:
    """The PDF's text with the line breaks and spaces of the layout taken out."""
    result = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                            encoding="utf-8", check=True)
    return "".join(result.stdout.split())


def open_on(open_window, path, index):
    window = open_window(path)
    problem_id = window.ledger_view.model.tree.problems[index].id
    window.ledger_view.select("problem", problem_id)
    return window, problem_id


def finish_problem_one(qtbot, window):
    """问题编号一: the second measure's 完成情况 written, then the status set to 已完成."""
    editor = window.editor.problem
    editor.measures.table.selectRow(1)
    type_chinese(editor.measures.completion, "责任清单已印发执行。")
    editor.measures.binder.flush()
    index = editor.status.findData("已完成")
    editor.status.setCurrentIndex(index)
    editor.status.activated.emit(index)


def tick_all(qtbot, dialog, path, problem_id):
    for row in range(dialog.checklist.count()):
        dialog.checklist.item(row).setCheckState(Qt.Checked)
        qtbot.waitUntil(lambda r=row: sum(i.checked for i in read(
            path, lambda l: signoffs.current(l, problem_id))["checklist"]) == r + 1)


@needs_pdftotext
def test_from_in_progress_to_signed_off_through_the_dialogs(qtbot, open_window, sample_ledger_file,
                                                            tmp_path, monkeypatch):
    path = sample_ledger_file
    window, problem_id = open_on(open_window, path, 0)  # 问题编号一, 整改中
    editor = window.editor.problem
    row = editor.signoff

    # Refused while a measure lacks its completion and the work is not declared done.
    assert not row.button.isEnabled()
    assert "第2条整改措施还没有填写完成情况" in row.button.toolTip()
    assert "改为“已完成”后才能申请销号" in row.button.toolTip()
    # 销号中 and 已销号 are not the clerk's to pick.
    for status in ("销号中", "已销号"):
        assert not editor.status.model().item(editor.status.findData(status)).isEnabled()

    finish_problem_one(qtbot, window)
    assert status_in_file(path, problem_id) == "已完成"
    assert row.button.isEnabled() and row.button.text() == "申请销号…"
    pdf = tmp_path / "公示.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdf), ""))

    def sign_off(dialog):
        assert dialog.step_button.text() == "提交销号申请"
        dialog.day.setDate(QDate(2023, 9, 20))
        dialog.step_button.click()
        assert status_in_file(path, problem_id) == "销号中"
        assert dialog.strip.labels["申请销号"].text() == "申请销号"  # the current stage

        # 验收 waits for every criterion of the checklist.
        assert dialog.step_button.text() == "验收通过" and not dialog.step_button.isEnabled()
        assert "验收清单还有未勾选的项目" in dialog.hint.text()
        tick_all(qtbot, dialog, path, problem_id)
        qtbot.waitUntil(dialog.step_button.isEnabled)
        dialog.day.setDate(QDate(2023, 9, 26))
        dialog.step_button.click()
        assert read(path, lambda l: signoffs.current(l, problem_id))["stage"] == "验收"
        assert status_in_file(path, problem_id) == "销号中"

        # 公示: 5 working days from 28 September 2023 skip 中秋 and 国庆 and count the 调休 weekend.
        dialog.publicity.start.setDate(QDate(2023, 9, 28))
        dialog.publicity.days.setValue(5)
        assert dialog.publicity.result.text() == "公示时间：2023年9月28日至2023年10月10日（共5个工作日）"
        assert dialog.publicity.end.date() == QDate(2023, 10, 10)
        assert not dialog.publicity.warning.isVisibleTo(dialog)
        type_chinese(dialog.contacts["office"], "青山县督察整改办")
        dialog.contacts["office"].editingFinished.emit()
        type_chinese(dialog.contacts["phone"], "0743-1234567")
        dialog.contacts["phone"].editingFinished.emit()
        assert dialog.step_button.text() == "开始公示"
        dialog.step_button.click()
        current = read(path, lambda l: signoffs.current(l, problem_id))
        assert (current["stage"], current["publicity_start"], current["publicity_end"],
                current["publicity_working_days"]) == ("公示", "2023-09-28", "2023-10-10", 5)
        assert current["office"] == "青山县督察整改办"
        assert status_in_file(path, problem_id) == "销号中"

        # The notice, as the clerk saves it to PDF.
        assert dialog.save_notice_pdf() == pdf
        text = pdf_text(pdf)
        assert "关于第二轮中央生态环境保护督察反馈问题（问题编号一）整改销号情况的公示" in text
        assert "公示时间：2023年9月28日至2023年10月10日（共5个工作日）" in text
        assert "受理单位：青山县督察整改办" in text and "联系电话：0743-1234567" in text
        # the 销号审批表 as a Word document, to fill in and stamp
        form = tmp_path / "审批表.docx"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(form), ""))
        assert dialog.save_form_docx() == form
        assert "督察整改问题销号审批表" in "".join(p.text for p in Document(str(form)).paragraphs)
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdf), ""))
        assert "责任清单已印发执行。" in text

        # 已销号 only after the period: on its last day the step is refused.
        dialog.day.setDate(QDate(2023, 10, 10))
        assert not dialog.step_button.isEnabled()
        assert "公示期到2023年10月10日才结束" in dialog.hint.text()
        dialog.day.setDate(QDate(2023, 10, 11))
        assert dialog.step_button.text() == "确认销号" and dialog.step_button.isEnabled()
        answer_next_dialog(click_button("确认销号"))
        dialog.step_button.click()
        assert status_in_file(path, problem_id) == "已销号"
        assert [dialog.events.index(r, 1).data() for r in range(dialog.events.rowCount())] == [
            "申请销号", "验收", "公示", "已销号"]
        assert dialog.back_button.text() == "撤销销号…"
    in_dialog(row.button.click, sign_off)

    assert window.ledger_view.model.index_for("problem", problem_id) \
        .siblingAtColumn(COL_STATUS).data() == "已销号"
    assert editor.status.currentData() == "已销号" and not editor.status.isEnabled()
    assert row.label.text() == "已于 2023-10-11 销号"
    assert row.button.text() == "办理销号…"

    # Each step is one undo: back to 公示, then redone.
    window.undo_action.trigger()
    assert status_in_file(path, problem_id) == "销号中"
    assert read(path, lambda l: signoffs.current(l, problem_id))["stage"] == "公示"
    assert row.label.text() == "公示中：2023-09-28 至 2023-10-10"
    window.redo_action.trigger()
    assert status_in_file(path, problem_id) == "已销号"


def test_send_back_with_a_reason_and_undo(qtbot, open_window, sample_ledger_file):
    path = sample_ledger_file
    window, problem_id = open_on(open_window, path, 0)
    finish_problem_one(qtbot, window)
    row = window.editor.problem.signoff

    def apply_and_send_back(dialog):
        dialog.day.setDate(QDate(2023, 9, 20))
        dialog.step_button.click()
        assert status_in_file(path, problem_id) == "销号中"
        # Without a reason nothing happens.
        answer_next_dialog(lambda box: box.reject())
        dialog.back_button.click()
        assert status_in_file(path, problem_id) == "销号中"

        def reason(box):
            box.setTextValue("佐证材料不齐全，缺少会议纪要。")
            box.accept()
        answer_next_dialog(reason)
        dialog.day.setDate(QDate(2023, 9, 25))
        dialog.back_button.click()
        assert status_in_file(path, problem_id) == "整改中"
        assert dialog.strip.returned.isVisibleTo(dialog)
        assert dialog.events.index(1, 1).data() == "退回（申请销号阶段）"
        assert dialog.events.index(1, 2).data() == "佐证材料不齐全，缺少会议纪要。"
        assert not dialog.back_button.isVisibleTo(dialog)
    in_dialog(row.button.click, apply_and_send_back)

    assert row.label.text() == "上次销号已退回（2023-09-25）：佐证材料不齐全，缺少会议纪要。"
    assert row.button.text() == "申请销号…" and not row.button.isEnabled()  # 整改中 again
    assert window.editor.problem.status.isEnabled()
    window.undo_action.trigger()
    assert status_in_file(path, problem_id) == "销号中"
    assert read(path, lambda l: signoffs.current(l, problem_id))["stage"] == "申请销号"


def test_publicity_in_a_year_without_holidays_warns(qtbot, open_window, sample_ledger_file):
    path = sample_ledger_file
    window, problem_id = open_on(open_window, path, 0)
    finish_problem_one(qtbot, window)

    def typed_ends(dialog):
        dialog.step_button.click()  # 申请销号, today
        dialog.publicity.start.setDate(QDate(2031, 2, 3))
        dialog.publicity.by_end.setChecked(True)
        dialog.publicity.end.setDate(QDate(2031, 2, 14))
        assert dialog.publicity.days.value() == 10  # Monday to Friday, two weeks
        assert dialog.publicity.warning.isVisibleTo(dialog)
        assert "2031年的法定节假日安排还没有录入" in dialog.publicity.warning.text()
        qtbot.waitUntil(lambda: read(path, lambda l: signoffs.current(l, problem_id))[
            "publicity_end"] == "2031-02-14")
    in_dialog(window.editor.problem.signoff.button.click, typed_ends)
    current = read(path, lambda l: signoffs.current(l, problem_id))
    assert (current["publicity_start"], current["publicity_working_days"]) == ("2031-02-03", 10)
    window.undo_action.trigger()  # the typed period is one undo step
    assert read(path, lambda l: signoffs.current(l, problem_id))["publicity_start"] is None


@needs_pdftotext
def test_batch_print_defaults_to_problems_in_publicity(qtbot, open_window, sample_ledger_file,
                                                       tmp_path, monkeypatch, settings):
    path = sample_ledger_file
    settings.org_name = "青山县人民政府"  # the welcome's 单位名称: 受理单位 and 落款 of both
    ledger = Ledger.open(path)
    problems = ledger.tree(ledger.inspections()[0]["id"]).problems
    for node in problems[:2]:  # 问题编号一 and 二 in 公示, 问题编号三 only applied
        for measure in ledger.measures(node.id):
            ledger.update("measure", measure["id"], completion="已完成。")
        ledger.update("problem", node.id, status="已完成")
        step = signoffs.apply(ledger, node.id, "2023-09-01", ["整改到位"])
        signoffs.tick(ledger, step.signoff_id, 0)
        signoffs.advance(ledger, step.signoff_id, "2023-09-04")
        signoffs.set_publicity(ledger, step.signoff_id, "2023-09-05", 5)
        signoffs.advance(ledger, step.signoff_id)
    for measure in ledger.measures(problems[2].id):
        ledger.update("measure", measure["id"], completion="已完成。")
    ledger.update("problem", problems[2].id, status="已完成")
    signoffs.apply(ledger, problems[2].id, "2023-09-01")
    ledger.close()
    window = open_window(path)
    pdf = tmp_path / "批量公示.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdf), ""))

    def batch(dialog):
        assert dialog.chosen() == [problems[0].id, problems[1].id]
        assert dialog.count.text() == "已选 2 项"
        assert dialog.save_pdf() == pdf
    in_dialog(window.tools.batch_print_action.trigger, batch)
    text = pdf_text(pdf)
    assert "（问题编号一）整改销号情况的公示" in text and "（问题编号二）整改销号情况的公示" in text
    assert "问题编号三" not in text
    assert text.count("公示时间：2023年9月5日至2023年9月11日（共5个工作日）") == 2
    assert text.count("受理单位：青山县人民政府") == 2 and "传真" not in text


def test_edited_notice_text_is_kept_and_undone(qtbot, open_window, sample_ledger_file, settings):
    path = sample_ledger_file
    window, problem_id = open_on(open_window, path, 0)
    finish_problem_one(qtbot, window)

    def edit(dialog):
        dialog.step_button.click()
        # no 单位名称 and no 受理单位: the notice has no 落款 and is not printed
        answer_next_dialog(lambda box: (titles.append(box.windowTitle()), box.reject()))
        titles = []
        dialog.preview_button.click()
        assert titles == ["公示不能打印"]
        settings.org_name = "青山县人民政府"

        def change(text_dialog):
            text = text_dialog.editor.toPlainText()
            assert text.startswith("关于第二轮中央生态环境保护督察反馈问题（问题编号一）整改销号情况的公示")
            text_dialog.editor.setPlainText(text.replace("整改销号情况的公示", "整改销号情况的公示（更正）", 1))
            text_dialog.accept()
        answer_next_dialog(change)
        dialog.edit_notice_button.click()
        assert "手工编辑" in dialog.notice_note.text()
        # Both print previews open (printing or Qt's PDF from there); the edited title is used.
        titles = []
        for button in (dialog.preview_button, dialog.form_button):
            answer_next_dialog(lambda preview: (titles.append(preview.windowTitle()), preview.reject()))
            button.click()
        assert titles == ["打印预览 — 关于第二轮中央生态环境保护督察反馈问题（问题编号一）整改销号情况的公示（更正）",
                          "打印预览 — 督察整改问题销号审批表"]
    in_dialog(window.editor.problem.signoff.button.click, edit)
    kept = read(path, lambda l: signoffs.current(l, problem_id))["notice_text"]
    assert "整改销号情况的公示（更正）" in kept
    window.undo_action.trigger()
    assert read(path, lambda l: signoffs.current(l, problem_id))["notice_text"] == ""


def test_checklist_of_one_signoff_can_be_extended(qtbot, open_window, sample_ledger_file):
    path = sample_ledger_file
    window, problem_id = open_on(open_window, path, 0)
    finish_problem_one(qtbot, window)
    stored = lambda: [(i.item, i.checked) for i in read(  # noqa: E731
        path, lambda l: signoffs.current(l, problem_id))["checklist"]]

    def extend(dialog):
        dialog.step_button.click()
        tick_all(qtbot, dialog, path, problem_id)
        assert dialog.step_button.isEnabled()
        dialog.checklist_box.add_button.click()
        editor = dialog.checklist.findChild(QLineEdit)  # the new criterion opens for typing
        editor.setText("群众满意度测评达到90%")
        dialog.checklist.commitData(editor)
        dialog.checklist.closeEditor(editor, QAbstractItemDelegate.NoHint)
        qtbot.waitUntil(lambda: stored()[-1] == ("群众满意度测评达到90%", False))
        assert not dialog.step_button.isEnabled()
        assert "群众满意度测评达到90%" in dialog.hint.text()
        dialog.checklist.setCurrentRow(dialog.checklist.count() - 1)
        dialog.checklist_box.remove_button.click()
        assert len(stored()) == 5 and all(checked for _item, checked in stored())
        assert dialog.step_button.isEnabled()
    in_dialog(window.editor.problem.signoff.button.click, extend)


def test_undo_and_redo_across_a_new_application(qtbot, open_window, sample_ledger_file):
    """Redoing 申请销号 makes a new sign-off row: the ticks redone after it must land on it."""
    path = sample_ledger_file
    window, problem_id = open_on(open_window, path, 0)
    finish_problem_one(qtbot, window)

    def apply_and_tick(dialog):
        dialog.day.setDate(QDate(2023, 9, 20))
        dialog.step_button.click()
        tick_all(qtbot, dialog, path, problem_id)
    in_dialog(window.editor.problem.signoff.button.click, apply_and_tick)
    stack = window.document.undo_stack
    steps = 6  # 申请销号 and five ticks
    for _ in range(steps):
        window.undo_action.trigger()
    assert read(path, lambda l: signoffs.current(l, problem_id)) is None
    assert status_in_file(path, problem_id) == "已完成"
    for _ in range(steps):
        window.redo_action.trigger()
    current = read(path, lambda l: signoffs.current(l, problem_id))
    assert current["applied_on"] == "2023-09-20" and all(i.checked for i in current["checklist"])
    assert not stack.canRedo() and status_in_file(path, problem_id) == "销号中"
