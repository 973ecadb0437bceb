"""Adding, deleting and moving categories, subcategories and problems from the window."""

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from ..messages import ask_text, confirm


class StructureActions(QObject):
    """The Edit-menu actions that change the ledger's shape, acting on the ledger view's selection."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        make = window._action
        self.add_category_action = make(self.tr("新增大类"), self.add_category, "Ctrl+Shift+N",
                                        self.tr("在当前大类后面新增一个大类（一、二、……）"))
        self.add_subcategory_action = make(self.tr("新增小类"), self.add_subcategory, "Ctrl+Shift+M",
                                           self.tr("在当前大类里新增一个小类（（一）、（二）……）"))
        self.add_problem_action = make(self.tr("新增问题"), self.add_problem, "Ctrl+N",
                                       self.tr("在当前位置后面新增一项问题"))
        self.delete_action = make(self.tr("删除"), self.delete, QKeySequence.Delete,
                                  self.tr("删除选中的问题或类别（可以撤销）"))
        self.move_up_action = make(self.tr("上移"), lambda: self.move_by(-1), "Alt+Up",
                                   self.tr("把选中的一项往前挪一位"))
        self.move_down_action = make(self.tr("下移"), lambda: self.move_by(+1), "Alt+Down",
                                     self.tr("把选中的一项往后挪一位"))
        # Delete must not fire while the clerk deletes text in an editor field.
        self.delete_action.setShortcutContext(Qt.WidgetShortcut)
        window.ledger_view.tree.addAction(self.delete_action)
        window.ledger_view.results.addAction(self.delete_action)

    def actions(self) -> list[QAction | None]:
        return [self.add_category_action, self.add_subcategory_action, self.add_problem_action, None,
                self.delete_action, self.move_up_action, self.move_down_action]

    @property
    def document(self):
        return self.window.document

    @property
    def view(self):
        return self.window.ledger_view

    def update_enabled(self) -> None:
        editable = self.document is not None and not self.document.read_only
        has_inspection = editable and self.view.inspection_id is not None
        node = self.view.current_node() if has_inspection else None
        self.add_category_action.setEnabled(has_inspection)
        self.add_subcategory_action.setEnabled(node is not None)
        self.add_problem_action.setEnabled(has_inspection and bool(self.view.model.tree and
                                                                   self.view.model.tree.categories))
        for action in (self.delete_action, self.move_up_action, self.move_down_action):
            action.setEnabled(node is not None)

    def _current(self):
        key = self.view.current_key()
        return key, (self.view.current_node() if key else None)

    def add_category(self) -> None:
        key, node = self._current()
        title = ask_text(self.window, self.tr("新增大类"),
                         self.tr("大类名称（不用写“一、”，序号自动编排）："))
        if not title:
            return
        top = node.parent if key and key[0] == "problem" else node
        while top is not None and top.parent is not None:
            top = top.parent
        index = top.row["position"] + 1 if top is not None else None
        self.document.add_category(self.view.inspection_id, title, None, index)

    def add_subcategory(self) -> None:
        key, node = self._current()
        if node is None:
            return
        category = node.parent if key[0] == "problem" else node
        if category.is_subcategory:
            index, parent = category.row["position"] + 1, category.parent
        else:
            index, parent = None, category
        title = ask_text(self.window, self.tr("新增小类"),
                         self.tr("在“%1”下新增小类，名称（不用写“（一）”）：").replace("%1", parent.title))
        if title:
            self.document.add_category(self.view.inspection_id, title, parent.id, index)

    def add_problem(self) -> None:
        key, node = self._current()
        if key is None:
            tree = self.view.model.tree
            category, index = tree.categories[-1], None
            while category.children:
                category = category.children[-1]
        elif key[0] == "problem":
            category, index = node.parent, node.row["position"] + 1
        else:
            category, index = node, None
        new_id = self.document.add_problem(category.id, index)
        if new_id is not None:
            self.window.editor.problem.focus_field(self.window.editor.problem.description)

    def delete(self) -> None:
        key, node = self._current()
        if node is None:
            return
        window = self.window
        if key[0] == "problem":
            excerpt = node.row["description"][:40] or self.tr("（未填写）")
            question = self.tr("删除第 %1 项问题“%2”？").replace("%1", str(node.number)).replace("%2", excerpt)
        else:
            question = self.tr("删除“%1%2”及其中的 %3 项问题？").replace("%1", node.label).replace(
                "%2", node.title).replace("%3", str(len(node.all_problems())))
        question += self.tr("\n删除后可以用“撤销”（Ctrl+Z）恢复。")
        if confirm(window, self.tr("删除"), question):
            window.editor.flush()
            self.document.delete(key[0], key[1])

    def move_by(self, step: int) -> None:
        key, node = self._current()
        if node is None:
            return
        index = node.row["position"] + step
        if index < 0:
            return
        self.window.editor.flush()
        self.document.move(key[0], key[1], index)

    def move_to(self, kind: str, row_id: int, parent_id, index: int) -> None:
        """A drop in the ledger tree."""
        if self.document is not None and not self.document.read_only:
            self.window.editor.flush()
            self.document.move(kind, row_id, index, parent_id)
