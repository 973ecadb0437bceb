"""Why an import was refused, each with the plain-Chinese message a clerk sees: what, and what to do.

Every one is raised while reading, before the ledger is touched, so each message can promise
that nothing was written.
"""

from pathlib import Path

from ...store.errors import LedgerError

_NOTHING_WRITTEN = "台账没有任何改动。"


def _name(path) -> str:
    return Path(path).name if path else "这个文件"


def size_text(size: int) -> str:
    """2147483648 → 2.1 GB, as Windows Explorer and WPS show sizes."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} 字节"


def what_broke(error: BaseException) -> str:
    """In the clerk's words, which part of the file a library's exception says is broken."""
    import zipfile
    import zlib
    if isinstance(error, (zipfile.BadZipFile, zlib.error, EOFError)):
        return "压缩数据损坏"
    if isinstance(error, (SyntaxError, UnicodeError)):  # XML parse errors are SyntaxErrors
        return "内部的 XML 数据损坏"
    return "文件内部结构不对"


class ImportFailed(LedgerError):
    """The file could not be read into a plan; the ledger was not changed."""


class FileMissing(ImportFailed):
    def __init__(self, path):
        super().__init__(f"找不到文件“{path}”。请确认文件还在原来的位置，再重新选择。{_NOTHING_WRITTEN}")


class FileLocked(ImportFailed):
    def __init__(self, path):
        super().__init__(
            f"文件“{_name(path)}”正被 WPS 或 Excel 占用，读不出来。\n"
            f"请在 WPS/Excel 里关闭这个文件（或先保存并关闭），再重新导入。{_NOTHING_WRITTEN}")


class FileTooLarge(ImportFailed):
    def __init__(self, path, size: int, limit: int):
        super().__init__(
            f"文件“{_name(path)}”有 {size_text(size)}，太大了（整改台账一般不超过几 MB，"
            f"本软件最多读 {size_text(limit)}）。\n"
            f"请确认选对了文件；如果表里有大量图片，请删掉图片后另存一份再导入。{_NOTHING_WRITTEN}")


class FileEmpty(ImportFailed):
    def __init__(self, path):
        super().__init__(f"文件“{_name(path)}”是空的（0 字节），可能没有下载或复制完整。"
                         f"请重新获取这个文件。{_NOTHING_WRITTEN}")


class WorkbookEncrypted(ImportFailed):
    def __init__(self, path):
        super().__init__(
            f"文件“{_name(path)}”设置了打开密码，本软件无法读取加密的表格。\n"
            f"请在 WPS/Excel 里用密码打开它，去掉密码（文件→加密/保护工作簿）后另存为 .xlsx 再导入。"
            f"{_NOTHING_WRITTEN}")


class XlsRenamedXlsx(ImportFailed):
    def __init__(self, path):
        super().__init__(
            f"文件“{_name(path)}”是旧版 .xls 格式，却被改成了 .xlsx 扩展名。\n"
            f"请把扩展名改回 .xls 再导入，或在 WPS/Excel 里打开后“另存为”.xlsx 格式。{_NOTHING_WRITTEN}")


class WorkbookCorrupt(ImportFailed):
    def __init__(self, path, detail: str = ""):
        super().__init__(
            f"文件“{_name(path)}”已损坏或不完整，读不出来{('（' + detail + '）') if detail else ''}。\n"
            f"请用 WPS/Excel 打开看看能否正常显示；能打开的话，另存为 .xlsx 后再导入，"
            f"不能打开的话请向发文单位重新索取。{_NOTHING_WRITTEN}")


class NotAWorkbook(ImportFailed):
    def __init__(self, path, what: str = ""):
        super().__init__(
            f"文件“{_name(path)}”{what or '不是 Excel 表格，也不是整改方案文本'}，无法导入。\n"
            f"能导入的是 Excel 表格（.xlsx、.xls）、整改方案的 Word 文件（.docx）和纯文本（.txt）。"
            f"如果它能用 WPS/Excel 打开，请另存为 .xlsx 再导入。{_NOTHING_WRITTEN}")


class UnsafeContent(ImportFailed):
    def __init__(self, path, detail: str):
        super().__init__(
            f"文件“{_name(path)}”里有不安全的内容（{detail}），为保护电脑没有读取。\n"
            f"正常的台账不会这样。请向发文单位确认文件来源，或在 WPS/Excel 里把内容复制到新表格中"
            f"另存后再导入。{_NOTHING_WRITTEN}")


class WorkbookEmpty(ImportFailed):
    def __init__(self, path):
        super().__init__(
            f"文件“{_name(path)}”的工作表里没有任何内容。\n"
            f"请确认选对了文件，或台账是否在别的工作表、别的文件里。{_NOTHING_WRITTEN}")


class NoHeader(ImportFailed):
    def __init__(self, path, sheets: list[str]):
        where = "、".join(f"“{s}”" for s in sheets) if sheets else "任何工作表"
        super().__init__(
            f"在“{_name(path)}”的{where}里没有找到表头（反馈问题/整改目标/整改措施/责任单位/整改时限……）。\n"
            f"请确认这是整改台账：表格上方应有一行写着“反馈问题”“责任单位”等列名。"
            f"如果列名写法特别，请在导入预览里手动指定各列。{_NOTHING_WRITTEN}")


class NoProblemsFound(ImportFailed):
    def __init__(self, source: str):
        super().__init__(
            f"在“{source}”里没有找到任何反馈问题。\n"
            f"表格需要有“反馈问题”一列；整改方案文本需要有“一、”“（一）”“1.”这样的编号。"
            f"{_NOTHING_WRITTEN}")


class TextUnreadable(ImportFailed):
    def __init__(self, path):
        super().__init__(
            f"文件“{_name(path)}”的文字编码无法识别（既不是 UTF-8，也不是 GBK/GB18030）。\n"
            f"请用记事本或 WPS 打开它，另存为“UTF-8”编码的 .txt，或直接复制文字粘贴进来。"
            f"{_NOTHING_WRITTEN}")


class DocumentCorrupt(ImportFailed):
    def __init__(self, path, detail: str = ""):
        super().__init__(
            f"文件“{_name(path)}”已损坏或不完整，读不出来{('（' + detail + '）') if detail else ''}。\n"
            f"请用 WPS/Word 打开看看能否正常显示；能打开的话，另存为 .docx 后再导入（或复制全文粘贴进来），"
            f"不能打开的话请向发文单位重新索取。{_NOTHING_WRITTEN}")


class TooMuchToRead(ImportFailed):
    """A figure of the file (rows, merges, a cell's length…) is past what any real ledger has."""

    def __init__(self, path, what: str, figure: int, limit: int):
        super().__init__(
            f"文件“{_name(path)}”的{what}是 {figure:,}，超过了本软件能读的上限 {limit:,}"
            f"（真实的整改台账远小于这个数）。\n"
            f"请确认选对了文件；如果是从别的系统导出的，请只把整改台账部分复制到新表格中另存后再导入。"
            f"{_NOTHING_WRITTEN}")


class TextDamaged(ImportFailed):
    def __init__(self, path, detail: str = ""):
        super().__init__(
            f"{('文件“' + _name(path) + '”') if path else '粘贴的文字'}读不出来"
            f"{('（' + detail + '）') if detail else ''}。\n"
            f"请用记事本或 WPS 打开它，另存为“UTF-8”编码的 .txt，或直接复制文字粘贴进来。{_NOTHING_WRITTEN}")


class TooBigToRead(ImportFailed):
    def __init__(self, path):
        super().__init__(
            f"文件“{_name(path)}”的内容太多，电脑内存不够把它读完。\n"
            f"请确认选对了文件；如果是从别的系统导出的，请只把整改台账部分复制到新表格中另存后再导入。"
            f"{_NOTHING_WRITTEN}")
