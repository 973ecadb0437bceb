"""设置 in the real window: 预警天数 colour the ledger, 销号 defaults reach new sign-offs, and the
ledger's 放假安排 is entered (audited, undoable) for a year the official data does not cover, and the
回头看 months are typed as a clerk would."""

from datetime import date, timedelta

import pytest

from PySide6.QtCore import QDate, Qt

from desktop_app.store import holidays
from desktop_app.store import signoff as signoffs
from desktop_app.ui.ledger.model import COL_SCHEDULE
from window_helpers import in_dialog, type_chinese
from window_helpers import read_file as read


def schedule_colour(window, problem_id):
    index = window.ledger_view.model.index_for("problem", problem_id).siblingAtColumn(COL_SCHEDULE)
    return index.data(Qt.BackgroundRole).color().name()


def test_warning_days_colour_the_ledger(qtbot, open_window, settings, sample_ledger_file):
    window = open_window(sample_ledger_file)
    problem_id = window.ledger_view.model.tree.problems[3].id
    due = date.today() + timedelta(days=45)
    window.document.edit("problem", problem_id, status="整改中",
                         deadline_text=f"{due.year}年{due.month}月{due.day}日前")
    assert schedule_colour(window, problem_id) == "#eaf2fc"  # 45 days left: blue at 30

    def warn_earlier(dialog):
        assert dialog.warning_days.value() == 30
        dialog.warning_days.setValue(60)
        dialog.immediate_days.setValue(15)
    in_dialog(window.tools.settings_action.trigger, warn_earlier)
    assert settings.schedule_settings.warning_days == 60
    assert settings.schedule_settings.immediate_days == 15
    assert schedule_colour(window, problem_id) == "#fff3c4"  # yellow: within 60 days


def test_signoff_defaults_reach_a_new_signoff(qtbot, open_window, settings, sample_ledger_file):
    window = open_window(sample_ledger_file)

    def defaults(dialog):
        dialog.tabs.setCurrentIndex(1)
        type_chinese(dialog.contacts["office"], "青山县督察整改办")
        type_chinese(dialog.contacts["issuer"], "青山县生态环境保护督察整改工作领导小组办公室")
        dialog.working_days.setValue(7)
        dialog.checklist.setPlainText("整改措施全部完成\n群众满意\n")
    in_dialog(window.tools.settings_action.trigger, defaults)
    saved = settings.signoff_defaults
    assert saved.contacts.office == "青山县督察整改办" and saved.working_days == 7
    assert saved.checklist == ("整改措施全部完成", "群众满意")

    problem = window.ledger_view.model.tree.problems[1]  # 问题编号二, 已完成
    measure = window.document.ledger.measures(problem.id)[0]
    window.document.edit("measure", measure["id"], completion="已督导全部乡镇。")
    window.ledger_view.select("problem", problem.id)

    def apply(dialog):
        assert [dialog.checklist.item(r).text() for r in range(dialog.checklist.count())] == [
            "整改措施全部完成", "群众满意"]
        assert dialog.contacts["office"].text() == "青山县督察整改办"
        assert dialog.publicity.days.value() == 7
        dialog.step_button.click()
    in_dialog(window.editor.problem.signoff.button.click, apply)
    row = read(window.document.ledger.path, lambda l: signoffs.current(l, problem.id))
    assert row["office"] == "青山县督察整改办"
    assert row["issuer"] == "青山县生态环境保护督察整改工作领导小组办公室"
    assert [i.item for i in row["checklist"]] == ["整改措施全部完成", "群众满意"]


def test_holidays_of_a_year_without_official_data(qtbot, open_window, sample_ledger_file):
    window = open_window(sample_ledger_file)
    path = window.document.ledger.path

    def enter_2031(dialog):
        panel = dialog.holidays
        dialog.tabs.setCurrentWidget(panel)
        panel.year.setValue(2031)
        assert panel.model.rowCount() == 0
        assert "2031年的放假安排还没有录入" in panel.state.text()
        panel.first.setDate(QDate(2031, 1, 22))
        panel.last.setDate(QDate(2031, 1, 28))
        type_chinese(panel.note, "春节")
        panel.add_button.click()
        panel.first.setDate(QDate(2031, 1, 19))
        panel.last.setDate(QDate(2031, 1, 19))
        panel.kind.setCurrentIndex(panel.kind.findData(True))
        type_chinese(panel.note, "春节调休")
        panel.add_button.click()
        rows = [(panel.model.index(r, 0).data(), panel.model.index(r, 2).data(),
                 panel.model.index(r, 3).data()) for r in range(panel.model.rowCount())]
        assert rows[0] == ("2031-01-19", "上班（调休）", "手工录入")
        assert rows[1:] == [(f"2031-01-{d}", "放假", "手工录入") for d in range(22, 29)]
        assert "手工录入" in panel.state.text()
        # An official year is listed read-only.
        panel.year.setValue(2024)
        assert panel.model.index(0, 3).data() == "国家安排"
        panel.table.selectRow(0)
        assert not panel.remove_button.isEnabled()
    in_dialog(window.tools.settings_action.trigger, enter_2031)

    entered = read(path, lambda l: holidays.entries(l, 2031))
    assert len(entered) == 8 and entered[0]["is_workday"] and entered[0]["note"] == "春节调休"
    audited = read(path, lambda l: l.db.execute(
        "SELECT count(*) FROM audit_log WHERE entity = 'holiday'").fetchone()[0])
    assert audited == 8
    # 公示 over 春节 2031 is now counted with it, and without the warning.
    period = read(path, lambda l: signoffs.preview_publicity(l, "2031-01-20", 5))
    assert (period.end, period.warning) == (date(2031, 1, 31), None)  # Monday to Friday: 24 January

    window.undo_action.trigger()  # the 调休 day
    assert len(read(path, lambda l: holidays.entries(l, 2031))) == 7
    window.undo_action.trigger()
    assert read(path, lambda l: holidays.entries(l, 2031)) == []


def test_recheck_months_are_set_in_the_signoff_tab(qtbot, open_window, settings, sample_ledger_file,
                                                   monkeypatch):
    import desktop_app.ui.settings.dialog as settings_dialog
    window = open_window(sample_ledger_file)
    warnings = []
    monkeypatch.setattr(settings_dialog, "warn", lambda parent, title, text: warnings.append(text))

    def months(dialog):
        assert dialog.recheck_months.text() == "3、12"  # the default
        dialog.recheck_months.setText("三个月、12")
        dialog.accept()  # refused: the dialog stays open on the field, nothing saved
        assert dialog.isVisible() and dialog.tabs.currentIndex() == 1
        assert "“三个月”不是 1 到 120 之间的月数" in warnings[0]
        assert settings.recheck_months == (3, 12)
        dialog.recheck_months.setText("24，6")
    in_dialog(window.tools.settings_action.trigger, months)
    assert settings.recheck_months == (6, 24)


def test_recheck_months_read_as_a_clerk_types_them():
    from desktop_app.domain.recheck import months_text, parse_months
    assert parse_months("3、12") == parse_months("12,3") == parse_months(" 3 ，12；3 ") == (3, 12)
    assert months_text((6, 24)) == "6、24"
    for bad, said in (("", "请填写"), ("0", "“0”不是"), ("121", "“121”不是"), ("3.5", "“3.5”不是")):
        with pytest.raises(ValueError, match=said):
            parse_months(bad)
