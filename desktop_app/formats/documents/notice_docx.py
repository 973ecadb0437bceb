"""整改销号公示 as a Word document: the same Notice the printed one paints, in the 公文 layout."""

from collections.abc import Iterable
from pathlib import Path

from ...domain.notice import Notice, check_printable
from . import gongwen_docx as gw

def keep_period_together(text: str) -> str:
    """A 公示时间 line broken before its last date, so that "2023年10月19日（共5个工作日）。"
    share a line whatever the font (Word and LibreOffice break CJK text anywhere)."""
    at = text.rfind("（共")
    start = text.rfind("至", 0, at) + 1 if at > 0 else 0
    if not text.startswith("公示时间") or start <= 0:
        return text
    return text[:start] + "\n" + text[start:]


def write_notices(notices: Iterable[Notice], path: Path) -> Path:
    """The notices in one .docx, each from a new page numbered from 1; raises NoticeIncomplete
    (before writing) for a notice without its issuer, as the printed one does."""
    notices = list(notices)
    for notice in notices:
        check_printable(notice)
    return gw.write_each(notices, _notice, path)


def _notice(document, notice: Notice) -> None:
    gw.add_title(document, notice.title)
    for text in notice.lead:
        gw.add_paragraph(document, text)
    for section in notice.sections:
        gw.add_heading(document, section.heading, 1)
        for text in section.paragraphs:
            gw.add_paragraph(document, text)
    for text in notice.publicity:
        # ragged, not justified: a line shortened by the joined period must not spread out
        period = text.startswith("公示时间")
        gw.add_paragraph(document, keep_period_together(text), keep_together=True,
                         keep_with_next=period, align_left=period)
    for text in notice.contacts:
        # the contact lines, the seal and the signature are one block on one page
        gw.add_paragraph(document, text, keep_with_next=True, align_left=True)
    gw.add_closing(document, notice.issuer, notice.date)


__all__ = ["write_notices", "keep_period_together"]
