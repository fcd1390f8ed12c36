"""Cell values as text, and whole-column parsing of counts and rates (SPEC §1), vectorized.

Every cell is first turned into the text a clerk would read in it (12.0 → "12",
371402001.0 → "371402001", a date → "2014-04-01"); counts and rates are parsed from that
text, so a number cell and a text cell spelling the same number behave the same.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
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


_KIND = {str: "s", float: "n", int: "n", bool: "b", type(None): "z"}


def column_text(col: pd.Series) -> pd.Series:
    """A column of raw cells as stripped text ("" for empty), dtype str."""
    if pd.api.types.is_string_dtype(col.dtype) and col.dtype != object:
        return col.fillna("").str.strip()
    if col.dtype != object:  # an all-number (or all-bool, all-date) column: same rules per cell
        col = col.astype(object)
    kind = col.map(type).map(_KIND)
    if bool(kind.eq("s").all()):
        return col.astype("str").str.strip()
    out = pd.Series("", index=col.index, dtype=object)
    is_str = kind.eq("s")
    out[is_str] = col[is_str].astype("str").str.strip()
    is_num = kind.eq("n")
    if bool(is_num.any()):
        num = col[is_num].astype("float64")
        whole = (num % 1 == 0) & (num.abs() < _EXACT)
        out[num.index[whole]] = num[whole].astype("int64").astype("str")
        out[num.index[~whole]] = num[~whole].astype("str")
    is_bool = kind.eq("b")
    out[is_bool] = col[is_bool].map({True: "TRUE", False: "FALSE"})
    # dates, times and anything exotic: rare (a month column of date cells), one call each
    other = kind.isna()
    if bool(other.any()):
        out[other] = col[other].map(cell_text)
    return out.astype("str")


def numeric_text(text: pd.Series) -> pd.Series:
    """Text as a number parser wants it: half-width, trimmed, thousands separators dropped."""
    t = text.str.translate(HALF_WIDTH).str.strip()
    grouped = t.str.fullmatch(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
    if bool(grouped.any()):
        t = t.where(~grouped, t.str.replace(",", "", regex=False))
    return t


def _to_float(text: pd.Series) -> pd.Series:
    # pd.to_numeric leaves NaN for blanks and anything that is not a number (十二, abc)
    return pd.to_numeric(text.mask(text.eq("")), errors="coerce").astype("float64")


def parse_counts(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(int64 values with blank = 0, mask of cells that are not a whole number ≥ 0)."""
    t = numeric_text(text)
    blank = t.eq("")
    num = _to_float(t)
    good = num.notna() & np.isfinite(num) & (num >= 0) & (num == np.floor(num)) & (num < _EXACT)
    bad = ~blank & ~good
    return num.where(good, 0.0).astype("int64"), bad


def parse_rates(text: pd.Series, considered: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(float64 fractions with blank = NaN, mask not a number, mask outside 0–100 %).

    Units are decided for the whole column from the `considered` rows (data rows, not totals
    or notes): if any plain number (no % sign) is above 1 the column is in percent. Only
    values up to 100 count as evidence, so one typo like 150 in a fraction column does not
    turn every 0.98 into 0.98 %.
    """
    t = numeric_text(text)
    blank = t.eq("")
    percent = t.str.endswith("%")
    num = _to_float(t.str.removesuffix("%").str.rstrip())
    valid = ~blank & num.notna() & np.isfinite(num)
    plain = valid & ~percent & considered
    percent_column = bool((plain & (num > 1 + RATE_TOLERANCE) & (num <= 100)).any())
    scaled = percent | percent_column
    frac = num.where(~scaled, num / 100)
    out_of_range = valid & ((frac < -RATE_TOLERANCE) | (frac > 1 + RATE_TOLERANCE))
    values = frac.clip(0.0, 1.0).where(valid & ~out_of_range)
    return values.astype("float64"), ~blank & ~valid, out_of_range
