"""Damaged files of every importable kind end in a Chinese message naming the file, never a traceback.

The files are generated: real files of each kind (the app's own ledger export and 月调度表, a
Word plan in paragraphs and one in a table, an .xls, plan texts in three encodings) cut short
and flipped at many offsets, zip members with a wrong checksum or a wrong root element, the
head of an .xls, UTF-16 cut in the middle of a character, texts in encodings no clerk uses.
A new reader is covered by adding one real file of its kind to SOURCES.
"""

import subprocess
import sys
from datetime import date
from pathlib import Path

import docx
import pytest
import xlwt

from desktop_app.formats.importing.errors import ImportFailed
from desktop_app.formats.importing.importer import read_source
from desktop_app.formats.exporting.ledger_xlsx import export_ledger_file
from desktop_app.formats.exporting.monthly_report import write_monthly_report
from desktop_app.jobs import finish
from file_damage import bad_crcs, flips, member_replaced, truncations, zip_members
from import_workbooks import ROWS_HEADER, rows_layout
from test_import_cli import dump

DATA = Path(__file__).parent / "data"
PLAN_TEXT = (DATA / "seed_001_plan.txt").read_text("utf-8")
WORD = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NOTHING_WRITTEN = "台账没有任何改动"


def _docx_paragraphs(path: Path) -> None:
    document = docx.Document()
    for line in PLAN_TEXT.splitlines()[:80]:
        document.add_paragraph(line)
    document.save(path)


def _docx_table(path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("附件：某镇整改任务清单")
    table = document.add_table(rows=4, cols=4)
    for row, values in enumerate([("序号", "反馈问题", "整改措施", "责任单位"),
                                  ("1", "秸秆露天焚烧。", "1.加强巡查；2.综合利用。", "镇农办"),
                                  ("2", "餐饮油烟扰民。", "安装净化器。", "镇执法队"),
                                  ("3", "砂石场扬尘。", "覆盖抑尘。", "镇安监站")]):
        for col, text in enumerate(values):
            table.cell(row, col).text = text
    table.cell(1, 3).merge(table.cell(2, 3))
    document.save(path)


def _xls(path: Path) -> None:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("整改台账")
    for col, title in enumerate(h for h in ROWS_HEADER if h):
        sheet.write(0, col, title)
    for row in range(1, 30):
        sheet.write(row, 0, row)
        sheet.write(row, 1, f"第{row}个反馈问题：河道两岸垃圾堆放。")
        sheet.write(row, 3, "1.清理垃圾；2.建立长效机制。")
        sheet.write_merge(row, row, 4, 5, "镇人民政府")
    book.save(str(path))


@pytest.fixture(scope="module")
def sources(tmp_path_factory, sample_ledger_module):
    """name → bytes of one real file of each importable kind."""
    folder = tmp_path_factory.mktemp("sources")
    ledger, inspection = sample_ledger_module
    export_ledger_file(ledger, folder / "台账导出.xlsx")
    finish(write_monthly_report(ledger, folder / "月调度表.xlsx", inspection, date(2024, 5, 31)))
    rows_layout(folder / "手工台账.xlsx")
    _docx_paragraphs(folder / "整改方案.docx")
    _docx_table(folder / "任务清单.docx")
    _xls(folder / "旧版台账.xls")
    (folder / "方案UTF8.txt").write_bytes(PLAN_TEXT.encode("utf-8"))
    (folder / "方案GBK.txt").write_bytes(PLAN_TEXT.encode("gb18030"))
    (folder / "方案UTF16.txt").write_bytes(PLAN_TEXT.encode("utf-16"))
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def sample_ledger_module(tmp_path_factory):
    import copy

    from conftest import SAMPLE_LEDGER
    from desktop_app.store import seeds
    from desktop_app.store.ledger import Ledger
    ledger = Ledger.create(tmp_path_factory.mktemp("ledger") / "台账.db")
    seeds.fill(ledger, copy.deepcopy(SAMPLE_LEDGER))
    yield ledger, ledger.inspections()[0]["id"]
    ledger.close()


def damaged_files(sources: dict[str, bytes]):
    """(file name, bytes, must_refuse) for every damage of every source.

    must_refuse: no reading of it can be right (a zip or OLE2 file cut short, a wrong checksum,
    a part with the wrong root). A flipped byte may land where it changes only a text, and a
    text cut short is still text: those may be read, but never end in anything but a plan or
    a message.
    """
    for name, data in sources.items():
        stem, suffix = name.rsplit(".", 1)
        binary = not suffix == "txt"
        for label, damaged in truncations(data):
            yield f"{stem}-{label}.{suffix}", damaged, binary
        for label, damaged in flips(data):
            yield f"{stem}-{label}.{suffix}", damaged, False
        if data.startswith(b"PK"):
            for label, damaged in bad_crcs(data):
                yield f"{stem}-{label.replace('/', '_')}.{suffix}", damaged, True
            yield from _wrong_parts(stem, suffix, data)
        if suffix == "xls":
            for size in (100, 512, 4096):
                yield f"{stem}-前{size}字节.xls", data[:size], True
    yield from _wrong_texts()


def _wrong_parts(stem: str, suffix: str, data: bytes):
    """Well-formed zips holding a part that is not what its name says."""
    roots = [f'<w:settings xmlns:w="{WORD}"/>'.encode(), b"<html><body/></html>",
             f'<w:document xmlns:w="{WORD}"><w:p/></w:document>'.encode(), b"not xml at all",
             b'<?xml version="1.0"?><worksheet/>']
    for info in zip_members(data):
        if not info.filename.endswith((".xml", ".rels")):
            continue
        for n, root in enumerate(roots):
            # A broken [Content_Types].xml leaves a workbook's sheets readable (python-calamine
            # reads them by the workbook's relationships), and reading them loses nothing.
            must = (info.filename in ("word/document.xml", "xl/workbook.xml")
                    or info.filename == "[Content_Types].xml" and suffix == "docx") and \
                b"document" not in root
            yield (f"{stem}-{info.filename.replace('/', '_')}根元素{n}.{suffix}",
                   member_replaced(data, info.filename, root), must)


def _wrong_texts():
    """Texts no reader can take as a plan: UTF-16 cut mid-character, encodings clerks do not use."""
    utf16 = PLAN_TEXT[:400].encode("utf-16")
    for cut in (3, 5, 101, len(utf16) - 1):
        yield f"UTF16截断{cut}.txt", utf16[:cut], True
    yield "UTF16BE截断.txt", b"\xfe\xff" + PLAN_TEXT[:50].encode("utf-16-be")[:-1], True
    yield "UTF16孤立代理.txt", b"\xff\xfe" + "一、".encode("utf-16-le") + b"\x00\xd8\x41\x00", True
    yield "UTF32.txt", PLAN_TEXT[:400].encode("utf-32"), True
    yield "UTF16无BOM.txt", PLAN_TEXT[:400].encode("utf-16-le"), True
    yield "乱码.txt", bytes(range(128, 256)) * 40, True
    for encoding in ("big5", "shift_jis", "euc_kr"):
        yield f"方案{encoding}.txt", PLAN_TEXT[:2000].encode(encoding, errors="replace"), False


def outcome(path: Path):
    """The plan read from path, or the ImportFailed it was refused with; anything else fails the test."""
    try:
        return finish(read_source(path))
    except ImportFailed as e:
        return e


def test_every_damaged_file_ends_in_a_plan_or_a_chinese_message(sources, tmp_path):
    generated = refused = 0
    wrong = []
    for name, data, must_refuse in damaged_files(sources):
        generated += 1
        path = tmp_path / name
        path.write_bytes(data)
        result = outcome(path)
        path.unlink()
        if isinstance(result, ImportFailed):
            refused += 1
            message = str(result)
            if name not in message or NOTHING_WRITTEN not in message or "Error" in message:
                wrong.append((name, message))
        elif must_refuse:
            wrong.append((name, f"read as {result.summary}"))
    print(f"\n{generated} damaged files generated, {refused} refused with a message, "
          f"{generated - refused} still readable")
    assert not wrong, wrong[:10]
    assert refused > generated // 2  # most damage is fatal: a generator that damages nothing fails


def test_damaged_files_exit_2_on_the_command_line_and_leave_the_ledger_alone(sources, tmp_path,
                                                                             sample_ledger_file):
    before = dump(sample_ledger_file)
    sample = [f for f in damaged_files(sources) if f[2]][::40]
    assert len(sample) >= 6
    for name, data, _ in sample:
        path = tmp_path / name
        path.write_bytes(data)
        result = subprocess.run([sys.executable, "-m", "desktop_app", "import", str(path),
                                 "--db", str(sample_ledger_file)], cwd=tmp_path,
                                capture_output=True, timeout=120)
        stderr = result.stderr.decode("utf-8")
        assert result.returncode == 2, (name, stderr)
        assert "Traceback" not in stderr and name in stderr and NOTHING_WRITTEN in stderr, stderr
        assert stderr == f"错误：{outcome(path)}\n"
    assert dump(sample_ledger_file) == before


def test_the_window_shows_the_same_message(qtbot, open_window, sources, sample_ledger_file, tmp_path,
                                           monkeypatch):
    from test_window_import import refused_in_window
    from window_helpers import read_file

    window = open_window(sample_ledger_file)
    before = read_file(sample_ledger_file, lambda ledger: list(ledger.db.conn.iterdump()))
    wrong_root = tmp_path / "根元素不对.docx"
    wrong_root.write_bytes(member_replaced(sources["整改方案.docx"], "word/document.xml",
                                           f'<w:settings xmlns:w="{WORD}"/>'.encode()))
    bad_crc = tmp_path / "校验码错.xlsx"
    bad_crc.write_bytes(dict(bad_crcs(sources["台账导出.xlsx"]))["xl/worksheets/sheet1.xml校验码错"])
    for broken in (wrong_root, bad_crc):
        assert refused_in_window(qtbot, window, monkeypatch, broken) == ("读不出要导入的内容",
                                                                          str(outcome(broken)))
    assert read_file(sample_ledger_file, lambda ledger: list(ledger.db.conn.iterdump())) == before
