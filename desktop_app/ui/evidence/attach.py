"""Attaching files to a problem from the window: ask what they are, copy them off the UI thread,
then save the rows on the window's own connection (store.evidence's three steps)."""

import tempfile
from datetime import datetime
from pathlib import Path
from typing import Generator

from PySide6.QtCore import QMimeData, QObject, Signal
from PySide6.QtWidgets import QDialog, QFileDialog

from ...jobs import Step
from ...store import evidence, evidence_attach
from ...store.errors import LedgerError
from .dialogs import AttachDialog
from ..file_dialogs import start_folder
from ..messages import warn
from ..tasks import Task

# Left behind by Windows Explorer and macOS Finder in photo folders: never evidence.
_SYSTEM_FILES = frozenset({"thumbs.db", "desktop.ini", ".ds_store"})


def expand(paths) -> list[Path]:
    """The files named, and every file inside the folders named (all levels, in name order);
    hidden and system files skipped, each file once."""
    found: dict[Path, None] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for inner in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in inner.relative_to(path).parts)
                if inner.is_file() and not hidden and inner.name.lower() not in _SYSTEM_FILES:
                    found.setdefault(inner)
        elif path.is_file():
            found.setdefault(path)
    return list(found)


def dropped_paths(mime: QMimeData) -> list[Path]:
    """The local files and folders in a drop or on the clipboard."""
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()] if mime.hasUrls() else []


def pasted_paths(mime: QMimeData) -> list[Path]:
    """Files copied in Explorer, or a copied picture (a screenshot) written out as a PNG."""
    paths = dropped_paths(mime)
    if paths or not mime.hasImage():
        return paths
    image = mime.imageData()
    if image is None or image.isNull():
        return []
    folder = Path(tempfile.mkdtemp(prefix="dc-ledger-paste-"))
    target = folder / f"粘贴的图片-{datetime.now():%Y%m%d-%H%M%S}.png"
    return [target] if image.save(str(target), "PNG") else []


def copy_all(plans: list) -> Generator[Step, None, list]:
    """copy_files of each batch (files only: runs on a worker thread), as one progress bar."""
    total = sum(plan.total for plan in plans)
    before = 0
    for plan in plans:
        for step in evidence_attach.copy_files(plan):
            yield Step(min(total, before + step.done), total, step.message)
        before += plan.total
    return plans


class AttachFlow(QObject):
    """One attach at a time for a parent widget; attached(problem id, new ids) when saved."""

    attached = Signal(int, list)

    def __init__(self, parent, document, settings):
        super().__init__(parent)
        self.widget, self.document, self.settings = parent, document, settings
        self.task: Task | None = None

    def attach(self, problem_id: int, paths, measure_id: int | None = None) -> bool:
        """Ask about the files and start copying them; False when nothing was started."""
        document = self.document
        if document.read_only:
            warn(self.widget, self.tr("不能添加"), self.tr("此台账以只读方式打开，不能添加佐证材料。"))
            return False
        if self.task is not None:  # its progress window is open: the clerk waits for it
            return False
        files = expand(paths)
        if not files:
            warn(self.widget, self.tr("没有可添加的文件"),
                 self.tr("选中的文件夹里没有文件（隐藏文件和系统文件不添加）。"))
            return False
        ledger = document.ledger
        dialog = AttachDialog(self.widget, files, evidence.evidence_kinds(ledger), ledger.measures(problem_id),
                              measure_id, self.settings.reporter or ledger.app_user)
        try:
            if dialog.exec() != QDialog.Accepted:
                return False
            values, batches = dialog.values(), dialog.batches()
        finally:
            dialog.deleteLater()
        if values["added_by"]:
            self.settings.reporter = values["added_by"]
        try:
            plans = [evidence_attach.prepare_attach(ledger, problem_id, group, taken_on=day,
                                             max_bytes=self.settings.evidence_max_mb * 1024 * 1024, **values)
                     for day, group in batches.items()]
        except (LedgerError, ValueError) as e:
            warn(self.widget, self.tr("佐证材料没有添加"), str(e))
            return False
        self.task = Task(self.widget.window(), self.tr("正在添加佐证材料…"), lambda: copy_all(plans))
        self.task.done.connect(lambda _plans: self._save(problem_id, plans))
        self.task.failed.connect(lambda message: self._abandon(plans, message))
        self.task.cancelled.connect(lambda: self._abandon(plans, None))
        self.task.start()
        return True

    def choose_files(self) -> list[str]:
        """Files picked in the system's file dialog (several at once), from where the last came."""
        paths, _ = QFileDialog.getOpenFileNames(
            self.widget, self.tr("选择要添加的佐证材料"), self._folder(),
            self.tr("所有文件 (*);;图片 (*.jpg *.jpeg *.png *.bmp *.gif *.tif *.tiff *.webp);;PDF 文件 (*.pdf)"
                    ";;Word、Excel 文件 (*.doc *.docx *.wps *.xls *.xlsx *.et)"))
        if paths:
            self.settings.evidence_folder = str(Path(paths[0]).parent)
        return paths

    def choose_folder(self) -> list[str]:
        folder = QFileDialog.getExistingDirectory(self.widget, self.tr("选择要添加的文件夹"), self._folder())
        if folder:
            self.settings.evidence_folder = folder
        return [folder] if folder else []

    def _folder(self) -> str:
        return start_folder(self.settings.evidence_folder)  # never the app's data folder

    def _save(self, problem_id: int, plans: list) -> None:
        self.task = None
        ids = self.document.attach_evidence(problem_id, plans)
        if ids:
            self.attached.emit(problem_id, ids)

    def _abandon(self, plans: list, message: str | None) -> None:
        self.task = None
        for plan in plans:
            evidence_attach.abandon_attach(self.document.ledger, plan)
        if message:
            warn(self.widget, self.tr("佐证材料没有添加"), message)
