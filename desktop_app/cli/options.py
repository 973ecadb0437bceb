"""What the subcommands share: opening a ledger and reading option values, in Chinese."""

from pathlib import Path

from ..store.errors import LedgerError


def open_ledger(path: str):
    """The ledger at path, read-only; a Chinese LedgerError if there is none."""
    from ..store.ledger import Ledger
    if not Path(path).exists():
        raise LedgerError(f"找不到台账文件“{path}”。")
    return Ledger.open(Path(path), read_only=True)


def inspection_ids(ledger, names: list[str] | None) -> list[int] | None:
    """The ids of the inspections named by --inspection (None: all), or a ValueError in Chinese
    listing the names the ledger has."""
    if not names:
        return None
    by_name = {row["name"]: row["id"] for row in ledger.inspections()}
    unknown = [name for name in names if name not in by_name]
    if unknown:
        known = "\n".join(f"  {name}" for name in by_name) or "  （台账里还没有督察批次）"
        raise ValueError(f"台账里没有名为“{'”“'.join(unknown)}”的督察批次。已有的督察批次：\n{known}")
    return [by_name[name] for name in names]


def parse_positive_option(value: str | None, option: str, hint: str = "") -> int | None:
    """None stays None; otherwise a positive whole number, or a ValueError in Chinese naming the option."""
    if value is None:
        return None
    if not (value.isascii() and value.isdigit() and int(value) > 0):
        raise ValueError(f"{option} 的“{value}”不是正整数{'，' + hint if hint else ''}。")
    return int(value)


def parse_date_option(value: str, option: str):
    """A YYYY-MM-DD option value, or a ValueError with a Chinese message naming the option."""
    from datetime import datetime
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise ValueError(f"{option} 的“{value}”不是有效日期，请按 YYYY-MM-DD 填写，例如 2023-10-13。") from None
