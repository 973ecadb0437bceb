"""The Excel ledger's extra sheets: 回头看复查, 问题关联, 督办, 责任追究, read back with openpyxl."""

from openpyxl import load_workbook

from desktop_app.formats.exporting.ledger_xlsx import export_ledger_file
from desktop_app.store import accountability, links, rechecks, supervision
from follow_up_helpers import sign_off


def visible(book) -> list[str]:
    return [ws.title for ws in book.worksheets if ws.sheet_state == "visible"]


def test_records_exported_as_extra_sheets(sample_ledger, tmp_path):
    ledger = sample_ledger
    iid = ledger.inspections()[0]["id"]
    ids = [p.id for p in ledger.tree(iid).problems]
    plain = export_ledger_file(ledger, tmp_path / "无记录.xlsx")
    assert visible(load_workbook(plain.path)) == ["整改任务清单", "统计"]
    sign_off(ledger, ids[1])
    rechecks.rebound(ledger, ids[1], "2024-01-22", "河道又见垃圾堆放", "王五")
    links.add_link(ledger, ids[3], ids[4], "同类问题", "同一流域")
    supervision.add(ledger, "约谈", ids[4], issued_on="2023-05-01", issued_by="县政府")
    accountability.add_case(ledger, "养殖污染追责", problem_id=ids[4], decided_on="2023-06-01",
                            units=["县农业农村局党组"],
                            persons=[{"name": "赵六", "level": "处级", "outcome": "诫勉谈话"}])
    book = load_workbook(export_ledger_file(ledger, tmp_path / "台账.xlsx").path)
    assert visible(book) == ["整改任务清单", "统计", "回头看复查", "问题关联", "督办", "责任追究"]
    values = {name: [list(r) for r in book[name].iter_rows(values_only=True)]
              for name in book.sheetnames[2:]}
    assert values["回头看复查"][1][1:2] + values["回头看复查"][1][4:] == [
        "问题编号二", "2024-01-22", "王五", "反弹", "河道又见垃圾堆放"]
    assert values["问题关联"][1][:5] == ["问题编号四", "城区污水处理厂超负荷运行，部分污水直排青山河。",
                                       "同类问题", "第二轮中央生态环境保护督察", "问题编号五"]
    assert values["督办"][1][1:5] == ["约谈", "2023-05-01", "县政府", "县农业农村局"]
    assert values["责任追究"][1] == ["养殖污染追责", "2023-06-01", "县农业农村局党组", "赵六", None,
                                    "处级", "诫勉谈话"]
