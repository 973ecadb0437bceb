"""总览: the counts, charts, 情况概述 and warnings of the ledger (all inspections or one) on a date.

Every count is a button or a link: it asks the window to show exactly those problems in the
ledger (show_problems). A warning opens its problem (open_problem). The figures are worked out
again, in the background (overview_worker), when the page is shown, when the scope or date
changes, and after an edit while it is shown (after a short pause).
"""

from datetime import date

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (QComboBox, QGridLayout, QGroupBox, QHBoxLayout, QLabel,
                               QPushButton, QScrollArea, QSplitter, QVBoxLayout, QWidget)

from ...domain.ledger_warnings import WarningKind
from ...domain.statistics import SCHEDULE_KEYS
from ...domain.vocabulary import Status, Term
from ..date_edit import date_edit
from .charts import SCHEDULE_COLOURS, STATUS_COLOURS, ProgressChart, StatusByCategoryChart
from .figures import FigureGroup
from .summary import SummaryBox
from .tables import OverviewTables
from .worker import work_out
from ..tasks import on_own_ledger, run_in_background
from ..scope_box import ScopeBox

REFRESH_PAUSE_MS = 800  # after an edit elsewhere
TYPING_PAUSE_MS = 300  # after a change of the date


class OverviewPage(QWidget):
    show_problems = Signal(list, str, object)  # problem ids, what they are ("逾期"), {id: inspection id}
    open_problem = Signal(int, int)  # problem id, inspection id
    petitions_requested = Signal()
    report_requested = Signal()
    rectification_requested = Signal()
    accountability_requested = Signal()
    refreshed = Signal()  # new figures are shown

    def __init__(self, settings, parent=None):
        super().__init__(parent)
        self.setObjectName("overviewPage")
        self.settings, self.document = settings, None
        self.figures = self.view = None  # what is shown: overview_worker.Figures and its Overview
        self.stale = True
        self._requests, self._job = 0, None
        self.state = QLabel()
        self.state.setObjectName("overviewState")
        self.state.setStyleSheet("color: #8a5a00;")
        self.scope = ScopeBox()
        self.scope.setObjectName("overviewScope")
        self.scope.setMinimumContentsLength(16)
        self.scope.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.as_of = date_edit()
        self.as_of.setObjectName("overviewDate")
        self.as_of.setToolTip(self.tr("统计截至这一天的整改情况（默认今天）"))
        today = QPushButton(self.tr("今天"))
        today.clicked.connect(lambda: self.as_of.setDate(QDate.currentDate()))
        report = QPushButton(self.tr("月调度表…"))
        report.setToolTip(self.tr("生成本范围、本日期的月调度表（Excel 或 PDF），或打印"))
        report.clicked.connect(self.report_requested)
        rectification = QPushButton(self.tr("生成整改落实情况报告…"))
        rectification.setObjectName("rectificationButton")
        rectification.setToolTip(self.tr("本范围、本日期的整改落实情况报告（Word 公文格式）"))
        rectification.clicked.connect(self.rectification_requested)
        self.scope.currentIndexChanged.connect(self.refresh)
        self.as_of.dateChanged.connect(lambda: self._pause.start(TYPING_PAUSE_MS))  # typed digit by digit
        bar = QHBoxLayout()
        for widget in (QLabel(self.tr("范围")), self.scope, QLabel(self.tr("截至")), self.as_of, today):
            bar.addWidget(widget)
        bar.addWidget(self.state)
        bar.addStretch()
        bar.addWidget(report)
        bar.addWidget(rectification)

        self.totals = FigureGroup(self.tr("总体"), [
            ("all", self.tr("问题总数"), None), ("finished", self.tr("已完成整改"), SCHEDULE_COLOURS["已完成"]),
            ("unfinished", self.tr("尚未完成"), None)])
        self.terms = FigureGroup(self.tr("整改类型"), [(t.value, t.value, None) for t in Term])
        self.statuses = FigureGroup(self.tr("整改状态"), [(s.value, s.value, STATUS_COLOURS[s].darker(130))
                                                      for s in Status])
        self.schedules = FigureGroup(self.tr("时序进度"), [(k.value, k.value, SCHEDULE_COLOURS[k])
                                                        for k in SCHEDULE_KEYS])
        self.petitions = FigureGroup(self.tr("信访件"), [(k, name, None) for k, name in (
            ("received", self.tr("交办")), ("concluded", self.tr("已办结")), ("signed_off", self.tr("已销号")))])
        self.totals.clicked.connect(self._total_clicked)
        self.terms.clicked.connect(lambda t: self._ask(self.tr("整改类型为%1").replace("%1", t), term=t))
        self.statuses.clicked.connect(lambda s: self._ask(s, status=s))
        self.schedules.clicked.connect(lambda k: self._ask(self.tr("时序进度：%1").replace("%1", k),
                                                           schedule=k))
        self.petitions.clicked.connect(lambda _key: self.petitions_requested.emit())
        for tile in self.petitions.tiles.values():
            tile.link_tip = self.tr("单击打开信访件登记")
        register = QPushButton(self.tr("信访件登记…"))
        register.setToolTip(self.tr("登记交办的信访件，记录办结和销号日期"))
        register.clicked.connect(self.petitions_requested)
        for column, tile in enumerate(self.petitions.tiles.values()):  # as wide as the tiles above
            tile.setMinimumWidth(120)
            self.petitions.row.setColumnStretch(column, 0)
        self.petitions.row.addWidget(register, 0, len(self.petitions.tiles), Qt.AlignBottom)
        self.petitions.row.setColumnStretch(len(self.petitions.tiles) + 1, 1)
        self.follow_up = FigureGroup(self.tr("回头看、督办与责任追究"), [
            ("recheck_due", self.tr("复查将到期"), None), ("recheck_overdue", self.tr("复查逾期"), None),
            ("rebound", self.tr("反弹"), None), ("supervision", self.tr("督办"), None),
            ("people", self.tr("追责人员"), None)])
        self.follow_up.setObjectName("followUpFigures")
        self.follow_up.clicked.connect(self._follow_up_clicked)
        for key in ("recheck_due", "recheck_overdue"):
            self.follow_up.tiles[key].link_tip = self.tr("单击在台账中只显示这些问题")
        self.follow_up.tiles["people"].link_tip = self.tr("单击打开责任追究登记")
        for key in ("rebound", "supervision"):  # counts only: the problems' own pages list them
            self.follow_up.tiles[key].link_tip = ""
            self.follow_up.tiles[key].setCursor(Qt.ArrowCursor)
        self.by_category = StatusByCategoryChart()
        self.by_category.segment_clicked.connect(self._segment_clicked)
        self.progress = ProgressChart()
        self.summary = SummaryBox()
        self.tables = OverviewTables()
        self.tables.open_problem.connect(self.open_problem)
        self.tables.count_clicked.connect(lambda label, where: self._ask(label, **where))

        figures_box = QWidget()
        column = QVBoxLayout(figures_box)
        column.setContentsMargins(0, 0, 6, 0)
        groups = QGridLayout()
        for index, group in enumerate((self.totals, self.terms, self.statuses, self.schedules)):
            groups.addWidget(group, index // 2, index % 2)
        groups.addWidget(self.petitions, 2, 0, 1, 2)
        groups.addWidget(self.follow_up, 3, 0, 1, 2)
        column.addLayout(groups)
        charts = QHBoxLayout()
        charts.addWidget(self._titled(self.tr("各大类整改状态（单击色块查看问题）"), self.by_category), 3)
        charts.addWidget(self._titled(self.tr("近12个月整改完成情况（月末）"), self.progress), 2)
        column.addLayout(charts)
        column.addWidget(self.summary)
        column.addStretch()
        scroll = QScrollArea()
        scroll.setWidget(figures_box)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        self.splitter = QSplitter(Qt.Horizontal)
        self.splitter.addWidget(scroll)
        self.splitter.addWidget(self.tables)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setSizes([820, 600])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)
        self._pause = QTimer(self, singleShot=True)
        self._pause.timeout.connect(self.refresh)

    @staticmethod
    def _titled(title: str, widget: QWidget) -> QWidget:
        box = QGroupBox(title)
        QVBoxLayout(box).addWidget(widget)
        return box

    # -- contents --------------------------------------------------------------------------

    def set_document(self, document) -> None:
        self.document, self.figures, self.view = document, None, None
        self._requests += 1  # an answer still on its way is about the ledger shown before
        document.changed.connect(self._document_changed)
        self.scope.fill(document.ledger)  # ids of another ledger's inspections mean nothing here
        self.stale = True
        if self.isVisible():
            self.refresh()

    @property
    def inspection_id(self) -> int | None:
        return self.scope.inspection_id

    @property
    def day(self) -> date:
        return self.as_of.date().toPython()

    def _document_changed(self, changes) -> None:
        if changes.tables == {"meta"}:  # the paragraph itself (typed, or undone): no figure moved
            if self.figures is not None:
                self.summary.show_summary(self.document, self.figures.inspection_id,
                                          self.figures.as_of, self.view.summary_text)
            return
        if changes.touches("inspections"):
            self.scope.fill(self.document.ledger, self.scope.inspection_id)
        self.stale = True
        if self.isVisible():
            self._pause.start(REFRESH_PAUSE_MS)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.stale:
            self.refresh()

    def refresh(self, *_args) -> None:
        """Work the figures out again (in the background) and show them when they come."""
        self._pause.stop()
        if self.document is None:
            return
        self._requests += 1
        number, request = self._requests, (self.inspection_id, self.day,
                                           self.settings.schedule_settings)
        self._job = run_in_background(  # kept: the signals live as long as the job
            self, on_own_ledger(self.document.ledger.path, lambda ledger: work_out(ledger, *request)),
            lambda figures: self._show(number, figures), lambda message: self._failed(number, message))
        self.state.setText(self.tr("正在统计……"))
        self.stale = False

    def _failed(self, number: int, message: str) -> None:
        if number == self._requests:
            self.state.setText(self.tr("没能统计：%1").replace("%1", message))

    def _show(self, number: int, figures) -> None:
        if number != self._requests:  # a newer request is under way
            return
        self.figures, self.view = figures, figures.view
        self.state.setText("")
        stats = self.view.statistics
        self.totals.tiles["all"].set_count(stats.problems, self.tr("%1大类").replace("%1", str(stats.categories)))
        self.totals.tiles["finished"].set_count(stats.finished)
        self.totals.tiles["unfinished"].set_count(stats.problems - stats.finished)
        for term, tile in self.terms.tiles.items():
            tile.set_count(stats.by_term[term])
            tile.setToolTip(self.tr("%1%2项，已完成%3项").replace("%1", term).replace(
                "%2", str(stats.by_term[term])).replace("%3", str(stats.finished_of(term)))
                + ("\n" + tile.toolTip() if tile.count else ""))
        for status, tile in self.statuses.tiles.items():
            tile.set_count(stats.by_status[status])
        for key, tile in self.schedules.tiles.items():
            tile.set_count(stats.by_schedule[key])
        for key, tile in self.petitions.tiles.items():
            tile.set_count(getattr(stats.petitions, key), unit="件")
        self._show_follow_up(stats)
        self.by_category.set_rows(self._category_rows())
        self.progress.set_points(figures.series, stats.problems)
        self.summary.show_summary(self.document, figures.inspection_id, figures.as_of,
                                  self.view.summary_text)
        names = figures.inspection_names
        self.tables.fill(self.view, names, several=figures.inspection_id is None and len(names) > 1)
        self.refreshed.emit()

    def _show_follow_up(self, stats) -> None:
        tiles, r, a = self.follow_up.tiles, stats.rechecks, stats.accountability
        tiles["recheck_due"].set_count(r.due, unit="次")
        tiles["recheck_overdue"].set_count(r.overdue, unit="次")
        tiles["rebound"].set_count(r.rebound, unit="次")
        tiles["supervision"].set_count(sum(stats.supervision.values()), unit="次")
        tiles["supervision"].setToolTip("，".join(self.tr("%1%2次").replace("%1", k).replace("%2", str(n))
                                                 for k, n in stats.supervision.items() if n))
        tiles["people"].set_count(a.people, self.tr("%1个党组织").replace("%1", str(a.orgs)) if a.orgs
                                  else "", unit="人")
        if stats.links.distinct != stats.links.fed_back:
            self.totals.tiles["all"].setToolTip(self.tr("反馈问题%1项，合并同一问题后%2项").replace(
                "%1", str(stats.links.fed_back)).replace("%2", str(stats.links.distinct)))

    def _follow_up_clicked(self, key: str) -> None:
        kinds = {"recheck_due": WarningKind.RECHECK_DUE, "recheck_overdue": WarningKind.RECHECK_OVERDUE}
        if key in kinds:
            ids = list(dict.fromkeys(w.problem_id for w in self.view.warnings if w.kind is kinds[key]))
            self._ask_ids(ids, kinds[key].value)
        elif key == "people":
            self.accountability_requested.emit()

    def _category_rows(self):
        """Bars keyed by title: with all inspections, 大类 of the same name are one bar."""
        stats = self.view.statistics
        tally, rows = stats.tally("category", "status"), {}
        for c in stats.by_category:
            counts = rows.setdefault(c.title, {})
            for status in Status:
                counts[status] = counts.get(status, 0) + tally[c.category_id, status]
        return [(title, title, counts) for title, counts in rows.items()]

    # -- counts as links -------------------------------------------------------------------

    def _ask(self, what: str, **where) -> None:
        """Ask the window to show the problems whose facets match `where`."""
        self._ask_ids(self.view.statistics.problem_ids(**where), what)

    def _total_clicked(self, key: str) -> None:
        if key == "all":
            self._ask(self.tr("全部问题"))
        else:
            self._ask(self.tr("已完成整改") if key == "finished" else self.tr("尚未完成"),
                      finished=key == "finished")

    def _segment_clicked(self, title: str, status: str) -> None:
        stats = self.view.statistics
        categories = {c.category_id for c in stats.by_category if c.title == title}
        self._ask_ids([pid for pid in stats.problem_ids(status=status)
                       if stats.facets[pid].category in categories], f"{title}·{status}")

    def _ask_ids(self, ids: list[int], what: str) -> None:
        if not ids:
            return
        self.show_problems.emit(ids, what, {pid: self.view.problems[pid]["inspection_id"]
                                            for pid in ids})
