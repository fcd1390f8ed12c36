"""The raw cell grids every format's reader yields (`fivestar.io.formats`), and the shaping
they share: trailing blank rows dropped, rows padded, numbers taken as their cell format
shows them.

Grids keep the sheet's absolute coordinates (row index + 1 is the Excel row number), so
every issue can point at the row the clerk sees.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from fivestar.issues import Message

Cell = int | float | str | bool | date | datetime | time | timedelta | None
Row = Sequence[Cell]
Span = tuple[tuple[int, int], tuple[int, int]]
PercentColumns = dict[int, npt.NDArray[np.int64]]  # column → 0-based rows, as Grid.percent

PERCENT: Literal["%"] = "%"
Shown = int | Literal["%"]  # digits shown with leading zeros, or PERCENT
Cells = dict[tuple[int, int], Shown]  # 0-based (row, column) → how the number is shown


@dataclass(frozen=True)
class Slip:
    """A row whose cell at `column` (0-based) cannot be trusted, and why."""

    column: int
    reason: Message
    any_column: bool  # rejects its row whatever the column; else only a column that is read


@dataclass
class Grid:
    name: str | None  # None for a CSV (and a page with a single HTML table): no sheet to name
    rows: list[Row]
    merged: list[Span] | None = None  # None when the format cannot tell
    blank_formulas: frozenset[tuple[int, int]] = frozenset()
    # column → rows of number cells shown in percent (.xlsx: by their format; .ods: typed
    # percentage): the reader takes them as percent in rate columns
    percent: PercentColumns = field(default_factory=dict)
    # row → a cell that cannot be trusted (CSV: a stray quote, a line break in a cell)
    slips: dict[int, Slip] = field(default_factory=dict)


@dataclass
class LoadedFile:
    grids: list[Grid]
    skipped: list[str]  # "name: reason"
    encoding: str | None = None
    refused: list[tuple[str, Message]] = field(default_factory=list)  # (sheet, why): too large


def trim(rows: list[Row]) -> list[Row]:
    """Drop trailing rows with no content: they are formatting, not rows a clerk typed."""
    end = len(rows)
    while end and all(c is None or c == "" for c in rows[end - 1]):
        end -= 1
    return rows[:end]


def pad(rows: list[list[str]]) -> list[Row]:
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def one_line(err: BaseException) -> str:
    """A reader library's error, quoted in a file's reason."""
    text = " ".join(str(err).split())
    return text[:200] or type(err).__name__


def as_shown(rows: list[Any], cells: Cells) -> None:
    """Put each whole non-negative number of `cells` shown with leading zeros as that text
    (any column: a 警号 wherever it is; a count shown padded still parses as the count)."""
    for (row, col), shown in cells.items():
        if isinstance(shown, str) or row >= len(rows) or col >= len(rows[row]):
            continue
        value = rows[row][col]
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if value >= 0 and float(value).is_integer():
            if not isinstance(rows[row], list):
                rows[row] = list(rows[row])
            rows[row][col] = str(int(value)).zfill(shown)


def percent_cells(cells: Cells) -> PercentColumns:
    """Column → the rows (0-based) of its number cells shown in percent. Only rate columns
    take them so: a count formatted 0% by mistake is still the count the clerk typed."""
    columns: dict[int, list[int]] = {}
    for (row, col), shown in cells.items():
        if isinstance(shown, str):
            columns.setdefault(col, []).append(row)
    return {col: np.array(sorted(rows), dtype=np.int64) for col, rows in columns.items()}


def percent_texts(numbers: npt.NDArray[np.float64]) -> npt.NDArray[np.str_]:
    """Fractions as the percent a cell format shows: 0.985 → "98.5%" (12 significant
    digits: 0.985 * 100 is 98.50000000000001 in binary)."""
    return np.char.add(np.char.mod("%.12g", numbers * 100), "%")
