"""The ledger tree of the selected inspection, with its summary line and the filter bar."""


from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFrame, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QPushButton, QSizePolicy, QStackedWidget, QTableView, QTreeView,
                               QVBoxLayout, QWidget)

from ... import collector
from ...domain.vocabulary import Schedule, Status
from ...store import progress
from ...store.evidence_counts import evidence_counts
from ..after_paint import after_next_paint
from .model import (COL_DEADLINE, COL_DESCRIPTION, COL_EVIDENCE, COL_GOAL, COL_LEAD_OFFICIAL,
                           COL_LEAD_UNIT, COL_NUMBER, COL_PROGRESS, COL_SCHEDULE, COL_STATUS, KEY_ROLE,
                           NO_EVIDENCE, SCHEDULE_PREFIX, LedgerFilterProxy, LedgerTreeModel)
from .results import LedgerResultsModel

# Above this many problems a text search shows its hits as a flat list (ledger_results): the
# tree re-lays out every row it keeps at each keystroke, the list only paints what is on screen.
# The tree itself stays as it was, so clearing the box shows it again at once.
FLAT_RESULTS_PROBLEMS = 2000
# Narrow enough that 整改进展, the last column, starts inside the default window (1440 px).
_COLUMN_WIDTHS = {COL_NUMBER: 52, COL_DESCRIPTION: 242, COL_GOAL: 130, COL_LEAD_OFFICIAL: 84,
                  COL_LEAD_UNIT: 104, COL_DEADLINE: 100, COL_STATUS: 56, COL_SCHEDULE: 84,
                  COL_PROGRESS: 220, COL_EVIDENCE: 44}


class LedgerView(QWidget):
    """The tree of one inspection (or, for a text search in a big one, the flat list of hits).

    What to call after a change, cheapest first (main_window._document_changed does today):
    - model.set_evidence_count(problem_id, n): a problem's 佐证 count changed;
    - refresh_problem(problem_id): a problem's fields or progress reports changed (one row,
      in the tree and in the flat list; its search text follows);
    - model.update_category(row): a category's title changed;
    - reload(select=(kind, id)): anything structural (added, removed, moved rows, an import):
      re-reads the inspection, keeping selection, collapsed rows, filter and search;
    - show_inspection(document, inspection_id): another inspection, or another ledger.
    """
    current_changed = Signal(object)  # (kind, id) or None
    restriction_changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.document = None
        self.inspection_id: int | None = None
        self._collapsed: set[tuple[str, int]] = set()
        self._only: frozenset[int] | None = None  # a set of problems chosen elsewhere (overview)
        self.model = LedgerTreeModel(self)
        self.proxy = LedgerFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.title = QLabel()
        self.title.setObjectName("ledgerTitle")
        self.title.setStyleSheet("font-size: 15px; font-weight: bold;")
        # Its width asks nothing of the window: each keystroke changes the count in it, and a
        # label sized by its text re-laid out the whole window (a quarter of a keystroke's time
        # on a short inspection, a third of the worst). A title too long is cut; its tooltip is whole.
        self.title.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Fixed)
        self.search = QLineEdit()
        self.search.setObjectName("searchBox")
        self.search.setPlaceholderText(self.tr("搜索问题、目标、措施、单位……（Ctrl+F）"))
        self.search.setClearButtonEnabled(True)
        self.search.installEventFilter(self)  # Esc clears it
        self.status_filter = QComboBox()
        self.status_filter.addItem(self.tr("全部状态"), None)
        for status in Status:
            self.status_filter.addItem(status.value, status.value)
        self.status_filter.insertSeparator(self.status_filter.count())
        for schedule in (Schedule.OVERDUE, Schedule.BEHIND, Schedule.ON_SCHEDULE, Schedule.ONGOING):
            self.status_filter.addItem(self.tr("时序：") + schedule.value, SCHEDULE_PREFIX + schedule.value)
        self.status_filter.insertSeparator(self.status_filter.count())
        self.status_filter.addItem(self.tr("无佐证材料"), NO_EVIDENCE)
        self.unit_filter = QComboBox()
        self.unit_filter.setMinimumContentsLength(8)
        self.unit_filter.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.unit_filter.addItem(self.tr("全部责任单位"), None)
        self.search.textChanged.connect(self.apply_filter)
        self.status_filter.currentIndexChanged.connect(self.apply_filter)
        self.unit_filter.currentIndexChanged.connect(self.apply_filter)

        self.tree = QTreeView()
        self.tree.setObjectName("ledgerTree")
        # The tree shows the model itself while nothing filters it, the proxy only while something
        # does (_show_filtered): through the proxy every painted cell costs seven data() calls
        # and the mapping an index() per row, a third of a page's scroll.
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)  # keeps 10,000 rows fast to lay out and scroll
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SingleSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectRows)
        # DragDrop, not InternalMove: files from outside are dropped on a problem as its 佐证材料.
        self.tree.setDragDropMode(QAbstractItemView.DragDrop)
        self.tree.setDefaultDropAction(Qt.MoveAction)
        self.tree.setDropIndicatorShown(True)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setIndentation(14)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.Interactive)
        for column, width in _COLUMN_WIDTHS.items():
            header.resizeSection(column, width)
        self._place_evidence_column()
        self.tree.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self.tree.collapsed.connect(lambda i: self._collapsed.add(i.data(KEY_ROLE)))
        self.tree.expanded.connect(lambda i: self._collapsed.discard(i.data(KEY_ROLE)))

        self.results_model = LedgerResultsModel(self.model, self)
        # A table, not a tree: it lays out no rows, its rows all have the tree's height.
        self.results = QTableView()
        self.results.setObjectName("ledgerResults")
        self.results.setModel(self.results_model)
        self.results.setShowGrid(False)
        self.results.setWordWrap(False)
        self.results.setAlternatingRowColors(True)
        self.results.setSelectionMode(QAbstractItemView.SingleSelection)
        self.results.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.results.verticalHeader().hide()
        self.results.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.results.horizontalHeader().setHighlightSections(False)
        self.results.horizontalHeader().setDefaultAlignment(Qt.AlignLeft | Qt.AlignVCenter)
        self.results.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self.views = QStackedWidget()
        self.views.addWidget(self.tree)
        self.views.addWidget(self.results)

        # Says which chosen set of problems the tree is limited to, with a way out of it.
        self.restriction_bar = QFrame()
        self.restriction_bar.setObjectName("restrictionBar")
        self.restriction_bar.setStyleSheet("#restrictionBar { background: #e4efff; border-radius: 3px; }")
        self.restriction_label = QLabel()
        self.restriction_label.setObjectName("restrictionLabel")
        clear = QPushButton(self.tr("显示全部问题"))
        clear.setObjectName("clearRestriction")
        clear.setToolTip(self.tr("取消这个限定，回到完整台账"))
        clear.clicked.connect(self.clear_restriction)
        bar = QHBoxLayout(self.restriction_bar)
        bar.setContentsMargins(6, 2, 2, 2)
        bar.addWidget(self.restriction_label, 1)
        bar.addWidget(clear)
        self.restriction_bar.hide()

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.status_filter, 1)
        filters.addWidget(self.unit_filter, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addLayout(filters)
        layout.addWidget(self.restriction_bar)
        layout.addWidget(self.views)

    # -- contents --------------------------------------------------------------------------

    def show_inspection(self, document, inspection_id: int | None) -> None:
        self.document = document
        if inspection_id != self.inspection_id:
            self._collapsed.clear()
        self.inspection_id = inspection_id
        self.reload(select=None)

    def reload(self, select: tuple[str, int] | None = None) -> None:
        """Rebuild after a structural change, keeping selection, collapsed rows and filter."""
        keep = select or self.current_key()
        old_row = self.shown_view().currentIndex().row()
        shown = self.document is not None and self.inspection_id is not None
        self.tree.selectionModel().blockSignals(True)
        with collector.paused():
            tree = self.document.ledger.tree(self.inspection_id) if shown else None
            latest = progress.latest_reports(self.document.ledger, self.inspection_id) if shown else None
            counts = evidence_counts(self.document.ledger, self.inspection_id) if shown else None
            self.model.set_tree(tree, latest, counts)
        after_next_paint(self.tree.viewport(), self.model.start_indexing)  # a 0-timer ran before it
        self._refill_units()
        self.proxy.refresh()
        self._show_filtered(self.proxy.matched_problems is not None)
        if self.flat:
            self.results_model.set_problems(self._matching(self.search.text())[0])
        self.tree.selectionModel().blockSignals(False)
        self._restore_layout()
        if self.flat:
            row = self.results_model.row_of(keep)
            if row < 0 and old_row >= 0 and self.results_model.rowCount():
                row = min(old_row, self.results_model.rowCount() - 1)
            self._set_current(self.results_model.index(row, 0) if row >= 0 else QModelIndex())
        else:
            index = self._tree_index(keep)
            shown = self.tree.model()
            if not index.isValid() and old_row >= 0 and shown.rowCount():
                index = shown.index(min(old_row, shown.rowCount() - 1), 0)
            self._set_current(index)
        self._update_title()
        self.current_changed.emit(self.current_key())

    def _restore_layout(self) -> None:
        """Spans category rows across all columns and expands all but what the clerk collapsed.

        Only category rows are visited, and only changed where needed: each setFirstColumnSpanned
        searches the view's whole row list, a walk over every problem costs more than the filter.
        """
        tree = self.tree
        for key in self.model.category_keys():
            index = self._tree_index(key)
            if not index.isValid():
                continue
            if not tree.isFirstColumnSpanned(index.row(), index.parent()):
                tree.setFirstColumnSpanned(index.row(), index.parent(), True)
            expanded = key not in self._collapsed
            if tree.isExpanded(index) != expanded:
                tree.setExpanded(index, expanded)

    def _refill_units(self) -> None:
        current = self.unit_filter.currentData()
        self.unit_filter.blockSignals(True)
        self.unit_filter.clear()
        self.unit_filter.addItem(self.tr("全部责任单位"), None)
        for unit in self.model.units():
            self.unit_filter.addItem(unit, unit)
        self.unit_filter.setCurrentIndex(max(0, self.unit_filter.findData(current)))
        self.unit_filter.blockSignals(False)

    def _show_filtered(self, filtered: bool) -> None:
        """The tree over the proxy while a filter applies, over the model itself otherwise."""
        wanted = self.proxy if filtered else self.model
        if self.tree.model() is wanted:
            return
        header = self.tree.header().saveState()  # a new model resets the columns
        old = self.tree.selectionModel()
        self.tree.setModel(wanted)
        old.deleteLater()
        self.tree.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self.tree.header().restoreState(header)

    def _tree_index(self, key: tuple[str, int] | None) -> QModelIndex:
        """Where the tree shows this row now (invalid: filtered out, or no key)."""
        if not key:
            return QModelIndex()
        index = self.model.index_for(*key)
        return self.proxy.mapFromSource(index) if self.tree.model() is self.proxy else index

    @property
    def flat(self) -> bool:
        """Whether the search hits are shown as the flat list rather than in the tree."""
        return self.views.currentWidget() is self.results

    def shown_view(self) -> QAbstractItemView:
        return self.views.currentWidget()

    def _matching(self, text: str):
        return self.model.matching(text, self.status_filter.currentData(),
                                   self.unit_filter.currentData(), self._only)

    def apply_filter(self, *_args) -> None:
        """Filter by the search box, the two drop-downs and the restriction: in the tree, or, for a
        text search in a big inspection, as the flat list (the tree keeps the drop-downs' filter)."""
        keep = self.current_key()
        text = self.search.text()
        tree = self.model.tree
        flat = bool(text.split()) and tree is not None and len(tree.problems) > FLAT_RESULTS_PROBLEMS
        criteria = ("" if flat else text, self.status_filter.currentData(),
                    self.unit_filter.currentData(), self._only)
        if criteria != self.proxy.criteria:  # clearing the box after a flat search: nothing to do
            self.proxy.set_filter(*criteria)
            self._show_filtered(self.proxy.matched_problems is not None)
            self._restore_layout()
        if flat:
            self.results_model.set_problems(self._matching(text)[0])
        if flat != self.flat:
            self._switch_views(flat)
        if self.flat:
            row = self.results_model.row_of(keep)
            index = self.results_model.index(row, 0) if row >= 0 else QModelIndex()
        else:
            index = self._tree_index(keep)
        if index.isValid():
            self.shown_view().setCurrentIndex(index)
        if self.current_key() != keep:
            self.current_changed.emit(self.current_key())
        self._update_title()

    def _switch_views(self, flat: bool) -> None:
        """The list takes the tree's column widths and order, and gives back what the clerk changed."""
        tree, table = self.tree.header(), self.results.horizontalHeader()
        if flat:
            table.restoreState(tree.saveState())
            rows = self.tree.sizeHintForRow(0) if self.model.rowCount() else -1
            if rows > 0:
                self.results.verticalHeader().setDefaultSectionSize(rows)
            self.views.setCurrentWidget(self.results)
        else:
            tree.restoreState(table.saveState())
            self.views.setCurrentWidget(self.tree)

    @property
    def matched_problems(self) -> int | None:
        """How many problems the search and filters show; None when nothing filters."""
        return self.results_model.rowCount() if self.flat else self.proxy.matched_problems

    @property
    def restriction(self) -> frozenset[int] | None:
        return self._only

    def restrict_to(self, problem_ids, label: str) -> None:
        """Show only these problems (in every inspection) until the clerk clears it; label says
        in plain words which ones they are, e.g. "总览：逾期（3项）"."""
        self._only = frozenset(problem_ids)
        self.restriction_label.setText(label)
        self.restriction_bar.show()
        self.apply_filter()
        self.restriction_changed.emit()

    def clear_restriction(self) -> None:
        if self._only is None:
            return
        self._only = None
        self.restriction_bar.hide()
        self.apply_filter()
        self.restriction_changed.emit()

    def _update_title(self) -> None:
        tree = self.model.tree
        if tree is None:
            self.title.setText(self.tr("（还没有督察批次：请点上方“督察批次”下的“新增”）"))
            return
        name = self.document.ledger.row("inspection", self.inspection_id)["name"]
        text = f"{name}　共{tree.summary}"
        if self.matched_problems is not None:
            text += self.tr("　（筛选出 %1 项）").replace("%1", str(self.matched_problems))
        self.title.setText(text)
        self.title.setToolTip(text)

    def restore_header(self, state) -> None:
        """Column widths as the clerk left them. A state saved before a column was added brings
        that column back at Qt's default width: it gets its own instead."""
        header = self.tree.header()
        if not header.restoreState(state):
            return
        for column, width in _COLUMN_WIDTHS.items():
            if header.sectionSize(column) == header.defaultSectionSize() != width:
                header.resizeSection(column, width)
                if column == COL_EVIDENCE:
                    self._place_evidence_column()

    def _place_evidence_column(self) -> None:
        """佐证 is the model's last column but is shown before the wide 整改进展, inside the window."""
        header = self.tree.header()
        if header.visualIndex(COL_EVIDENCE) > header.visualIndex(COL_PROGRESS):
            header.moveSection(header.visualIndex(COL_EVIDENCE), header.visualIndex(COL_PROGRESS))

    def refresh_problem(self, problem_id: int) -> None:
        """One problem's fields or progress reports changed: refresh its row."""
        ledger = self.document.ledger
        newest = progress.reports(ledger, problem_id)[:1]
        self.model.update_problem(ledger.problem(problem_id), newest[0] if newest else None)

    # -- selection -------------------------------------------------------------------------

    def current_key(self) -> tuple[str, int] | None:
        index = self.shown_view().currentIndex()
        return index.data(KEY_ROLE) if index.isValid() else None

    def current_node(self):
        index = self.shown_view().currentIndex()
        if not index.isValid():
            return None
        if self.flat:
            return self.results_model.item(index.row()).node
        if self.tree.model() is self.proxy:
            index = self.proxy.mapToSource(index)
        return index.internalPointer().node

    def select(self, kind: str, row_id: int) -> None:
        if self.flat:
            row = self.results_model.row_of((kind, row_id))
            index = self.results_model.index(row, 0) if row >= 0 else QModelIndex()
        else:
            index = self._tree_index((kind, row_id))
        if index.isValid():
            self._set_current(index)

    def _set_current(self, index: QModelIndex) -> None:
        view = self.shown_view()
        view.setCurrentIndex(index)
        if index.isValid():
            view.scrollTo(index)

    def _current_row_changed(self, current, _previous) -> None:
        self.current_changed.emit(current.data(KEY_ROLE) if current.isValid() else None)

    def eventFilter(self, watched, event) -> bool:
        # (isinstance first: event.type() makes a Python enum, and the box sees every paint)
        if isinstance(event, QKeyEvent) and event.type() == QEvent.KeyPress \
                and watched is self.search and event.key() == Qt.Key_Escape and self.search.text():
            self.search.clear()
            return True
        return False

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()
