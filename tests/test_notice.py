"""整改销号公示 and 销号审批表: composed, edited, printed to PDF and read back as a reader would."""

import re
import shutil
import subprocess
from datetime import date

import pytest
from docx import Document

from desktop_app.domain import notice as notices
from desktop_app.domain.notice import Contacts, Notice, Publicity, Section
from desktop_app.domain.signoff import SignoffDefaults
from desktop_app.formats.documents import pdf_text
from desktop_app.store import notices as store_notices
from desktop_app.store import seeds
from desktop_app.store import signoff as signoffs
from desktop_app.store.ledger import Ledger

from window_helpers import run_command

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="needs pdftotext (poppler-utils) to read PDFs back")

CONTACTS = Contacts(office="岳阳楼区生态环境保护委员会办公室", contact="李明",
                    phone="0730-8245473", fax="0730-8245474",
                    issuer="岳阳市岳阳楼区生态环境保护委员会办公室")
DEFAULTS = SignoffDefaults(CONTACTS)
MM = 72 / 25.4  # points per millimetre, as pdftotext reports positions


def pdf_text_of(path, *options) -> str:
    result = subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True,
                            check=True)
    return result.stdout.decode("utf-8")


def flat(text: str) -> str:
    """The text without line breaks and spaces: what a search for a phrase finds."""
    return "".join(text.split())


def pages_of(path) -> list[str]:
    return pdf_text_of(path).split("\f")[:-1]


@pytest.fixture
def demo(ledger):
    """The demo ledger; its first problem is seed 002's (问题编号一, five measures)."""
    seeds.fill_demo(ledger)
    first = ledger.tree(ledger.inspections()[1]["id"]).problems[0].id  # seed 002, 岳阳楼区
    return ledger, first


# -- composing ----------------------------------------------------------------------------------

def test_compose_the_demo_problem(demo):
    ledger, first = demo
    result = store_notices.notice_for(ledger, first, DEFAULTS, start=date(2023, 10, 13),
                                      working_days=8)
    notice = result.notice
    assert notice.title == "关于第二轮中央生态环境保护督察反馈问题（问题编号一）整改销号情况的公示"
    assert notice.lead[0].endswith("整改销号情况公示如下：")
    assert [s.heading for s in notice.sections] == ["一、反馈问题", "二、整改目标", "三、整改措施",
                                                    "四、整改完成情况"]
    measures, done = notice.sections[2].paragraphs, notice.sections[3].paragraphs
    assert [p[:2] for p in measures] == ["1.", "2.", "3.", "4.", "5."]
    # As in seed 002: the four completions numbered, then the closing sentence once, unnumbered.
    assert [p[:2] for p in done[:4]] == ["1.", "2.", "3.", "4."]
    assert done[4:] == ("截至目前，各项整改措施均已完成，符合办结销号要求。",)
    assert "公示时间：2023年10月13日至2023年10月24日（共8个工作日）。" in notice.publicity
    assert notice.contacts == ("受理单位：岳阳楼区生态环境保护委员会办公室", "联系人：李明",
                               "联系电话：0730-8245473", "传真：0730-8245474")
    assert (notice.issuer, notice.date) == ("岳阳市岳阳楼区生态环境保护委员会办公室", "2023年10月13日")
    assert result.period.working_days == 8 and result.warning is None and not result.edited


def test_compose_without_code_goal_or_dates():
    problem = {"description": "河道垃圾清理不及时。", "goal": "", "completion": "已清理。",
               "code": ""}
    notice = notices.compose(problem, [{"text": "每周巡河。", "completion": "已建立巡河制度。"}],
                             "2022年省级督察", Publicity(), Contacts(), number=7,
                             issued_on=date(2023, 1, 5))
    assert notice.title == "关于2022年省级督察反馈问题（第7项）整改销号情况的公示"
    assert [s.heading for s in notice.sections] == ["一、反馈问题", "二、整改措施", "三、整改完成情况"]
    assert notice.sections[2].paragraphs == ("1.已建立巡河制度。", "已清理。")
    assert "年　月　日至" in notice.publicity[1] and "（共　个工作日）" in notice.publicity[1]
    assert notice.contacts == ()  # no empty "传真：" line on a posted notice
    assert notice.issuer == ""
    assert notice.date == "2023年1月5日"  # no leading zeros
    with pytest.raises(notices.NoticeIncomplete, match="设置 → 本单位"):
        notices.check_printable(notice)


def test_org_name_is_office_and_issuer(demo):
    """单位名称 fills 受理单位 and 发布单位; only the lines that have a value are printed."""
    ledger, first = demo
    defaults = SignoffDefaults(Contacts(contact="李明", phone="0730-8245473"),
                               org_name="青山镇人民政府")
    notice = store_notices.notice_for(ledger, first, defaults, start=date(2023, 10, 13)).notice
    assert notice.contacts == ("受理单位：青山镇人民政府", "联系人：李明", "联系电话：0730-8245473")
    assert notice.issuer == "青山镇人民政府"
    assert "向青山镇人民政府反映" in notice.publicity[0]
    notices.check_printable(notice)
    # what the sign-off or 设置 say wins over 单位名称
    own = SignoffDefaults(Contacts(office="区督察办"), org_name="青山镇人民政府")
    notice = store_notices.notice_for(ledger, first, own, start=date(2023, 10, 13)).notice
    assert (notice.contacts[0], notice.issuer) == ("受理单位：区督察办", "青山镇人民政府")


def test_edited_text_without_issuer_is_signed_and_drops_empty_labels(demo):
    ledger, first = demo
    ledger.update("problem", first, status="已完成")
    step = signoffs.apply(ledger, first, "2023-10-09")
    signoffs.set_notice_text(ledger, step.signoff_id, "标题\n\n正文。\n一、一节\n内容。\n\n"
                             "受理单位：\n联系人：张三\n传真：\n\n\n2023年10月13日\n")
    notice = store_notices.notice_for(ledger, first, SignoffDefaults(org_name="青山镇")).notice
    assert notice.contacts == ("联系人：张三",)
    assert (notice.issuer, notice.date) == ("青山镇", "2023年10月13日")


def test_notice_without_issuer_is_refused(qapp, demo, tmp_path):
    from desktop_app.formats.documents.notice_docx import write_notices
    from desktop_app.ui.notices.printing import notice_pdf
    ledger, first = demo
    notice = store_notices.notice_for(ledger, first, SignoffDefaults()).notice
    for write, name in ((notice_pdf, "无落款.pdf"), (write_notices, "无落款.docx")):
        with pytest.raises(notices.NoticeIncomplete, match="设置 → 本单位"):
            write([notice], tmp_path / name)
        assert not (tmp_path / name).exists()


def test_chinese_date():
    assert notices.chinese_date(date(2023, 10, 3)) == "2023年10月3日"
    assert notices.chinese_date(date(2024, 1, 13)) == "2024年1月13日"


def test_plain_text_round_trip(demo):
    ledger, first = demo
    notice = store_notices.notice_for(ledger, first, DEFAULTS, start=date(2023, 10, 13)).notice
    text = notices.as_text(notice)
    assert notices.parse(text) == notice
    assert text.startswith(notice.title + "\n\n")
    assert text.endswith("岳阳市岳阳楼区生态环境保护委员会办公室\n2023年10月13日\n")


def test_parse_an_edited_text():
    text = """关于某某问题
整改销号情况的公示

  根据有关规定，现公示如下：
一、反馈问题
问题描述第一段。

问题描述第二段（空行在中间的一节里，仍属本节）。
二、整改完成情况
已完成。

以上整改情况予以公示。
公示时间：2023年10月13日至2023年10月24日（共8个工作日）。
受理单位：县督察办
联系电话：0743-1234567

县生态环境保护委员会办公室
2023年10月13日
"""
    notice = notices.parse(text)
    assert notice == Notice(
        title="关于某某问题整改销号情况的公示", lead=("根据有关规定，现公示如下：",),
        sections=(Section("一、反馈问题", ("问题描述第一段。", "问题描述第二段（空行在中间的一节里，仍属本节）。")),
                  Section("二、整改完成情况", ("已完成。",))),
        publicity=("以上整改情况予以公示。", "公示时间：2023年10月13日至2023年10月24日（共8个工作日）。"),
        contacts=("受理单位：县督察办", "联系电话：0743-1234567"),
        issuer="县生态环境保护委员会办公室", date="2023年10月13日")


def test_parse_without_issuer_or_date():
    notice = notices.parse("标题\n\n正文。\n一、一节\n内容。\n\n联系人：张三\n")
    assert (notice.title, notice.lead, notice.contacts, notice.issuer, notice.date) == (
        "标题", ("正文。",), ("联系人：张三",), "", "")
    no_issuer = Notice(title="标题", lead=("正文。",), date="2023年10月13日")
    assert notices.parse(notices.as_text(no_issuer)) == no_issuer
    assert notices.parse("") == Notice(title="")


# -- the printed notice -------------------------------------------------------------------------

def test_notice_pdf_holds_every_part(qapp, demo, tmp_path):
    from desktop_app.ui.notices.printing import notice_pdf
    ledger, first = demo
    notice = store_notices.notice_for(ledger, first, DEFAULTS, start=date(2023, 10, 13),
                                      working_days=8).notice
    out = tmp_path / "公示.pdf"
    pages = notice_pdf([notice], out)
    text = pdf_text_of(out)
    assert pages == len(pages_of(out)) >= 2
    whole = flat(text)
    assert flat(notice.title) in whole
    for heading in ("一、反馈问题", "二、整改目标", "三、整改措施", "四、整改完成情况"):
        assert re.search(rf"^\s*{heading}\s*$", text, re.M), heading
    assert "公示时间：2023年10月13日至2023年10月24日（共8个工作日）。" in whole
    for line in notice.contacts:
        assert re.search(rf"^\s*{re.escape(line)}\s*$", text, re.M), line
    assert "受理单位：" in text and "联系人：" in text and "联系电话：" in text and "传真：" in text
    # the end date and its count of working days share a line, and the notice's lines a page
    assert re.search(r"^\s*2023年10月24日（共8个工作日）。\s*$", text, re.M)
    assert re.search(r"^\s*岳阳市岳阳楼区生态环境保护委员会办公室\s*$", text, re.M)
    assert re.search(r"^\s*2023年10月13日\s*$", text, re.M)
    assert pdf_text.radicals_in(text) == []
    assert not list(tmp_path.glob("*.part"))  # the temporary file became the PDF


def test_page_numbers_and_a4(qapp, demo, tmp_path):
    from desktop_app.ui.notices.printing import notice_pdf
    ledger, first = demo
    notice = store_notices.notice_for(ledger, first, DEFAULTS, start=date(2023, 10, 13)).notice
    out = tmp_path / "公示.pdf"
    count = notice_pdf([notice], out)
    for number, page in enumerate(pages_of(out), 1):
        assert flat(page).endswith(f"—{number}—")
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+595(\.\d+)? x 84[12](\.\d+)? pts \(A4\)", info)
    assert re.search(rf"Pages:\s+{count}\n", info)


def _words(path):
    """(page, x_min, y_min, x_max, text) of every line pdftotext -bbox-layout finds."""
    html = pdf_text_of(path, "-bbox-layout")
    found = []
    for page_number, page in enumerate(html.split("<page ")[1:], 1):
        for line in re.finditer(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                                r'yMax="[\d.]+">(.*?)</line>', page, re.S):
            words = "".join(re.findall(r">([^<]+)</word>", line.group(4)))
            found.append((page_number, float(line.group(1)), float(line.group(2)),
                          float(line.group(3)), words))
    return found


def test_layout_follows_gb_t_9704(qapp, demo, tmp_path):
    from desktop_app.ui.notices.printing import notice_pdf
    ledger, first = demo
    notice = store_notices.notice_for(ledger, first, DEFAULTS, start=date(2023, 10, 13)).notice
    out = tmp_path / "公示.pdf"
    notice_pdf([notice], out)
    lines = _words(out)
    body = [line for line in lines if not line[4].startswith("—")]
    left, right = 28 * MM, (28 + 156) * MM
    # The type area: 28 mm from the left, 156 mm wide, from 37 mm to 262 mm.
    assert min(line[1] for line in body) == pytest.approx(left, abs=1.5)
    assert max(line[3] for line in body) <= right + 1
    assert min(line[2] for line in body) >= 37 * MM - 2
    assert max(line[2] for line in body) <= (37 + 225) * MM
    # 28 characters to a full line: a justified body line runs from the margin to the margin.
    full = [line for line in body if line[1] == pytest.approx(left, abs=1.5)
            and line[3] == pytest.approx(right, abs=2)]

    def width(text):  # in characters: digits and Latin letters are half-width
        return sum(0.5 if c.isascii() else 1 for c in text)

    assert full and all(width(line[4]) <= 28 for line in full)
    assert sum(len(line[4]) == 28 for line in full) > len(full) / 2
    # First lines of paragraphs are indented two characters; headings too.
    heading = next(line for line in lines if line[4] == "二、整改目标")
    assert heading[1] == pytest.approx(left + 2 * 156 / 28 * MM, abs=1.5)
    # 22 lines to a full page: the second page (no title) has 22 text lines.
    assert len([line for line in body if line[0] == 2]) == 22
    # The title is centred.
    title = [line for line in lines if line[0] == 1][0]
    assert (title[1] + title[3]) / 2 == pytest.approx((left + right) / 2, abs=3)
    # Odd page numbers right, even left.
    numbers = {line[0]: line for line in lines if line[4].startswith("—")}
    assert numbers[1][3] > (left + right) / 2 > numbers[2][1]


def test_batch_of_three_notices_one_pdf(qapp, sample_ledger, tmp_path):
    from desktop_app.ui.notices.printing import notice_pdf
    ids = [node.id for node in sample_ledger.tree(sample_ledger.inspections()[0]["id"]).problems]
    batch = [store_notices.notice_for(sample_ledger, problem_id, DEFAULTS,
                                      start=date(2023, 10, 13)).notice for problem_id in ids[:3]]
    out = tmp_path / "批量.pdf"
    count = notice_pdf(batch, out)
    pages = pages_of(out)
    assert count == len(pages) >= 3
    starts = [i for i, page in enumerate(pages) if "整改销号情况的公示" in flat(page)[:80]]
    assert len(starts) == 3  # each notice starts a page of its own
    for start, notice in zip(starts, batch):
        assert flat(notice.title) in flat(pages[start])
        assert flat(pages[start]).endswith("—1—")  # numbering restarts per notice


def test_no_kangxi_radicals_in_the_text_layer(qapp, tmp_path, monkeypatch):
    """日 月 水 见 长 言 … must be copied as themselves, whichever CJK face printed them."""
    from desktop_app.ui import print_support
    from desktop_app.ui.notices import printing as notice_print
    words = "日月水见长言目口人大火土金木门马鱼鸟黄青页风飞食骨鬼齐龙龟齿麦韦户"
    notice = Notice(title=f"关于{words}的公示", lead=(f"正文：{words}。",),
                    sections=(Section("一、反馈问题", (words,)),),
                    contacts=(f"联系人：{words}",), issuer="水利局", date="2023年10月13日")
    out = tmp_path / "部首.pdf"
    notice_pdf = notice_print.notice_pdf
    notice_pdf([notice], out)
    text = pdf_text_of(out)
    assert pdf_text.radicals_in(text) == []
    assert words in flat(text)

    # Noto CJK maps these to the radicals' glyphs: force it, so the repair is what is tested.
    if not print_support.available(["Noto Serif CJK SC"]):
        pytest.skip("Noto Serif CJK SC is not installed")
    for name in ("TITLE_FAMILIES", "BODY_FAMILIES", "HEADING_FAMILIES", "PAGE_NUMBER_FAMILIES"):
        monkeypatch.setattr(print_support, name, ("Noto Serif CJK SC",))
        monkeypatch.setattr(notice_print, name, ("Noto Serif CJK SC",), raising=False)
    monkeypatch.setattr(print_support.pdf_text, "repair_file", lambda path: 0)
    broken = tmp_path / "未修复.pdf"
    notice_pdf([notice], broken)
    assert pdf_text.radicals_in(pdf_text_of(broken))  # without the repair: ⽇ ⽉ ⽔ …
    monkeypatch.undo()
    assert pdf_text.repair_file(broken) > 0
    repaired = pdf_text_of(broken)
    assert pdf_text.radicals_in(repaired) == [] and words in flat(repaired)


def test_repair_keeps_the_file_length_and_other_codes():
    cmap = (b"stream\n/CIDInit /ProcSet findresource begin\nbegincmap\n2 beginbfrange\n"
            b"<0000> <0000> <0000>\n<0001> <0004> [<2F47> <0031> <2EC5> <2F3E>]\nendbfrange\n"
            b"1 beginbfchar\n<2F47> <2F49>\nendbfchar\nendcmap\nendstream")
    fixed, count = pdf_text.repair(cmap)
    assert len(fixed) == len(cmap) and count == 4
    assert b"[<65E5> <0031> <89C1> <6237>]" in fixed  # 日 1 见 户
    assert b"<2F47> <6708>" in fixed  # the source code (a glyph id) stays; 月 as the text
    assert pdf_text.ideograph(ord("日")) == ord("日")


def test_qprinter_pdf_output_is_repaired_too(qapp, tmp_path):
    """Save as PDF from the print preview: Qt's PDF through a QPrinter."""
    from PySide6.QtPrintSupport import QPrinter

    from desktop_app.ui.notices.printing import render_notices
    printer = QPrinter(QPrinter.HighResolution)
    printer.setOutputFormat(QPrinter.PdfFormat)
    out = tmp_path / "打印.pdf"
    printer.setOutputFileName(str(out))
    notice = Notice(title="关于日月水见长言的公示", lead=("今日月底水见长言。",),
                    date="2023年10月13日")
    assert render_notices([notice], printer) == 1
    text = pdf_text_of(out)
    assert pdf_text.radicals_in(text) == [] and "今日月底水见长言。" in flat(text)


def test_print_preview_paints_every_page(qtbot, demo):
    from desktop_app.ui.print_support import preview_dialog
    from desktop_app.ui.notices.printing import render_notices
    ledger, first = demo
    notice = store_notices.notice_for(ledger, first, DEFAULTS, start=date(2023, 10, 13)).notice
    painted = []
    dialog = preview_dialog(None, lambda printer: painted.append(render_notices([notice], printer)),
                            notice.title)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: bool(painted))
    assert painted[0] >= 2
    dialog.close()


def test_title_lines_are_balanced():
    from desktop_app.ui.notices.printing import title_lines
    title = "关于2021年第二轮中央生态环境保护督察报告反馈问题（问题编号一）整改销号情况的公示"
    lines = title_lines(title, lambda text: len(text) <= 20)
    assert "".join(lines) == title and len(lines) == 3
    assert max(map(len, lines)) - min(map(len, lines)) <= 5
    assert not any(line[0] in "，。）”、" for line in lines)
    assert all("2021" in line for line in lines if "202" in line)  # never split a number
    assert title_lines("关于某问题的公示", lambda text: True) == ["关于某问题的公示"]


# -- the edited text is kept and printed ----------------------------------------------------------

def test_edited_notice_text_is_kept_and_printed(qapp, demo, tmp_path):
    from desktop_app.ui.notices.printing import notice_pdf
    ledger, first = demo
    ledger.update("problem", first, status="已完成")
    step = signoffs.apply(ledger, first, "2023-10-09", contacts={"office": "区督察办"})
    composed = store_notices.notice_for(ledger, first, DEFAULTS, start=date(2023, 10, 13)).notice
    edited = notices.as_text(composed).replace("二、整改目标", "二、整改目标（已调整）")
    signoffs.set_notice_text(ledger, step.signoff_id, edited)
    result = store_notices.notice_for(ledger, first, DEFAULTS)
    assert result.edited and result.notice.sections[1].heading == "二、整改目标（已调整）"
    assert store_notices.notice_for(ledger, first, DEFAULTS, use_edited=False).notice.sections[1] \
        .heading == "二、整改目标"
    out = tmp_path / "编辑后.pdf"
    notice_pdf([result.notice], out)
    assert re.search(r"^\s*二、整改目标（已调整）\s*$", pdf_text_of(out), re.M)


# -- the command line ---------------------------------------------------------------------------

def run_cli(*args, cwd, config):
    return run_command("notice", *args, cwd=cwd, config=config)


def demo_with_signoff(path, contacts: dict):
    """A demo ledger file whose first problem is in 销号 with these contacts; its id."""
    ledger = Ledger.create(path)
    try:
        seeds.fill_demo(ledger)
        first = ledger.tree(ledger.inspections()[1]["id"]).problems[0].id  # seed 002, 岳阳楼区
        ledger.update("problem", first, status="已完成")
        signoffs.apply(ledger, first, "2023-10-09", contacts=contacts)
    finally:
        ledger.close()
    return path, first


@pytest.fixture
def demo_file(tmp_path):
    return demo_with_signoff(tmp_path / "演示台账.db", {
        "office": CONTACTS.office, "contact": CONTACTS.contact, "phone": CONTACTS.phone,
        "fax": CONTACTS.fax, "issuer": CONTACTS.issuer})


def test_cli_notice_by_id_with_dates(demo_file, tmp_path):
    path, first = demo_file
    out = tmp_path / "命令行公示.pdf"
    result = run_cli("--db", str(path), "--id", str(first), "--out", str(out),
                     "--start", "2023-10-13", "--days", "8", cwd=tmp_path, config=tmp_path / "cfg")
    assert result.returncode == 0, result.stderr.decode("utf-8")
    assert result.stdout.decode("utf-8").strip() == str(out)
    text = pdf_text_of(out)
    whole = flat(text)
    assert "关于第二轮中央生态环境保护督察反馈问题（问题编号一）整改销号情况的公示" in whole
    for heading in ("一、反馈问题", "二、整改目标", "三、整改措施", "四、整改完成情况"):
        assert heading in whole
    assert "公示时间：2023年10月13日至2023年10月24日（共8个工作日）。" in whole
    for line in ("受理单位：岳阳楼区生态环境保护委员会办公室", "联系人：李明",
                 "联系电话：0730-8245473", "传真：0730-8245474"):
        assert line in whole
    assert whole.count("岳阳市岳阳楼区生态环境保护委员会办公室") == 1
    assert re.search(r"^\s*2023年10月13日\s*$", text, re.M)
    assert pdf_text.radicals_in(text) == []


def test_cli_notice_by_number_and_inspection(demo_file, tmp_path):
    path, _ = demo_file
    out = tmp_path / "按序号.pdf"
    ambiguous = run_cli("--db", str(path), "--problem", "第1项", "--out", str(out),
                        cwd=tmp_path, config=tmp_path / "cfg")
    assert ambiguous.returncode == 2 and "--inspection" in ambiguous.stderr.decode("utf-8")
    assert not out.exists()
    result = run_cli("--db", str(path), "--problem", "1", "--inspection", "第二轮", "--out",
                     str(out), "--start", "2023-10-13", cwd=tmp_path, config=tmp_path / "cfg")
    assert result.returncode == 0, result.stderr.decode("utf-8")
    assert "（问题编号一）" in flat(pdf_text_of(out))


@pytest.mark.parametrize("args, message", [
    (("--id", "9999"), "没有 id 为 9999"),
    (("--id", "十二"), "不是正整数"),
    (("--problem", "第1项", "--id", "3"), "不能与参数"),
    (("--problem", "甲", "--inspection", "第二轮"), "看不懂问题序号"),
    (("--problem", "99", "--inspection", "第二轮"), "没有第99项"),
    (("--problem", "第1项", "--inspection", "没有这个批次"), "不是台账里的督察批次"),
    (("--problem", "1", "--start", "2023-13-01"), "不是有效日期"),
    (("--problem", "1", "--days", "5"), "--start"),
    (("--problem", "1", "--start", "2023-10-13", "--days", "五"), "不是正整数"),
])
def test_cli_notice_refuses_clearly(demo_file, tmp_path, args, message):
    path, _ = demo_file
    out = tmp_path / "不该有.pdf"
    result = run_cli("--db", str(path), "--out", str(out), *args, cwd=tmp_path,
                     config=tmp_path / "cfg")
    assert result.returncode == 2
    assert message in result.stderr.decode("utf-8")
    assert not out.exists()


def test_cli_problem_is_the_number_the_ledger_shows(demo_file, tmp_path):
    """--problem N is 第N项 of the inspection, not the problem whose database id is N."""
    path, _ = demo_file
    ledger = Ledger.open(path)
    try:
        # An item whose 序号 is not its database id (a later inspection's numbering restarts).
        inspection, number, shown = next(
            (i, n, p.id) for i in ledger.inspections()
            for n, p in enumerate(ledger.tree(i["id"]).problems, 1) if p.id != n)
        code = ledger.row("problem", shown)["code"]
    finally:
        ledger.close()
    out = tmp_path / f"第{number}项.pdf"
    write_org_name(tmp_path / "cfg", "青山镇人民政府")
    result = run_cli("--db", str(path), "--problem", str(number), "--inspection", inspection["name"],
                     "--out", str(out), "--start", "2023-10-13", cwd=tmp_path,
                     config=tmp_path / "cfg")
    assert result.returncode == 0, result.stderr.decode("utf-8")
    assert (f"（{code}）" if code else f"（第{number}项）") in flat(pdf_text_of(out))


def write_org_name(config, name: str) -> None:
    """The window's 设置 → 本单位, where the command line reads it too."""
    folder = config / "dc-ledger"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dc-ledger.ini").write_text(f"[org]\nname={name}\n", encoding="utf-8")


@pytest.fixture
def unsigned_file(tmp_path):
    """A ledger whose sign-off names no 受理单位 and no 发布单位."""
    return demo_with_signoff(tmp_path / "无单位.db", {"contact": "李明"})


def test_cli_signs_with_the_org_name_or_refuses(unsigned_file, tmp_path):
    path, first = unsigned_file
    out = tmp_path / "公示.pdf"
    refused = run_cli("--db", str(path), "--id", str(first), "--out", str(out),
                      "--start", "2023-10-13", cwd=tmp_path, config=tmp_path / "cfg")
    assert refused.returncode == 2 and "设置 → 本单位" in refused.stderr.decode("utf-8")
    assert not out.exists()
    write_org_name(tmp_path / "cfg", "青山镇人民政府")
    result = run_cli("--db", str(path), "--id", str(first), "--out", str(out),
                     "--start", "2023-10-13", cwd=tmp_path, config=tmp_path / "cfg")
    assert result.returncode == 0, result.stderr.decode("utf-8")
    text = pdf_text_of(out)
    assert "受理单位：青山镇人民政府" in flat(text) and "向青山镇人民政府反映" in flat(text)
    assert re.search(r"^\s*青山镇人民政府\s*$", text, re.M)  # the 落款
    assert "传真" not in text and not re.search(r"^\s*联系电话：\s*$", text, re.M)
    word = tmp_path / "公示.docx"  # the same notice, to edit in WPS or Word
    result = run_cli("--db", str(path), "--id", str(first), "--out", str(word),
                     "--start", "2023-10-13", cwd=tmp_path, config=tmp_path / "cfg")
    assert result.returncode == 0, result.stderr.decode("utf-8")
    texts = [p.text for p in Document(str(word)).paragraphs if p.text]
    assert texts[-2:] == ["青山镇人民政府", "2023年10月13日"] and "受理单位：青山镇人民政府" in texts


def test_cli_uses_the_edited_text(demo_file, tmp_path):
    path, first = demo_file
    ledger = Ledger.open(path)
    try:
        row = signoffs.current(ledger, first)
        signoffs.set_notice_text(ledger, row["id"], "关于测试的公示\n\n根据规定，现公示如下：\n"
                                 "一、反馈问题\n编辑过的文字。\n\n发布单位\n2023年11月2日\n")
    finally:
        ledger.close()
    out = tmp_path / "编辑.pdf"
    result = run_cli("--db", str(path), "--id", str(first), "--out", str(out),
                     cwd=tmp_path, config=tmp_path / "cfg")
    assert result.returncode == 0
    assert "编辑过的公示文本" in result.stderr.decode("utf-8")
    assert "编辑过的文字。" in flat(pdf_text_of(out))


# -- 销号审批表 ---------------------------------------------------------------------------------

def test_signoff_form_pdf(qapp, sample_ledger, tmp_path):
    from desktop_app.ui.notices.printing import signoff_form_pdf
    second = sample_ledger.tree(sample_ledger.inspections()[0]["id"]).problems[1].id
    measure = sample_ledger.measures(second)[0]
    sample_ledger.update("measure", measure["id"], completion="已完成专项督导，通报乡镇3个。")
    step = signoffs.apply(sample_ledger, second, "2023-09-28")
    signoffs.tick(sample_ledger, step.signoff_id, 0)
    signoffs.tick(sample_ledger, step.signoff_id, 2)
    for name, kind in (("督导通报.pdf", "文件"), ("现场照片1.jpg", "照片")):
        sample_ledger.db["evidence"].insert({
            "problem_id": second, "sha256": "0" * 64, "display_name": name, "size": 1,
            "kind": kind, "caption": "", "added_at": "2023-09-01T00:00:00"})
    form = store_notices.form_for(sample_ledger, second)
    out = tmp_path / "审批表.pdf"
    assert signoff_form_pdf(form, out) == 1
    text = pdf_text_of(out)
    whole = flat(text)
    assert "督察整改问题销号审批表" in whole
    for expected in ("部分乡镇对督察反馈问题整改存在等靠思想。", "开展督察整改专项督导。",
                     "已完成专项督导，通报乡镇3个。", "☑整改措施全部完成", "☐整改效果达到目标",
                     "☑佐证材料齐全", "督导通报.pdf（文件）", "现场照片1.jpg（照片）",
                     "申请单位意见", "验收单位意见", "审批意见", "2023年9月28日"):
        assert expected in whole, expected
    assert pdf_text.radicals_in(text) == []


def test_long_signoff_form_stays_on_one_page(qapp, demo, tmp_path):
    from desktop_app.ui.notices.printing import signoff_form_pdf
    ledger, first = demo
    out = tmp_path / "长审批表.pdf"
    assert signoff_form_pdf(store_notices.form_for(ledger, first), out) == 1
    assert "摘要" in flat(pdf_text_of(out))
