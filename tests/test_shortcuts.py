"""Keyboard shortcuts and tooltips of the main window: frequent actions have keys, no key does two things."""

import re
from collections import defaultdict

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QToolBar, QWidget

from desktop_app.ui.help.window import help_page

# What a clerk does every month, and the key the help page promises for it.
FREQUENT = {
    "Ctrl+N": "新增问题", "Ctrl+Shift+N": "新增大类", "Ctrl+Shift+M": "新增小类",
    "Ctrl+R": "填写进展", "Ctrl+F": "查找", "Ctrl+E": "导出 Excel 台账…",
    "Ctrl+I": "导入 Excel 或整改方案…", "Ctrl+P": "批量打印公示…", "Ctrl+,": "设置…",
    "F1": "使用说明", "Del": "删除", "Ctrl+Z": "撤销", "Ctrl+Y": "重做", "Ctrl+O": "打开台账文件…",
}


def shortcuts(window) -> dict[str, list[QAction]]:
    """Every key sequence bound to an action of the window → the actions bound to it."""
    bound = defaultdict(list)
    for action in window.findChildren(QAction):
        for sequence in action.shortcuts():
            bound[sequence.toString(QKeySequence.PortableText)].append(action)
    return bound


def _scope(action) -> list[QWidget] | None:
    """Where the key works: None for the whole window, else the widgets it is limited to."""
    if action.shortcutContext() in (Qt.WindowShortcut, Qt.ApplicationShortcut):
        return None
    return [w for w in action.associatedObjects() if isinstance(w, QWidget) and not isinstance(w, QMenu)]


def _overlap(a, b) -> bool:
    """Both keys can be live at once: Qt then calls the key ambiguous and does neither."""
    scope_a, scope_b = _scope(a), _scope(b)
    if scope_a is None or scope_b is None:
        return True
    return any(x is y or x.isAncestorOf(y) or y.isAncestorOf(x) for x in scope_a for y in scope_b)


def menu_actions(window) -> list[QAction]:
    found, menus = [], [window.menuBar()]
    while menus:
        for action in menus.pop().actions():
            if action.menu():
                menus.append(action.menu())
            elif not action.isSeparator():
                found.append(action)
    return found


def test_no_key_is_bound_twice(qtbot, open_window, sample_ledger_file):
    window = open_window(sample_ledger_file)
    bound = shortcuts(window)
    assert len(bound) >= len(FREQUENT)
    twice = {key: [a.text() for a in actions] for key, actions in bound.items()
             if any(_overlap(a, b) for i, a in enumerate(actions) for b in actions[i + 1:])}
    assert not twice, f"keys bound to more than one action at once: {twice}"


def test_frequent_actions_have_their_keys_in_the_menus(qtbot, open_window, sample_ledger_file):
    window = open_window(sample_ledger_file)
    # 撤销 and 重做 carry what they would undo ("撤销 新增问题").
    by_text = {re.sub(r"^(撤销|重做) .*", r"\1", action.text()): action for action in menu_actions(window)}
    for key, text in FREQUENT.items():
        keys = [k.toString(QKeySequence.PortableText) for k in by_text[text].shortcuts()]
        assert key in keys, (text, keys)


def test_toolbar_actions_explain_themselves_in_chinese(qtbot, open_window, sample_ledger_file):
    window = open_window(sample_ledger_file)
    actions = [a for bar in window.findChildren(QToolBar) for a in bar.actions() if not a.isSeparator()]
    assert len(actions) >= 10
    for action in actions:
        tip = action.toolTip()
        assert tip != action.text() and re.search(r"[\u4e00-\u9fff]{4,}", tip), action.text()
        keys = action.shortcut().toString(QKeySequence.NativeText)
        assert not keys or tip.endswith(f"（{keys}）"), (action.text(), tip)


def test_the_help_page_lists_the_real_keys(qtbot, open_window, sample_ledger_file):
    window = open_window(sample_ledger_file)
    bound = shortcuts(window)
    html = help_page().read_text(encoding="utf-8")
    listed = re.findall(r'<td class="key">(.*?)</td>', html)
    assert "Ctrl+R" in listed and "F1" in listed
    named = {"Delete": "Del", "Alt+↑": "Alt+Up", "Alt+↓": "Alt+Down"}
    for cell in listed:
        for key in cell.split(" / "):
            if key == "Ctrl+Enter":  # the progress text box's own key, not a window action
                continue
            assert named.get(key, key) in bound, f"the help lists {key}, which nothing in the window uses"


def test_ctrl_r_takes_the_clerk_to_the_progress_box(qtbot, open_window, sample_ledger_file):
    window = open_window(sample_ledger_file)
    window.activateWindow()
    window.tools.progress_action.trigger()  # nothing selected: a hint, no error
    assert "选中一个问题" in window.statusBar().currentMessage()
    problem = window.ledger_view.model.tree.problems[3]
    window.ledger_view.select("problem", problem.id)
    window.tools.progress_action.trigger()
    box = window.editor.problem.progress.text
    qtbot.waitUntil(lambda: QApplication.focusWidget() is box, timeout=2000)
