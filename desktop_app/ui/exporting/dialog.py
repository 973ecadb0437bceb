"""The Excel export dialog: which inspections and columns, paper, wording; then export off-thread."""

import json
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QAbstractItemView, QButtonGroup, QCheckBox, QDialog, QDialogButtonBox,
                               QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLineEdit, QListWidget,
                               QListWidgetItem, QMessageBox, QPushButton, QRadioButton, QVBoxLayout)

from ...formats.exporting.ledger_sheet import counted_values, fill_template, template_from_text
from ...formats.exporting.ledger_xlsx import COLUMNS, ExportOptions, export_ledger
from ..file_dialogs import start_folder
from ..messages import choose, warn
from ..tasks import Task, on_own_connection

_SAFE_NAME = str.maketrans({c: "_" for c in '\\/:*?"<>|'})


def _checked_items(widget: QListWidget) -> list:
    return [widget.item(i).data(Qt.UserRole) for i in range(widget.count())
            if widget.item(i).checkState() == Qt.Checked]


class ExportDialog(QDialog):
    """Options for the 整改任务清单 workbook; remembered between exports."""

    def __init__(self, parent, inspections: list[dict], current_id: int | None, options: ExportOptions,
                 preview_values: dict | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("导出 Excel 台账"))
        self.inspections = QListWidget()
        for row in inspections:
            item = QListWidgetItem(row["name"])
            item.setData(Qt.UserRole, row["id"])
            chosen = (row["id"] == current_id) if options.inspection_ids is None else row["id"] in options.inspection_ids
            item.setCheckState(Qt.Checked if chosen else Qt.Unchecked)
            self.inspections.addItem(item)
        self.inspections.setMaximumHeight(110)

        self.columns = QListWidget()
        self.columns.setDragDropMode(QAbstractItemView.InternalMove)
        self.columns.setToolTip(self.tr("勾选要导出的列；拖动或用“上移/下移”调整顺序"))
        self._fill_columns(options.columns)
        up, down, reset = (QPushButton(self.tr("上移")), QPushButton(self.tr("下移")),
                           QPushButton(self.tr("恢复默认列")))
        up.clicked.connect(lambda: self._move_column(-1))
        down.clicked.connect(lambda: self._move_column(+1))
        reset.clicked.connect(lambda: self._fill_columns(ExportOptions().columns))
        column_buttons = QVBoxLayout()
        for button in (up, down, reset):
            column_buttons.addWidget(button)
        column_buttons.addStretch()
        column_box = QGroupBox(self.tr("列和顺序"))
        column_layout = QHBoxLayout(column_box)
        column_layout.addWidget(self.columns)
        column_layout.addLayout(column_buttons)

        self.only_unfinished = QCheckBox(self.tr("只导出未完成的问题（序号重新从 1 编排）"))
        self.only_unfinished.setChecked(options.only_unfinished)
        self.a4, self.a3 = QRadioButton(self.tr("A4 横向")), QRadioButton(self.tr("A3 横向"))
        (self.a3 if options.paper == "A3" else self.a4).setChecked(True)
        paper_group = QButtonGroup(self)
        paper_group.addButton(self.a4)
        paper_group.addButton(self.a3)
        paper = QHBoxLayout()
        paper.addWidget(self.a4)
        paper.addWidget(self.a3)
        paper.addStretch()
        # The title and summary as they will print for the inspection shown; edited, they go back
        # to templates, so every inspection exported gets its own 所属单位, name and figures.
        self.preview_values = preview_values or {}
        self._templates = (options.title_template, options.summary_template)
        self.title_template = QLineEdit(fill_template(options.title_template, self.preview_values))
        self.summary_template = QLineEdit(fill_template(options.summary_template, self.preview_values))
        for field in (self.title_template, self.summary_template):
            field.setToolTip(self.tr("照打印的样子修改；导出多个督察批次时，单位、名称和项数换成各自的"))

        form = QFormLayout()
        form.addRow(self.tr("督察批次"), self.inspections)
        form.addRow(column_box)
        form.addRow(self.only_unfinished)
        form.addRow(self.tr("纸张"), paper)
        form.addRow(self.tr("标题"), self.title_template)
        form.addRow(self.tr("概况"), self.summary_template)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText(self.tr("导出…"))
        buttons.button(QDialogButtonBox.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(520, 560)

    def _fill_columns(self, chosen: list[str]) -> None:
        self.columns.clear()
        for key in chosen + [k for k in COLUMNS if k not in chosen]:
            item = QListWidgetItem(COLUMNS[key][0])
            item.setData(Qt.UserRole, key)
            item.setCheckState(Qt.Checked if key in chosen else Qt.Unchecked)
            self.columns.addItem(item)

    def _move_column(self, step: int) -> None:
        row = self.columns.currentRow()
        if row < 0 or not 0 <= row + step < self.columns.count():
            return
        item = self.columns.takeItem(row)
        self.columns.insertItem(row + step, item)
        self.columns.setCurrentRow(row + step)

    def accept(self):
        if not _checked_items(self.inspections):
            warn(self, self.tr("请选择督察批次"), self.tr("至少勾选一个要导出的督察批次。"))
            return
        if not _checked_items(self.columns):
            warn(self, self.tr("请选择列"), self.tr("至少勾选一列。"))
            return
        super().accept()

    def options(self) -> ExportOptions:
        return ExportOptions(
            inspection_ids=_checked_items(self.inspections), columns=_checked_items(self.columns),
            only_unfinished=self.only_unfinished.isChecked(), paper="A3" if self.a3.isChecked() else "A4",
            title_template=self._template(self.title_template, 0) or ExportOptions().title_template,
            summary_template=self._template(self.summary_template, 1) or ExportOptions().summary_template)

    def _template(self, field: QLineEdit, which: int) -> str:
        return template_from_text(field.text().strip(), self._templates[which], self.preview_values)


class ExportFlow(QObject):
    """Ask for options and a file name, export in the background, then offer to open the result."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.task: Task | None = None

    def start(self) -> None:
        window = self.window
        document = window.document
        window.editor.flush()
        saved = window.settings.export_options
        options = ExportOptions.from_dict(json.loads(saved)) if saved else ExportOptions()
        options.inspection_ids = None  # the current inspection is the natural default each time
        dialog = ExportDialog(window, document.ledger.inspections(), window.inspections.current_id(), options,
                              self._preview_values())
        if dialog.exec() != QDialog.Accepted:
            return
        options = dialog.options()
        remembered = options.to_dict()
        remembered.pop("inspection_ids", None)
        window.settings.export_options = json.dumps(remembered, ensure_ascii=False)
        names = [r["name"] for r in document.ledger.inspections() if r["id"] in options.inspection_ids]
        self.ask_target_and_run(options, names[0] if len(names) == 1 else document.ledger.title)

    def _preview_values(self) -> dict | None:
        """The placeholders' values for the inspection on screen (its tree is already loaded)."""
        window = self.window
        tree, inspection_id = window.ledger_view.model.tree, window.inspections.current_id()
        if tree is None or inspection_id is None:
            return None
        ledger = window.document.ledger
        return counted_values(ledger.title, ledger.row("inspection", inspection_id),
                              len(tree.categories), len(tree.problems))

    def ask_target_and_run(self, options: ExportOptions, name: str) -> None:
        window = self.window
        folder = start_folder(window.settings.export_folder)
        suggested = Path(folder) / self.tr("%1整改任务清单-%2.xlsx").replace(
            "%1", name.translate(_SAFE_NAME)).replace("%2", f"{date.today():%Y%m%d}")
        path, _ = QFileDialog.getSaveFileName(window, self.tr("导出到"), str(suggested),
                                              self.tr("Excel 工作簿 (*.xlsx)"))
        if not path:
            return
        target = Path(path) if path.lower().endswith(".xlsx") else Path(path + ".xlsx")
        window.settings.export_folder = str(target.parent)
        ledger_path = window.document.ledger.path
        self.task = Task(window, self.tr("正在导出 Excel 台账…"), on_own_connection(
            ledger_path, lambda ledger: export_ledger(ledger, target, options)))
        self.task.done.connect(self._done)
        self.task.failed.connect(lambda message: self._failed(message, options, name))
        self.task.start()

    def _failed(self, message: str, options: ExportOptions, name: str) -> None:
        window = self.window
        if choose(window, self.tr("导出没有完成"), message,
                  [self.tr("换个文件名再导出"), self.tr("关闭")]) == 0:
            self.ask_target_and_run(options, name)

    def _done(self, result) -> None:
        window = self.window
        text = self.tr("已导出到：\n%1\n\n%2").replace("%1", str(result.path)).replace(
            "%2", "；".join(result.summaries))
        if result.warnings:
            text += self.tr("\n\n请注意：\n") + "\n".join(result.warnings)
        choice = choose(window, self.tr("导出完成"), text,
                        [self.tr("打开文件"), self.tr("打开所在文件夹"), self.tr("关闭")],
                        QMessageBox.Warning if result.warnings else QMessageBox.Information)
        if choice == 0:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(result.path)))
        elif choice == 1:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(result.path).parent)))


