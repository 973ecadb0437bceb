"""The ledger tree of one inspection as a Qt item model, and the filter over it."""

import re
from datetime import date

from PySide6.QtCore import QAbstractItemModel, QMimeData, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from ...domain.ledger_search import SearchIndex
from ...domain.ledger_tree import CategoryNode, LedgerTree, ProblemNode
from ...domain.schedule import ScheduleResult, ScheduleSettings, assess_problem
from ...domain.vocabulary import Band

MIME_TYPE = "application/x-dc-ledger-node"
SCHEDULE_PREFIX = "schedule:"  # a status-filter value that means a 时序进度, not a 整改状态
NO_EVIDENCE = "evidence:none"  # a status-filter value: problems with no 佐证材料
URI_LIST = "text/uri-list"  # files dropped on a problem row: its 佐证材料
KEY_ROLE = Qt.UserRole + 1  # ("category" | "problem", id)

# Columns of the ledger view (named so nothing depends on bare numbers).
(COL_NUMBER, COL_DESCRIPTION, COL_GOAL, COL_LEAD_OFFICIAL, COL_LEAD_UNIT, COL_DEADLINE, COL_STATUS,
 COL_SCHEDULE, COL_PROGRESS, COL_EVIDENCE) = range(10)
_PROBLEM_FIELDS = {COL_DESCRIPTION: "description", COL_GOAL: "goal",
                   COL_LEAD_OFFICIAL: "lead_official", COL_LEAD_UNIT: "lead_unit",
                   COL_DEADLINE: "deadline_text", COL_STATUS: "status"}
_UNIT_SEPARATORS = re.compile(r"[、，,；;/\s]+")
# Looked up once: each Qt.X attribute access costs microseconds in PySide6, per cell painted.
_DISPLAY, _TOOLTIP, _FONT = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.FontRole
_BACKGROUND, _ALIGNMENT = Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.TextAlignmentRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_RIGHT = int(Qt.AlignRight | Qt.AlignVCenter)
_ROOT_FLAGS = Qt.ItemIsDropEnabled
_PROBLEM_FLAGS = (Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemIsDragEnabled | Qt.ItemIsDropEnabled
                  | Qt.ItemNeverHasChildren)  # without it, expanding stores every problem row
_NONE_BRUSH = QBrush(QColor("#9e9e9e"))  # a greyed 0 in the 佐证 column
_CATEGORY_FLAGS = Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemIsDragEnabled | Qt.ItemIsDropEnabled
_SHOWN_CHARACTERS = 80
_CATEGORY_BRUSH = QBrush(QColor("#e9eef5"))
_SUBCATEGORY_BRUSH = QBrush(QColor("#f3f5f8"))
# 督查 practice colours rows 蓝/黄/红; tints keep the text readable.
_BAND_BRUSHES = {Band.BLUE: QBrush(QColor("#eaf2fc")), Band.YELLOW: QBrush(QColor("#fff3c4")),
                 Band.RED: QBrush(QColor("#fbdcdc"))}


def split_units(text: str) -> list[str]:
    """市委宣传部、市生态环境局 → the units one by one, for the unit filter."""
    return [u for u in _UNIT_SEPARATORS.split(text or "") if u]


def _report_tooltip(report: dict | None) -> str | None:
    if not report:
        return None
    who = f"（{report['reporter']}）" if report["reporter"] else ""
    return f"{report['report_date']}{who}\n{report['text']}"


class _Item:
    """A row of the Qt tree: wraps a domain node with its place among its siblings."""
    __slots__ = ("kind", "node", "parent", "children", "row", "schedule", "latest", "evidence")

    def __init__(self, kind, node, parent, row):
        self.kind, self.node, self.parent, self.row = kind, node, parent, row
        self.children: list[_Item] = []
        self.schedule: ScheduleResult | None = None  # worked out when first shown (schedule_of)
        self.latest: dict | None = None  # the newest progress report (store.progress)
        self.evidence = 0  # live 佐证材料

    @property
    def key(self) -> tuple[str, int]:
        return self.kind, self.node.id


class LedgerTreeModel(QAbstractItemModel):
    """Categories → subcategories → problems; problems numbered 1..M (domain.ledger_tree).

    Drops do not change the model: they ask for a move (move_requested), which the document
    performs as an undoable change and which rebuilds the model.
    """

    move_requested = Signal(str, int, object, int)  # kind, id, new parent id (None: top), index
    files_dropped = Signal(int, list)  # problem id, paths of files and folders dropped on it

    def __init__(self, parent=None):
        super().__init__(parent)
        self._roots: list[_Item] = []
        self._by_key: dict[tuple[str, int], _Item] = {}
        self._problem_items: list[tuple[int, _Item]] = []  # in ledger order
        self._categories: list[tuple[_Item, frozenset[int]]] = []  # with every problem under each
        self.tree: LedgerTree | None = None
        self._search = SearchIndex([])
        self._latest: dict[int, dict] = {}
        self._evidence: dict[int, int] = {}
        self.today = date.today()
        self._bold = QFont()
        self._bold.setBold(True)
        self.schedule_settings = ScheduleSettings()
        self.headers = [self.tr("序号"), self.tr("反馈问题"), self.tr("整改目标"), self.tr("责任领导"),
                        self.tr("责任单位"), self.tr("整改时限"), self.tr("状态"), self.tr("时序进度"),
                        self.tr("整改进展"), self.tr("佐证")]

    # -- contents --------------------------------------------------------------------------

    def set_tree(self, tree: LedgerTree | None, latest_reports: dict[int, dict] | None = None,
                 evidence_counts: dict[int, int] | None = None) -> None:
        """latest_reports: {problem_id: newest progress report} (store.progress.latest_reports);
        evidence_counts: {problem_id: live 佐证材料} (store.evidence_counts)."""
        self.beginResetModel()
        self.tree = tree
        self._roots, self._by_key = [], {}
        self._latest = latest_reports or {}
        self._evidence = evidence_counts or {}
        if tree is not None:
            for row, category in enumerate(tree.categories):
                self._roots.append(self._wrap_category(category, None, row))
        by_key = self._by_key
        self._problem_items = [(p.id, by_key[("problem", p.id)]) for p in (tree.problems if tree else [])]
        self._categories = [(by_key[key], frozenset(p.id for p in by_key[key].node.all_problems()))
                            for key in self.category_keys()]
        self._search = SearchIndex([(p.id, p.row, self._latest.get(p.id))
                                    for p in (tree.problems if tree else [])])
        self.endResetModel()

    def _wrap_category(self, category: CategoryNode, parent, row) -> _Item:
        item = _Item("category", category, parent, row)
        self._by_key[item.key] = item
        for problem in category.problems:
            child = _Item("problem", problem, item, len(item.children))
            child.latest = self._latest.get(problem.id)
            child.evidence = self._evidence.get(problem.id, 0)
            self._by_key[child.key] = child
            item.children.append(child)
        for sub in category.children:
            item.children.append(self._wrap_category(sub, item, len(item.children)))
        return item

    def start_indexing(self) -> None:
        """Build the search index in a thread (when the window has shown the tree)."""
        self._search.start()

    def schedule_of(self, item: _Item) -> ScheduleResult:
        """A problem's 时序进度, worked out when a row first needs it: opening 8,000 problems
        assessed them all, though a screen shows thirty."""
        if item.schedule is None:
            item.schedule = assess_problem(item.node.row, self.today, self.schedule_settings)
        return item.schedule

    def update_problem(self, row: dict, latest_report=...) -> None:
        """A problem's fields changed (not its place): refresh that row only.

        latest_report: its newest progress report now (None: it has none; left out: unchanged).
        """
        item = self._by_key.get(("problem", row["id"]))
        if item is None:
            return
        row["measures"] = row.get("measures", item.node.row.get("measures", []))
        item.node.row = row
        if latest_report is not ...:
            item.latest = latest_report
        item.schedule = None
        self._search.replace(row["id"], row, item.latest)
        self.dataChanged.emit(self.createIndex(item.row, 0, item),
                              self.createIndex(item.row, len(self.headers) - 1, item))

    def set_evidence_count(self, problem_id: int, count: int) -> None:
        """A problem's attachments were added, removed or restored: its 佐证 cell only."""
        item = self._by_key.get(("problem", problem_id))
        if item is not None and item.evidence != count:
            item.evidence = count
            index = self.createIndex(item.row, COL_EVIDENCE, item)
            self.dataChanged.emit(index, index)

    def update_category(self, row: dict) -> None:
        item = self._by_key.get(("category", row["id"]))
        if item is not None:
            item.node.row = row
            index = self.createIndex(item.row, 0, item)
            self.dataChanged.emit(index, index)

    def category_keys(self) -> list[tuple[str, int]]:
        """Every category and subcategory, parents before their children."""
        keys = []
        for root in self._roots:
            keys.append(root.key)
            keys.extend(child.key for child in root.children if child.kind == "category")
        return keys

    def item_of(self, key: tuple[str, int]) -> _Item | None:
        return self._by_key.get(key)

    def index_for(self, kind: str, row_id: int) -> QModelIndex:
        item = self._by_key.get((kind, row_id))
        return self.createIndex(item.row, 0, item) if item else QModelIndex()

    def problem_items(self, problem_ids) -> list[tuple[int, _Item]]:
        """(id, row) of these problems, in the ledger's order (numbered 1..M)."""
        return [entry for entry in self._problem_items if entry[0] in problem_ids]

    def key(self, index: QModelIndex) -> tuple[str, int] | None:
        return index.internalPointer().key if index.isValid() else None

    def units(self) -> list[str]:
        """Every responsible unit named in this inspection, for the unit filter."""
        found: dict[str, None] = {}
        for problem in (self.tree.problems if self.tree else []):
            for unit in split_units(problem.row["lead_unit"]):
                found.setdefault(unit)
        return sorted(found)

    def matching(self, text: str, status: str | None, unit: str | None,
                 only: frozenset[int] | None = None):
        """The problem and category ids to show for a query; None when nothing filters.

        status is a 整改状态 word, "schedule:" and a 时序进度 word, or NO_EVIDENCE (the filter
        offers all three);
        only, when given, is the set of problem ids the result may contain (the overview's links).
        """
        terms = text.casefold().split()
        if not terms and not status and not unit and only is None:
            return None
        if terms:
            problems = set(self._search.hits(terms))
        else:
            problems = {problem_id for problem_id, _item in self._problem_items}
        if only is not None:
            problems &= only
        if status or unit:
            no_evidence = status == NO_EVIDENCE
            by_schedule = bool(status) and status.startswith(SCHEDULE_PREFIX)
            wanted = status.removeprefix(SCHEDULE_PREFIX) if status and not no_evidence else None
            by_key, schedule_of = self._by_key, self.schedule_of

            def passes(item: _Item) -> bool:
                row = item.node.row
                actual = schedule_of(item).schedule if by_schedule else row["status"]
                return not ((wanted and actual != wanted) or (no_evidence and item.evidence)
                            or (unit and unit not in split_units(row["lead_unit"])))
            problems = {pid for pid in problems if passes(by_key[("problem", pid)])}
        # A category shows when a problem under it does (set operations: no walk per problem).
        categories = {item.node.id for item, under in self._categories if not under.isdisjoint(problems)}
        if terms and not status and not unit and only is None:
            # A category whose title matches shows itself with all its problems.
            for item, under in self._categories:
                if all(t in item.node.title.casefold() for t in terms):
                    problems |= under
                    categories.add(item.node.id)
                    categories.update(c.id for c in item.node.children)
                    if item.parent is not None:
                        categories.add(item.parent.node.id)
        return problems, categories

    # -- QAbstractItemModel ----------------------------------------------------------------

    def index(self, row, column, parent=QModelIndex()):
        siblings = parent.internalPointer().children if parent.isValid() else self._roots
        if 0 <= row < len(siblings) and 0 <= column < len(self.headers):
            return self.createIndex(row, column, siblings[row])
        return QModelIndex()

    def parent(self, index=QModelIndex()):
        if not index.isValid():
            return QModelIndex()
        parent = index.internalPointer().parent
        return self.createIndex(parent.row, 0, parent) if parent is not None else QModelIndex()

    def rowCount(self, parent=QModelIndex()):
        if parent.column() > 0:
            return 0
        return len(parent.internalPointer().children) if parent.isValid() else len(self._roots)

    def columnCount(self, parent=QModelIndex()):
        return len(self.headers)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index, role=_DISPLAY):
        if not index.isValid():
            return None
        item: _Item = index.internalPointer()
        if role == KEY_ROLE:
            return item.key
        if item.kind == "category":
            return self._category_data(item.node, index.column(), role)
        return self.problem_data(item, index.column(), role)

    def multiData(self, index, roles) -> None:
        """Every role a delegate asks of one cell, in one call: Qt 6 paints a cell from seven
        roles, and each data() call from C++ into Python costs more than the answer."""
        item: _Item = index.internalPointer()
        column = index.column()
        if item.kind == "category":
            node = item.node
            for role_data in roles:
                role_data.setData(self._category_data(node, column, role_data.role()))
            return
        problem_data = self.problem_data
        for role_data in roles:
            role = role_data.role()
            role_data.setData(item.key if role == KEY_ROLE else problem_data(item, column, role))

    def _category_data(self, node: CategoryNode, column: int, role):
        if (role == _DISPLAY or role == _TOOLTIP) and column == 0:
            return f"{node.label}{node.title}（{len(node.all_problems())}项）"
        if role == _FONT:
            return self._bold
        if role == _BACKGROUND:
            return _SUBCATEGORY_BRUSH if node.is_subcategory else _CATEGORY_BRUSH
        return None

    def problem_data(self, item: _Item, column: int, role):
        """A problem row's cell, for this model and for the flat results (ledger_results)."""
        node: ProblemNode = item.node
        if role == _DISPLAY:
            if column == COL_NUMBER:
                return str(node.number)
            if column == COL_SCHEDULE:
                return self.schedule_of(item).schedule.value
            if column == COL_PROGRESS:
                latest = item.latest
                return latest["text"][:_SHOWN_CHARACTERS].replace("\n", " ") if latest else ""
            if column == COL_EVIDENCE:
                return str(item.evidence)
            # A cell shows one line; the tooltip and the editor hold the whole text.
            text = node.row[_PROBLEM_FIELDS[column]] or ""
            return text[:_SHOWN_CHARACTERS].replace("\n", " ")
        if role == _BACKGROUND:
            return _BAND_BRUSHES[self.schedule_of(item).band]
        if role == _TOOLTIP:
            if column == COL_SCHEDULE:
                return self.schedule_of(item).reason
            if column == COL_NUMBER:
                return None
            if column == COL_PROGRESS:
                return _report_tooltip(item.latest)
            if column == COL_EVIDENCE:
                return (self.tr("%1 个佐证材料（可以把文件拖到这一行上添加）").replace("%1", str(item.evidence))
                        if item.evidence else self.tr("还没有佐证材料：可以把文件或文件夹拖到这一行上添加"))
            return node.row[_PROBLEM_FIELDS[column]] or None
        if role == _ALIGNMENT and (column == COL_NUMBER or column == COL_EVIDENCE):
            return _RIGHT
        if role == _FOREGROUND and column == COL_EVIDENCE and not item.evidence:
            return _NONE_BRUSH
        return None

    # -- drag and drop ---------------------------------------------------------------------

    def flags(self, index):
        if not index.isValid():
            return _ROOT_FLAGS
        return _CATEGORY_FLAGS if index.internalPointer().kind == "category" else _PROBLEM_FLAGS

    def supportedDropActions(self):
        return Qt.MoveAction | Qt.CopyAction  # copy: files from outside, attached as 佐证材料

    def mimeTypes(self):
        return [MIME_TYPE, URI_LIST]

    @staticmethod
    def _dropped_files(mime: QMimeData, parent: QModelIndex) -> tuple[int, list[str]] | None:
        """(problem id, local paths) when files are dropped onto a problem row."""
        if mime.hasFormat(MIME_TYPE) or not mime.hasUrls() or not parent.isValid():
            return None
        item = parent.internalPointer()
        paths = [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]
        return (item.node.id, paths) if item.kind == "problem" and paths else None

    def mimeData(self, indexes):
        keys = {index.internalPointer().key for index in indexes if index.isValid()}
        if len(keys) != 1:
            return None
        kind, row_id = keys.pop()
        mime = QMimeData()
        mime.setData(MIME_TYPE, f"{kind}:{row_id}".encode())
        return mime

    def _decode(self, mime: QMimeData):
        if not mime.hasFormat(MIME_TYPE):
            return None
        kind, _, row_id = bytes(mime.data(MIME_TYPE)).decode().partition(":")
        item = self._by_key.get((kind, int(row_id)))
        return item

    def drop_target(self, item: _Item, row: int, parent: QModelIndex):
        """Where a dragged item lands: (new parent id, index) or None where it cannot go."""
        target = parent.internalPointer() if parent.isValid() else None
        if item.kind == "problem":
            if target is None:
                return None
            if target.kind == "problem":  # dropped onto a problem: take its place
                row, target = target.row, target.parent
            problems = target.node.problems
            index = len(problems) if row < 0 else min(row, len(problems))
            return self._same_parent_adjust(item, target.node.id, index)
        # a category
        if target is not None and target.kind == "problem":
            return None
        if target is None:
            index = len(self._roots) if row < 0 else row
            return self._same_parent_adjust(item, None, index)
        if target.node.is_subcategory:  # dropped onto a subcategory: just after it
            return self._same_parent_adjust(item, target.parent.node.id, target.row - len(
                target.parent.node.problems) + 1)
        if item.node.children or target is item:
            return None
        offset = len(target.node.problems)
        index = len(target.node.children) if row < 0 else max(0, row - offset)
        return self._same_parent_adjust(item, target.node.id, index)

    @staticmethod
    def _same_parent_adjust(item: _Item, parent_id, index: int):
        """Qt counts the dragged row among the siblings; the ledger counts without it."""
        node_row = item.node.row
        current_parent = node_row.get("category_id", node_row.get("parent_id"))
        if current_parent == parent_id and index > node_row["position"]:
            index -= 1
        return parent_id, index

    def canDropMimeData(self, data, action, row, column, parent):
        if self._dropped_files(data, parent) is not None:
            return row < 0  # onto the problem, not between rows
        item = self._decode(data)
        return item is not None and self.drop_target(item, row, parent) is not None

    def dropMimeData(self, data, action, row, column, parent):
        files = self._dropped_files(data, parent)
        if files is not None:
            self.files_dropped.emit(*files)
            return False  # nothing to insert into the tree: the files are copied to the store
        item = self._decode(data)
        target = self.drop_target(item, row, parent) if item else None
        if target is not None:
            self.move_requested.emit(item.kind, item.node.id, target[0], target[1])
        return False  # the move rebuilds the model; the view must not remove the dragged row


class LedgerFilterProxy(QSortFilterProxyModel):
    """Shows the problems (and their categories) that LedgerTreeModel.matching selected."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.criteria = ("", None, None, None)  # (text, status, unit, only) as last set
        self._visible = None

    def set_filter(self, text: str, status: str | None = None, unit: str | None = None,
                   only: frozenset[int] | None = None) -> None:
        self.criteria = (text, status, unit, only)
        self.beginFilterChange()
        self._visible = self.sourceModel().matching(text, status, unit, only)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    @property
    def matched_problems(self) -> int | None:
        """How many problems the filter shows; None when nothing filters."""
        return None if self._visible is None else len(self._visible[0])

    def refresh(self) -> None:
        """Apply the same criteria again after the ledger changed."""
        self.set_filter(*self.criteria)

    def filterAcceptsRow(self, source_row, source_parent):
        if self._visible is None:
            return True
        item = self.sourceModel().index(source_row, 0, source_parent).internalPointer()
        problems, categories = self._visible
        return item.node.id in (problems if item.kind == "problem" else categories)
