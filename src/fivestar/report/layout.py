"""Sheet layout: tables written a column at a time, widths that fit Chinese text, print setup.

`Sheet` is the reusable piece: a worksheet plus a cursor. Given a `title`, row 1 holds it,
merged across the table. Write tables, headings, note lines and key/value rows one below the
other, then `finish()` sets column widths, the height of rows with wrapped text, and printing.
The first table written with `main=True` gets the frozen header, the filter and the header
row repeated on every printed page.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from fivestar.report.measure import (
    clean_text,
    display_width,
    line_counts,
    numbers,
    texts,
    value_width,
)
from fivestar.report.stream import Block, StreamedWorksheet
from fivestar.report.workbook import TITLE_SIZE, WRAPPED, Formats, Kind

__all__ = [
    "MAX_WIDTH",
    "MIN_WIDTH",
    "Column",
    "Sheet",
    "Table",
    "display_width",
    "line_counts",
    "numbers",
    "sheet_name",
    "texts",
]

MIN_WIDTH = 6
MAX_WIDTH = 50
MAX_WRAP_WIDTH = 40  # wrapped text columns: the text folds instead of the page shrinking
SAMPLE = 300  # values looked at per column to size it
FILTER_ARROW = 2  # room for the filter button in a header cell
FOOTER = "&C第 &P 页，共 &N 页"
A4 = 9
DEFAULT_WIDTH = 8.43  # a column nobody sized
LINE_HEIGHT = 14.0  # points per line of 10-point text, Chinese fonts included
TITLE_HEIGHT = 30.0
WIDE_TITLE = 170  # a title merged across a wider table is left-aligned, so it stays in view
_BAD_NAME = str.maketrans(dict.fromkeys("[]:*?/\\", "_"))

Mask = npt.NDArray[np.bool_]
Wrapped = tuple[int, npt.NDArray[np.intp], list[str]]


@dataclass(frozen=True)
class Column:
    """One table column: header, values (Series, array or sequence) and how they are shown.

    `cap` narrows a wrapped column below the default maximum width.
    """

    header: str
    values: Any
    kind: Kind = "text"
    cap: int | None = None


@dataclass(frozen=True)
class Table:
    """Where a table landed: its header row and its data rows (0-based, `last` inclusive)."""

    header: int
    first: int
    last: int
    width: int


def sheet_name(label: str, taken: set[str]) -> str:
    """A valid, unique worksheet name from a label (31 characters, no []:*?/\\)."""
    base = clean_text(label).translate(_BAD_NAME).strip("'").strip() or "Sheet"
    name, n = base[:31], 2
    while name.casefold() in taken:
        suffix = f"({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.casefold())
    return name


def _runs(count: int, highlight: Mask | None) -> list[tuple[int, int, bool]]:
    """Consecutive row ranges [start, stop) sharing one highlight flag."""
    if count == 0:
        return []
    if highlight is None or not highlight.any():
        return [(0, count, False)]
    flags = np.asarray(highlight, dtype=bool)
    cuts = [0, *(np.flatnonzero(np.diff(flags.astype(np.int8))) + 1).tolist(), count]
    return [(a, b, bool(flags[a])) for a, b in itertools.pairwise(cuts)]


class Sheet:
    """A worksheet being written top to bottom."""

    def __init__(
        self, workbook: Any, formats: Formats, name: str, *, title: str | None = None
    ) -> None:
        self.workbook: Any = workbook
        self.ws: Any = workbook.add_worksheet(name, worksheet_class=StreamedWorksheet)
        self.formats = formats
        self.title = clean_text(title) if title else title
        self.row = 1 if title else 0
        self._widths: dict[int, int] = {}
        self._main: Table | None = None
        # per table: its first data row, its block (None: cells held by XlsxWriter) and
        # its wrapped columns (column, codes into distinct texts, the distinct texts), whose
        # lines set the rows' heights: kept as codes, not one string per cell, until `finish`
        self._wrapped: list[tuple[int, Block | None, list[Wrapped]]] = []
        self._print_columns: int | None = None
        self._paragraphs: list[tuple[int, str]] = []

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
        stream: bool = True,
    ) -> Table:
        """Write a header row and the columns below it; `highlight` marks winners' rows.

        An empty table gets one row holding `empty` in its first column. A main table also
        keeps its first `frozen_columns` in view when scrolling sideways. The data cells are
        streamed into the sheet at close (`StreamedWorksheet`); `stream=False` keeps them
        in XlsxWriter's cell table, which a chart reading them needs for its cached figures.
        """
        ws, fmt, top = self.ws, self.formats, self.row
        main = main and self._main is None
        count = len(columns[0].values) if columns else 0
        block: list[tuple[list[Any], bool, tuple[Any, Any]]] = []
        wrapped: list[Wrapped] = []
        for col, column in enumerate(columns):
            ws.write_string(top, col, clean_text(column.header), fmt.header)
            header = display_width(column.header) + (FILTER_ARROW if main else 0)
            cap = MAX_WRAP_WIDTH if column.kind in WRAPPED else MAX_WIDTH
            cap = min(cap, column.cap or cap)
            text = column.kind in ("text", *WRAPPED)
            data: list[Any] = texts(column.values) if text else numbers(column.values)
            if column.kind in WRAPPED:
                codes, distinct = pd.factorize(np.asarray(data, dtype=object))
                wrapped.append((col, codes, distinct.tolist()))
            block.append((data, text, (fmt.cell(column.kind), fmt.cell(column.kind, True))))
            sample = data[:SAMPLE]
            self._fit(col, min(cap, max(header, value_width(column.kind, sample)) + 2))
        written: Block | None = None
        if count and stream:
            written = ws.add_block(top + 1, 0, block, highlight)
        elif count:
            self._write_cells(top + 1, block, highlight)
        if wrapped:
            self._wrapped.append((top + 1, written, wrapped))
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

    def _write_cells(
        self,
        first: int,
        block: list[tuple[list[Any], bool, tuple[Any, Any]]],
        highlight: Mask | None,
    ) -> None:
        """A small table's cells written one by one into XlsxWriter's cell table."""
        runs = _runs(len(block[0][0]), highlight)
        for col, (data, text, formats) in enumerate(block):
            for start, stop, lit in runs:
                cell = formats[lit]
                if not text:
                    self.ws.write_column(first + start, col, data[start:stop], cell)
                    continue
                for i in range(start, stop):
                    if data[i]:
                        self.ws.write_string(first + i, col, data[i], cell)
                    else:
                        self.ws.write_blank(first + i, col, None, cell)

    def heading(self, text: str) -> None:
        self.ws.write_string(self.row, 0, clean_text(text), self.formats.heading)
        self.row += 1

    def lines(self, items: Iterable[str]) -> None:
        """Plain lines of text in the first column (notes); they may run past its width."""
        for text in items:
            self.ws.write_string(self.row, 0, clean_text(text), self.formats.note)
            self.row += 1

    def paragraphs(self, items: Iterable[str]) -> None:
        """Lines of text merged across the table and wrapped in it (written by `finish`)."""
        for text in items:
            self._paragraphs.append((self.row, clean_text(text)))
            self.row += 1

    def pairs(self, items: Sequence[tuple[str, str | int]]) -> None:
        """Key/value rows: a bold key, then a text or a whole number."""
        for key, value in items:
            self.ws.write_string(self.row, 0, clean_text(key), self.formats.key)
            self._fit(0, display_width(key) + 2)
            if isinstance(value, int):
                self.ws.write_number(self.row, 1, value, self.formats.cell("count"))
                self._fit(1, len(str(value)) + 2)
            else:
                text = clean_text(value)
                width = display_width(text) + 3  # + the indent's padding
                if width <= MAX_WIDTH:
                    self.ws.write_string(self.row, 1, text, self.formats.cell("text"))
                else:  # wrapped, as tall as it needs at the widest: never runs past its cell
                    self.ws.write_string(self.row, 1, text, self.formats.cell("wrap"))
                    lines = int(line_counts([text], MAX_WIDTH - 1)[0])
                    self.ws.set_row(self.row, LINE_HEIGHT * lines + 2)
                self._fit(1, min(MAX_WIDTH, width))
            self.row += 1

    def skip(self, rows: int = 1) -> None:
        self.row += rows

    def print_columns(self, count: int) -> None:
        """Print the first `count` columns, and the title spans them (the others: screen only)."""
        self._print_columns = count

    def column_pixels(self, col: int) -> int:
        """A column's width on screen in pixels, as it stands now (Excel's default font)."""
        width = max(MIN_WIDTH, self._widths[col]) if col in self._widths else DEFAULT_WIDTH
        return int(width * 7 + 0.5) + 5

    def finish(self, *, pages_tall: int = 0) -> None:
        """Widths, row heights and print setup: A4 landscape, one page wide, header repeated.

        `pages_tall=1` also fits the sheet on one page in height.
        """
        ws = self.ws
        widths = {col: max(MIN_WIDTH, width) for col, width in self._widths.items()}
        count = self._span(widths)
        if self.title:
            self._write_title(widths, count)
        self._write_paragraphs(widths, count)
        for col, width in sorted(widths.items()):
            ws.set_column(col, col, width)
        self._set_row_heights(widths)
        ws.set_landscape()
        ws.set_paper(A4)
        ws.fit_to_pages(1, pages_tall)
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        ws.set_footer(FOOTER)
        if self._main is not None:
            ws.repeat_rows(self._main.header)
        if self._print_columns is not None:
            ws.print_area(0, 0, max(self.row - 1, 0), self._print_columns - 1)

    def _span(self, widths: dict[int, int]) -> int:
        """Columns the title and paragraphs span: the printed ones, else the main table's."""
        if self._print_columns is not None:
            count = self._print_columns
        elif self._main is not None:
            count = self._main.width
        else:
            count = max(widths, default=0) + 1
        return max(count, 1)

    def _write_paragraphs(self, widths: dict[int, int], count: int) -> None:
        if not self._paragraphs:
            return
        total = sum(widths.get(col, math.ceil(DEFAULT_WIDTH)) for col in range(count))
        lines = line_counts([text for _, text in self._paragraphs], total)
        for (row, text), height in zip(self._paragraphs, lines.tolist(), strict=True):
            if count > 1:
                self.ws.merge_range(row, 0, row, count - 1, text, self.formats.paragraph)
            else:
                self.ws.write_string(row, 0, text, self.formats.paragraph)
            if height > 1:
                self.ws.set_row(row, LINE_HEIGHT * height + 2)

    def _write_title(self, widths: dict[int, int], count: int) -> None:
        """The title in row 1, merged across `count` columns; they widen evenly if they must."""
        title = self.title or ""
        for col in range(count):
            widths.setdefault(col, math.ceil(DEFAULT_WIDTH))
        needed = math.ceil(display_width(title) * TITLE_SIZE / 10) + 4
        total = sum(widths[col] for col in range(count))
        if total < needed:  # spread over every column: one alone (合计) would look stretched
            extra = needed - total
            for col in range(count):
                widths[col] += extra // count + (1 if col < extra % count else 0)
            total = needed
        fmt = self.formats.title if total <= WIDE_TITLE else self.formats.title_left
        if count > 1:
            self.ws.merge_range(0, 0, 0, count - 1, title, fmt)
        else:
            self.ws.write_string(0, 0, title, fmt)
        self.ws.set_row(0, TITLE_HEIGHT)

    def _set_row_heights(self, widths: dict[int, int]) -> None:
        """Rows whose wrapped text takes several lines get the height it needs.

        Spreadsheets do not grow such rows when they open a file; LibreOffice prints them
        overlapping. Only rows taller than one line are touched.
        """
        for first, block, wrapped in self._wrapped:
            lines = np.max(
                [
                    line_counts(texts, widths.get(col, MIN_WIDTH))[codes]
                    for col, codes, texts in wrapped
                ],
                axis=0,
            )
            heights = np.where(lines > 1, LINE_HEIGHT * lines + 2, 0.0)
            if block is not None:
                block.heights = heights
                continue
            for i in np.flatnonzero(lines > 1).tolist():
                self.ws.set_row(first + i, float(heights[i]))
