"""整改销号公示 as .docx: read back with python-docx, and laid out by LibreOffice as a reader sees it."""

import re
import shutil
import subprocess
from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn

from desktop_app.domain.notice import Contacts
from desktop_app.domain.signoff import SignoffDefaults
from desktop_app.formats.documents.notice_docx import write_notices
from desktop_app.store import notices as store_notices
from desktop_app.store import seeds

DEFAULTS = SignoffDefaults(Contacts(contact="李明", phone="0730-8245473"), org_name="青山镇人民政府")


@pytest.fixture
def notice(ledger):
    seeds.fill_demo(ledger)
    second_round = next(i for i in ledger.inspections() if "第二轮" in i["name"])
    first = ledger.tree(second_round["id"]).problems[0].id
    return store_notices.notice_for(ledger, first, DEFAULTS, start=date(2023, 10, 13),
                                    working_days=5).notice


def east_asian_font(paragraph) -> str:
    """The face Word uses for the paragraph's Chinese text (its style's, as no run overrides it)."""
    fonts = paragraph.style.element.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia"))


def test_docx_holds_the_notice_in_the_gongwen_layout(notice, tmp_path):
    path = write_notices([notice], tmp_path / "公示.docx")
    document = Document(str(path))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.left_margin, section.right_margin,
                                  section.bottom_margin)] == [37, 28, 26, 35]
    paragraphs = [p for p in document.paragraphs if p.text]
    texts = [p.text for p in paragraphs]
    assert "".join(texts[:2]) == notice.title  # broken into balanced lines
    assert {east_asian_font(p) for p in paragraphs[:2]} == {"方正小标宋简体"}
    assert paragraphs[0].style.font.size.pt == 22
    headings = [p for p in paragraphs if p.text in ("一、反馈问题", "二、整改目标", "三、整改措施",
                                                    "四、整改完成情况")]
    assert len(headings) == 4 and {east_asian_font(p) for p in headings} == {"黑体"}
    assert all(p.paragraph_format.keep_with_next or p.style.paragraph_format.keep_with_next
               for p in headings)
    body = paragraphs[4]  # under 一、反馈问题
    assert east_asian_font(body) == "仿宋" and body.style.font.size.pt == 16
    assert round(body.style.paragraph_format.line_spacing.pt, 1) == 29.0  # 22 lines on 225 mm
    assert "受理单位：青山镇人民政府" in texts and "联系人：李明" in texts
    assert not any(re.fullmatch(r"(受理单位|联系人|联系电话|传真)：", t) for t in texts)
    assert texts[-2:] == ["青山镇人民政府", "2023年10月13日"]
    period = next(t for t in texts if t.startswith("公示时间"))
    assert period == "公示时间：2023年10月13日至\n2023年10月19日（共5个工作日）。"
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("— ") and "PAGE" in footer._p.xml


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="needs LibreOffice Writer and pdftotext")
def test_a_cell_mark_or_noncharacter_in_the_clerk_s_text_is_left_out_of_the_docx(ledger, tmp_path):
    # Word's cell mark (\x07), a vertical tab and U+FFFE, pasted in: lxml refuses them.
    seeds.fill_demo(ledger)
    problem = ledger.tree(ledger.inspections()[0]["id"]).problems[0].id
    with ledger.change("粘贴", "测试"):
        ledger.update("problem", problem, description="污水直排\x07问题\ufffe", goal="第一行\x0b第二行")
    notice = store_notices.notice_for(ledger, problem, DEFAULTS, start=date(2023, 10, 13),
                                      working_days=5).notice
    document = Document(str(write_notices([notice], tmp_path / "公示.docx")))
    texts = [p.text for p in document.paragraphs]
    assert "污水直排问题" in texts and {"第一行", "第二行"} <= set(texts)
    assert ledger.problem(problem)["description"] == "污水直排\x07问题\ufffe"  # the ledger keeps it


def test_libreoffice_lays_it_out_as_the_printed_notice(notice, tmp_path):
    write_notices([notice, notice], tmp_path / "公示.docx")
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "公示.docx")],
                   check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "公示.pdf"), "-"],
                          capture_output=True, check=True).stdout.decode("utf-8")
    pages = text.split("\f")[:-1]
    flat = "".join(text.split())
    assert flat.count("关于第二轮中央生态环境保护督察反馈问题（问题编号一）整改销号情况的公示") == 2
    # the end date and its working days on one line; the issuer and date after the contacts
    assert re.search(r"^\s*2023\s*年\s*10\s*月\s*19\s*日（共\s*5\s*个工作日）。\s*$", text, re.M)
    assert flat.count("受理单位：青山镇人民政府") == 2
    for page in pages:  # no page ends with a heading
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert re.fullmatch(r"—\s*\d+\s*—", lines[-1]), lines[-1]
        assert not re.fullmatch(r"[一二三四五六七八九十]+、\S{2,8}", lines[-2])
    # each notice is numbered from 1; the lines are 28 characters of the grid
    numbers = [re.sub(r"\D", "", page.strip().splitlines()[-1]) for page in pages]
    assert numbers.count("1") == 2
    full = [line.strip() for line in text.splitlines() if len(line.strip()) >= 26]
    assert max(len(line) for line in full if not re.search(r"[\d ]", line)) == 28


def test_signoff_form_docx(ledger, tmp_path):
    from desktop_app.formats.documents.signoff_form_docx import write_forms
    seeds.fill_demo(ledger)
    second_round = next(i for i in ledger.inspections() if "第二轮" in i["name"])
    first = ledger.tree(second_round["id"]).problems[0].id
    form = store_notices.form_for(ledger, first, DEFAULTS)
    document = Document(str(write_forms(form, tmp_path / "审批表.docx")))
    assert "".join(p.text for p in document.paragraphs if p.text) == form.title
    facts, measures, closing = document.tables
    assert [row.cells[0].text for row in facts.rows] == [label for label, _ in form.facts]
    assert [c.text for c in measures.rows[0].cells][0] == "序号"
    assert "w:tblHeader" in measures.rows[0]._tr.xml
    assert len(measures.rows) == 1 + len(form.measures)
    assert [row.cells[0].text for row in closing.rows] == ["验收标准", "佐证材料", *form.signatures]
    assert all("年" in row.cells[1].text for row in closing.rows[2:])  # room to sign and date
