"""Writing a file so that the target is either the complete new file or untouched: temp name, then rename."""

import contextlib
import errno
import os
import secrets
from contextlib import contextmanager
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile

from .errors import (BadTargetError, DiskFullError, FolderMissingError, FolderNotWritableError,
                     TargetLockedError, WriteFailedError)

_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def check_target(target: Path, suffix: str) -> None:
    """Fail before any work is done if the target cannot be written (folder gone, file locked)."""
    target = Path(target)
    if target.suffix.lower() != suffix:
        raise BadTargetError(f"导出的文件名“{target.name}”应以 {suffix} 结尾。请改好文件名后再导出。")
    if not target.parent.is_dir():
        raise FolderMissingError(target.parent)
    if target.is_dir():
        raise BadTargetError(f"“{target}”是一个文件夹。请在文件夹里给导出的文件起一个名字。")
    if target.exists():
        try:  # Excel and WPS hold an open workbook so that Windows refuses this
            with open(target, "r+b"):
                pass
        except PermissionError:
            raise TargetLockedError(target) from None
        except OSError as e:
            raise WriteFailedError(target, e.strerror or str(e)) from None


def partial_path(target: Path) -> Path:
    """A temporary name beside target (same folder, so the final rename cannot cross disks)."""
    return target.with_name(f"{target.stem}.导出中-{secrets.token_hex(4)}{target.suffix}.part")


def _as_export_error(error: OSError, target: Path, replacing: bool) -> Exception:
    if error.errno in _DISK_FULL:
        return DiskFullError(target)
    if isinstance(error, PermissionError):
        return TargetLockedError(target) if replacing else FolderNotWritableError(target.parent)
    if isinstance(error, FileNotFoundError) and not target.parent.is_dir():
        return FolderMissingError(target.parent)
    return WriteFailedError(target, error.strerror or str(error))


@contextmanager
def replacing(target: Path):
    """Yield a temporary path to write; on success it becomes target, on any failure it is removed.

    OSErrors become ExportErrors with a clerk's message. The target is never half-written.
    """
    target = Path(target)
    partial = partial_path(target)
    try:
        try:
            yield partial
        except OSError as e:
            raise _as_export_error(e, target, replacing=False) from e
        try:
            os.replace(partial, target)
        except OSError as e:
            raise _as_export_error(e, target, replacing=True) from e
    finally:
        try:
            partial.unlink(missing_ok=True)
        except OSError:
            pass  # a pulled USB stick: nothing more we can do, and the target is untouched


def save_workbook(workbook, path: Path) -> None:
    """workbook.save(path), except that a failed save (a full disk) closes its zip archive.

    openpyxl leaves the archive open when writing fails; its ZipFile.__del__ then tries the
    write again at exit and prints an English traceback under our Chinese message.
    """
    from openpyxl.writer.excel import ExcelWriter
    if workbook.write_only and not workbook.worksheets:
        workbook.create_sheet()
    archive = ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True)
    try:
        ExcelWriter(workbook, archive).save()
    except BaseException:
        with contextlib.suppress(Exception):  # the disk is still full: the first error is the one
            archive.close()
        raise
