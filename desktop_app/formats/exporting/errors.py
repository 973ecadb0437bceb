"""What can go wrong writing an exported file, each with the plain-Chinese message a clerk sees."""

from ...store.errors import LedgerError


class ExportError(LedgerError):
    """The export did not happen; the target file (if any) is as it was before."""


class TargetLockedError(ExportError):
    def __init__(self, path):
        super().__init__(
            f"无法写入“{path}”：这个文件正在 Excel 或 WPS 中打开（或是只读文件）。\n"
            "请先在 Excel/WPS 中关闭它，再重新导出；也可以换一个文件名导出。原文件没有改动。")


class FolderMissingError(ExportError):
    def __init__(self, folder):
        super().__init__(
            f"找不到要保存到的文件夹“{folder}”。它可能已被移动、改名，或在拔出的U盘上。\n"
            "请重新选择保存位置后再导出。")


class FolderNotWritableError(ExportError):
    def __init__(self, folder):
        super().__init__(
            f"没有权限在文件夹“{folder}”里保存文件。\n"
            "请换一个保存位置（例如“我的文档”或桌面）后再导出。")


class DiskFullError(ExportError):
    def __init__(self, path):
        super().__init__(
            f"磁盘空间不足，“{path}”没有导出成功。\n"
            "请清理磁盘或换一个有空间的位置（例如另一个U盘）后再导出。原文件没有改动。")


class BadTargetError(ExportError):
    """The target name itself is wrong (a folder, or not .xlsx)."""


class WriteFailedError(ExportError):
    def __init__(self, path, reason):
        super().__init__(
            f"“{path}”没有导出成功：{reason}\n"
            "原文件没有改动。如果文件在U盘或网络盘上，请确认它仍然连着，然后再试。")
