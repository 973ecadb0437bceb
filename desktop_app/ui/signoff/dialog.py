"""销号 of one problem: the stages 申请销号 → 验收 → 公示 → 已销号, each step one undo step.

The dialog shows where the sign-off stands and its history, the 验收清单 to tick, the 公示期,
the contacts printed on the notice, and prints the notice and the 销号审批表. The rules are
domain/signoff.py's: a step they refuse is explained with every reason, in the clerk's words.
"""

from dataclasses import asdict
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QFileDialog, QGridLayout, QGroupBox,
                               QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView, QVBoxLayout)

from ...domain.notice import as_text
from ...domain.vocabulary import Status
from ...domain.signoff import (OPEN_STAGES, ChecklistItem, SignoffRefused, Stage, check_forward,
                              next_stage)
from ...store import notices as notice_store
from ...store import signoff as signoffs
from ...store.errors import LedgerError
from ..date_edit import date_edit
from ..editor.field_binding import SAVE_DELAY_MS
from ..messages import ask_text, confirm, warn
from ..notices.dialogs import NoticeTextDialog, fresh_notice_text, preview_notices, save_notices_pdf
from .publicity_box import PublicityBox
from ..screen_fit import scrolling
from .parts import ChecklistBox, ContactsBox, EventsModel, StageStrip

# Translated where shown (SignoffDialog.tr); QT_TRANSLATE_NOOP marks them for lupdate.
STEP_BUTTON = {
    Stage.APPLIED: QT_TRANSLATE_NOOP("SignoffDialog", "提交销号申请"),
    Stage.ACCEPTED: QT_TRANSLATE_NOOP("SignoffDialog", "验收通过"),
    Stage.PUBLICITY: QT_TRANSLATE_NOOP("SignoffDialog", "开始公示"),
    Stage.SIGNED_OFF: QT_TRANSLATE_NOOP("SignoffDialog", "确认销号"),
}
STEP_UNDO = {
    Stage.APPLIED: QT_TRANSLATE_NOOP("SignoffDialog", "申请销号"),
    Stage.ACCEPTED: QT_TRANSLATE_NOOP("SignoffDialog", "验收通过"),
    Stage.PUBLICITY: QT_TRANSLATE_NOOP("SignoffDialog", "开始公示"),
    Stage.SIGNED_OFF: QT_TRANSLATE_NOOP("SignoffDialog", "销号"),
}


class SignoffDialog(QDialog):
    def __init__(self, parent, document, settings, problem_id: int, number: int):
        super().__init__(parent)
        self.document, self.settings, self.problem_id = document, settings, problem_id
        self.ledger = document.ledger
        self.row: dict | None = None
        self.setWindowTitle(self.tr("销号 — 第 %1 项").replace("%1", str(number)))
        problem = self.ledger.row("problem", problem_id)
        code = f"（{problem['code']}）" if problem["code"] else ""
        summary = (problem["description"] or "").replace("\n", " ")
        self.heading = QLabel(self.tr("第 %1 项").replace("%1", str(number)) + f"{code}　"
                              + (summary if len(summary) <= 90 else summary[:90] + "……"))
        self.heading.setToolTip(problem["description"])
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: bold; font-size: 15px;")
        self.strip = StageStrip()
        self.status = QLabel()
        self.status.setStyleSheet("color: #555;")

        self.checklist_box = ChecklistBox()
        self.checklist_box.changed.connect(self._save_checklist)
        self.checklist = self.checklist_box.list

        self.events = EventsModel(self)
        history = QTableView()
        history.setObjectName("signoffHistory")
        history.setModel(self.events)
        history.setEditTriggers(QAbstractItemView.NoEditTriggers)
        history.setSelectionBehavior(QAbstractItemView.SelectRows)
        history.verticalHeader().hide()
        history.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        history.horizontalHeader().setStretchLastSection(True)
        history_box = QGroupBox(self.tr("销号记录"))
        QVBoxLayout(history_box).addWidget(history)

        self.publicity = PublicityBox(self.ledger)
        self.publicity.edited.connect(self._publicity_edited)
        self._publicity_dirty = False
        self._publicity_timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self._publicity_timer.timeout.connect(self._save_publicity)

        self.contacts_box = ContactsBox()
        self.contacts_box.edited.connect(self._save_contact)
        self.contacts = self.contacts_box.fields

        self.day = date_edit()
        self.day.setToolTip(self.tr("这一步的办理日期；补录以前的销号时改成当时的日期"))
        self.day.dateChanged.connect(lambda _d: self._update_step())
        self.step_button = QPushButton()
        self.step_button.setObjectName("stepButton")
        self.step_button.setDefault(True)
        self.step_button.clicked.connect(self.step_forward)
        self.back_button = QPushButton()
        self.back_button.clicked.connect(self.send_back)
        self.hint = QLabel()
        self.hint.setObjectName("stepHint")
        self.hint.setWordWrap(True)
        self.notice_note = QLabel()
        self.notice_note.setWordWrap(True)
        self.notice_note.setStyleSheet("color: #8a5a00;")

        self.edit_notice_button = QPushButton(self.tr("编辑公示文本…"))
        self.preview_button = QPushButton(self.tr("打印预览公示…"))
        self.pdf_button = QPushButton(self.tr("公示存为 PDF 或 Word…"))
        self.form_button = QPushButton(self.tr("打印销号审批表…"))
        self.form_docx_button = QPushButton(self.tr("审批表存为 Word…"))
        self.undo_button = QPushButton(self.tr("撤销"))
        close_button = QPushButton(self.tr("关闭"))
        self.edit_notice_button.clicked.connect(self.edit_notice)
        self.preview_button.clicked.connect(self.preview_notice)
        self.pdf_button.clicked.connect(self.save_notice_pdf)
        self.form_button.clicked.connect(self.preview_form)
        self.form_docx_button.clicked.connect(self.save_form_docx)
        self.undo_button.clicked.connect(self.undo)
        close_button.clicked.connect(self.accept)
        QShortcut(QKeySequence.Undo, self, self.undo)
        QShortcut(QKeySequence("Ctrl+Y"), self, self.redo)

        steps = QHBoxLayout()
        steps.addWidget(QLabel(self.tr("办理日期")))
        steps.addWidget(self.day)
        steps.addWidget(self.step_button)
        steps.addWidget(self.back_button)
        steps.addStretch()
        steps.addWidget(self.undo_button)
        printing = QHBoxLayout()
        for button in (self.edit_notice_button, self.preview_button, self.pdf_button,
                       self.form_button, self.form_docx_button):
            printing.addWidget(button)
        printing.addStretch()
        printing.addWidget(close_button)
        grid = QGridLayout()
        grid.addWidget(self.checklist_box, 0, 0)
        grid.addWidget(self.publicity, 0, 1)
        grid.addWidget(history_box, 1, 0)
        grid.addWidget(self.contacts_box, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        top = QHBoxLayout()
        top.addWidget(self.strip, 1)
        top.addWidget(self.status)
        layout.addLayout(top)
        # The four boxes scroll on a low screen (1280×720 at 125 %); the steps stay in sight.
        layout.addWidget(scrolling(grid), 1)
        layout.addWidget(self.notice_note)
        layout.addLayout(steps)
        layout.addWidget(self.hint)
        layout.addLayout(printing)
        self.resize(1040, 760)

        document.changed.connect(self._document_changed)
        self._listening = True
        document.undo_stack.indexChanged.connect(self._update_undo)
        self.reload()

    # -- showing -------------------------------------------------------------------------------

    def _document_changed(self, *_args) -> None:
        self.reload()

    def reload(self) -> None:
        ledger, problem_id = self.ledger, self.problem_id
        self.row = signoffs.current(ledger, problem_id)
        row = self.row
        stage = Stage(row["stage"]) if row else None
        live = stage in OPEN_STAGES and not self.document.read_only
        problem = ledger.row("problem", problem_id)
        self.strip.set_stage(stage)
        self.status.setText(self.tr("整改状态：%1").replace("%1", problem["status"]))
        self.events.set_events(signoffs.events(ledger, problem_id))
        defaults = self.settings.signoff_defaults
        applied = stage is not None and stage != Stage.RETURNED
        self.checklist_box.show_items(
            row["checklist"] if applied else [ChecklistItem(i) for i in defaults.checklist],
            editable=live and stage == Stage.APPLIED,
            note="" if applied else self.tr("提交销号申请后，可以逐项勾选、修改验收标准和联系方式。"))

        if applied and row["publicity_start"]:
            stored = signoffs.preview_publicity(ledger, row["publicity_start"],
                                                end=row["publicity_end"])
            shown = self.publicity.period
            if shown is None or (shown.start, shown.end) != (stored.start, stored.end):
                self.publicity.show_values(stored.start, row["publicity_working_days"], stored.end)
        elif not self._publicity_dirty:
            self.publicity.show_values(QDate.currentDate().toPython(), defaults.working_days, None)
        self.publicity.set_editable(live)

        self.contacts_box.show_values(row if applied else asdict(defaults.contacts), live)
        self.notice_note.setText(self.tr("公示文本是手工编辑过的：修改公示时间或联系方式后不会自动更新，"
                                         "需要时请在“编辑公示文本…”里点“恢复为自动生成”。")
                                 if applied and (row["notice_text"] or "").strip() else "")
        self.notice_note.setVisible(bool(self.notice_note.text()))
        self.edit_notice_button.setEnabled(live)
        self.form_button.setEnabled(applied)
        self.form_docx_button.setEnabled(applied)
        self._update_step()
        self._update_undo()

    def _next(self) -> Stage | None:
        reopened = (self.row and self.row["stage"] == Stage.SIGNED_OFF  # 回头看 found it back
                    and self.ledger.row("problem", self.problem_id)["status"] != Status.SIGNED_OFF)
        return Stage.APPLIED if reopened else next_stage(self.row["stage"] if self.row else None)

    def _update_step(self) -> None:
        row, nxt = self.row, self._next()
        stage = Stage(row["stage"]) if row else None
        read_only = self.document.read_only
        self.step_button.setVisible(nxt is not None)
        self.day.setEnabled(not read_only)
        self.back_button.setText(self.tr("撤销销号…") if stage == Stage.SIGNED_OFF else self.tr("退回…"))
        self.back_button.setVisible(stage is not None and stage != Stage.RETURNED)
        self.back_button.setEnabled(not read_only)
        if nxt is None:
            self.hint.setText(self.tr("已于 %1 销号。如回头看发现问题反弹，可以“撤销销号”。")
                              .replace("%1", row.get("signed_off_on") or ""))
            self.hint.setStyleSheet("color: #2e7d32;")
            return
        self.step_button.setText(self.tr(STEP_BUTTON[nxt]))
        reasons = self._reasons(nxt)
        self.step_button.setEnabled(not reasons and not read_only)
        if reasons:
            self.hint.setText(self.tr("还不能“%1”：").replace("%1", self.tr(STEP_BUTTON[nxt]))
                              + "\n" + "\n".join(reasons))
            self.hint.setStyleSheet("color: #b00020;")
        else:
            self.hint.setText(self.tr("开始公示的日期就是公示期的第一天。") if nxt == Stage.PUBLICITY
                              else "")
            self.hint.setStyleSheet("color: #555;")
        self.step_button.setToolTip("\n".join(reasons))

    def _reasons(self, nxt: Stage) -> list[str]:
        if nxt == Stage.APPLIED:
            return signoffs.blocking_reasons(self.ledger, self.problem_id)
        probe = dict(self.row)
        period = self.publicity.period
        if nxt == Stage.PUBLICITY and period is not None:
            probe.update(publicity_start=period.start.isoformat(), publicity_end=period.end.isoformat())
        return check_forward(probe, nxt, self.day.date().toPython())

    def _update_undo(self, *_args) -> None:
        stack = self.document.undo_stack
        self.undo_button.setEnabled(stack.canUndo() and not self.document.read_only)
        self.undo_button.setToolTip(self.tr("撤销：%1").replace("%1", stack.undoText())
                                    if stack.canUndo() else "")

    # -- changing --------------------------------------------------------------------------------

    def _signoff_id(self) -> int:
        return signoffs.current(self.ledger, self.problem_id)["id"]

    def _save_checklist(self, items: list[ChecklistItem]) -> None:
        if self.row is not None and Stage(self.row["stage"]) == Stage.APPLIED:
            self.document.signoff_fields(
                self.problem_id, lambda sid: signoffs.set_checklist(self.ledger, sid, items),
                self.tr("修改验收清单"))

    def _save_contact(self, field: str, value: str) -> None:
        if self.row is not None and Stage(self.row["stage"]) in OPEN_STAGES:
            self.document.signoff_fields(
                self.problem_id, lambda sid: signoffs.set_contacts(self.ledger, sid, **{field: value}),
                self.tr("修改联系方式"))

    def _publicity_edited(self) -> None:
        self._publicity_dirty = True
        self._update_step()
        if self.row and Stage(self.row["stage"]) in OPEN_STAGES:
            self._publicity_timer.start()

    def _save_publicity(self, force: bool = False) -> None:
        self._publicity_timer.stop()
        row = self.row
        if not (self._publicity_dirty or force) or self.publicity.period is None or row is None \
                or Stage(row["stage"]) not in OPEN_STAGES or self.document.read_only:
            return
        self._publicity_dirty = False
        start, days, end = self.publicity.values()
        self.document.signoff_fields(
            self.problem_id,
            lambda sid: signoffs.set_publicity(self.ledger, sid, start, days, end)[1],
            self.tr("设定公示时间"), merge_key="publicity")

    def flush(self) -> None:
        """Save what the clerk typed and has not yet been saved."""
        self.contacts_box.flush()
        self._save_publicity()

    def _run(self, perform, text: str) -> bool:
        try:
            return self.document.signoff_step(self.problem_id, perform, text)
        except SignoffRefused as e:
            warn(self, self.tr("还不能办理"), str(e))
            return False

    def step_forward(self) -> None:
        self.flush()
        nxt, ledger, problem_id = self._next(), self.ledger, self.problem_id
        day = self.day.date().toPython()
        if nxt == Stage.APPLIED:
            defaults = self.settings.signoff_defaults
            self._run(lambda: signoffs.apply(ledger, problem_id, day, list(defaults.checklist),
                                             defaults.contacts), self.tr(STEP_UNDO[nxt]))
        elif nxt == Stage.PUBLICITY:
            advance = lambda: signoffs.advance(ledger, self._signoff_id())  # noqa: E731
            if self.row["publicity_start"]:
                self._run(advance, self.tr(STEP_UNDO[nxt]))
                return
            stack = self.document.undo_stack  # the 公示期 shown was never saved: save it with the step
            stack.beginMacro(self.tr(STEP_UNDO[nxt]))
            try:
                self._save_publicity(force=True)
                self._run(advance, self.tr(STEP_UNDO[nxt]))
            finally:
                stack.endMacro()
        elif nxt is not None:
            if nxt == Stage.SIGNED_OFF and not confirm(
                    self, self.tr("确认销号"),
                    self.tr("公示期已满，确认这个问题于 %1 销号吗？\n销号后整改状态为“已销号”。")
                    .replace("%1", day.isoformat()), yes=self.tr("确认销号")):
                return
            self._run(lambda: signoffs.advance(ledger, self._signoff_id(), day),
                      self.tr(STEP_UNDO[nxt]))

    def send_back(self) -> None:
        self.flush()
        reopen = self.row and self.row["stage"] == Stage.SIGNED_OFF
        title = self.tr("撤销销号") if reopen else self.tr("退回销号申请")
        reason = ask_text(self, title, self.tr("原因（记入销号记录，问题回到“整改中”）："))
        if reason is None:
            return
        day, ledger = self.day.date().toPython(), self.ledger
        self._run(lambda: signoffs.send_back(ledger, self._signoff_id(), reason, day), title)

    def undo(self) -> None:
        self.flush()
        self.document.undo_stack.undo()

    def redo(self) -> None:
        self.flush()
        self.document.undo_stack.redo()

    # -- printing --------------------------------------------------------------------------------

    def _notice(self):
        self.flush()
        return notice_store.notice_for(self.ledger, self.problem_id,
                                       self.settings.signoff_defaults).notice

    def edit_notice(self) -> None:
        notice = self._notice()
        fresh = fresh_notice_text(self.ledger, self.problem_id, self.settings.signoff_defaults)
        dialog = NoticeTextDialog(self, as_text(notice), fresh)
        if dialog.exec() == QDialog.Accepted:
            text = dialog.text()
            self.document.signoff_fields(
                self.problem_id, lambda sid: signoffs.set_notice_text(self.ledger, sid, text),
                self.tr("编辑公示文本"))
        dialog.deleteLater()

    def preview_notice(self) -> None:
        preview_notices(self, [self._notice()])

    def save_notice_pdf(self):
        notice = self._notice()
        return save_notices_pdf(self, self.settings, [notice], notice.title)

    def preview_form(self) -> None:
        from ..notices.printing import show_form_preview
        self.flush()
        show_form_preview(self, notice_store.form_for(self.ledger, self.problem_id,
                                                      self.settings.signoff_defaults))

    def save_form_docx(self) -> Path | None:
        """The 销号审批表 as a Word document, to fill in and stamp in WPS or Word."""
        from ...formats.documents.signoff_form_docx import write_forms
        self.flush()
        form = notice_store.form_for(self.ledger, self.problem_id, self.settings.signoff_defaults)
        folder = Path(self.settings.export_folder or Path.home())
        code = self.ledger.row("problem", self.problem_id)["code"] or str(self.problem_id)
        suggested = str(folder / f"销号审批表-{code}.docx")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("销号审批表存为 Word"), suggested,
                                              self.tr("Word 文档 (*.docx)"))
        if not path:
            return None
        path = Path(path) if path.lower().endswith(".docx") else Path(path + ".docx")
        try:
            write_forms(form, path)
        except (LedgerError, OSError) as e:
            warn(self, self.tr("没能保存销号审批表"), str(e))
            return None
        self.settings.export_folder = str(path.parent)
        return path

    def done(self, result: int) -> None:
        self.flush()
        if self._listening:  # done() runs again when a closed dialog is closed
            self.document.changed.disconnect(self._document_changed)
            self.document.undo_stack.indexChanged.disconnect(self._update_undo)
            self._listening = False
        super().done(result)
