"""Sheet layout: tables written a column at a time, widths that fit Chinese text, print setup.

`Sheet` is the reusable piece: a worksheet plus a cursor. Write tables, headings, note lines
and key/value rows one below the other, then `finish()` sets column widths and printing.
The first table written with `main=True` gets the frozen header, the filter and the header
row repeated on every printed page.
"""

from __future__ import annotations

import itertools
import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from fivestar.report.workbook import Formats, Kind

MIN_WIDTH = 6
MAX_WIDTH = 50
MAX_WRAP_WIDTH = 40  # wrapped text columns: the text folds instead of the page shrinking
SAMPLE = 300  # values looked at per column to size it
FILTER_ARROW = 2  # room for the filter button in a header cell
FOOTER = "&C第 &P 页，共 &N 页"
A4 = 9
_BAD_NAME = str.maketrans(dict.fromkeys("[]:*?/\\", "_"))

Mask = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Column:
    """One table column: header, values (Series, array or sequence) and how they are shown."""

    header: str
    values: Any
    kind: Kind = "text"


@dataclass(frozen=True)
class Table:
    """Where a table landed: its header row and its data rows (0-based, `last` inclusive)."""

    header: int
    first: int
    last: int
    width: int


def display_width(text: str) -> int:
    """Columns a text takes: East Asian wide and full-width characters count twice."""
    lines = text.splitlines() or [""]
    return max(
        sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in line)
        for line in lines
    )


def sheet_name(label: str, taken: set[str]) -> str:
    """A valid, unique worksheet name from a label (31 characters, no []:*?/\\)."""
    base = label.translate(_BAD_NAME).strip("'").strip() or "Sheet"
    name, n = base[:31], 2
    while name.casefold() in taken:
        suffix = f"({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.casefold())
    return name


def texts(values: Any) -> list[str]:
    """Values as strings for text cells; missing values are ""."""
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    series = series.astype(object)
    return list(series.where(series.notna(), "").astype(str).tolist())


def numbers(values: Any) -> list[float | None]:
    """Values as floats for number cells; missing and non-finite values are None (blank)."""
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    array = pd.to_numeric(series, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    out: list[float | None] = list(array.tolist())
    for i in np.flatnonzero(~np.isfinite(array)):
        out[i] = None
    return out


def _runs(count: int, highlight: Mask | None) -> list[tuple[int, int, bool]]:
    """Consecutive row ranges [start, stop) sharing one highlight flag."""
    if count == 0:
        return []
    if highlight is None or not highlight.any():
        return [(0, count, False)]
    flags = np.asarray(highlight, dtype=bool)
    cuts = [0, *(np.flatnonzero(np.diff(flags.astype(np.int8))) + 1).tolist(), count]
    return [(a, b, bool(flags[a])) for a, b in itertools.pairwise(cuts)]


def _value_width(kind: Kind, sample: Sequence[Any]) -> int:
    if kind in ("text", "wrap"):
        return max((display_width(v) for v in sample), default=0)
    if kind == "rate":
        return 8  # 99.96%
    finite = [abs(v) for v in sample if v is not None]
    if not finite:
        return 0
    digits = len(str(math.floor(max(finite))))
    return digits + (3 if kind == "number" else 0)


class Sheet:
    """A worksheet being written top to bottom."""

    def __init__(self, workbook: Any, formats: Formats, name: str) -> None:
        self.ws: Any = workbook.add_worksheet(name)
        self.formats = formats
        self.row = 0
        self._widths: dict[int, int] = {}
        self._main: Table | None = None

    def _fit(self, col: int, width: int) -> None:
        self._widths[col] = max(self._widths.get(col, 0), width)

    def table(
        self,
        columns: Sequence[Column],
        *,
        highlight: Mask | None = None,
        main: bool = True,
        empty: str = "无",
        frozen_columns: int = 0,
    ) -> Table:
        """Write a header row and the columns below it; `highlight` marks winners' rows.

        An empty table gets one row holding `empty` in its first column. A main table also
        keeps its first `frozen_columns` in view when scrolling sideways.
        """
        ws, fmt, top = self.ws, self.formats, self.row
        main = main and self._main is None
        count = len(columns[0].values) if columns else 0
        runs = _runs(count, highlight)
        for col, column in enumerate(columns):
            ws.write_string(top, col, column.header, fmt.header)
            header = display_width(column.header) + (FILTER_ARROW if main else 0)
            cap = MAX_WRAP_WIDTH if column.kind == "wrap" else MAX_WIDTH
            if column.kind in ("text", "wrap"):
                data: list[Any] = texts(column.values)
                self._write_texts(col, data, column.kind, runs)
            else:
                data = numbers(column.values)
                for start, stop, lit in runs:
                    cell = fmt.cell(column.kind, lit)
                    ws.write_column(top + 1 + start, col, data[start:stop], cell)
            sample = data[:SAMPLE]
            self._fit(col, min(cap, max(header, _value_width(column.kind, sample)) + 2))
        if count == 0 and columns:
            ws.write_string(top + 1, 0, empty, fmt.cell("text"))
            for col in range(1, len(columns)):
                ws.write_blank(top + 1, col, None, fmt.cell("text"))
        last = top + max(count, 1)
        table = Table(header=top, first=top + 1, last=last, width=len(columns))
        if main:
            self._main = table
            ws.freeze_panes(top + 1, frozen_columns)
            ws.autofilter(top, 0, last, max(len(columns) - 1, 0))
        self.row = last + 1
        return table

    def _write_texts(
        self, col: int, data: list[str], kind: Kind, runs: list[tuple[int, int, bool]]
    ) -> None:
        ws, first = self.ws, self.row + 1
        write_string, write_blank = ws.write_string, ws.write_blank
        for start, stop, lit in runs:
            cell = self.formats.cell(kind, lit)
            for i in range(start, stop):
                value = data[i]
                if value:
                    write_string(first + i, col, value, cell)
                else:
                    write_blank(first + i, col, None, cell)

    def heading(self, text: str) -> None:
        self.ws.write_string(self.row, 0, text, self.formats.heading)
        self.row += 1

    def lines(self, items: Iterable[str]) -> None:
        """Plain lines of text in the first column (notes); they may run past its width."""
        for text in items:
            self.ws.write_string(self.row, 0, text, self.formats.note)
            self.row += 1

    def pairs(self, items: Sequence[tuple[str, str | int]]) -> None:
        """Key/value rows: a bold key, then a text or a whole number."""
        for key, value in items:
            self.ws.write_string(self.row, 0, key, self.formats.key)
            self._fit(0, display_width(key) + 2)
            if isinstance(value, int):
                self.ws.write_number(self.row, 1, value, self.formats.cell("count"))
                self._fit(1, len(str(value)) + 2)
            else:
                self.ws.write_string(self.row, 1, value, self.formats.cell("text"))
                self._fit(1, min(MAX_WIDTH, display_width(value) + 2))
            self.row += 1

    def skip(self, rows: int = 1) -> None:
        self.row += rows

    def finish(self) -> None:
        """Column widths and print setup: A4 landscape, one page wide, titles repeated."""
        ws = self.ws
        for col, width in self._widths.items():
            ws.set_column(col, col, max(MIN_WIDTH, width))
        ws.set_landscape()
        ws.set_paper(A4)
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        ws.set_footer(FOOTER)
        if self._main is not None:
            ws.repeat_rows(self._main.header)
