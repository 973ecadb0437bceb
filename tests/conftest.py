"""Shared fixtures: a fresh ledger file per test in tmp_path, empty or filled with a small inspection."""

import os

# Before anything imports Qt: tests never open a real window.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

import copy  # noqa: E402

import pytest  # noqa: E402

from desktop_app.store import seeds  # noqa: E402
from desktop_app.store.ledger import Ledger  # noqa: E402

# A small, realistic inspection (test data, not shipped data): 2大类5项, the first 大类 with one 小类.
SAMPLE_LEDGER = {
    "title": "测试台账",
    "inspections": [
        {
            "name": "第二轮中央生态环境保护督察",
            "kind": "中央",
            "feedback_date": "2021-04-02",
            "org": "青山县人民政府",
            "notes": "",
            "categories": [
                {
                    "title": "思想认识还不到位",
                    "problems": [
                        {
                            "code": "问题编号一",
                            "description": "县委、县政府对生态环境保护工作重视不够，研究部署不多。",
                            "goal": "生态环境保护责任全面压实。",
                            "measures": [
                                {"text": "县委常委会每季度专题研究生态环境保护工作。",
                                 "completion": "已召开专题会议2次。"},
                                {"text": "制定生态环境保护责任清单。", "completion": ""},
                            ],
                            "lead_official": "张三（县委书记）",
                            "lead_unit": "县委办公室",
                            "support_units": "县生态环境分局",
                            "deadline_text": "长期坚持",
                            "status": "整改中",
                        },
                        {
                            "code": "问题编号二",
                            "description": "部分乡镇对督察反馈问题整改存在等靠思想。",
                            "measures": ["开展督察整改专项督导。"],
                            "lead_unit": "县督查室",
                            "deadline_text": "立行立改",
                            "status": "已完成",
                            "completion": "已完成专项督导，通报乡镇3个。",
                        },
                    ],
                    "children": [
                        {
                            "title": "履职尽责有所懈怠",
                            "problems": [
                                {
                                    "code": "问题编号三",
                                    "description": "县自然资源局对非法占用林地问题查处不力。",
                                    "measures": ["全面排查非法占用林地问题。", "依法查处并恢复植被。"],
                                    "lead_unit": "县自然资源局",
                                    "deadline_text": "2021年6月底前基本完成，2021年底前全面完成",
                                },
                            ],
                        },
                    ],
                },
                {
                    "title": "突出生态环境问题整改不力",
                    "problems": [
                        {
                            "code": "问题编号四",
                            "description": "城区污水处理厂超负荷运行，部分污水直排青山河。",
                            "goal": "污水处理厂出水稳定达到一级A标准。",
                            "measures": ["新建污水处理厂二期工程。", "完成城区雨污分流改造。"],
                            "lead_official": "李四（副县长）",
                            "lead_unit": "县住房和城乡建设局",
                            "deadline_text": "2022年6月30日前",
                        },
                        {
                            "code": "问题编号五",
                            "description": "青山河流域养殖污染问题突出。",
                            "measures": ["关停禁养区内养殖场。"],
                            "lead_unit": "县农业农村局",
                            "deadline_text": "2021年第四季度",
                            "status": "未启动",
                        },
                    ],
                },
            ],
        },
    ],
}


@pytest.fixture
def ledger_path(tmp_path):
    """A fresh, empty ledger file (created and closed again)."""
    path = tmp_path / "台账.db"
    Ledger.create(path).close()
    return path


@pytest.fixture
def ledger(ledger_path):
    """An open ledger on ledger_path."""
    opened = Ledger.open(ledger_path)
    yield opened
    opened.close()


@pytest.fixture
def sample_data():
    """The seed document of the sample inspection (a copy: tests may change it)."""
    return copy.deepcopy(SAMPLE_LEDGER)


@pytest.fixture
def sample_ledger(ledger, sample_data):
    """An open ledger holding the sample inspection: 2大类5项."""
    seeds.fill(ledger, sample_data)
    return ledger


@pytest.fixture
def sample_ledger_file(tmp_path, sample_data):
    """Path of a closed ledger file holding the sample inspection (for reopening and the CLI)."""
    path = tmp_path / "样例台账.db"
    filled = Ledger.create(path)
    try:
        seeds.fill(filled, sample_data)
    finally:
        filled.close()
    return path


@pytest.fixture
def settings(tmp_path):
    """The window's settings in the test's own ini file, never the user's."""
    from desktop_app.ui.window_settings import Settings
    return Settings(str(tmp_path / "settings.ini"))


@pytest.fixture
def open_window(qtbot, settings):
    """open_window(path) shows the real main window on a ledger file (None: the last one used)."""
    from desktop_app.ui.app import start_window
    windows = []

    def opener(path):
        window = start_window(path, settings)
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        return window
    yield opener
    for window in windows:
        window.close()
