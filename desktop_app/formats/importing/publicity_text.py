"""A 公示 page's footer read into a PlanPublicity: 公示时间, 受理单位, 联系人, 电话, 传真, 落款 and date."""

import re
from datetime import date

from ...domain.numbering import chinese_numeral
from .plan import PlanPublicity

_NUMERALS = {chinese_numeral(n): n for n in range(1, 100)}
# Where a 公示's footer begins: after it come no more fields of the problem.
FOOTER_START = re.compile(r"^(?:特此公示|以上.{0,30}公示|公示时间|公示期|公示日期|受理单位|联系人|联系电话|"
                          r"监督电话|举报电话|投诉电话|传真|电子邮箱|邮箱|通讯地址|邮寄地址|如有异议|若有异议|"
                          r"如对.{0,30}有异议)")
# An office alone on its line: the issuer at the top of a 公示 or its 落款 at the end.
OFFICE = re.compile(r"^[\u4e00-\u9fff（）()]{2,40}(?:办公室|人民政府|政府|委员会|领导小组|指挥部|分局|局|厅|县委|"
                    r"市委|区委|党委|党组|中心)$")
FOOTER_LABELS = ("受理单位", "联系人", "联系电话", "监督电话", "举报电话", "投诉电话", "电话", "传真", "公示时间",
                 "公示期限", "公示期", "公示日期")
_FIELD = re.compile(rf"^({'|'.join(FOOTER_LABELS)})\s*[:：]\s*(.+?)[。；;]?$")
_FIELD_OF = {"受理单位": "office", "联系人": "contact", "传真": "fax"}
_DATE = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DATE_LINE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
_WORKING_DAYS = re.compile(r"共?\s*(\d+|[一二三四五六七八九十]+)\s*个?工作日")


def read_footer_line(line: str, publicity: PlanPublicity) -> str | None:
    """Fill publicity from one footer line; the field it filled, or None (特此公示, 如有异议…)."""
    match = _FIELD.match(line)
    if match:
        label, value = match.group(1), match.group(2).strip()
        if label.startswith("公示"):
            read_period(value, publicity)
            return "period"
        name = _FIELD_OF.get(label, "phone")
        current = getattr(publicity, name)
        setattr(publicity, name, f"{current}、{value}" if current and value not in current else value)
        return name
    if OFFICE.match(line):
        if not publicity.issuer or publicity.issuer == line:
            publicity.issuer = line
            return "issuer"
        return None
    if _DATE_LINE.match(line):
        publicity.issued_on = line
        return "issued_on"
    return None


def read_period(text: str, publicity: PlanPublicity) -> None:
    """2023年10月13日至2023年10月24日，共10个工作日 → the dates and the working days."""
    publicity.period = text
    dates = []
    year = None
    for match in _DATE.finditer(text):
        year = int(match.group(1)) if match.group(1) else year
        if year is None:
            continue
        try:
            dates.append(date(year, int(match.group(2)), int(match.group(3))))
        except ValueError:
            continue
    if dates:
        publicity.publicity_start = dates[0].isoformat()
        publicity.publicity_end = dates[-1].isoformat() if len(dates) > 1 else None
    days = _WORKING_DAYS.search(text)
    if days:
        publicity.publicity_working_days = _number(days.group(1))


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _NUMERALS.get(text, 0)
