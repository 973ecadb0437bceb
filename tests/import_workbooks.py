"""Realistic county workbooks for the import tests, built with openpyxl (and xlwt for .xls).

Shapes seen in real 整改台账: a title row, a two-row header with 责任分工 merged over
责任领导/责任单位, category rows merged across the table, a problem over several rows with
its 反馈问题 merged down, blank rows, a 合计 row and a 填报人 footer.
"""

import zipfile
from pathlib import Path

from openpyxl import Workbook

ROWS_TITLE = "青山县第二轮中央生态环境保护督察反馈问题整改台账"
ROWS_HEADER = ["序号", "反馈问题", "整改目标", "整改措施", "责任分工", None, "整改时限", "整改进展情况",
               "备注"]
ROWS_SUBHEADER = [None, None, None, None, "责任领导", "责任单位", None, None, None]
LAST_COLUMN = "I"


def _merged_row(ws, text: str) -> None:
    ws.append([text])
    ws.merge_cells(f"A{ws.max_row}:{LAST_COLUMN}{ws.max_row}")


def rows_layout(path: Path, traditional: bool = False) -> Path:
    """Categories as merged rows, two-row header, a problem over two rows: 2大类4项."""
    wb = Workbook()
    ws = wb.active
    ws.title = "整改台账"
    _merged_row(ws, ROWS_TITLE if not traditional else "青山縣第二輪中央生態環境保護督察反饋問題整改臺賬")
    ws.append(["填报单位：青山镇人民政府", None, None, None, None, None, "填报时间：2024年5月"])
    header = ROWS_HEADER if not traditional else [
        "序號", "反饋問題", "整改目標", "整改措施", "責任分工", None, "整改時限", "整改進展情況", "備註"]
    sub = ROWS_SUBHEADER if not traditional else [None, None, None, None, "責任領導", "責任單位", None, None, None]
    ws.append(header)
    ws.append(sub)
    for column in "ABCDGHI":
        ws.merge_cells(f"{column}3:{column}4")
    ws.merge_cells("E3:F3")
    if traditional:
        _merged_row(ws, "一、思想認識還不到位")
        _merged_row(ws, "（一）履職盡責有所懈怠")
        ws.append([1, "縣自然資源局對非法佔用林地問題查處不力。", "問題全部整改到位", "1.全面排查非法佔用林地問題；2.依法查處並恢復植被。",
                   "李四（副縣長）", "縣自然資源局", "2021年6月底前", "已完成", None])
        return _save(wb, path)
    _merged_row(ws, "一、思想认识还不到位")
    ws.append([1, "县委、县政府对生态环境保护工作重视不够，研究部署不多。", "生态环境保护责任全面压实。",
               "1.县委常委会每季度专题研究生态环境保护工作；2.制定生态环境保护责任清单。",
               "张三（县委书记）", "县委办公室", "长期坚持", "达到时序进度", None])
    _merged_row(ws, "（一）履职尽责有所懈怠")
    ws.append([2, "县自然资源局对非法占用林地问题查处不力。", "非法占用林地问题全部整改到位。",
               "全面排查非法占用林地问题。\n依法查处并恢复植被。", "李四（副县长）", "县自然资源局",
               "2021年6月底前基本完成，2021年底前全面完成", "已完成", "已纳入省级督办"])
    ws.append([None] * 9)  # a blank row between categories
    _merged_row(ws, "二、突出生态环境问题整改不力")
    ws.append([3, "城区污水处理厂超负荷运行，部分污水直排青山河。", "污水处理厂出水稳定达到一级A标准。",
               "新建污水处理厂二期工程。", "王五（副县长）", "县住房和城乡建设局", "2022年6月30日前",
               "正在推进，主体工程已完成80%", None])
    ws.append([None, None, None, "完成城区雨污分流改造。", None, "县城市管理局", None,
               "已完成管网改造12公里", None])
    first = ws.max_row - 1
    for column in "ABCEG":  # the problem's own cells merged down over its two measure rows
        ws.merge_cells(f"{column}{first}:{column}{first + 1}")
    ws.append([4, "青山河流域养殖污染问题突出。", None, "关停禁养区内养殖场。", "王五（副县长）", "县农业农村局",
               "尽快", None, None])
    ws.append([None] * 9)
    ws.append(["合计", "4项"])
    ws.append(["填报人：赵六", None, None, "审核人：钱七", None, None, "联系电话：0731-12345678"])
    return _save(wb, path)


def column_layout(path: Path) -> Path:
    """A 问题类别 column merged down, synonyms for every header, no title: 3大类5项."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["序号", "问题类别", "存在问题", "整改目标", "主要措施", "牵头领导", "牵头单位", "配合单位",
               "完成时限", "完成情况", "督办事项"])
    rows = [
        (1, "一、大气污染防治方面", "工业企业超标排放，群众反映强烈。", "稳定达标排放。", "1、安装在线监测；2、依法查处。",
         "副县长甲", "县生态环境分局", "县工信局", "2023.6.30", "已完成", "甲"),
        (2, None, "建筑工地扬尘防治措施落实不到位。", "扬尘防治措施全面落实。", "开展专项检查。", "副县长乙",
         "县住建局", "", "2023年第三季度", "达到时序进度要求", ""),
        (3, "二、水污染防治方面", "污水直排入河，水质持续恶化。", "消除直排口。", "（1）排查排污口（2）封堵直排口",
         "副县长丙", "县水利局", "县城管局、县住建局", "2024年底前", "尚未完成", ""),
        (4, "三、自然生态保护方面", "自然保护区内违规建设未拆除。", "违规建筑全部拆除。", "拆除并复绿。", "副县长丁",
         "县林业局", "", "立行立改", "已销号", ""),
        (5, None, "河道非法采砂屡禁不止。", "", "联合执法。", "副县长丁", "县水利局", "", "长期坚持",
         "正在推进", ""),
    ]
    for row in rows:
        ws.append(list(row))
    ws.merge_cells("B2:B3")
    ws.merge_cells("B5:B6")
    return _save(wb, path)


TOPICS = ["思想认识方面", "水污染防治方面", "大气污染防治方面", "土壤污染防治方面", "自然生态保护方面",
          "农业农村污染治理方面", "长江保护修复方面", "环境监管执法方面"]


def big_workbook(path: Path, problems: int, per_category: int = 250) -> Path:
    """A long rows-layout ledger for progress and benchmarks: one category row per per_category problems."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("整改台账")
    ws.append([ROWS_TITLE])
    ws.append(["序号", "反馈问题", "整改目标", "整改措施", "责任领导", "责任单位", "整改时限", "整改进展", "备注"])
    for number in range(1, problems + 1):
        if number % per_category == 1:
            index = (number - 1) // per_category
            ws.append([f"{_cn(index + 1)}、{TOPICS[index % len(TOPICS)]}（{index + 1}）"])
        ws.append([number, f"第{number}个问题：某镇某污水处理设施配套管网建设滞后，雨污分流不到位，周边群众多次信访投诉。",
                   "问题全面整改到位，建立健全长效监管机制，确保问题不反弹。",
                   "1.开展全面排查，建立问题清单；2.加快推进配套管网建设；3.每月调度一次进展。",
                   "分管副县长", "县住房和城乡建设局", "2025年6月底前", "达到时序进度", ""])
    wb.save(path)
    return path


def _cn(n: int) -> str:
    from desktop_app.domain.numbering import chinese_numeral
    return chinese_numeral(n)


def _save(wb, path: Path) -> Path:
    wb.save(path)
    return path


def store_formula_result(path: Path, ref: str, value: str, text: bool) -> None:
    """Give the formula in cell ref the cached result Excel/WPS would have saved with it."""
    import re
    sheet = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as archive:
        xml = archive.read(sheet).decode("utf-8")
    cell = re.search(rf'<c r="{ref}"[^>]*>(<f>.*?</f>)<v\s*/?>(?:</v>)?</c>', xml)
    assert cell, f"no formula in {ref}"
    kind = ' t="str"' if text else ""
    replace_in_member(path, sheet, cell.group(0).encode(),
                      f'<c r="{ref}"{kind}>{cell.group(1)}<v>{value}</v></c>'.encode())


def replace_in_member(path: Path, member: str, old: bytes, new: bytes) -> None:
    """Rewrite one part of an .xlsx (to add what openpyxl cannot write: cached formula values, a DTD)."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    assert old in parts[member], f"{old!r} not in {member}"
    parts[member] = parts[member].replace(old, new)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
