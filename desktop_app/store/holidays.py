"""The 放假安排 a clerk typed into a ledger (holidays table), and the WorkCalendar they make.

Clerks enter a year the official data does not cover yet (or correct one): the days off and the
调休 days a State Council notice lists. Every change is one audited transaction; each write
returns what the day was before (None: not entered), so an undo command can put it back.
"""

from collections.abc import Iterable
from datetime import date

from ..domain.workdays import WorkCalendar
from .ledger import Ledger



def _day(value: date | str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(f"“{value}”不是有效日期，请按 YYYY-MM-DD 填写，例如 2027-02-06。") from None


def _entry(row) -> dict:
    return {"day": date.fromisoformat(row[0]), "is_workday": bool(row[1]), "note": row[2]}


def entry(ledger: Ledger, day: date | str) -> dict | None:
    """The entered day as {day, is_workday, note}, or None when the clerk has not entered it."""
    row = ledger.db.execute("SELECT day, is_workday, note FROM holidays WHERE day = ?",
                            [_day(day).isoformat()]).fetchone()
    return _entry(row) if row else None


def entries(ledger: Ledger, year: int | None = None) -> list[dict]:
    """The entered days, of one year or all, by date."""
    sql, params = "SELECT day, is_workday, note FROM holidays", []
    if year is not None:
        sql, params = sql + " WHERE day >= ? AND day < ?", [f"{year:04d}-01-01", f"{year + 1:04d}-01-01"]
    return [_entry(row) for row in ledger.db.execute(sql + " ORDER BY day", params).fetchall()]


def years(ledger: Ledger) -> list[int]:
    """The years that have entered days."""
    return [int(row[0]) for row in ledger.db.execute(
        "SELECT DISTINCT substr(day, 1, 4) FROM holidays ORDER BY 1").fetchall()]


def set_day(ledger: Ledger, day: date | str, is_workday: bool, note: str = "") -> dict | None:
    """Enter one day as a working day or a day off; returns what it was before."""
    return set_days(ledger, [(day, is_workday, note)])[0]


def set_days(ledger: Ledger, days: Iterable[tuple]) -> list[dict | None]:
    """Enter many days (a year's 放假安排) in one transaction; returns what each was before."""
    wanted = [{"day": _day(d), "is_workday": bool(w), "note": n or ""} for d, w, n in days]
    before = []
    with ledger.writing() as conn:
        for new in wanted:
            old = entry(ledger, new["day"])
            before.append(old)
            if old == new:
                continue
            conn.execute("INSERT INTO holidays (day, is_workday, note) VALUES (?, ?, ?)"
                         " ON CONFLICT(day) DO UPDATE SET is_workday = excluded.is_workday,"
                         " note = excluded.note",
                         (new["day"].isoformat(), int(new["is_workday"]), new["note"]))
    return before


def remove(ledger: Ledger, day: date | str) -> dict | None:
    """Forget an entered day (it follows the official data or Mon–Fri again); returns it."""
    day = _day(day)
    with ledger.writing() as conn:
        old = entry(ledger, day)
        if old is not None:
            conn.execute("DELETE FROM holidays WHERE day = ?", [day.isoformat()])
    return old


def calendar(ledger: Ledger) -> WorkCalendar:
    """The working-day calendar of this ledger: official data plus the clerk's entries."""
    return WorkCalendar({e["day"]: e["is_workday"] for e in entries(ledger)})
