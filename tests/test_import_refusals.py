"""Files an import must refuse, each fast and with a Chinese message saying what to do."""

import builtins
import time
import zipfile
from pathlib import Path

import pytest
import xlwt
from openpyxl import Workbook

from desktop_app.formats.reading import workbook_source
from desktop_app.formats.importing.errors import (FileLocked, FileMissing, FileTooLarge, ImportFailed,
                                               NoHeader, NotAWorkbook, UnsafeContent,
                                               WorkbookCorrupt, WorkbookEmpty, WorkbookEncrypted,
                                               XlsRenamedXlsx)
from desktop_app.jobs import finish
from desktop_app.formats.importing.workbook_reader import read_workbook
from desktop_app.store.errors import LedgerError
from import_workbooks import replace_in_member, rows_layout

DATA = Path(__file__).parent / "data"

BILLION_LAUGHS = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE sst [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">
<si><t>&lol9;</t></si></sst>"""


def refused(path, kind):
    """Read path expecting the refusal kind; returns its message."""
    with pytest.raises(kind) as caught:
        finish(read_workbook(path))
    message = str(caught.value)
    assert isinstance(caught.value, (ImportFailed, LedgerError))
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)
    assert "台账没有任何改动" in message
    return message


def with_shared_strings(path: Path, strings_xml: bytes) -> Path:
    """An .xlsx whose A1 is read through xl/sharedStrings.xml, as Excel and WPS write text."""
    wb = Workbook()
    wb.active.append(["序号", "反馈问题"])
    wb.save(path)
    replace_in_member(path, "[Content_Types].xml", b"</Types>",
                      b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                      b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    replace_in_member(path, "xl/worksheets/sheet1.xml",
                      b'<c r="A1" t="inlineStr"><is><t>&#24207;&#21495;</t></is></c>',
                      b'<c r="A1" t="s"><v>0</v></c>')
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/sharedStrings.xml", strings_xml)
    return path


def test_password_protected_workbook(tmp_path):
    message = refused(DATA / "encrypted.xlsx", WorkbookEncrypted)
    assert "密码" in message and "另存为 .xlsx" in message


def test_corrupt_zip(tmp_path):
    whole = rows_layout(tmp_path / "完整.xlsx").read_bytes()
    (tmp_path / "半截.xlsx").write_bytes(whole[: len(whole) // 2])  # a download cut short
    assert "损坏" in refused(tmp_path / "半截.xlsx", WorkbookCorrupt)
    (tmp_path / "乱码.xlsx").write_bytes(b"PK\x03\x04" + b"\x00garbage" * 100)
    refused(tmp_path / "乱码.xlsx", WorkbookCorrupt)


def test_old_xls_renamed_xlsx(tmp_path):
    book = xlwt.Workbook(encoding="utf-8")
    book.add_sheet("台账").write(0, 0, "反馈问题")
    book.save(str(tmp_path / "旧.xls"))
    (tmp_path / "旧.xls").rename(tmp_path / "改名.xlsx")
    assert "被改成了 .xlsx 扩展名" in refused(tmp_path / "改名.xlsx", XlsRenamedXlsx)


def test_empty_sheet(tmp_path):
    Workbook().save(tmp_path / "空.xlsx")
    assert "没有任何内容" in refused(tmp_path / "空.xlsx", WorkbookEmpty)


def test_no_recognisable_header(tmp_path):
    wb = Workbook()
    for row in (["姓名", "电话"], ["张三", "123"], ["李四", "456"]):
        wb.active.append(row)
    wb.save(tmp_path / "通讯录.xlsx")
    assert "没有找到表头" in refused(tmp_path / "通讯录.xlsx", NoHeader)


def test_two_gigabyte_file_is_refused_by_its_size_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "巨大.xlsx"
    with open(path, "wb") as f:
        f.truncate(2 * 1024**3)  # sparse: no real disk use

    def no_reading(*args, **kwargs):
        raise AssertionError("a 2 GB file must be refused before it is opened")
    monkeypatch.setattr(workbook_source, "open", no_reading, raising=False)
    started = time.monotonic()
    message = refused(path, FileTooLarge)
    assert time.monotonic() - started < 1
    assert "2.1 GB" in message and "太大" in message


def test_xml_bomb_is_refused_fast(tmp_path):
    path = with_shared_strings(tmp_path / "炸弹.xlsx", BILLION_LAUGHS)
    started = time.monotonic()
    message = refused(path, UnsafeContent)
    assert time.monotonic() - started < 2
    assert "XML" in message


def test_xml_bomb_past_our_check_is_still_refused_at_once(tmp_path, monkeypatch):
    # Our own check of the XML prolog comes first; behind it python-calamine's XML reader does
    # not expand entities a file declares, so the bomb is a damaged file, not a full memory.
    monkeypatch.setattr(workbook_source, "_declares_dtd", lambda head: False)
    path = with_shared_strings(tmp_path / "炸弹.xlsx", BILLION_LAUGHS)
    started = time.monotonic()
    assert "已损坏" in refused(path, WorkbookCorrupt)
    assert time.monotonic() - started < 2


def test_shared_strings_are_read_normally(tmp_path):
    ok = with_shared_strings(tmp_path / "正常.xlsx", (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.'
        'openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>序号</t></si>'
        "</sst>").encode())
    with workbook_source.open_sheets(ok) as sheets:
        assert next(sheets[0].rows())[:2] == ("序号", "反馈问题")


def test_zip_bomb_is_refused_by_declared_sizes(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook_source, "MAX_MEMBER_BYTES", 2000)
    path = rows_layout(tmp_path / "台账.xlsx")
    assert "解压后" in refused(path, UnsafeContent)


def test_file_open_in_wps_is_reported(tmp_path, monkeypatch):
    path = rows_layout(tmp_path / "台账.xlsx")

    def locked(file, mode="r", *args, **kwargs):
        if Path(file) == path:
            raise PermissionError(13, "The process cannot access the file because it is being used")
        return builtins.open(file, mode, *args, **kwargs)
    monkeypatch.setattr(workbook_source, "open", locked, raising=False)
    message = refused(path, FileLocked)
    assert "正被 WPS 或 Excel 占用" in message


def test_web_page_saved_as_xls(tmp_path):
    (tmp_path / "导出.xls").write_text("<html><table><tr><td>反馈问题</td></tr></table></html>",
                                      encoding="utf-8")
    assert "网页" in refused(tmp_path / "导出.xls", NotAWorkbook)


def test_missing_file(tmp_path):
    refused(tmp_path / "没有.xlsx", FileMissing)
