"""Opening a plan file: .txt in UTF-8 or GB18030 (what Notepad and WPS save), or a Word .docx."""

import zipfile
from pathlib import Path

from .errors import (DocumentCorrupt, FileLocked, FileTooLarge, ImportFailed, NoProblemsFound,
                            NotAWorkbook, TextUnreadable, what_broke)
from .plan import ImportPlan
from ..reading.docx_scan import DocumentScan
from .docx_tables import table_sheets
from ..reading import limits
from .plan_text import read_plan_text
from ...jobs import finish
from .workbook_reader import read_sheets
from ..reading.workbook_source import OLE2_MAGIC, ZIP_MAGIC, check_file, check_zip

TEXT_SUFFIXES = (".txt", ".text", ".md")


def decode_text(data: bytes, path) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else GB18030 (GBK's superset)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:  # cut short in the middle of a character, or not UTF-16
            raise TextUnreadable(path) from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TextUnreadable(path)


def read_plan_file(path, mapping_override: dict[int, str | None] | None = None) -> ImportPlan:
    """The plan in a .txt or .docx file; raises ImportFailed with a message for the clerk.

    mapping_override applies to a .docx whose task list is a table (as for a workbook).
    """
    path = Path(path)
    magic = check_file(path)
    if magic.startswith(ZIP_MAGIC):
        return _read_docx(path, mapping_override)
    if magic.startswith(OLE2_MAGIC):
        raise NotAWorkbook(path, "是旧版 Word（.doc）或其他旧格式文件。请在 WPS/Word 里另存为 .docx 后再导入，"
                                 "或复制全文粘贴进来")
    size = path.stat().st_size
    if size > limits.MAX_TEXT_BYTES:
        raise FileTooLarge(path, size, limits.MAX_TEXT_BYTES)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except PermissionError:
        raise FileLocked(path) from None
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise NotAWorkbook(path)
    text = decode_text(data, path)
    limits.check(path, "行数", text.count("\n") + 1, limits.MAX_TEXT_LINES)
    return read_plan_text(text, source=path.name)


def _open_docx(path: Path):
    import docx
    try:
        with open(path, "rb") as handle:
            with zipfile.ZipFile(handle) as archive:
                if "word/document.xml" not in archive.namelist():
                    raise NotAWorkbook(path, "不是 Word 文档")
                check_zip(path, archive)
                with archive.open("word/document.xml") as stream:
                    DocumentScan().read(stream).check(path)
            handle.seek(0)
            return docx.Document(handle)
    except PermissionError:
        raise FileLocked(path) from None
    except (zipfile.BadZipFile, KeyError, ValueError, SyntaxError) as e:
        raise DocumentCorrupt(path, what_broke(e)) from e


def _read_docx(path: Path, mapping_override=None) -> ImportPlan:
    """The plan in the document's paragraphs, or in a table of it headed like a ledger
    (反馈问题/整改措施/责任单位…), whichever holds more problems."""
    document = _open_docx(path)
    try:
        text_plan = read_plan_text("\n".join(p.text for p in document.paragraphs), source=path.name)
    except NoProblemsFound:
        text_plan = None
    table_plan = _table_plan(document, path.name, mapping_override)
    if table_plan is not None and (text_plan is None or mapping_override or
                                   table_plan.problem_count >= text_plan.problem_count):
        return table_plan
    if text_plan is None:
        if document.tables:
            raise TasksInTable(path, len(document.tables))
        raise NoProblemsFound(path.name)
    if document.tables:
        text_plan.warn(None, f"文档里的{len(document.tables)}个表格不像整改任务清单（没有“反馈问题”"
                             "“整改措施”列），没有读取。")
    return text_plan


def _table_plan(document, source: str, mapping_override=None) -> ImportPlan | None:
    """The plan in the first table with a ledger header naming the problems, if there is one."""
    if not document.tables:
        return None
    try:
        plan = finish(read_sheets(table_sheets(document), source, mapping_override))
    except ImportFailed:
        return None
    if not {"description", "measures"} & {c.field for c in plan.columns}:
        return None  # a statistics table (责任单位/问题数/已完成), not the task list
    return plan


class TasksInTable(ImportFailed):
    def __init__(self, path, tables: int):
        super().__init__(
            f"“{path.name}”的正文里没有找到编号的反馈问题，{tables}个表格里也没有认出“反馈问题”"
            "“整改措施”“责任单位”这样的表头。\n"
            "请把任务清单表格复制到 WPS 表格/Excel，另存为 .xlsx 后导入，导入预览里可以手动指定各列。"
            "台账没有任何改动。")
