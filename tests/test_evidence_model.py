"""佐证材料 Qt models without a window: thumbnails made off the thread, the icon and measure views,
the ledger's 佐证 column, its 无佐证材料 filter and file drops; EXIF dates and folder expansion."""

import os
from datetime import date

from PySide6.QtCore import QMimeData, QModelIndex, Qt, QUrl
from PySide6.QtGui import QColor, QImage

from desktop_app.formats.evidence.photo_date import photo_date
from desktop_app.jobs import finish
from desktop_app.store import evidence, evidence_attach
from desktop_app.store.evidence_counts import evidence_count, evidence_counts
from desktop_app.ui.evidence.attach import expand, pasted_paths
from desktop_app.ui.evidence.dialogs import file_date
from desktop_app.ui.evidence.model import (COL_CAPTION, COL_MEASURE, COL_NAME, PICTURE_ROLE,
                                           WHOLE_PROBLEM, EvidenceModel, IconProxy, MeasureFilter)
from desktop_app.ui.evidence.thumbnails import THUMBNAIL_SIZE, ThumbnailCache
from desktop_app.ui.ledger.model import COL_EVIDENCE, NO_EVIDENCE, LedgerTreeModel
from evidence_files_for_tests import jpeg, pdf, write


def problem_ids(ledger):
    return [r[0] for r in ledger.db.execute("SELECT id FROM problems ORDER BY id")]


def attach(ledger, problem_id, paths, **options):
    return finish(evidence_attach.attach_files(ledger, problem_id, paths, **options))


def colour_at_centre(pixmap) -> QColor:
    image = pixmap.toImage()
    return image.pixelColor(image.width() // 2, image.height() // 2)


def test_photo_date_reads_exif_and_falls_back_to_the_file_date(qapp, tmp_path):
    photo = jpeg(tmp_path / "现场.jpg", taken="2023:10:13 09:30:00")
    assert photo_date(photo) == date(2023, 10, 13)
    assert file_date(photo) == date(2023, 10, 13)
    plain = jpeg(tmp_path / "无拍摄时间.jpg")
    assert photo_date(plain) is None
    os.utime(plain, (1_600_000_000, 1_600_000_000))  # 2020-09-13
    assert file_date(plain) == date.fromtimestamp(1_600_000_000)
    assert photo_date(write(tmp_path / "假.jpg", b"not a jpeg")) is None
    assert photo_date(tmp_path / "没有这个文件.jpg") is None


def test_thumbnails_are_pictures_for_photos_and_pdfs_icons_for_others(qtbot, sample_ledger, tmp_path):
    problem = problem_ids(sample_ledger)[0]
    measure = sample_ledger.measures(problem)[1]["id"]
    attach(sample_ledger, problem, [jpeg(tmp_path / "整改后.jpg", "#d01010", (1600, 1200))], kind="现场照片")
    attach(sample_ledger, problem, [pdf(tmp_path / "方案.pdf", color="#1040d0")], measure_id=measure)
    attach(sample_ledger, problem, [write(tmp_path / "会议纪要.docx", b"PK docx")])
    cache = ThumbnailCache()
    model = EvidenceModel(cache)
    model.set_rows(evidence.evidence_store(sample_ledger), evidence.evidence_for(sample_ledger, problem),
                   sample_ledger.measures(problem), editable=True)
    names = [model.index(r, COL_NAME).data() for r in range(3)]
    assert names == ["整改后.jpg", "会议纪要.docx", "方案.pdf"]  # the problem's own files first
    photo, docx, pdf_row = (model.index(r, COL_NAME) for r in range(3))
    first = photo.data(Qt.DecorationRole)  # asked for: made off the thread, the icon meanwhile
    assert not first.isNull() and photo.data(PICTURE_ROLE) is False
    pdf_row.data(Qt.DecorationRole)
    qtbot.waitUntil(lambda: photo.data(PICTURE_ROLE) and pdf_row.data(PICTURE_ROLE), timeout=5000)
    thumbnail = photo.data(Qt.DecorationRole)
    assert thumbnail.width() == THUMBNAIL_SIZE.width() and thumbnail.height() == 84  # 4:3, scaled
    assert colour_at_centre(thumbnail).red() > 200 and colour_at_centre(thumbnail).blue() < 60
    page = pdf_row.data(Qt.DecorationRole)
    assert page.height() == THUMBNAIL_SIZE.height() and page.width() < page.height()  # A4 upright
    assert colour_at_centre(page).blue() > 180 and colour_at_centre(page).red() < 60
    icon = docx.data(Qt.DecorationRole)
    assert docx.data(PICTURE_ROLE) is False and icon.toImage() == cache.icon("x.docx").toImage()
    assert icon.toImage() != cache.icon("x.pdf").toImage()  # each type its own band
    assert model.index(2, COL_MEASURE).data() == "措施2"
    assert "制定生态环境保护责任清单" in model.index(2, COL_NAME).data(Qt.ToolTipRole)
    cache.shutdown()


def test_icon_proxy_edits_the_caption_and_the_filter_shows_one_measure(qtbot, sample_ledger, tmp_path):
    problem = problem_ids(sample_ledger)[0]
    measure = sample_ledger.measures(problem)[0]["id"]
    attach(sample_ledger, problem, [write(tmp_path / "a.txt", b"a")], kind="其他", taken_on="2024-03-05")
    attach(sample_ledger, problem, [write(tmp_path / "b.txt", b"b")], caption="专题会议", measure_id=measure)
    model = EvidenceModel(ThumbnailCache())
    model.set_rows(evidence.evidence_store(sample_ledger), evidence.evidence_for(sample_ledger, problem),
                   sample_ledger.measures(problem), editable=True)
    measures = MeasureFilter()
    measures.setSourceModel(model)
    icons = IconProxy()
    icons.setSourceModel(measures)
    assert [icons.index(r, 0).data() for r in range(2)] == ["a.txt\n其他 · 2024-03-05", "专题会议\n文件"]
    with qtbot.waitSignal(model.edit_requested) as asked:
        assert icons.setData(icons.index(0, 0), "  二期工程竣工  ")
    assert asked.args[1] == {"caption": "二期工程竣工"}
    with qtbot.assertNotEmitted(model.edit_requested):
        icons.setData(icons.index(1, 0), "专题会议")  # unchanged: nothing asked
    measures.set_measure(measure)
    assert [icons.index(r, COL_CAPTION).data() for r in range(icons.rowCount())] == ["专题会议"]
    measures.set_measure(WHOLE_PROBLEM)
    assert icons.rowCount() == 1 and icons.index(0, COL_CAPTION).data() == ""
    model.set_rows(model.store, model.rows, model.measures, editable=False)
    assert not model.flags(model.index(0, COL_CAPTION)) & Qt.ItemIsEditable


def test_ledger_counts_filter_and_file_drops(qtbot, sample_ledger, tmp_path):
    first, second, *_ = problem_ids(sample_ledger)
    ids = attach(sample_ledger, first, [write(tmp_path / "a.txt", b"a"), write(tmp_path / "b.txt", b"b")])
    attach(sample_ledger, second, [write(tmp_path / "c.txt", b"c")])
    evidence.remove(sample_ledger, [ids[0]])  # the 回收站 does not count
    inspection = sample_ledger.inspections()[0]["id"]
    assert evidence_counts(sample_ledger, inspection) == {first: 1, second: 1}
    model = LedgerTreeModel()
    model.set_tree(sample_ledger.tree(inspection), None, evidence_counts(sample_ledger, inspection))
    cell = lambda pid: model.index_for("problem", pid).siblingAtColumn(COL_EVIDENCE)  # noqa: E731
    assert model.headerData(COL_EVIDENCE, Qt.Horizontal) == "佐证"
    assert cell(first).data() == "1" and cell(first).data(Qt.ForegroundRole) is None
    third = problem_ids(sample_ledger)[2]
    assert cell(third).data() == "0" and cell(third).data(Qt.ForegroundRole) is not None  # greyed
    assert cell(third).data(Qt.TextAlignmentRole) == int(Qt.AlignRight | Qt.AlignVCenter)
    problems, _ = model.matching("", NO_EVIDENCE, None)
    assert problems == set(problem_ids(sample_ledger)) - {first, second}
    problems, _ = model.matching("", NO_EVIDENCE, None, only=frozenset({first, third}))
    assert problems == {third}
    evidence.restore(sample_ledger, [ids[0]])
    with qtbot.waitSignal(model.dataChanged):
        model.set_evidence_count(first, evidence_count(sample_ledger, first))
    assert cell(first).data() == "2"

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "a.txt")), QUrl.fromLocalFile(str(tmp_path))])
    on_problem = model.index_for("problem", third)
    category = model.parent(on_problem)
    assert model.canDropMimeData(mime, Qt.CopyAction, -1, -1, on_problem)
    assert not model.canDropMimeData(mime, Qt.CopyAction, -1, -1, category)  # only onto a problem
    assert not model.canDropMimeData(mime, Qt.CopyAction, 0, 0, category)
    with qtbot.waitSignal(model.files_dropped) as dropped:
        model.dropMimeData(mime, Qt.CopyAction, -1, -1, on_problem)
    assert dropped.args == [third, [str(tmp_path / "a.txt"), str(tmp_path)]]
    assert model.canDropMimeData(model.mimeData([on_problem]), Qt.MoveAction, -1, -1, QModelIndex()) is False


def test_folders_expand_to_their_files_without_hidden_or_system_files(qapp, tmp_path):
    folder = tmp_path / "现场照片"
    for name in ("2.jpg", "1.jpg", "子目录/3.pdf", ".隐藏.jpg", "Thumbs.db", ".git/x", "desktop.ini"):
        write(folder / name, b"x")
    single = write(tmp_path / "方案.docx", b"d")
    assert expand([single, folder, single]) == [single, folder / "1.jpg", folder / "2.jpg", folder / "子目录/3.pdf"]
    assert expand([tmp_path / "没有"]) == []


def test_a_pasted_picture_becomes_a_png_and_pasted_files_stay_files(qapp, tmp_path):
    mime = QMimeData()
    image = QImage(40, 30, QImage.Format_RGB32)
    image.fill(QColor("#10a010"))
    mime.setImageData(image)
    (png,) = pasted_paths(mime)
    assert png.name.startswith("粘贴的图片-") and png.suffix == ".png"
    assert QImage(str(png)).pixelColor(5, 5) == QColor("#10a010")
    files = QMimeData()
    files.setUrls([QUrl.fromLocalFile(str(png))])
    files.setImageData(image)
    assert pasted_paths(files) == [png]  # Explorer's copied file, not its icon
    assert pasted_paths(QMimeData()) == []
