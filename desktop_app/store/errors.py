"""What can go wrong with a ledger file, each with the plain-Chinese message a clerk sees."""

import errno
import shutil
from pathlib import Path

# Every full disk is named the same way, whichever write met it.
DISK_FULL = "磁盘空间不足。请清理磁盘（删掉不用的文件、清空回收站），或换一个有空间的位置。"


class LedgerError(Exception):
    """An error whose str() is a complete Chinese message: what went wrong and what to do."""


class NotALedgerError(LedgerError):
    def __init__(self, path):
        super().__init__(
            f"“{path}”不是督察整改台账文件，无法打开。\n"
            "请选择本软件保存的台账文件（.db）。如果这是 Excel 台账，请用“导入”把它读进来。")


class NewerVersionError(LedgerError):
    def __init__(self, path, version, supported):
        super().__init__(
            f"“{path}”是由更新版本的本软件保存的（文件格式 {version}，本软件只认识到 {supported}）。\n"
            "为免损坏数据，本软件不会打开它。请安装最新版本后再打开。")


class LedgerLockedError(LedgerError):
    def __init__(self, path):
        super().__init__(
            f"台账文件“{path}”正被其他程序占用（可能在另一个窗口或另一台电脑上打开着）。\n"
            "请关闭那边的程序后再试；也可以先以只读方式打开查看。")


class ReadOnlyError(LedgerError):
    def __init__(self, path):
        super().__init__(
            f"台账文件“{path}”是只读的（文件属性为只读，或在光盘、写保护的U盘上）。\n"
            "已以只读方式打开：可以查看和导出，不能修改。要修改，请把文件复制到电脑硬盘上再打开。")


class DamagedLedgerError(LedgerError):
    def __init__(self, path, detail=""):
        super().__init__(
            f"台账文件“{path}”已损坏，无法读取。{detail}\n"
            "请不要继续在这个文件上操作；请用备份恢复，或联系县里的信息化人员。")


class FailsQuickCheckError(LedgerError):
    """SQLite's quick_check finds the file damaged: nothing more is written into it or copied
    from it, so a bad copy cannot replace (or prune) a good backup."""

    def __init__(self, path, detail=""):
        super().__init__(
            f"台账文件“{path}”内部已损坏（SQLite 自检发现问题{detail}），为免损坏扩大，"
            "本软件不再往里写入，也不拿它做备份。\n"
            "请用“恢复”选一份完好的备份（窗口：备份与恢复 → 用所选备份恢复；命令行：restore），"
            "或联系县里的信息化人员。")


class WriteFailedError(LedgerError):
    def __init__(self, path, reason):
        super().__init__(
            f"修改没能保存到台账文件“{path}”：{reason}\n"
            "刚才的修改没有生效，已保存的内容没有丢失。请处理后重试。")


class OpenForWritingError(LedgerError):
    """The ledger could not be opened for changes at all (its lock file cannot be written)."""

    def __init__(self, path, reason):
        super().__init__(
            f"没能打开台账文件“{path}”进行修改：{reason}\n"
            "台账没有任何改动。请处理后重试；也可以先以只读方式打开查看。")


class BackupFolderError(LedgerError):
    """The backup folder cannot be reached or written: a pulled USB stick, a read-only folder."""

    def __init__(self, folder, detail=""):
        self.folder = folder
        super().__init__(
            f"备份文件夹“{folder}”不可用（U盘拔出了吗？）。{detail}\n"
            "台账本身没有改动。请插好U盘，或在设置里另选一个备份文件夹后再试。")


class BackupFailedError(LedgerError):
    def __init__(self, folder, reason):
        super().__init__(
            f"备份没有做成：{reason}\n"
            f"台账本身没有改动，备份文件夹“{folder}”里原有的备份也没有改动。请处理后重试。")


class BadBackupError(LedgerError):
    """A file offered for restoring that cannot safely become the ledger."""

    def __init__(self, path, detail):
        super().__init__(
            f"不能用“{path}”恢复台账：{detail}\n台账没有改动。请选择另一份备份。")


class ExportFailedError(LedgerError):
    def __init__(self, target, reason):
        super().__init__(
            f"没能导出到“{target}”：{reason}\n"
            "台账没有任何改动；那个位置原有的文件（如果有）也没有改动。请处理后重试。")


# Below this much free room a failed write is the full disk's doing: SQLite names a -shm it
# cannot grow a "disk I/O error", and a clerk told "I/O" would think the file is broken.
LOW_SPACE_BYTES = 1024 * 1024


def nearly_full(path: Path) -> bool:
    """Whether the disk holding path (or its nearest existing folder) has almost no room left."""
    path = Path(path).resolve()
    while not path.exists() and path != path.parent:
        path = path.parent
    try:
        return shutil.disk_usage(path).free < LOW_SPACE_BYTES
    except OSError:
        return False


def as_disk_full(error: BaseException, path: Path) -> BaseException:
    """error, or an OSError(ENOSPC) in its place when it is a write failure (not a lock or a
    permission) on a disk that is full."""
    number = getattr(error, "errno", None)
    text = str(error).lower()
    io_failure = number == errno.EIO or any(
        words in text for words in ("i/o", "unable to open", "disk is full"))
    if number != errno.ENOSPC and io_failure and nearly_full(path):
        replaced = OSError(errno.ENOSPC, "No space left on device")
        replaced.__cause__ = error
        return replaced
    return error


def describe_failure(error: BaseException) -> str:
    """A plain-Chinese cause for an OSError or sqlite3.Error met while writing a file."""
    number = getattr(error, "errno", None)
    text = str(error).lower()
    if number == errno.ENOSPC or "full" in text:
        return DISK_FULL
    if number in (errno.EROFS, errno.EACCES, errno.EPERM) or "readonly" in text or "read-only" in text:
        return "那个位置是只读的（或没有写入权限），例如写保护的U盘。"
    if number in (errno.ENOENT, errno.ENODEV, errno.EIO, errno.ENXIO) or "i/o" in text \
            or "unable to open" in text:
        return "读写磁盘出错，或文件夹已不存在。如果在U盘上，请确认U盘没有被拔出。"
    return str(error)


class EvidenceTooLargeError(LedgerError):
    def __init__(self, name, size, limit):
        super().__init__(
            f"“{name}”有 {_megabytes(size)}，超过了单个佐证材料 {_megabytes(limit)} 的上限，没有添加。\n"
            "请先压缩（例如把视频或扫描件压小），或拆成几个文件再添加；上限可以在设置里调整。")


class AttachFailedError(LedgerError):
    """Copying a file into the evidence store failed: nothing of it was kept, no row was added."""

    def __init__(self, name, reason):
        super().__init__(
            f"没能添加佐证材料“{name}”：{reason}\n"
            "这一批材料都没有添加，台账和佐证材料文件夹里原有的内容没有改动。请处理后重试。")


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB" if size >= 1024 * 1024 else f"{size} 字节"
