"""The garbage collector pause: off inside any block, back as it was after the last one."""

import gc
import threading

from desktop_app import collector
from desktop_app.store.ledger import Ledger


def test_pauses_nest_and_overlap_across_threads():
    assert gc.isenabled()
    inside, leave = threading.Event(), threading.Event()

    def other():
        with collector.paused():
            inside.set()
            leave.wait(5)

    with collector.paused():
        worker = threading.Thread(target=other)
        worker.start()
        inside.wait(5)
        with collector.paused():
            assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread's block still runs
    leave.set()
    worker.join(5)
    assert gc.isenabled()


def test_a_collector_switched_off_stays_off():
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_write_runs_without_collections_and_a_failed_one_gives_them_back(tmp_path):
    ledger = Ledger.create(tmp_path / "台账.db")
    try:
        with ledger.change("新增"):
            ledger.add_inspection("第二轮督察")
            assert not gc.isenabled()
        try:
            with ledger.change("失败"):
                raise RuntimeError("中途出错")
        except RuntimeError:
            pass
        assert gc.isenabled()
    finally:
        ledger.close()
