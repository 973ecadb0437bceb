"""What the clerk sees is whole: captions not clipped, lists tall enough to read."""

from PySide6.QtCore import Qt


def test_overview_captions_are_never_clipped(qtbot, open_window, sample_ledger_file):
    window = open_window(sample_ledger_file)
    window.resize(900, 600)
    window.overview.overview_action.trigger()
    page = window.overview.pages.currentWidget()
    from desktop_app.ui.overview.figures import CountTile
    tiles = page.findChildren(CountTile)
    assert any(t.caption.text() == "达到时序进度" for t in tiles)
    for tile in tiles:
        assert tile.width() >= tile.caption.sizeHint().width() + 16, tile.caption.text()


def test_the_inspections_strip_shows_four_whole_rows(qtbot, open_window, sample_ledger_file):
    window = open_window(sample_ledger_file)
    view = window.inspections.view
    rows = (view.viewport().height()) / view.verticalHeader().defaultSectionSize()
    assert rows >= 4


def test_a_long_progress_report_wraps_and_shows_whole(qtbot, open_window, sample_ledger_file):
    window = open_window(sample_ledger_file)
    problem = window.ledger_view.model.tree.problems[0]
    window.ledger_view.select("problem", problem.id)
    panel = window.editor.problem.progress
    window.editor.problem.reveal(panel)
    panel.text.setPlainText("已修复破损管网19处，新建配套管网8.6公里，进水化学需氧量浓度较上月提高12%，其余点位正在施工。")
    panel.add_report()
    table = panel.table
    qtbot.waitUntil(lambda: table.rowHeight(0) >= 2 * table.fontMetrics().lineSpacing(), timeout=2000)
    assert table.horizontalScrollBarPolicy() == Qt.ScrollBarAlwaysOff
    assert table.viewport().height() >= table.rowHeight(0)  # the whole report, not one line of it


def test_fit_to_window_fills_the_preview(qtbot, ledger):
    from desktop_app.store import evidence
    from desktop_app.store.seeds import fill_demo
    from desktop_app.ui.evidence.preview import PreviewDialog
    fill_demo(ledger)  # its photos and PDF are real files
    rows = [e for p in ledger.tree(ledger.inspections()[0]["id"]).problems
            for e in evidence.evidence_for(ledger, p.id)]
    dialog = PreviewDialog(None, ledger, rows, 0)
    qtbot.addWidget(dialog)
    dialog.resize(900, 700)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.fit_button.click()
    room, shown = dialog.scroll.viewport().size(), dialog.picture.pixmap().deviceIndependentSize()
    assert max(shown.width() / room.width(), shown.height() / room.height()) > 0.95
    assert not dialog.scroll.horizontalScrollBar().isVisible()
    assert not dialog.scroll.verticalScrollBar().isVisible()
