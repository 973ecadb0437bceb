"""The window's 台账 | 总览 pages, and what the overview asks of the window: show a set of problems,
open one, the 信访件 register, the 月调度表 and the 整改落实情况报告 (their dialogs load on first use)."""

import re
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QTabWidget, QWidget

from ..messages import choose, warn
from ..tasks import on_own_ledger, run_in_background

_UNSAFE = re.compile(r'[\\/:*?"<>|]')

LEDGER_PAGE, OVERVIEW_PAGE = 0, 1


class OverviewActions(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self._page = None  # built when first shown: start-up stays as quick as before
        self.pages = QTabWidget()
        self.pages.setObjectName("pages")
        self.pages.setDocumentMode(True)
        self.pages.addTab(window.left_splitter, self.tr("台账"))
        self.pages.addTab(QWidget(), self.tr("总览"))
        self.pages.setTabToolTip(LEDGER_PAGE, self.tr("督察批次和整改台账（Ctrl+1）"))
        self.pages.setTabToolTip(OVERVIEW_PAGE, self.tr("统计、图表、情况概述和预警（Ctrl+2）"))
        self.pages.currentChanged.connect(self._page_changed)
        make = window._action
        self.ledger_action = make(self.tr("台账"), lambda: self.pages.setCurrentIndex(LEDGER_PAGE), "Ctrl+1",
                                  self.tr("显示整改台账"))
        self.overview_action = make(self.tr("总览"), lambda: self.pages.setCurrentIndex(OVERVIEW_PAGE),
                                    "Ctrl+2", self.tr("显示统计、图表、情况概述和预警"))
        self.petitions_action = make(self.tr("信访件登记…"), self.show_petitions,
                                     tip=self.tr("登记交办的信访件（群众举报），记录办结和销号日期"))
        self.report_action = make(self.tr("月调度表…"), self.show_report,
                                  tip=self.tr("生成月调度表：情况概述、统计表和未完成问题的最新进展（Excel 或 PDF）"))
        self.rectification_action = make(
            self.tr("生成整改落实情况报告…"), lambda: self.write_rectification_report(),
            tip=self.tr("按总览的范围和截至日期，生成公文格式的整改落实情况报告（Word，可在 WPS 里修改）"))
        self.rectification_job = None  # the report being written, kept until it ends

    @property
    def page(self):
        """The 总览 page (an OverviewPage), made on first use."""
        if self._page is None:
            from .page import OverviewPage
            page = self._page = OverviewPage(self.window.settings)
            page.show_problems.connect(self.show_problems)
            page.open_problem.connect(self.open_problem)
            page.petitions_requested.connect(self.show_petitions)
            page.report_requested.connect(self.show_report)
            page.rectification_requested.connect(self.write_rectification_report)
            page.accountability_requested.connect(self.window.tools.show_accountability)
            if self.window.document is not None:
                page.set_document(self.window.document)
            current = self.pages.currentIndex()
            self.pages.blockSignals(True)
            placeholder = self.pages.widget(OVERVIEW_PAGE)
            self.pages.removeTab(OVERVIEW_PAGE)
            placeholder.deleteLater()
            self.pages.insertTab(OVERVIEW_PAGE, page, self.tr("总览"))
            self.pages.setTabToolTip(OVERVIEW_PAGE, self.tr("统计、图表、情况概述和预警（Ctrl+2）"))
            self.pages.setCurrentIndex(current)
            self.pages.blockSignals(False)
        return self._page

    def set_document(self, document) -> None:
        if self._page is not None:
            self._page.set_document(document)

    def settings_changed(self) -> None:
        """预警天数 and the like decide the figures: work them out again (now if shown)."""
        if self._page is not None:
            self._page.stale = True
            if self._page.isVisible():
                self._page.refresh()

    def update_enabled(self) -> None:
        has_document = self.window.document is not None
        for action in (self.overview_action, self.petitions_action, self.report_action,
                       self.rectification_action):
            action.setEnabled(has_document)

    def _page_changed(self, index: int) -> None:
        """The overview takes the editor's room too: it has wide tables and charts."""
        window = self.window
        if index == OVERVIEW_PAGE:
            if window.editor is not None:
                window.editor.flush()
            self.page.setFocus()  # made now, if this is the first time
        window.editor_host.setVisible(index == LEDGER_PAGE)

    # -- from the overview to the ledger ----------------------------------------------------

    def show_problems(self, ids: list[int], what: str, inspection_of: dict[int, int]) -> None:
        """Show the ledger limited to these problems, on an inspection that holds some of them."""
        window = self.window
        shown = set(inspection_of.values())
        if window.ledger_view.inspection_id not in shown:
            order = [row["id"] for row in window.document.ledger.inspections()]
            window.inspections.select(next(i for i in order if i in shown))
        label = self.tr("总览：%1（%2项）").replace("%1", what).replace("%2", str(len(ids)))
        if len(shown) > 1:
            label = self.tr("%1，分布在%2个督察批次，可在上方切换督察批次查看").replace(
                "%1", label[:-1]).replace("%2", str(len(shown))) + "）"
        window.ledger_view.restrict_to(ids, label)
        self.pages.setCurrentIndex(LEDGER_PAGE)
        window.ledger_view.shown_view().setFocus()

    def open_problem(self, problem_id: int, inspection_id: int) -> None:
        """Select a problem in the ledger, taking away a limit or filter that hides it."""
        window = self.window
        view = window.ledger_view
        window.inspections.select(inspection_id)
        if view.restriction is not None and problem_id not in view.restriction:
            view.clear_restriction()
        self.pages.setCurrentIndex(LEDGER_PAGE)
        view.select("problem", problem_id)
        if view.current_key() != ("problem", problem_id):  # the search or a filter hides it
            view.search.clear()
            view.status_filter.setCurrentIndex(0)
            view.unit_filter.setCurrentIndex(0)
            view.apply_filter()
            view.select("problem", problem_id)
        view.tree.setFocus()

    # -- dialogs ---------------------------------------------------------------------------

    def show_petitions(self) -> None:
        from ..petitions.dialog import PetitionsDialog
        window = self.window
        dialog = PetitionsDialog(window, window.document,
                                 self._page.inspection_id if self._page else None)
        dialog.exec()
        dialog.deleteLater()

    def show_report(self) -> None:
        from ..exporting.monthly_report_dialog import MonthlyReportDialog
        window = self.window
        if window.editor is not None:
            window.editor.flush()
        page = self._page
        if page is not None:
            page.summary.flush()
        dialog = MonthlyReportDialog(window, window.document, window.settings,
                                     page.inspection_id if page else None,
                                     page.day if page else date.today())
        dialog.exec()
        dialog.deleteLater()

    def write_rectification_report(self, target: Path | None = None):
        """The 整改落实情况报告 of the overview's scope and date, written off the UI thread to
        target (None: ask where). Returns the background job (None when not asked to)."""
        from ...formats.documents.rectification_report_docx import write_rectification_report
        from ...store.rectification_report import content
        window = self.window
        if window.editor is not None:
            window.editor.flush()
        page = self._page
        inspection_id = page.inspection_id if page else None
        day = page.day if page else date.today()
        if target is None:
            name = (page.scope.currentText() if page and inspection_id is not None
                    else window.document.ledger.title or window.document.ledger.path.stem)
            suggested = Path(window.settings.export_folder or Path.home()) / (
                f"{_UNSAFE.sub('', name)[:40]}整改落实情况报告-{day:%Y%m%d}.docx")
            chosen, _filter = QFileDialog.getSaveFileName(
                window, self.tr("整改落实情况报告保存为"), str(suggested),
                self.tr("Word 文档，可在 WPS、Word 里编辑 (*.docx)"))
            if not chosen:
                return None
            target = Path(chosen if chosen.lower().endswith(".docx") else chosen + ".docx")
            window.settings.export_folder = str(target.parent)
        rules = window.settings.schedule_settings
        window.statusBar().showMessage(self.tr("正在生成整改落实情况报告……"))
        self.rectification_job = run_in_background(
            self, on_own_ledger(window.document.ledger.path, lambda ledger: write_rectification_report(
                content(ledger, inspection_id, day, rules), target)),
            self._rectification_written,
            lambda message: warn(window, self.tr("没能生成整改落实情况报告"), message))
        return self.rectification_job

    def _rectification_written(self, path) -> None:
        window = self.window
        window.statusBar().showMessage(self.tr("整改落实情况报告已保存到 %1").replace("%1", str(path)), 8000)
        choice = choose(window, self.tr("整改落实情况报告已生成"),
                        self.tr("已保存到：\n%1\n\n“下一步工作打算”请在 WPS 或 Word 里补写。")
                        .replace("%1", str(path)),
                        [self.tr("打开文件"), self.tr("打开所在文件夹"), self.tr("关闭")])
        if choice in (0, 1):
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path if choice == 0 else Path(path).parent)))
