"""Dates a user typed, as stored: ISO text, or a plain-Chinese error saying how to write them."""

from datetime import date, datetime


def now_text() -> str:
    """This moment as rows store it (added_at, deleted_at …): local time to the second."""
    return datetime.now().isoformat(timespec="seconds")


def iso_date(value, what: str, required: bool = False) -> str | None:
    if value is None or value == "":
        if required:
            raise ValueError(f"请填写{what}。")
        return None
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise ValueError(f"{what}“{value}”不是有效日期，请按 YYYY-MM-DD 填写，例如 2023-10-13。") from None


def clean_row(fields: dict, allowed, dates: dict[str, str], what: str) -> dict:
    """Fields of a register row: known names only, dates as ISO text, other texts stripped."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"{what} has no fields {sorted(unknown)}")
    return {name: iso_date(value, dates[name]) if name in dates
            else value.strip() if isinstance(value, str) else value
            for name, value in fields.items()}
