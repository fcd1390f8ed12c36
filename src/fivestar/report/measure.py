"""Measuring text and values for the page: widths of Chinese text, wrapped lines, cell values.

East Asian wide characters take two columns of a spreadsheet's default font; the estimates
here size columns and the height of rows whose text wraps, without a per-cell Python loop
where it matters (whole columns of officers).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from fivestar.report.workbook import WRAPPED, Kind
from fivestar.safe_text import clean, unsafe

WIDE_CHAR, NARROW_CHAR = 1.9, 0.8  # printed columns a character takes, for row heights


def display_width(text: str) -> int:
    """Columns a text takes: East Asian wide and full-width characters count twice."""
    if text.isascii():  # no wide character: only the longest line, measured at C speed
        return max(map(len, text.splitlines() or [""]))
    lines = text.splitlines() or [""]
    return max(
        sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in line)
        for line in lines
    )


# Control characters (C0 but tab, LF, CR; DEL; C1) and bidi characters never reach a report
# cell: Excel would show them raw (or refuse the file), and a bidi override can disguise a name.
CELL_KEEP = "\t\n\r"
_CONTROL = unsafe(CELL_KEEP)


def clean_text(text: str) -> str:
    """One text for a cell, with every control character shown as U+FFFD."""
    return clean(text, CELL_KEEP)


def texts(values: Any) -> list[str]:
    """Values as strings for text cells (control characters shown as U+FFFD); missing is ""."""
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    series = series.astype(object)
    out: list[str] = series.where(series.notna(), "").astype(str).tolist()
    if _CONTROL.search("\n".join(out)) is None:  # the usual case: one scan, no copies
        return out
    return [clean_text(text) for text in out]


def numbers(values: Any) -> list[float | None]:
    """Values as floats for number cells; missing and non-finite values are None (blank)."""
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    array = pd.to_numeric(series, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    out: list[float | None] = list(array.tolist())
    for i in np.flatnonzero(~np.isfinite(array)):
        out[i] = None
    return out


def line_counts(values: Sequence[str], width: int) -> npt.NDArray[np.int64]:
    """Lines each text takes wrapped in a column `width` wide: an estimate.

    Measured as printed: a Chinese character takes about 1.9 columns of the default font,
    a digit or a Latin letter about 0.8; line breaks start a new line. Lengths are taken
    with C-level string operations (no per-character Python work): one of these runs over
    every reason text of 全员明细, whose texts repeat: each distinct text is measured once.
    """
    if not len(values):
        return np.zeros(0, dtype=np.int64)
    codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    lines: npt.NDArray[np.int64] = _line_counts(uniques.tolist(), width)[codes]
    return lines


def _line_counts(values: Sequence[str], width: int) -> npt.NDArray[np.int64]:
    count = len(values)
    usable = max(width - 1, 2)
    chars = np.fromiter(map(len, values), dtype=np.float64, count=count)
    narrow = np.fromiter(
        (len(text.encode("ascii", "ignore")) for text in values), dtype=np.float64, count=count
    )
    printed = (chars - narrow) * WIDE_CHAR + narrow * NARROW_CHAR
    lines = np.maximum(np.ceil(printed / usable), 1).astype(np.int64)
    for i in [i for i, text in enumerate(values) if "\n" in text]:  # few: paragraph by paragraph
        lines[i] = sum(_paragraph_lines(part, usable) for part in values[i].split("\n"))
    return lines


def _paragraph_lines(text: str, usable: int) -> int:
    narrow = len(text.encode("ascii", "ignore"))
    printed = (len(text) - narrow) * WIDE_CHAR + narrow * NARROW_CHAR
    return max(math.ceil(printed / usable), 1)


def value_width(kind: Kind, sample: Sequence[Any]) -> int:
    if kind in ("text", *WRAPPED):  # + the indent's padding
        # a column's texts repeat (stations, bureaus, reasons): each measured once
        return max(map(display_width, set(sample)), default=0) + 1
    if kind == "rate":
        return 8  # 99.96%
    finite = [abs(v) for v in sample if v is not None]
    if not finite:
        return 0
    digits = len(str(math.floor(max(finite))))
    return digits + (3 if kind == "number" else 0)
