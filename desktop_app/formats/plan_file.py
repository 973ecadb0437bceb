"""Opening a plan file: .txt in UTF-8 or GB18030 (what Notepad and WPS save), or a Word .docx."""

import zipfile
from pathlib import Path

from .import_errors import (FileLocked, FileTooLarge, ImportFailed, NoProblemsFound, NotAWorkbook,
                            TextUnreadable, WorkbookCorrupt)
from .import_plan import ImportPlan
from .plan_text import read_plan_text
from .workbook_source import OLE2_MAGIC, ZIP_MAGIC, check_file, check_zip

MAX_TEXT_BYTES = 20 * 10**6  # a plan is tens of KB; this is already a book
TEXT_SUFFIXES = (".txt", ".text", ".md")


def decode_text(data: bytes, path) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else GB18030 (GBK's superset)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TextUnreadable(path)


def read_plan_file(path) -> ImportPlan:
    """The plan in a .txt or .docx file; raises ImportFailed with a message for the clerk."""
    path = Path(path)
    magic = check_file(path)
    if magic.startswith(ZIP_MAGIC):
        return _read_docx(path)
    if magic.startswith(OLE2_MAGIC):
        raise NotAWorkbook(path, "是旧版 Word（.doc）或其他旧格式文件。请在 WPS/Word 里另存为 .docx 后再导入，"
                                 "或复制全文粘贴进来")
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        raise FileTooLarge(path, size, MAX_TEXT_BYTES)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except PermissionError:
        raise FileLocked(path) from None
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise NotAWorkbook(path)
    return read_plan_text(decode_text(data, path), source=path.name)


def _docx_paragraphs(path: Path):
    """The document's paragraph text, and how many tables it has (tables are not read)."""
    import docx
    try:
        with open(path, "rb") as handle:
            with zipfile.ZipFile(handle) as archive:
                if "word/document.xml" not in archive.namelist():
                    raise NotAWorkbook(path, "不是 Word 文档")
                check_zip(path, archive)
            handle.seek(0)
            document = docx.Document(handle)
    except PermissionError:
        raise FileLocked(path) from None
    except (zipfile.BadZipFile, KeyError, ValueError, SyntaxError) as e:
        raise WorkbookCorrupt(path, type(e).__name__) from e
    return "\n".join(p.text for p in document.paragraphs), len(document.tables)


def _read_docx(path: Path) -> ImportPlan:
    text, tables = _docx_paragraphs(path)
    try:
        plan = read_plan_text(text, source=path.name)
    except NoProblemsFound:
        if tables:
            raise TasksInTable(path, tables) from None
        raise
    if tables:
        plan.warn(None, f"文档里的{tables}个表格没有读取。如果有整改任务写在表格里，请把表格复制到"
                        "WPS 表格/Excel，另存为 .xlsx 后导入。")
    return plan


class TasksInTable(ImportFailed):
    def __init__(self, path, tables: int):
        super().__init__(
            f"“{path.name}”的正文里没有找到编号的反馈问题，整改任务可能写在文档的{tables}个表格里。\n"
            "请把表格复制到 WPS 表格/Excel，另存为 .xlsx 后用“导入”读取。台账没有任何改动。")
