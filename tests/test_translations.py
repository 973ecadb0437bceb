"""lupdate and the running program must agree on each string's context, or a translator's work never
shows: self.tr() looks a string up under the object's class, so lupdate has to file it under that
class too. A helper that borrows the window's tr (window.tr("…")) is filed under "window" by lupdate
but looked up under "MainWindow" at run time; these tests keep that from coming back."""

import ast
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

UI = Path(__file__).parent.parent / "desktop_app" / "ui"
LUPDATE = Path(sys.executable).parent / "pyside6-lupdate"


def lupdate_contexts(sources: list[Path], ts: Path) -> dict[str, int]:
    """Each context lupdate files the sources' strings under, with how many strings it holds."""
    subprocess.run([str(LUPDATE), "-silent", *map(str, sources), "-ts", str(ts)], check=True)
    return {context.findtext("name"): len(context.findall("message"))
            for context in ET.parse(ts).getroot().iter("context")}


def known_contexts(sources: list[Path]) -> set[str]:
    """A class of these modules (self.tr) or a module's own name (QCoreApplication.translate("app", …)
    in a function that has no QObject)."""
    classes = {node.name for path in sources for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
               if isinstance(node, ast.ClassDef)}
    return classes | {path.stem for path in sources}


def borrowed_tr(path: Path) -> list[str]:
    """tr() called on something other than self, or bare: lupdate cannot tell which class it means."""
    found = []
    for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(call, ast.Call):
            continue
        function = call.func
        if isinstance(function, ast.Attribute) and function.attr == "tr":
            owner = function.value
            if not (isinstance(owner, ast.Name) and owner.id == "self"):
                found.append((call.lineno, ast.unparse(function)))
        elif isinstance(function, ast.Name) and function.id == "tr":
            found.append((call.lineno, "tr"))
    return [f"{path.name}:{line}: {called}()" for line, called in sorted(found)]


def test_the_checks_catch_a_borrowed_tr(tmp_path):
    sample = tmp_path / "sample_actions.py"
    sample.write_text("from PySide6.QtCore import QCoreApplication, QObject\n\n\n"
                      "class SampleActions(QObject):\n"
                      "    def __init__(self, window):\n"
                      "        super().__init__(window)\n"
                      "        self.window = window\n"
                      "        self.tr('新增大类')\n"
                      "        window.tr('删除')\n"
                      "        self.window.tr('上移')\n\n\n"
                      "def warn_here(parent):\n"
                      "    tr = parent.tr\n"
                      "    tr('打不开')\n"
                      "    QCoreApplication.translate('sample_actions', '没能保存')\n", encoding="utf-8")
    contexts = lupdate_contexts([sample], tmp_path / "sample.ts")
    assert contexts == {"SampleActions": 1, "window": 1, "self.window": 1, "parent": 1, "sample_actions": 1}
    assert set(contexts) - known_contexts([sample]) == {"window", "self.window", "parent"}
    assert borrowed_tr(sample) == ["sample_actions.py:9: window.tr()", "sample_actions.py:10: self.window.tr()",
                                   "sample_actions.py:15: tr()"]


def test_every_context_lupdate_files_is_a_class_or_a_module_of_the_ui(tmp_path):
    sources = sorted(UI.rglob("*.py"))
    contexts = lupdate_contexts(sources, tmp_path / "ui.ts")
    assert sum(contexts.values()) > 800 and "MainWindow" in contexts and "StructureActions" in contexts
    unknown = sorted(set(contexts) - known_contexts(sources))
    assert not unknown, f"strings filed under contexts Qt never looks up at run time: {unknown}"


def test_tr_is_only_called_on_self():
    found = [hit for path in sorted(UI.rglob("*.py")) for hit in borrowed_tr(path)]
    assert not found, "tr() on another object; use self.tr() in a QObject, else QCoreApplication.translate:\n" \
        + "\n".join(found)


def test_a_translation_made_from_lupdates_file_shows_on_the_window(qapp, tmp_path, open_window, sample_ledger_file):
    """End to end: translate two helpers' menu items in the .ts lupdate writes; the window shows them."""
    from PySide6.QtCore import QTranslator
    ts = tmp_path / "dc-ledger_en.ts"
    lupdate_contexts(sorted(UI.rglob("*.py")), ts)
    wanted = {("StructureActions", "新增大类"): "New category", ("ToolActions", "设置…"): "Settings…"}
    tree = ET.parse(ts)
    for context in tree.getroot().iter("context"):
        for message in context.iter("message"):
            english = wanted.pop((context.findtext("name"), message.findtext("source")), None)
            if english:
                translation = message.find("translation")
                translation.text, translation.attrib = english, {}
    assert not wanted
    tree.write(ts, encoding="utf-8")
    subprocess.run([str(LUPDATE.with_name("pyside6-lrelease")), "-silent", str(ts)], check=True)
    translator = QTranslator()
    assert translator.load(str(ts.with_suffix(".qm")))
    qapp.installTranslator(translator)
    try:
        window = open_window(sample_ledger_file)
        assert window.structure.add_category_action.text() == "New category"
        assert window.tools.settings_action.text() == "Settings…"
        assert window.structure.add_problem_action.text() == "新增问题"  # untranslated: the Chinese source
    finally:
        qapp.removeTranslator(translator)
