"""Cell values as text, and whole-column parsing of counts and rates (DESIGN.md §1), vectorized.

Every cell is first turned into the text a clerk would read in it (12.0 → "12",
371402001.0 → "371402001", a date → "2014-04-01"); counts and rates are parsed from that
text, so a number cell and a text cell spelling the same number behave the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

import numpy as np
import numpy.typing as npt
import pandas as pd

# Full-width ASCII (１２, ％, ．, －) and the ideographic space, as half-width.
HALF_WIDTH = str.maketrans({chr(0xFF01 + i): chr(0x21 + i) for i in range(94)} | {"\u3000": " "})
# Integers beyond this are not exact in a float64; no real count or 警号 cell needs them.
_EXACT = 2.0**53
# Rates a hair above 1 (or 100 %) are floating noise from Excel, not a percent column.
RATE_TOLERANCE = 1e-9


def cell_text(cell: object) -> str:
    """One cell as text; used for the few header rows, where a loop is fine."""
    if isinstance(cell, str):
        return cell.strip()
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() and abs(cell) < _EXACT else repr(cell)
    if isinstance(cell, datetime) and cell.time() == datetime.min.time():
        return cell.date().isoformat()
    if isinstance(cell, datetime):
        return cell.isoformat(sep=" ")
    return "" if cell is None else str(cell).strip()


def _number_text(number: float) -> str:
    return str(int(number)) if number.is_integer() and abs(number) < _EXACT else str(number)


def cells_text(cells: Iterable[object]) -> list[str]:
    """A column of raw cells as stripped text ("" for empty), the rules of `cell_text`.

    Numbers are read as floats (an int cell spells like the same float cell). A plain loop
    over the cells: the string storage pandas uses without pyarrow is a Python loop as well,
    and this one skips its per-call overhead.
    """
    out: list[str] = []
    append = out.append
    numbers: dict[object, str] = {}  # a column repeats few numbers (0, 1, 100.0 …)
    for cell in cells:
        if type(cell) is str:
            append(cell.strip())
        elif type(cell) is float:
            text = numbers.get(cell)
            if text is None:
                text = numbers[cell] = _number_text(cell)
            append(text)
        elif cell is None:
            append("")
        elif type(cell) is int:
            append(_number_text(float(cell)))
        else:  # bools, dates, times and anything exotic
            append(cell_text(cell))
    return out


def column_text(col: pd.Series) -> pd.Series:
    """A column of raw cells as stripped text ("" for empty), dtype str."""
    if pd.api.types.is_string_dtype(col.dtype) and col.dtype != object:
        cells: Iterable[object] = col.fillna("").tolist()
    else:
        cells = col.astype(object).tolist()
    return pd.Series(cells_text(cells), index=col.index, dtype="str")


def half_width_stripped(texts: Iterable[str]) -> list[str]:
    """Texts in half-width characters, trimmed."""
    # str.isascii is O(1): only texts with other characters need the translation
    return [t.strip() if t.isascii() else t.translate(HALF_WIDTH).strip() for t in texts]


_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")


def _numeric_texts(text: pd.Series) -> list[str]:
    t = half_width_stripped(text.tolist())
    if any("," in s for s in t):
        t = [s.replace(",", "") if _GROUPED.fullmatch(s) else s for s in t]
    return t


def _to_floats(texts: list[str]) -> npt.NDArray[np.float64]:
    # pd.to_numeric leaves NaN for blanks and anything that is not a number (十二, abc)
    cells = np.array([t if t else None for t in texts], dtype=object)
    return np.asarray(pd.to_numeric(cells, errors="coerce"), dtype=np.float64)


def parse_counts(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(int64 values with blank = 0, mask of cells that are not a whole number ≥ 0)."""
    t = _numeric_texts(text)
    blank = np.array([not s for s in t], dtype=bool)
    num = _to_floats(t)
    with np.errstate(invalid="ignore"):
        good = np.isfinite(num) & (num >= 0) & (num == np.floor(num)) & (num < _EXACT)
    values = np.where(good, num, 0.0).astype(np.int64)
    return (
        pd.Series(values, index=text.index, dtype="int64"),
        pd.Series(~blank & ~good, index=text.index, dtype=bool),
    )


def parse_rates(text: pd.Series, considered: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(float64 fractions with blank = NaN, mask not a number, mask outside 0–100 %).

    Units are decided for the whole column from the `considered` rows (data rows, not totals
    or notes): if any plain number (no % sign) is above 1 the column is in percent (DESIGN.md §1,
    to the letter: a column holding 1 and 150 is in percent, so 1 is 1 % and 150 is rejected).
    """
    t = _numeric_texts(text)
    blank = np.array([not s for s in t], dtype=bool)
    percent = np.array([s.endswith("%") for s in t], dtype=bool)
    num = _to_floats([s.removesuffix("%").rstrip() for s in t])
    with np.errstate(invalid="ignore"):
        valid = ~blank & np.isfinite(num)
        plain = valid & ~percent & considered.to_numpy(dtype=bool)
        percent_column = bool((plain & (num > 1 + RATE_TOLERANCE)).any())
        scaled = percent | percent_column
        frac = np.where(scaled, num / 100, num)
        out_of_range = valid & ((frac < -RATE_TOLERANCE) | (frac > 1 + RATE_TOLERANCE))
        values = np.where(valid & ~out_of_range, np.clip(frac, 0.0, 1.0), np.nan)
    index = text.index
    return (
        pd.Series(values, index=index, dtype="float64"),
        pd.Series(~blank & ~valid, index=index, dtype=bool),
        pd.Series(out_of_range, index=index, dtype=bool),
    )
