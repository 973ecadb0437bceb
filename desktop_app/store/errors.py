"""What can go wrong with a ledger file, each with the plain-Chinese message a clerk sees."""


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


class WriteFailedError(LedgerError):
    def __init__(self, path, reason):
        super().__init__(
            f"修改没能保存到台账文件“{path}”：{reason}\n"
            "刚才的修改没有生效，已保存的内容没有丢失。请处理后重试。")
