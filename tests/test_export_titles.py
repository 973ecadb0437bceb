"""The export dialog shows the title as it prints; edited, it still fits every inspection."""

from desktop_app.formats.exporting.ledger_sheet import counted_values, fill_template, template_from_text
from window_helpers import answer_next_dialog

VALUES = counted_values("台账", {"org": "青山县人民政府", "name": "第二轮中央生态环境保护督察", "kind": "中央"}, 2, 5)


def test_an_edited_title_goes_back_to_a_template():
    template = "{org}{name}反馈意见整改任务清单"
    shown = fill_template(template, VALUES)
    assert shown == "青山县人民政府第二轮中央生态环境保护督察反馈意见整改任务清单"
    assert template_from_text(shown, template, VALUES) == template  # untouched: kept as it was
    edited = shown.replace("反馈意见整改任务清单", "整改落实情况表")
    assert template_from_text(edited, template, VALUES) == "{org}{name}整改落实情况表"
    summary = "共{categories}大类{problems}项"
    assert template_from_text("共2个大类、5项问题", summary, VALUES) == "共{categories}个大类、{problems}项问题"


def test_the_dialog_shows_no_template_codes(qtbot, open_window, sample_ledger_file):
    window = open_window(sample_ledger_file)
    seen = {}

    def read(dialog):
        seen["title"], seen["summary"] = dialog.title_template.text(), dialog.summary_template.text()
        dialog.title_template.setText(seen["title"].replace("反馈意见整改任务清单", "整改清单"))
        seen["options"] = dialog.options()
        dialog.reject()
    answer_next_dialog(read)
    window.export_action.trigger()  # rejected: nothing is exported
    assert seen
    assert seen["title"] == "青山县人民政府第二轮中央生态环境保护督察反馈意见整改任务清单"
    assert seen["summary"] == "共2大类5项"
    assert seen["options"].title_template == "{org}{name}整改清单"
    assert seen["options"].summary_template == "共{categories}大类{problems}项"
