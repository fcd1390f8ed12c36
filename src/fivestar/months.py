"""Month parsing: every spelling a clerk types, one canonical `YYYY-MM`."""

from __future__ import annotations

import re
from datetime import date, datetime

from fivestar.errors import UsageError
from fivestar.i18n import N_

_FULLWIDTH = str.maketrans("０１２３４５６７８９－／．", "0123456789-/.")
_PATTERNS = (
    re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})(?:\s*[-/.]\s*\d{1,2})?(?:[ T].*)?$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月(?:份)?(?:\s*\d{1,2}\s*日)?$"),
    re.compile(r"^(\d{4})(\d{2})(?:\d{2})?$"),
)
# 2014.10 typed in an Excel number cell is the float 2014.1, and a CSV Excel saves says "2014.1"
_YEAR_DOT_ONE = re.compile(r"^(\d{4})\.1$")


def parse_month(value: object) -> str | None:
    """Return `YYYY-MM` for a month in any accepted form, or None if it is not one.

    Accepts `2014-04`, `2014/4`, `2014年4月`, `201404`, a date or datetime, and the
    same with full-width digits. A float such as 201404.0 (a number cell) is accepted.
    """
    if isinstance(value, datetime | date):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, float):
        if value.is_integer():
            value = int(value)
        elif f"{value:.6g}".endswith(".1"):  # 2014.10 typed in a number cell reads 2014.1
            return None  # January or October? Refuse rather than guess.
    text = str(value).translate(_FULLWIDTH).strip()
    for pattern in _PATTERNS:
        match = pattern.match(text)
        if match:
            year, month = int(match.group(1)), int(match.group(2))
            if 1900 <= year <= 2999 and 1 <= month <= 12:
                return f"{year:04d}-{month:02d}"
            return None
    return None


def month_readings(value: object) -> tuple[str, ...]:
    """Every month a data file's month cell can mean: none, one, or for `2014.1` two.

    `2014.1` (text, full-width or the float) is January or October: a data file's row holding
    it is of either month, where `parse_month` refuses the float and reads the text as January.
    """
    if isinstance(value, float | str):
        text = f"{value:.6g}" if isinstance(value, float) else value
        found = _YEAR_DOT_ONE.match(text.translate(_FULLWIDTH).strip())
        if found and (january := parse_month(found.group(0))):
            return (january, f"{found.group(1)}-10")
    month = parse_month(value)
    return (month,) if month else ()


def require_month(value: str) -> str:
    """Parse a month given on the command line, or raise a one-line UsageError."""
    month = parse_month(value)
    if month is None:
        raise UsageError(
            N_("month {value!r} is not a month: write it as 2014-04, 2014年4月 or 201404"),
            value=value,
        )
    return month


def month_label(month: str) -> str:
    """`2014-04` as a clerk writes it: 2014年4月."""
    year, number = month.split("-")
    return f"{year}年{int(number)}月"
