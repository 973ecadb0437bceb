"""Opening an untrusted workbook safely: size, format, password, zip and XML bombs, then its sheets.

Everything a clerk may be handed is checked before python-calamine (.xlsx) or xlrd (.xls) sees it, so that a bad
file fails fast with an ImportFailed saying what to do. Each sheet comes back as plain rows
of values plus its merged ranges; formulas are never evaluated, only their stored results read.
"""

import posixpath
import re
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from defusedxml import DefusedXmlException

from ..importing.errors import (FileEmpty, FileLocked, FileMissing, FileTooLarge, ImportFailed,
                                NotAWorkbook, UnsafeContent, WorkbookCorrupt, WorkbookEncrypted,
                                XlsRenamedXlsx, what_broke)
from . import limits
from .sheet_xml_scan import SheetScan, text_scan
from ..exporting.workbook_identity import IDENTITY_SHEET, Identity, read_identity

MAX_FILE_BYTES = 200 * 10**6  # a real ledger is a few MB; the 10,000-row benchmark about 4 MB
MAX_MEMBER_BYTES = 200 * 10**6  # one part of an .xlsx, uncompressed
MAX_TOTAL_BYTES = 500 * 10**6  # all parts together: beyond this it is a zip bomb, not a ledger
_PROLOG_BYTES = 64 * 1024

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


@dataclass
class Sheet:
    """One worksheet: merged ranges (1-based, inclusive) and a fresh iterator over its rows."""
    name: str
    rows_total: int  # its rows (an .xlsx: how far its cells can reach): for progress only
    merges: list[tuple[int, int, int, int]]  # (min_row, min_col, max_row, max_col)
    rows: Callable[[], Iterator[tuple]]  # raw values, row 1 first, blank rows included
    formulas_without_value: set[tuple[int, int]] = field(default_factory=set)  # (row, col)
    identity: Identity | None = None  # of the workbook, when this app wrote it


def check_file(path: Path) -> bytes:
    """The first bytes of path, after refusing a missing, locked, empty or oversized file."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise FileMissing(path) from None
    if path.is_dir():
        raise NotAWorkbook(path, "是一个文件夹")
    if size > MAX_FILE_BYTES:
        raise FileTooLarge(path, size, MAX_FILE_BYTES)
    if size == 0:
        raise FileEmpty(path)
    try:
        with open(path, "rb") as f:
            return f.read(8)
    except PermissionError:
        raise FileLocked(path) from None
    except FileNotFoundError:
        raise FileMissing(path) from None


def read_bytes(path: Path) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except PermissionError:
        raise FileLocked(path) from None


def ole2_streams(data: bytes) -> set[str]:
    """The stream names in an OLE2 compound file (.xls, or an encrypted .xlsx)."""
    from xlrd.compdoc import CompDoc, CompDocError
    try:
        doc = CompDoc(data, logfile=_Quiet())
    except (CompDocError, IndexError, ValueError, Exception):  # noqa: BLE001 — any garbage
        return set()
    return {node.name for node in doc.dirlist if node.name}


class _Quiet:
    def write(self, _text):  # xlrd's log goes to stdout by default
        pass


def check_zip(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse zip bombs (by declared sizes, which zipfile enforces when reading) and XML with a DTD."""
    total = 0
    for info in archive.infolist():
        if info.file_size > MAX_MEMBER_BYTES:
            raise UnsafeContent(path, f"其中“{info.filename}”解压后有 {info.file_size // 10**6} MB")
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise UnsafeContent(path, f"解压后超过 {MAX_TOTAL_BYTES // 10**6} MB，是“压缩炸弹”")
    for info in archive.infolist():
        if info.filename.endswith((".xml", ".rels", ".vml")):
            with archive.open(info) as member:
                head = member.read(_PROLOG_BYTES)
            if _declares_dtd(head):
                raise UnsafeContent(path, f"“{info.filename}”里声明了 XML 实体，可能是“XML 炸弹”")


_COMMENT = re.compile(rb"<!--.*?-->", re.S)
_ROOT_START = re.compile(rb"<[A-Za-z_]")


def _declares_dtd(head: bytes) -> bool:
    """True when the XML prolog (before the root element) has a DOCTYPE or ENTITY declaration."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    head = _COMMENT.sub(b"", head)
    root = _ROOT_START.search(head)
    prolog = head[:root.start()] if root else head
    return b"<!DOCTYPE" in prolog.upper() or b"<!ENTITY" in prolog.upper()


@contextmanager
def open_sheets(path: Path) -> Iterator[list[Sheet]]:
    """The visible worksheets of an .xlsx or .xls file, checked first; closed on exit."""
    path = Path(path)
    magic = check_file(path)
    if magic.startswith(ZIP_MAGIC):
        with _xlsx_sheets(path) as sheets:
            yield sheets
    elif magic.startswith(OLE2_MAGIC):
        yield _xls_sheets(path, read_bytes(path))
    elif magic.lstrip().startswith((b"<", b"\xef\xbb\xbf<")):
        raise NotAWorkbook(path, "其实是网页（HTML）或 Excel 2003 XML 格式，只是扩展名写成了表格")
    else:
        raise NotAWorkbook(path)


@contextmanager
def _xlsx_sheets(path: Path):
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum
    try:
        handle = open(path, "rb")
    except PermissionError:
        raise FileLocked(path) from None
    with handle:
        try:
            archive = zipfile.ZipFile(handle)
        except (zipfile.BadZipFile, OSError, ValueError) as e:
            raise WorkbookCorrupt(path, "压缩包结构不完整") from e
        with archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                raise NotAWorkbook(path, "是 Word 文档，不是表格（整改方案请用“导入整改方案”）")
            if not any(n.startswith("xl/") for n in names):
                raise NotAWorkbook(path, "是一个压缩包，不是 Excel 表格")
            check_zip(path, archive)
            _check_shared_strings(path, archive)
            parts = _worksheet_parts(path, archive)
            handle.seek(0)
            book = _calamine(path, lambda: CalamineWorkbook.from_filelike(handle))
            try:
                listed = [m for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
                identity = None
                if any(m.name == IDENTITY_SHEET for m in listed):
                    identity = _identity(path, archive, book, parts)
                sheets = [_xlsx_sheet(path, archive, book, m.name, parts) for m in listed
                          if m.visible == SheetVisibleEnum.Visible]
                for sheet in sheets:
                    sheet.identity = identity
                yield sheets
            finally:
                book.close()


_MAIN_DOCUMENT = "/officeDocument"  # how _rels/.rels names the workbook part (a Type's ending)


def _worksheet_parts(path: Path, archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → the zip member holding its XML, as xl/workbook.xml and its relationships
    name them: what must be scanned before the parser is let at a sheet."""
    from defusedxml.ElementTree import fromstring
    try:
        book_part = "xl/workbook.xml"
        for rel in fromstring(archive.read("_rels/.rels")):
            if rel.get("Type", "").endswith(_MAIN_DOCUMENT):
                book_part = _resolve("", rel.get("Target", ""))
        folder, name = posixpath.split(book_part)
        rels = fromstring(archive.read(posixpath.join(folder, "_rels", f"{name}.rels")))
        targets = {rel.get("Id"): _resolve(folder, rel.get("Target", "")) for rel in rels}
        book = fromstring(archive.read(book_part))
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, SyntaxError, ValueError) as e:
        if _caused_by(e, DefusedXmlException):
            raise UnsafeContent(path, "含有 XML 实体或外部引用") from e
        raise WorkbookCorrupt(path, what_broke(e)) from e
    parts = {}
    for element in book.iter():
        if element.tag.rpartition("}")[2] == "sheet":
            rid = next((v for k, v in element.attrib.items() if k.rpartition("}")[2] == "id"), None)
            if rid in targets:
                parts[element.get("name", "")] = targets[rid]
    return parts


def _resolve(folder: str, target: str) -> str:
    """A relationship's Target as a zip member name (absolute, or relative to its part's folder)."""
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(folder, target))


def _calamine(path: Path, read):
    """read() with what the parser raises turned into the clerk's WorkbookCorrupt."""
    from python_calamine import CalamineError, XmlError, ZipError
    try:
        return read()
    except (CalamineError, ValueError, TypeError, OverflowError, OSError) as e:
        reason = ("压缩数据损坏" if isinstance(e, ZipError) else
                  "内部的 XML 数据损坏" if isinstance(e, XmlError) else what_broke(e))
        raise WorkbookCorrupt(path, reason) from e
    except BaseException as e:
        if type(e).__name__ == "PanicException":  # the parser's own bug, on a file it cannot read
            raise WorkbookCorrupt(path, "文件内部结构不对") from e
        raise


def _check_shared_strings(path: Path, archive: zipfile.ZipFile) -> None:
    """The parser reads every shared string when it opens a workbook: measure them first."""
    for name in archive.namelist():
        if name.lower().endswith("sharedstrings.xml"):
            with archive.open(name) as stream:
                limits.check(path, "单元格的字数（最长的一格）", text_scan(stream), limits.MAX_CELL_CHARS)


def check_sheet_figures(path: Path, name: str, rows: int, columns: int,
                        merges: list[tuple[int, int, int, int]]) -> None:
    """Refuse a sheet whose rows, columns or merged ranges are past the limits: each makes work
    (rows padded to the widest, every merged position filled in) whatever the file's size."""
    limits.check(path, f"工作表“{name}”的行数", rows, limits.MAX_ROWS)
    check_width(path, name, rows, columns)
    limits.check(path, f"工作表“{name}”的合并单元格个数", len(merges), limits.MAX_MERGES)
    if merges:
        limits.check(path, f"工作表“{name}”里合并单元格的列数", max(m[3] for m in merges),
                     limits.MAX_COLUMNS)
        limits.check(path, f"工作表“{name}”里合并单元格的行数", max(m[2] for m in merges),
                     limits.MAX_ROWS)
        area = sum((m[2] - m[0] + 1) * (m[3] - m[1] + 1) for m in merges)
        limits.check(path, f"工作表“{name}”里合并单元格覆盖的格子数", area, limits.MAX_MERGED_CELLS)


def check_width(path: Path, name: str, rows: int, columns: int) -> None:
    limits.check(path, f"工作表“{name}”的列数", columns, limits.MAX_COLUMNS)
    limits.check(path, f"工作表“{name}”的格子数（行数×列数）", rows * max(columns, 26),
                 limits.MAX_SHEET_CELLS)


def _identity(path: Path, archive: zipfile.ZipFile, book, parts: dict[str, str]) -> Identity | None:
    try:
        _scanned(path, archive, IDENTITY_SHEET, parts)
        return read_identity(_parsed(path, book, IDENTITY_SHEET))
    except ImportFailed:
        return None  # a damaged identity is no identity: the rows are read as a clerk sees them


def _caused_by(error: BaseException, kind: type) -> bool:
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, kind):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def _scanned(path: Path, archive: zipfile.ZipFile, name: str, parts: dict[str, str]) -> SheetScan:
    """A sheet's XML scanned and held to the limits, before the parser is let at it."""
    member = parts.get(name)
    if member is None:
        raise WorkbookCorrupt(path, "工作表数据不完整")
    scan = SheetScan()
    try:
        with archive.open(member) as stream:
            scan.read(stream)
    except (KeyError, zipfile.BadZipFile, OSError, EOFError) as e:
        raise WorkbookCorrupt(path, "工作表数据不完整") from e
    limits.check(path, f"工作表“{name}”里单元格的字数（最长的一格）", scan.longest_text,
                 limits.MAX_CELL_CHARS)
    check_sheet_figures(path, name, scan.height, scan.width, scan.merges)
    return scan


def _parsed(path: Path, book, name: str) -> list[list]:
    """A scanned sheet's values from row 1 and column A, every row as wide as the widest, a
    blank cell "" (python-calamine: reads a sheet two to three times faster than openpyxl)."""
    return _calamine(path, lambda: book.get_sheet_by_name(name).to_python(skip_empty_area=False))


def _xlsx_sheet(path: Path, archive: zipfile.ZipFile, book, name: str, parts: dict[str, str]
                ) -> Sheet:
    scan = _scanned(path, archive, name, parts)
    return Sheet(name, scan.height, scan.merges, lambda: map(tuple, _parsed(path, book, name)),
                 scan.formulas)


def _xls_sheets(path: Path, data: bytes) -> list[Sheet]:
    import xlrd
    streams = ole2_streams(data)
    if "EncryptedPackage" in streams or "EncryptionInfo" in streams:
        raise WorkbookEncrypted(path)
    if path.suffix.lower() in (".xlsx", ".xlsm") and ("Workbook" in streams or "Book" in streams):
        raise XlsRenamedXlsx(path)
    if streams and not ({"Workbook", "Book"} & streams):
        raise NotAWorkbook(path, "是 Word 或其他 Office 旧格式文件，不是表格")
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, logfile=_Quiet())
    except NotImplementedError:  # formatting records xlrd does not know: values are still there
        book = xlrd.open_workbook(file_contents=data, logfile=_Quiet())
    except xlrd.XLRDError as e:
        if "encrypted" in str(e).lower():
            raise WorkbookEncrypted(path) from e
        raise WorkbookCorrupt(path, what_broke(e)) from e
    except (xlrd.compdoc.CompDocError, AssertionError, IndexError, ValueError, KeyError) as e:
        raise WorkbookCorrupt(path, what_broke(e)) from e
    return [_xls_sheet(path, book, sheet) for sheet in book.sheets() if sheet.visibility == 0]


def _xls_sheet(path: Path, book, sheet) -> Sheet:
    import xlrd
    merges = [(rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in sheet.merged_cells]
    check_sheet_figures(path, sheet.name, sheet.nrows, sheet.ncols, merges)

    def value(kind, raw):
        if kind == xlrd.XL_CELL_DATE:
            try:
                return xlrd.xldate_as_datetime(raw, book.datemode)
            except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                return raw
        if kind in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
            return None
        if kind == xlrd.XL_CELL_BOOLEAN:
            return bool(raw)
        if kind == xlrd.XL_CELL_TEXT:
            limits.check(path, f"工作表“{sheet.name}”里单元格的字数（最长的一格）", len(raw), limits.MAX_CELL_CHARS)
        return raw

    def rows():
        for r in range(sheet.nrows):
            yield tuple(value(k, v) for k, v in zip(sheet.row_types(r), sheet.row_values(r)))

    return Sheet(sheet.name, sheet.nrows, merges, rows)
