"""文件 → 生成上报包… (a township sends its ledger up) and 文件 → 汇总上报包… (a county merges them)."""

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout)

from ...store.ledger import Ledger
from ...store.merge import (Checked, Prepared, check_packages, close_checked, merge, merged_digests,
                           package_files, prepare, result_lines)
from ...store.report_package import (SUFFIX, PackageOptions, default_org, describe_size,
                                    estimate_size, write_package)
from ..date_edit import date_edit
from ..messages import choose, warn
from ..tasks import Task, on_own_connection


class PackageDialog(QDialog):
    """Who reports, up to when, which inspections, with or without 佐证材料 (and how big)."""

    def __init__(self, parent, ledger, org: str, inspection: dict | None):
        super().__init__(parent)
        self.ledger, self.inspection = ledger, inspection
        self.setWindowTitle(self.tr("生成上报包"))
        self.org = QLineEdit(org)
        self.org.setPlaceholderText(self.tr("例如：青山镇人民政府"))
        self.period = date_edit()
        self.only_current = QCheckBox(self.tr("只包含当前督察批次：%1").replace(
            "%1", inspection["name"]) if inspection else self.tr("只包含当前督察批次"))
        self.only_current.setEnabled(inspection is not None)
        self.with_evidence = QCheckBox(self.tr("连同佐证材料文件一起打包"))
        self.size = QLabel()
        self.size.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("报送单位（单位名称）："), self.org)
        form.addRow(self.tr("数据截至："), self.period)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText(self.tr("生成…"))
        buttons.button(QDialogButtonBox.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        for widget in (self.only_current, self.with_evidence, self.size, buttons):
            layout.addWidget(widget)
        self.only_current.toggled.connect(self._estimate)
        self.with_evidence.toggled.connect(self._estimate)
        self._estimate()

    def options(self) -> PackageOptions:
        ids = [self.inspection["id"]] if self.only_current.isChecked() and self.inspection else None
        return PackageOptions(self.org.text().strip(), self.period.date().toPython(), ids,
                              self.with_evidence.isChecked())

    def _estimate(self) -> None:
        content, evidence = estimate_size(self.ledger, self.options())
        text = self.tr("预计大小：约 %1").replace("%1", describe_size(content + evidence))
        if self.with_evidence.isChecked():
            text += self.tr("（其中佐证材料约 %1）").replace("%1", describe_size(evidence))
        self.size.setText(text)

    def _accept(self) -> None:
        if not self.org.text().strip():
            warn(self, self.tr("缺少单位名称"), self.tr("请填写报送单位的名称，县里汇总时按它区分各单位的问题。"))
            return
        self.accept()


class PreviewDialog(QDialog):
    """What a merge would do, package by package, before anything is written."""

    def __init__(self, parent, lines: list[str], can_apply: bool):
        super().__init__(parent)
        self.setWindowTitle(self.tr("汇总上报包：预览"))
        self.resize(720, 460)
        text = QPlainTextEdit("\n".join(lines))
        text.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText(self.tr("汇总"))
        buttons.button(QDialogButtonBox.Ok).setEnabled(can_apply)
        buttons.button(QDialogButtonBox.Cancel).setText(self.tr("取消") if can_apply else self.tr("关闭"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(buttons)


class ReportPackageActions(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        make = window._action
        self.package_action = make(self.tr("生成上报包…"), self.make_package,
                                   tip=self.tr("把台账封装成一个带校验值的上报包，报送县里汇总"))
        self.merge_action = make(self.tr("汇总上报包…"), self.merge_packages,
                                 tip=self.tr("把各乡镇/单位报来的上报包按单位汇总进本台账"))
        self._task = None

    def update_enabled(self) -> None:
        document = self.window.document
        self.package_action.setEnabled(document is not None and bool(document.ledger.inspections()))
        self.merge_action.setEnabled(document is not None and not document.read_only)

    # -- 上报 ------------------------------------------------------------------------------

    def make_package(self) -> None:
        window = self.window
        window.editor.flush()
        ledger = window.document.ledger
        inspection_id = window.ledger_view.inspection_id
        inspection = next((r for r in ledger.inspections() if r["id"] == inspection_id), None)
        org = window.settings.org_name or default_org(ledger, None)
        dialog = PackageDialog(window, ledger, org, inspection)
        accepted = dialog.exec() == QDialog.Accepted
        options = dialog.options()
        dialog.deleteLater()
        if not accepted:
            return
        suggested = ledger.path.parent / f"{options.org}-上报包-{options.period.isoformat()}{SUFFIX}"
        path, _ = QFileDialog.getSaveFileName(window, self.tr("保存上报包"), str(suggested),
                                              self.tr("上报包 (*%1)").replace("%1", SUFFIX))
        if not path:
            return
        out = Path(path) if Path(path).suffix else Path(path).with_suffix(SUFFIX)
        task = Task(window, self.tr("正在生成上报包…"), on_own_connection(
            ledger.path, lambda own: write_package(own, out, options)))
        task.done.connect(lambda manifest: window.statusBar().showMessage(
            self.tr("上报包已保存到 %1（%2个问题）").replace("%1", str(out))
            .replace("%2", str(manifest["problems"])), 15000))
        task.failed.connect(lambda message: warn(window, self.tr("没能生成上报包"), message))
        self._task = task.start()

    # -- 汇总 ------------------------------------------------------------------------------

    def merge_packages(self) -> None:
        window = self.window
        folder = str(window.document.ledger.path.parent)
        how = choose(window, self.tr("汇总上报包"), self.tr("选择要汇总的上报包："),
                     [self.tr("选择文件…"), self.tr("选择文件夹…"), self.tr("取消")])
        if how == 0:
            paths, _ = QFileDialog.getOpenFileNames(window, self.tr("选择上报包"), folder,
                                                    self.tr("上报包 (*%1);;所有文件 (*)").replace("%1", SUFFIX))
            paths = [Path(p) for p in paths]
        elif how == 1:
            chosen = QFileDialog.getExistingDirectory(window, self.tr("选择放上报包的文件夹"), folder)
            paths = package_files([Path(chosen)]) if chosen else []
            if chosen and not paths:
                warn(window, self.tr("没有上报包"), self.tr("文件夹“%1”里没有上报包（%2 文件）。")
                     .replace("%1", chosen).replace("%2", SUFFIX))
                return
        else:
            return
        if not paths:
            return
        window.editor.flush()
        # Checking every hash reads every byte: off the UI thread, with no ledger connection.
        merged = merged_digests(window.document.ledger)
        task = Task(window, self.tr("正在校验上报包…"), lambda: check_packages(paths, merged))
        task.done.connect(self.preview)
        task.failed.connect(lambda message: warn(window, self.tr("没能校验上报包"), message))
        self._task = task.start()

    def preview(self, checked: list[Checked]) -> None:
        """Stage the packages against the county ledger off the UI thread, then show what the
        merge would do; the same staging is what the merge writes from."""
        window = self.window
        path = window.document.ledger.path
        task = Task(window, self.tr("正在比对上报包…"),
                    on_own_connection(path, lambda ledger: prepare(ledger, checked)))
        task.done.connect(lambda prepared: self.confirm(prepared))
        task.failed.connect(lambda message: (close_checked(checked),
                                             warn(window, self.tr("没能汇总上报包"), message)))
        task.cancelled.connect(lambda: close_checked(checked))
        self._task = task.start()

    def confirm(self, prepared: Prepared) -> None:
        window = self.window
        try:
            dialog = PreviewDialog(window, result_lines(prepared.result(), dry_run=True),
                                   any(p.refused is None and p.note is None for p in prepared.outcomes))
            accepted = dialog.exec() == QDialog.Accepted
            dialog.deleteLater()
        except BaseException:
            self._close(prepared)
            raise
        if not accepted:
            self._close(prepared)
            return
        self.write(prepared)

    def write(self, prepared: Prepared) -> None:
        """Back the county ledger up, then merge on a worker's own connection: one change, one
        undo step, with a progress dialog (200 packages take some seconds)."""
        window = self.window
        document = window.document
        path, policy = document.ledger.path, window.safety.policy()
        label = self.tr("汇总上报包")
        names = "、".join(c.path.name for c in prepared.checked if c.package is not None)

        def work():
            writer = Ledger.open_beside(path)
            try:
                result = yield from merge(writer, prepared, names, policy)
                return result, writer.last_change
            finally:
                writer.close()

        def done(answer):
            self._close(prepared)
            result, change_set = answer
            document.push_change(change_set, label)
            window.statusBar().showMessage("；".join(result_lines(result)[:3]), 20000)

        def failed(message):
            self._close(prepared)
            warn(window, self.tr("没能汇总上报包"), message)

        def cancelled():
            self._close(prepared)
            warn(window, self.tr("汇总已取消"), self.tr("汇总已取消，台账没有任何改动。"))

        task = Task(window, self.tr("正在汇总上报包…"), work)
        task.done.connect(done)
        task.failed.connect(failed)
        task.cancelled.connect(cancelled)
        self._task = task.start()

    @staticmethod
    def _close(prepared: Prepared) -> None:
        prepared.close()
        close_checked(prepared.checked)
