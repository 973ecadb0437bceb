"""--self-test: the built bundle proves it works — demo ledger, window, Excel export — then exits."""

import os
import tempfile
from pathlib import Path

from openpyxl import load_workbook

from ..formats.exporting.ledger_xlsx import export_ledger_file
from ..store.ledger import Ledger
from ..store.seeds import fill_demo


def run_self_test() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no screen needed
    from .app import create_application
    from .main_window import MainWindow
    from .window_settings import Settings
    app = create_application([])
    with tempfile.TemporaryDirectory(prefix="dc-ledger-self-test-") as folder:
        folder = Path(folder)
        ledger = Ledger.create(folder / "示例台账.db")
        fill_demo(ledger)
        window = MainWindow(Settings(str(folder / "settings.ini")))
        window.set_ledger(ledger)
        window.show()
        app.processEvents()
        shown = window.ledger_view.title.text()
        result = export_ledger_file(ledger, folder / "台账.xlsx")
        sheets = load_workbook(result.path, read_only=True).sheetnames
        window.close()
        print(f"窗口：{shown}")
        print(f"导出：{'；'.join(result.summaries)}，工作表 {'、'.join(sheets)}")
    print("自检通过")
    return 0
