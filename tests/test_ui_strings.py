"""Every Chinese text the window shows goes through Qt's translation mechanism (tr/translate), so
Qt Linguist can carry it to another language later. Checked on the source: a literal handed straight
to a widget, an action or a message box is what a translator would miss."""

import ast
import re
from pathlib import Path

UI = Path(__file__).parent.parent / "desktop_app" / "ui"
CJK = re.compile(r"[\u4e00-\u9fff]")
TRANSLATING = {"tr", "translate", "QT_TRANSLATE_NOOP", "QT_TR_NOOP"}
# Calls whose text arguments a clerk reads on screen.
SHOWN = {
    "setText", "setWindowTitle", "setToolTip", "setStatusTip", "setPlaceholderText", "setTitle",
    "setLabelText", "setOkButtonText", "setCancelButtonText", "setHeaderLabels", "setHorizontalHeaderLabels",
    "setSpecialValueText", "setSuffix", "setPrefix", "setInformativeText", "setDetailedText",
    "addItem", "addItems", "insertItem", "addMenu", "addAction", "addButton", "addTab", "insertTab", "addRow",
    "showMessage", "QLabel", "QPushButton", "QToolButton", "QCheckBox", "QRadioButton", "QAction",
    "QGroupBox", "QProgressDialog", "QMessageBox", "QToolBar", "QMenu", "warn", "confirm", "choose",
    "ask_text", "information", "warning", "critical", "question", "getSaveFileName", "getOpenFileName",
    "getOpenFileNames", "getExistingDirectory",
}


def _name(call: ast.Call) -> str:
    return call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")


def _untranslated(node: ast.AST):
    """Chinese string constants under node that no tr()/translate() call wraps."""
    if isinstance(node, ast.Call) and _name(node) in TRANSLATING:
        return
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and CJK.search(node.value):
        yield node
    for child in ast.iter_child_nodes(node):
        yield from _untranslated(child)


def bare_texts(path: Path) -> list[str]:
    found = []
    for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(call, ast.Call) and _name(call) in SHOWN:
            for argument in [*call.args, *(k.value for k in call.keywords)]:
                found += [f"{path.name}:{c.lineno}: {c.value!r}" for c in _untranslated(argument)]
    return found


def test_the_checker_finds_a_bare_literal_and_accepts_a_translated_one(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('label.setText("问题")\nlabel.setText(self.tr("问题"))\n'
                      'box.addButton("第" + n + self.tr("项"), role)\n', encoding="utf-8")
    assert bare_texts(sample) == ["sample.py:1: '问题'", "sample.py:3: '第'"]


def test_ui_text_goes_through_tr():
    found = [hit for path in sorted(UI.rglob("*.py")) for hit in bare_texts(path)]
    assert not found, "UI text without tr():\n" + "\n".join(found)
