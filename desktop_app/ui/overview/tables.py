"""The overview's tables, one tab each: warnings, counts by 大类, by 责任单位 and (merged ledgers) by 乡镇/单位."""

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHeaderView, QTableView, QTabWidget,
                               QVBoxLayout, QWidget)

from ...domain.ledger_warnings import WarningKind
from ...domain.vocabulary import Schedule
from .models import SORT_ROLE, CountsModel, WarningsModel

# A count column's problems: the row's own facets (大类 or 单位) and these.
_COUNT_COLUMNS = [("problems", "问题", {}), ("finished", "已完成", {"finished": True}),
                  ("unfinished", "未完成", {"finished": False}),
                  ("behind", "滞后", {"schedule": Schedule.BEHIND.value}),
                  ("overdue", "逾期", {"schedule": Schedule.OVERDUE.value})]
_SHOWN_CHARACTERS = 60


def _table(model, proxy: QSortFilterProxyModel, widths: list[int]) -> QTableView:
    """A sortable table; rows stay in the order given until the clerk clicks a header (sorting
    ten thousand warnings through Python on every refresh would take a second)."""
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    view = QTableView()
    view.setModel(proxy)
    view.horizontalHeader().setSortIndicator(-1, Qt.AscendingOrder)
    view.setSortingEnabled(True)
    for column, width in enumerate(widths):  # fixed: measuring the contents is as slow as sorting
        view.setColumnWidth(column, width)
    view.setSelectionBehavior(QAbstractItemView.SelectRows)
    view.setSelectionMode(QAbstractItemView.SingleSelection)
    view.setEditTriggers(QAbstractItemView.NoEditTriggers)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(24)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    view.setAlternatingRowColors(True)
    return view


class OverviewTables(QTabWidget):
    open_problem = Signal(int, int)  # problem id, inspection id
    count_clicked = Signal(str, object)  # what it is ("县林业局·逾期"), facets to match

    def __init__(self, parent=None):
        super().__init__(parent)
        self.warnings = WarningsModel(self)
        self.warnings_proxy = QSortFilterProxyModel(self)
        self.warnings_proxy.setFilterKeyColumn(WarningsModel.KIND)
        self.warnings_view = _table(self.warnings, self.warnings_proxy, [112, 150, 60, 220, 110, 84])
        self.warnings_view.setObjectName("warningsView")
        self.warnings_view.activated.connect(self._warning_activated)
        self.kind = QComboBox()
        self.kind.addItem(self.tr("全部预警"), "")
        for kind in WarningKind:
            self.kind.addItem(kind.value, kind.value)
        self.kind.currentIndexChanged.connect(self._filter_kind)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.kind, 0, Qt.AlignLeft)
        layout.addWidget(self.warnings_view)
        self.addTab(page, self.tr("预警"))

        counts = [(self.tr(header), key) for key, header, _ in _COUNT_COLUMNS]
        self.categories = CountsModel([(self.tr("大类"), "title"), (self.tr("督察批次"), "inspection"),
                                       *counts], {k for k, _, _ in _COUNT_COLUMNS}, self)
        self.units = CountsModel([(self.tr("责任单位"), "unit"), *counts],
                                 {k for k, _, _ in _COUNT_COLUMNS}, self)
        # A county's merged ledger: each 乡镇/单位, the lagging first (most 逾期, longest silent).
        self.orgs = CountsModel([(self.tr("乡镇/单位"), "org"), *counts, (self.tr("最近调度"), "last_report")],
                                {k for k, _, _ in _COUNT_COLUMNS}, self)
        count_widths = [56] * len(_COUNT_COLUMNS)
        self.category_view = _table(self.categories, QSortFilterProxyModel(self), [220, 150, *count_widths])
        self.category_view.setObjectName("categoryCounts")
        self.unit_view = _table(self.units, QSortFilterProxyModel(self), [220, *count_widths])
        self.unit_view.setObjectName("unitCounts")
        self.org_view = _table(self.orgs, QSortFilterProxyModel(self), [180, *count_widths, 90])
        self.org_view.setObjectName("orgCounts")
        for view, name in ((self.category_view, self.tr("按大类")), (self.unit_view, self.tr("按责任单位")),
                           (self.org_view, self.tr("按乡镇/单位"))):
            view.clicked.connect(lambda index, v=view: self._count_activated(v, index))
            view.activated.connect(lambda index, v=view: self._count_activated(v, index))
            view.horizontalHeader().setStretchLastSection(False)
            self.addTab(view, name)

    def fill(self, view, inspection_names: dict[int, str], several: bool) -> None:
        """Fill the tables from a store.statistics.Overview."""
        stats = view.statistics
        rows = []
        for w in view.warnings:
            problem = view.problems[w.problem_id]
            text = (problem["description"] or "").replace("\n", " ")
            rows.append({"id": w.problem_id, "kind": w.kind.value, "number": problem["number"],
                         "inspection": inspection_names.get(problem["inspection_id"], ""),
                         "inspection_id": problem["inspection_id"],
                         "problem": text[:_SHOWN_CHARACTERS] + ("……" if len(text) > _SHOWN_CHARACTERS else ""),
                         "unit": problem["lead_unit"], "day": w.day.isoformat() if w.day else "",
                         "message": w.message})
        self.warnings.set_rows(rows)
        self.setTabText(0, self.tr("预警（%1）").replace("%1", str(len(rows))))
        self.warnings_view.setColumnHidden(WarningsModel.INSPECTION, not several)

        schedules, inspection_of = stats.tally("category", "schedule"), {}
        for problem in view.problems.values():
            inspection_of[problem["top_category_id"]] = problem["inspection_id"]
        self.categories.set_rows([
            {"title": c.title, "inspection": inspection_names.get(inspection_of.get(c.category_id), ""),
             "where": {"category": c.category_id}, "problems": c.problems, "finished": c.finished,
             "unfinished": c.problems - c.finished,
             "behind": schedules[c.category_id, Schedule.BEHIND.value],
             "overdue": schedules[c.category_id, Schedule.OVERDUE.value]}
            for c in stats.by_category])
        self.category_view.setColumnHidden(1, not several)
        self.units.set_rows([
            {"unit": u.unit, "where": {"unit": u.unit}, "problems": u.problems, "finished": u.finished,
             "unfinished": u.problems - u.finished, "behind": u.behind, "overdue": u.overdue}
            for u in stats.by_unit])
        lagging = stats.lagging_orgs(len(stats.by_org))
        self.orgs.set_rows([
            {"org": o.org or self.tr("（未填写单位）"), "where": {"org": o.org}, "problems": o.problems,
             "finished": o.finished, "unfinished": o.problems - o.finished, "behind": o.behind,
             "overdue": o.overdue, "last_report": o.last_report or self.tr("从未调度")}
            for o in lagging + [o for o in stats.by_org if o not in lagging]])
        self.setTabVisible(self.indexOf(self.org_view), len(stats.by_org) > 1)

    def _filter_kind(self) -> None:
        kind = self.kind.currentData()
        self.warnings_proxy.setFilterFixedString(kind)

    def _warning_activated(self, index) -> None:
        row = self.warnings.rows[self.warnings_proxy.mapToSource(index).row()]
        self.open_problem.emit(row["id"], row["inspection_id"])

    def _count_activated(self, view: QTableView, index) -> None:
        proxy = view.model()
        source = proxy.mapToSource(index)
        model = proxy.sourceModel()
        if not model.is_count(source):
            return
        row = model.rows[source.row()]
        key = model.columns[source.column()][1]
        if not row[key]:
            return
        header = model.columns[source.column()][0]
        name = row.get("title") or row.get("unit") or row.get("org")
        extra = next(where for k, _, where in _COUNT_COLUMNS if k == key)
        self.count_clicked.emit(f"{name}·{header}", {**row["where"], **extra})
