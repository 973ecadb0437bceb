"""The 佐证材料 package of an inspection: a folder or .zip laid out as the ledger, its index read
back with openpyxl, every packaged file hashed against the store."""

import hashlib
import os
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop_app.formats.exporting.errors import BadTargetError, ExportError
from desktop_app.formats.evidence.package import (INDEX_NAME, export_evidence_package,
                                                  package_name, short_name)
from desktop_app.jobs import finish
from desktop_app.store import evidence, evidence_attach, evidence_files

P1 = "一、思想认识还不到位/1.县委、县政府对生态环境保护工作重视不够"
P3 = "一、思想认识还不到位/（一）履职尽责有所懈怠/3.县自然资源局对非法占用林地问题查处不力"
P4 = "二、突出生态环境问题整改不力/4.城区污水处理厂超负荷运行"
EXPECTED = [f"{P1}/照片1.JPG", f"{P1}/照片2.jpg", f"{P1}/县委常委会专题会议纪要.pdf",
            f"{P1}/文件1.docx", f"{P3}/_con___.pdf", f"{P4}/=SUM(A1_A3).txt"]
HEADERS = ["序号", "问题序号", "问题", "整改措施", "材料说明", "类型", "日期", "添加人", "文件位置",
           "大小", "SHA-256"]


def attach(ledger, problem_id, folder: Path, files: dict, **options) -> list[int]:
    paths = []
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        paths.append(path)
    return finish(evidence_attach.attach_files(ledger, problem_id, paths, **options))


@pytest.fixture
def packed(sample_ledger, tmp_path):
    """The sample inspection with evidence on problems 1, 3 (in a 小类) and 4, and on a measure;
    one attachment in the 回收站, one in another inspection. Returns the inspection's id."""
    ledger = sample_ledger
    ledger.app_user = "王五"
    source = tmp_path / "来源"
    ids = [r[0] for r in ledger.db.execute("SELECT id FROM problems ORDER BY id")]
    attach(ledger, ids[0], source, {"IMG_001.JPG": os.urandom(3000), "IMG_002.jpg": os.urandom(4000)},
           kind="现场照片", taken_on="2022-06-30")
    attach(ledger, ids[0], source, {"纪要.pdf": os.urandom(2000)}, kind="会议纪要",
           caption="县委常委会专题会议纪要")
    measure = ledger.measures(ids[0])[1]["id"]
    attach(ledger, ids[0], source, {"责任清单.docx": os.urandom(2500)}, measure_id=measure)
    evidence.remove(ledger, attach(ledger, ids[0], source, {"删掉的.jpg": os.urandom(100)}))
    attach(ledger, ids[2], source, {"查处.pdf": os.urandom(5000)}, kind="验收材料",
           caption="..\\con:*?")
    attach(ledger, ids[3], source, {"说明.txt": "污水处理厂运行记录\n".encode() * 300},
           kind="其他", caption="=SUM(A1:A3)")
    other = ledger.add_inspection("省级环保督察", "省级")
    category = ledger.add_category(other, "其他问题")
    attach(ledger, ledger.add_problem(category, description="别的批次"), source,
           {"别的.jpg": os.urandom(100)})
    return ledger.inspections()[0]["id"]


def stored_hashes(ledger) -> list[str]:
    """The hashes of the packaged rows, in package order (the fixture's attach order)."""
    return [r[0] for r in ledger.db.execute(
        "SELECT sha256 FROM evidence WHERE deleted_at IS NULL AND problem_id IN"
        " (SELECT p.id FROM problems p JOIN categories c ON c.id = p.category_id"
        "  WHERE c.inspection_id = 1) ORDER BY problem_id, measure_id IS NOT NULL, id")]


def folder_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def index_rows(workbook) -> tuple:
    ws = load_workbook(workbook)["佐证材料目录"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    return ws, rows


def test_folder_laid_out_as_the_ledger_with_its_index(sample_ledger, packed, tmp_path):
    target = tmp_path / "导出" / package_name("第二轮中央生态环境保护督察", as_zip=False)
    target.parent.mkdir()
    steps = []
    result = finish(export_evidence_package(sample_ledger, packed, target, as_zip=False),
                    steps.append)
    files = folder_files(target)
    assert sorted(files) == sorted(EXPECTED + [INDEX_NAME])
    hashes = stored_hashes(sample_ledger)
    assert [hashlib.sha256(files[p]).hexdigest() for p in EXPECTED] == hashes
    assert (result.path, result.files, result.missing) == (target, 6, [])
    assert result.bytes == sum(len(files[p]) for p in EXPECTED)
    assert [s.done for s in steps] == sorted(s.done for s in steps)
    assert steps[-1].done == steps[-1].total
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]  # no partial left

    ws, rows = index_rows(target / INDEX_NAME)
    assert rows[0][0] == "第二轮中央生态环境保护督察佐证材料目录"
    assert rows[1][0].startswith("共6个文件")
    assert rows[2] == HEADERS
    body = rows[3:]
    assert [r[0] for r in body] == [1, 2, 3, 4, 5, 6]
    assert [r[1] for r in body] == [1, 1, 1, 1, 3, 4]
    assert [r[8] for r in body] == EXPECTED
    assert [r[10] for r in body] == hashes
    assert body[0][2] == "县委、县政府对生态环境保护工作重视不够"
    assert body[0][4:8] == ["IMG_001.JPG", "现场照片", "2022-06-30", "王五"]
    assert body[2][4] == "县委常委会专题会议纪要"
    assert body[3][3] == "2.制定生态环境保护责任清单。" and body[0][3] is None
    formula = ws.cell(row=9, column=5)
    assert (formula.value, formula.data_type) == ("=SUM(A1:A3)", "s")  # text, never a formula
    assert ws.freeze_panes == "A4" and ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1


def test_zip_with_utf8_names_stored_or_deflated(sample_ledger, packed, tmp_path):
    target = tmp_path / "佐证材料.zip"
    result = finish(export_evidence_package(sample_ledger, packed, target, as_zip=True))
    assert (result.path, result.files, result.missing) == (target, 6, [])
    with zipfile.ZipFile(target) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == EXPECTED + [INDEX_NAME]
        infos = {i.filename: i for i in archive.infolist()}
        assert all(i.flag_bits & 0x800 for i in infos.values())  # names marked UTF-8
        kinds = {name: infos[name].compress_type for name in EXPECTED}
        assert kinds[EXPECTED[0]] == kinds[EXPECTED[4]] == kinds[EXPECTED[3]] == zipfile.ZIP_STORED
        assert kinds[EXPECTED[5]] == zipfile.ZIP_DEFLATED
        assert infos[EXPECTED[5]].compress_size < infos[EXPECTED[5]].file_size
        assert [hashlib.sha256(archive.read(n)).hexdigest() for n in EXPECTED] == \
            stored_hashes(sample_ledger)
        (tmp_path / "读回.xlsx").write_bytes(archive.read(INDEX_NAME))
    _, rows = index_rows(tmp_path / "读回.xlsx")
    assert [r[8] for r in rows[3:]] == EXPECTED
    assert result.bytes == sum(infos[n].file_size for n in EXPECTED)


def test_missing_and_altered_files_are_listed_not_fatal(sample_ledger, packed, tmp_path):
    ids = [r[0] for r in sample_ledger.db.execute("SELECT id FROM problems ORDER BY id")]
    altered = evidence.evidence_for(sample_ledger, ids[2])[0]
    gone = evidence.evidence_for(sample_ledger, ids[3])[0]
    path = evidence.file_path(sample_ledger, altered)
    path.write_bytes(b"Z" * path.stat().st_size)  # same size, other content
    evidence.file_path(sample_ledger, gone).unlink()
    target = tmp_path / "包"
    result = finish(export_evidence_package(sample_ledger, packed, target, as_zip=False))
    assert [(f.kind, f.problem_id) for f in result.missing] == [
        ("evidence_altered", ids[2]), ("evidence_missing", ids[3])]
    assert "说明.txt" in result.missing[1].message and "找不到" in result.missing[1].message
    files = folder_files(target)
    assert sorted(files) == sorted(EXPECTED[:5] + [INDEX_NAME])  # the altered one as it is
    assert result.files == 5
    _, rows = index_rows(target / INDEX_NAME)
    assert "其中2个文件缺失或内容不符" in rows[1][0]
    assert rows[7][8] == f"{P3}/_con___.pdf\n（核对未通过：内容与添加时的校验值不符，可能被改动过）"
    assert "文件缺失" in rows[8][8] and P4 not in rows[8][8]


@pytest.mark.parametrize("as_zip", [False, True])
def test_cancel_leaves_nothing_and_an_older_package_untouched(sample_ledger, packed, tmp_path,
                                                              monkeypatch, as_zip):
    monkeypatch.setattr(evidence_files, "CHUNK_SIZE", 1000)  # many steps to cancel between
    out = tmp_path / "导出"
    out.mkdir()
    target = out / ("包.zip" if as_zip else "包")
    if as_zip:
        target.write_bytes(b"an older package")
    steps = export_evidence_package(sample_ledger, packed, target, as_zip)
    for step in steps:
        if "（3/6）" in step.message:
            break
    assert len(list(out.iterdir())) == 1 + as_zip  # the partial package is being written
    steps.close()  # 取消
    assert [p.name for p in out.iterdir()] == ([target.name] if as_zip else [])
    if as_zip:
        assert target.read_bytes() == b"an older package"


def test_names_from_clerks_are_safe_and_paths_short(sample_ledger, tmp_path):
    inspection = sample_ledger.add_inspection("专项督察")
    category = sample_ledger.add_category(inspection, "长" * 90 + "：关于某某问题的整改")
    child = sample_ledger.add_category(inspection, "CON", parent_id=category)
    problem = sample_ledger.add_problem(child, description="A/B镇" + "很" * 200, code="FK-07")
    captions = ["con", "照片1", "照片1", "a/b\\c", "   ", "AUX.", "x" * 300]
    for caption in captions:
        attach(sample_ledger, problem, tmp_path / "来源", {"原件.JPG": os.urandom(64)},
               kind="现场照片", caption=caption)
    target = tmp_path / "包"
    finish(export_evidence_package(sample_ledger, inspection, target, as_zip=False))
    paths = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    assert len(paths) == len(captions) + 1
    bad = set('<>:"\\|?*')
    for path in paths:
        assert len(path) < 200
        for part in path.split("/"):
            assert not bad & set(part) and part == part.strip(" .") and part
            assert part.split(".")[0].upper() not in {"CON", "AUX", "NUL", "PRN"}
    names = [p.rsplit("/", 1)[1] for p in paths if p != INDEX_NAME]
    assert len({n.casefold() for n in names}) == len(names)
    assert {"_con.JPG", "照片1.JPG", "照片1（2）.JPG", "a_b_c.JPG", "照片1（3）.JPG",
            "_AUX.JPG"} <= set(names)
    assert paths[0].startswith("一、" + "长" * 28 + "/（一）CON/1.A_B镇" + "很" * 16 + "/")


def test_refusals_change_nothing(sample_ledger, packed, tmp_path):
    empty = sample_ledger.add_inspection("还没有材料的批次")
    with pytest.raises(ExportError, match="还没有佐证材料"):
        finish(export_evidence_package(sample_ledger, empty, tmp_path / "空", as_zip=False))
    full = tmp_path / "已有"
    full.mkdir()
    (full / "别人的.txt").write_text("留着")
    with pytest.raises(BadTargetError, match="不是空文件夹"):
        finish(export_evidence_package(sample_ledger, packed, full, as_zip=False))
    with pytest.raises(BadTargetError, match=".zip"):
        finish(export_evidence_package(sample_ledger, packed, tmp_path / "包.rar", as_zip=True))
    with pytest.raises(ExportError, match="找不到要保存到的文件夹"):
        finish(export_evidence_package(sample_ledger, packed, tmp_path / "没有" / "包", False))
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("台账")) == [
        "已有", "来源"]
    assert [p.name for p in full.iterdir()] == ["别人的.txt"]
    emptied = tmp_path / "空文件夹"
    emptied.mkdir()
    finish(export_evidence_package(sample_ledger, packed, emptied, as_zip=False))
    assert (emptied / INDEX_NAME).is_file()


@pytest.mark.parametrize("description, code, short", [
    ("县委、县政府对生态环境保护工作重视不够，研究部署不多。", "", "县委、县政府对生态环境保护工作重视不够"),
    ("城区污水处理厂超负荷运行，部分污水直排青山河。", "", "城区污水处理厂超负荷运行"),
    ("青山河流域养殖污染问题突出", "", "青山河流域养殖污染问题突出"),
    ("关于：某某镇非法采砂问题长期得不到有效查处的情况", "", "关于：某某镇非法采砂问题长期得不到有效查"),
    ("一是，河道两岸垃圾清理不及时；二是，……", "", "一是，河道两岸垃圾清理不及时"),
    ("  ", "问题编号三", "问题编号三"),
    ("", "", "问题"),
])
def test_short_names(description, code, short):
    assert short_name({"description": description, "code": code}) == short
