"""The 整改落实情况报告 as a Word document in 公文 layout (through formats/documents/gongwen_docx.py)."""

from pathlib import Path

from ...domain.rectification_report import RectificationReport, Section
from . import gongwen_docx as gw


def _section(document, section: Section, level: int) -> None:
    gw.add_heading(document, section.heading, level)
    for text in section.paragraphs:
        gw.add_paragraph(document, text)
    for sub in section.subsections:
        _section(document, sub, level + 1)


def write_rectification_report(report: RectificationReport, path: Path) -> Path:
    document = gw.new_document()
    gw.add_title(document, report.title)
    for section in report.sections:
        _section(document, section, 1)
    gw.add_closing(document, report.issuer, report.day)
    return gw.save(document, path)


__all__ = ["write_rectification_report"]
