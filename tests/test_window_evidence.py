"""佐证材料 in the real window: attach by button, drop (panel and ledger row) and paste, thumbnails,
edit and undo, 回收站, the 佐证 column and its filter, 检查佐证材料, 导出佐证材料, preview, open."""

from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QPushButton

from desktop_app.store import evidence, evidence_attach
from desktop_app.ui.evidence.check import FindingsDialog
from desktop_app.ui.evidence.dialogs import AttachDialog, EvidenceDialog
from desktop_app.ui.evidence.export import EvidenceExportDialog
from desktop_app.ui.evidence.model import COL_CAPTION, PICTURE_ROLE
from desktop_app.ui.evidence.preview import PreviewDialog
from desktop_app.ui.evidence.recycle import RecycleDialog
from desktop_app.ui.ledger.model import COL_EVIDENCE, NO_EVIDENCE
from desktop_app.ui.settings.dialog import SettingsDialog
from evidence_files_for_tests import jpeg, pdf, write
from window_helpers import Clerk, read_file, visible_rows


def problems(window):
    return [p.id for p in window.ledger_view.model.tree.problems]


def open_on_first(open_window, path):
    window = open_window(path)
    window.ledger_view.select("problem", problems(window)[0])
    window.editor.problem.reveal(window.editor.problem.evidence)  # the page a clerk attaches on
    return window, window.editor.problem.evidence


def stored(path, problem_id, recycled=False):
    return read_file(path, lambda ledger: evidence.evidence_for(ledger, problem_id, recycled))


def count_cell(window, problem_id):
    model = window.ledger_view.model
    return model.index_for("problem", problem_id).siblingAtColumn(COL_EVIDENCE).data()


def fill_attach(clerk, seen=None, caption="", **choices):
    """Answer the attach dialog: note what it proposed, type a caption, pick a measure."""
    def handler(dialog: AttachDialog):
        if seen is not None:
            seen.update(kind=dialog.kind.currentText(), day=dialog.day.date().toPython(),
                        own_dates=dialog.own_dates.isChecked(), added_by=dialog.added_by.text(),
                        files=len(dialog.paths))
        dialog.caption.setText(caption)
        if "measure" in choices:
            dialog.measure.setCurrentIndex(choices["measure"])
        dialog.accept()
    clerk.when(lambda d: isinstance(d, AttachDialog), handler)


def drop_event(paths, kind=QDropEvent):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    if kind is QDragEnterEvent:
        return QDragEnterEvent(QPoint(10, 10), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier), mime
    return QDropEvent(QPointF(10, 10), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier), mime


def test_attach_by_button_shows_thumbnails_counts_and_undoes(qtbot, open_window, sample_ledger_file,
                                                             settings, tmp_path, monkeypatch):
    settings.reporter = "县委办 王五"
    window, panel = open_on_first(open_window, sample_ledger_file)
    first = problems(window)[0]
    assert count_cell(window, first) == "0" and panel.stack.currentWidget() is panel.empty
    photos = [jpeg(tmp_path / "来源" / "整改前.jpg", "#d01010", taken="2023:10:13 09:30:00"),
              jpeg(tmp_path / "来源" / "整改后.jpg", "#10a010", taken="2023:10:13 16:00:00")]
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        staticmethod(lambda *a, **k: ([str(p) for p in photos], "")))
    clerk, seen = Clerk(qtbot), {}
    fill_attach(clerk, seen, caption="污水处理厂二期工程现场", measure=2)
    with qtbot.waitSignal(panel.flow.attached, timeout=10000):
        panel.add_files_action.trigger()
    clerk.check()
    assert seen == {"kind": "现场照片", "day": __import__("datetime").date(2023, 10, 13),
                    "own_dates": False, "added_by": "县委办 王五", "files": 2}
    rows = stored(sample_ledger_file, first)
    measure = read_file(sample_ledger_file, lambda ledger: ledger.measures(first))[1]["id"]
    assert [(r["display_name"], r["caption"], r["kind"], r["taken_on"], r["added_by"], r["measure_id"])
            for r in rows] == [(p.name, "污水处理厂二期工程现场", "现场照片", "2023-10-13", "县委办 王五", measure)
                               for p in photos]
    assert settings.evidence_folder == str(photos[0].parent)
    assert panel.model.rowCount() == 2 and panel.stack.currentWidget() is panel.grid
    assert panel.selected_ids() == [r["id"] for r in rows]  # the new files are selected
    assert count_cell(window, first) == "2"
    index = panel.icons.index(0, 0)
    assert index.data() == "污水处理厂二期工程现场\n现场照片 · 2023-10-13"
    index.data(Qt.DecorationRole)
    qtbot.waitUntil(lambda: index.data(PICTURE_ROLE), timeout=5000)
    picture = index.data(Qt.DecorationRole).toImage()
    assert picture.pixelColor(picture.width() // 2, picture.height() // 2).red() > 200

    files = sorted(p for p in (sample_ledger_file.parent / f"{sample_ledger_file.stem}-佐证材料"
                                / "objects").rglob("*") if p.is_file())
    window.undo_action.trigger()  # the rows go, the stored files stay for redo: nothing is lost
    assert panel.model.rowCount() == 0 and count_cell(window, first) == "0"
    assert stored(sample_ledger_file, first) == []
    assert len(files) == 2 and all(p.is_file() for p in files)
    window.redo_action.trigger()
    assert panel.model.rowCount() == 2 and count_cell(window, first) == "2"



def test_closing_the_window_deletes_the_files_of_an_undone_attachment_only(
        qtbot, open_window, sample_ledger_file, tmp_path, monkeypatch):
    window, panel = open_on_first(open_window, sample_ledger_file)
    objects = sample_ledger_file.parent / f"{sample_ledger_file.stem}-佐证材料" / "objects"
    clerk = Clerk(qtbot)
    for name, colour in (("撤销了的.jpg", "#d01010"), ("留下的.jpg", "#10a010")):
        photo = jpeg(tmp_path / "来源" / name, colour)
        monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                            staticmethod(lambda *a, photo=photo, **k: ([str(photo)], "")))
        fill_attach(clerk)
        with qtbot.waitSignal(panel.flow.attached, timeout=10000):
            panel.add_files_action.trigger()
        clerk.check()
        if name == "撤销了的.jpg":
            undone = {p for p in objects.rglob("*") if p.is_file()}
            window.undo_action.trigger()
            window.redo_action.trigger()
            window.undo_action.trigger()  # and then something else done: its redo is gone
    kept = {p for p in objects.rglob("*") if p.is_file()} - undone
    assert len(undone) == 1 and len(kept) == 1
    window.close()  # the undo stack goes, and with it the way back to the undone file
    assert [p for p in undone if p.exists()] == [] and all(p.exists() for p in kept)
    assert read_file(sample_ledger_file, lambda ledger: [r["display_name"] for r in ledger.db.query(
        "SELECT display_name FROM evidence")]) == ["留下的.jpg"]

def test_drop_files_and_a_folder_on_the_panel(qtbot, open_window, sample_ledger_file, tmp_path):
    window, panel = open_on_first(open_window, sample_ledger_file)
    first = problems(window)[0]
    folder = tmp_path / "验收材料"
    jpeg(folder / "现场1.jpg", taken="2024:01:05 10:00:00")
    jpeg(folder / "下级" / "现场2.jpg", taken="2024:02:06 10:00:00")
    write(folder / "Thumbs.db", b"system")
    scan = pdf(tmp_path / "验收意见.pdf")
    enter, _mime = drop_event([folder, scan], QDragEnterEvent)
    panel.dragEnterEvent(enter)
    assert enter.isAccepted() and enter.dropAction() == Qt.CopyAction
    event, _mime = drop_event([folder, scan])
    clerk, seen = Clerk(qtbot), {}
    fill_attach(clerk, seen)
    with qtbot.waitSignal(panel.flow.attached, timeout=10000):
        panel.dropEvent(event)
    clerk.check()
    assert seen["files"] == 3 and seen["own_dates"] and seen["kind"] == "文件"  # not all photos
    rows = {r["display_name"]: r for r in stored(sample_ledger_file, first)}
    assert set(rows) == {"现场1.jpg", "现场2.jpg", "验收意见.pdf"}
    assert rows["现场1.jpg"]["taken_on"] == "2024-01-05" and rows["现场2.jpg"]["taken_on"] == "2024-02-06"
    assert panel.model.rowCount() == 3
    window.undo_action.trigger()  # three batches (one per date), one undo step
    assert panel.model.rowCount() == 0


def test_drop_on_a_ledger_row_attaches_to_that_problem(qtbot, open_window, sample_ledger_file, tmp_path):
    window, panel = open_on_first(open_window, sample_ledger_file)
    third = problems(window)[2]
    view = window.ledger_view
    target = view.proxy.mapFromSource(view.model.index_for("problem", third))
    _event, mime = drop_event([write(tmp_path / "查处决定书.docx", b"PK docx")])
    assert view.proxy.canDropMimeData(mime, Qt.CopyAction, -1, -1, target)
    clerk = Clerk(qtbot)
    fill_attach(clerk, caption="行政处罚决定书")
    with qtbot.waitSignal(panel.flow.attached, timeout=10000):
        view.proxy.dropMimeData(mime, Qt.CopyAction, -1, -1, target)
    clerk.check()
    assert [r["caption"] for r in stored(sample_ledger_file, third)] == ["行政处罚决定书"]
    assert count_cell(window, third) == "1"
    assert view.current_key() == ("problem", third)  # shown where the files went
    assert panel.problem_id == third and panel.model.rowCount() == 1


def test_paste_a_picture_from_the_clipboard(qtbot, open_window, sample_ledger_file):
    window, panel = open_on_first(open_window, sample_ledger_file)
    image = QImage(64, 48, QImage.Format_RGB32)
    image.fill(QColor("#2050d0"))
    QApplication.clipboard().setImage(image)
    clerk, seen = Clerk(qtbot), {}
    fill_attach(clerk, seen, caption="截图")
    with qtbot.waitSignal(panel.flow.attached, timeout=10000):
        panel.paste_action.trigger()
    clerk.check()
    assert seen["kind"] == "现场照片"
    (row,) = stored(sample_ledger_file, problems(window)[0])
    assert row["display_name"].startswith("粘贴的图片-") and row["display_name"].endswith(".png")
    path = read_file(sample_ledger_file, lambda ledger: evidence.file_path(ledger, row))
    assert QImage(str(path)).pixelColor(3, 3) == QColor("#2050d0")


def test_too_large_a_file_is_refused_in_plain_words(qtbot, open_window, sample_ledger_file, settings,
                                                    tmp_path):
    settings.evidence_max_mb = 1
    window, panel = open_on_first(open_window, sample_ledger_file)
    big = write(tmp_path / "航拍视频.mp4", b"\0" * (2 * 1024 * 1024))
    clerk = Clerk(qtbot)
    fill_attach(clerk)
    clerk.acknowledge("佐证材料没有添加")
    panel.attach([big])
    qtbot.waitUntil(lambda: bool(clerk.messages))
    clerk.check()
    assert "航拍视频.mp4" in clerk.messages[0][1] and "超过了" in clerk.messages[0][1]
    assert stored(sample_ledger_file, problems(window)[0]) == [] and not window.document.undo_stack.canUndo()


def attach_directly(window, problem_id, paths, **options):
    """Files attached on the window's own connection, as the panel does, then shown."""
    from desktop_app.jobs import finish
    ledger = window.document.ledger
    ids = finish(evidence_attach.attach_files(ledger, problem_id, paths, **options))
    window.ledger_view.reload()
    window.editor.problem.evidence.reload()
    return ids


def test_edit_in_place_and_in_the_dialog_with_undo(qtbot, open_window, sample_ledger_file, tmp_path):
    window, panel = open_on_first(open_window, sample_ledger_file)
    first = problems(window)[0]
    (evidence_id,) = attach_directly(window, first, [write(tmp_path / "纪要.docx", b"d")], caption="初稿")
    assert panel.icons.setData(panel.icons.index(0, 0), "县委常委会会议纪要")
    assert stored(sample_ledger_file, first)[0]["caption"] == "县委常委会会议纪要"
    assert panel.model.index(0, COL_CAPTION).data() == "县委常委会会议纪要"
    window.undo_action.trigger()
    assert stored(sample_ledger_file, first)[0]["caption"] == "初稿"
    assert panel.model.index(0, COL_CAPTION).data() == "初稿"

    panel.select_ids([evidence_id])
    clerk = Clerk(qtbot)

    def change(dialog: EvidenceDialog):
        dialog.kind.setCurrentText("会议纪要")
        dialog.has_day.setChecked(True)
        dialog.day.setDate(__import__("datetime").date(2024, 3, 5))
        dialog.measure.setCurrentIndex(1)
        dialog.accept()
    clerk.when(lambda d: isinstance(d, EvidenceDialog), change)
    panel.edit_action.trigger()
    clerk.check()
    row = stored(sample_ledger_file, first)[0]
    measure = read_file(sample_ledger_file, lambda ledger: ledger.measures(first))[0]["id"]
    assert (row["kind"], row["taken_on"], row["measure_id"]) == ("会议纪要", "2024-03-05", measure)
    window.undo_action.trigger()
    row = stored(sample_ledger_file, first)[0]
    assert (row["kind"], row["taken_on"], row["measure_id"]) == ("文件", None, None)


def test_remove_restore_and_empty_the_recycle_bin(qtbot, open_window, sample_ledger_file, tmp_path):
    window, panel = open_on_first(open_window, sample_ledger_file)
    first = problems(window)[0]
    ids = attach_directly(window, first, [write(tmp_path / "a.pdf", b"%PDF a"), write(tmp_path / "b.pdf", b"%PDF b")])
    assert count_cell(window, first) == "2"
    panel.select_ids(ids)
    clerk = Clerk(qtbot)
    clerk.when(lambda d: isinstance(d, QMessageBox), lambda box: box.buttons()[0].click())  # 删除
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    panel.view.setFocus()
    qtbot.keyClick(panel.view, Qt.Key_Delete)
    clerk.check()
    assert panel.model.rowCount() == 0 and count_cell(window, first) == "0"
    assert [r["id"] for r in stored(sample_ledger_file, first, recycled=True)] == ids

    def restore_one(dialog: RecycleDialog):
        assert dialog.model.rowCount() == 2
        assert dialog.model.index(0, 0).data().startswith("问题“问题编号一”")
        dialog.table.selectRow(dialog.model.row_of(ids[0]))
        dialog.restore_button.click()
        assert dialog.model.rowCount() == 1
        dialog.accept()
    clerk.when(lambda d: isinstance(d, RecycleDialog), restore_one)
    window.evidence.recycle_action.trigger()
    clerk.check()
    assert [r["id"] for r in stored(sample_ledger_file, first)] == [ids[0]]
    assert count_cell(window, first) == "1" and panel.model.rowCount() == 1
    window.undo_action.trigger()  # restoring is undoable too
    assert stored(sample_ledger_file, first) == [] and count_cell(window, first) == "0"

    def empty(dialog: RecycleDialog):
        clerk.when(lambda d: isinstance(d, QMessageBox) and "不能撤销" in d.text(),
                   lambda box: box.buttons()[0].click())
        dialog.empty_button.click()
        assert dialog.model.rowCount() == 0 and "空的" in dialog.note.text()
        dialog.accept()
    clerk.when(lambda d: isinstance(d, RecycleDialog), empty)
    window.evidence.recycle_action.trigger()
    clerk.check()
    assert read_file(sample_ledger_file, lambda ledger: ledger.db["evidence"].count) == 0
    assert "彻底删除 2 个" in window.statusBar().currentMessage()


def test_no_evidence_filter_combines_with_search(qtbot, open_window, sample_ledger_file, tmp_path):
    window, _panel = open_on_first(open_window, sample_ledger_file)
    first, second = problems(window)[:2]
    attach_directly(window, first, [write(tmp_path / "a.txt", b"a")])
    view = window.ledger_view
    view.status_filter.setCurrentIndex(view.status_filter.findData(NO_EVIDENCE))
    shown = [row for row in visible_rows(view) if row[0] == "problem"]
    assert [r[1] for r in shown] == ["2", "3", "4", "5"]
    view.search.setText("污水")
    assert [r[1] for r in visible_rows(view) if r[0] == "problem"] == ["4"]
    view.restrict_to({first, second}, "总览：两项")
    view.search.setText("")
    assert [r[1] for r in visible_rows(view) if r[0] == "problem"] == ["2"]


def test_check_reports_an_altered_file_by_problem(qtbot, open_window, sample_ledger_file, tmp_path):
    window, _panel = open_on_first(open_window, sample_ledger_file)
    first = problems(window)[0]
    (evidence_id,) = attach_directly(window, first, [write(tmp_path / "验收报告.pdf", b"%PDF original")])
    clerk, seen = Clerk(qtbot), {}

    def clean(dialog: FindingsDialog):
        seen["clean"] = dialog.summary.text()
        dialog.accept()
    clerk.when(lambda d: isinstance(d, FindingsDialog), clean)
    window.evidence.check_action.trigger()
    qtbot.waitUntil(lambda: "clean" in seen, timeout=10000)
    assert seen["clean"].startswith("全部正常")

    path = evidence.file_path(window.document.ledger, evidence_id)
    path.chmod(0o644)
    path.write_bytes(b"%PDF swapped")  # same size, other content

    def altered(dialog: FindingsDialog):
        top = dialog.tree.topLevelItem(0)
        seen["altered"] = (dialog.summary.text(), top.text(0), top.child(0).text(0), top.child(0).text(1))
        dialog.tree.itemDoubleClicked.emit(top.child(0), 0)  # opens its problem
    window.ledger_view.select("problem", problems(window)[3])
    clerk.when(lambda d: isinstance(d, FindingsDialog), altered)
    window.evidence.check_action.trigger()
    qtbot.waitUntil(lambda: "altered" in seen, timeout=10000)
    clerk.check()
    summary, label, kind, message = seen["altered"]
    assert summary.startswith("1 个佐证材料有问题")
    assert label == f"问题“问题编号一”（id {first}）" and kind == "文件被改动" and "验收报告.pdf" in message
    assert window.ledger_view.current_key() == ("problem", first)


def test_export_writes_a_package_with_its_index(qtbot, open_window, sample_ledger_file, tmp_path):
    window, _panel = open_on_first(open_window, sample_ledger_file)
    first = problems(window)[0]
    attach_directly(window, first, [jpeg(tmp_path / "现场.jpg")], kind="现场照片", caption="整改后现场")
    target = tmp_path / "导出" / "佐证材料包"
    target.parent.mkdir()
    clerk = Clerk(qtbot)

    def choose(dialog: EvidenceExportDialog):
        assert "1 个佐证材料" in dialog.inspection.currentText()
        assert dialog.target.text().endswith("-佐证材料")
        dialog.as_zip.setChecked(True)
        assert dialog.target.text().endswith("-佐证材料.zip")
        dialog.as_folder.setChecked(True)
        dialog.target.setText(str(target))
        dialog.accept()
    clerk.when(lambda d: isinstance(d, EvidenceExportDialog), choose)
    clerk.acknowledge("导出完成")
    window.evidence.export_action.trigger()
    qtbot.waitUntil(lambda: bool(clerk.messages), timeout=10000)
    clerk.check()
    assert "已导出 1 个佐证材料" in clerk.messages[0][1] and str(target) in clerk.messages[0][1]
    sheet = load_workbook(target / "佐证材料目录.xlsx").active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert any("整改后现场" in c for c in cells)
    assert len(list(target.rglob("*.jpg"))) == 1


def test_preview_photos_and_pdf_pages_and_open_a_copy(qtbot, open_window, sample_ledger_file, tmp_path,
                                                      monkeypatch):
    window, panel = open_on_first(open_window, sample_ledger_file)
    first = problems(window)[0]
    attach_directly(window, first, [jpeg(tmp_path / "现场.jpg", "#d01010", (2000, 1500)),
                                    pdf(tmp_path / "方案.pdf", pages=3), write(tmp_path / "清单.xlsx", b"PK")])
    rows = evidence.evidence_for(window.document.ledger, first)
    dialog = PreviewDialog(window, window.document.ledger, rows, 0)
    qtbot.addWidget(dialog)
    dialog.show()
    picture = dialog.picture.pixmap()
    assert dialog.viewable() and not picture.isNull()
    assert picture.width() <= dialog.scroll.viewport().width()  # fitted to the window
    dialog.actual.click()
    assert dialog.picture.pixmap().width() / dialog.picture.pixmap().devicePixelRatio() == 2000
    dialog.next_button.click()
    assert dialog.pages == 3 and dialog.page_label.text() == "第 1 / 3 页"
    dialog.next_page.click()
    assert dialog.page_label.text() == "第 2 / 3 页" and not dialog.picture.pixmap().isNull()
    dialog.next_button.click()
    assert not dialog.viewable() and not dialog.next_button.isEnabled()
    assert dialog.hint.text() == "“清单.xlsx”不能在软件里预览，请点上方的“用系统程序打开”。"
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))
    dialog.open_button.click()
    copy = Path(opened[0].toLocalFile())
    assert copy.name == "清单.xlsx" and copy.read_bytes() == b"PK"
    assert copy.parent != evidence.evidence_store(window.document.ledger)  # never the stored file
    panel.select_ids([rows[0]["id"]])
    panel.grid.doubleClicked.emit(panel.icons.index(0, 0))
    assert Path(opened[1].toLocalFile()).name == "现场.jpg"


def test_settings_set_the_size_limit_and_the_kinds_list(qtbot, open_window, sample_ledger_file, settings):
    window, _panel = open_on_first(open_window, sample_ledger_file)
    clerk = Clerk(qtbot)

    def edit(dialog: SettingsDialog):
        tab = dialog.evidence
        assert tab.max_mb.value() == 500
        tab.max_mb.setValue(2000)
        tab.kinds.setPlainText("现场照片\n整改方案\n\n会议纪要")
        dialog.accept()
    clerk.when(lambda d: isinstance(d, SettingsDialog), edit)
    window.tools.settings_action.trigger()
    clerk.check()
    assert settings.evidence_max_mb == 2000
    assert read_file(sample_ledger_file, evidence.evidence_kinds) == ["现场照片", "整改方案", "会议纪要"]
    window.undo_action.trigger()
    assert read_file(sample_ledger_file, evidence.evidence_kinds)[1] == "文件"


def test_files_without_a_record_can_be_saved_out_to_attach_again(qtbot, open_window, sample_ledger_file,
                                                                 tmp_path, monkeypatch):
    import hashlib
    from desktop_app.store.evidence_files import object_path
    window, _panel = open_on_first(open_window, sample_ledger_file)
    store = evidence.evidence_store(window.document.ledger)
    photo, scan = jpeg(tmp_path / "a.jpg").read_bytes(), pdf(tmp_path / "b.pdf").read_bytes()
    for data in (photo, scan):  # as a crash between the copy and its row leaves them
        target = object_path(store, hashlib.sha256(data).hexdigest())
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    out = tmp_path / "找回"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(out)))
    clerk, seen = Clerk(qtbot), {}

    def save(dialog: FindingsDialog):
        dialog.findChild(QPushButton, "saveOrphans").click()
        seen["summary"] = dialog.summary.text()
        dialog.accept()
    clerk.when(lambda d: isinstance(d, FindingsDialog), save)
    window.evidence.check_action.trigger()
    qtbot.waitUntil(lambda: "summary" in seen, timeout=10000)
    clerk.check()
    saved = {p.suffix: p.read_bytes() for p in out.iterdir()}
    assert saved == {".jpg": photo, ".pdf": scan}
    assert "没有记录的 2 个文件已复制到" in seen["summary"]
    assert all(object_path(store, hashlib.sha256(d).hexdigest()).exists() for d in (photo, scan))
