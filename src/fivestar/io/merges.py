"""Merged cells over officer rows, and how a column or range is named to the clerk.

A 派出所 cell merged down over its officers applies to each of them (the reader fills it
down). A figure or rate cell merged over two or more officers is not a figure of each: it
would be read as the first officer's value and blanks (0 visits) for the others. Such a
merge rejects every officer row it covers, naming the range; a figure cell covered by a
merge that starts elsewhere (a merge across columns, or from a row above) has no value of
its own and rejects its row too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from fivestar.io.header import Header
from fivestar.io.sheets import Grid, Span
from fivestar.io.values import cell_text
from fivestar.issues import Message, message


def column_letters(col: int) -> str:
    """A 0-based column as Excel names it: 0 → A, 26 → AA."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_range(span: Span) -> str:
    """A merged range as Excel writes it: H2:H3."""
    (r0, c0), (r1, c1) = span
    return f"{column_letters(c0)}{r0 + 1}:{column_letters(c1)}{r1 + 1}"


def column_label(grid: Grid, header: Header, col: int) -> str:
    """A column not mapped to any key: its header text as written, else its letters."""
    if header.data_start >= 1:
        row = grid.rows[header.data_start - 1]
        text = " ".join(cell_text(row[col]).split()) if col < len(row) else ""
        if text:
            return text
    return column_letters(col)


@dataclass(frozen=True)
class MergedFigure:
    rows: npt.NDArray[np.bool_]  # the data rows (below the header) rejected by one merge
    column: int  # the figure column named in the issue
    reason: Message


def merged_figures(
    merged: Iterable[Span], figure_columns: Iterable[int], data: npt.NDArray[np.bool_], start: int
) -> list[MergedFigure]:
    """What each merge over figure columns rejects; `data` marks the officer rows of the
    grid rows from `start` on (blank, totals and note rows are not officers)."""
    figures = sorted(set(figure_columns))
    n = len(data)
    found: list[MergedFigure] = []
    for span in merged:
        (r0, c0), (r1, c1) = span
        covered = [c for c in figures if c0 <= c <= c1]
        lo, hi = max(r0, start), min(r1, start + n - 1)
        if not covered or lo > hi or (r0 == r1 and c0 == c1):
            continue
        rows = np.zeros(n, dtype=bool)
        rows[lo - start : hi - start + 1] = True
        rows &= data
        officers = int(rows.sum())
        if officers >= 2:
            reason = message("merged-figure", range=cell_range(span), count=officers)
            found.append(MergedFigure(rows, covered[0], reason))
            continue
        if officers == 0:
            continue
        # one officer row: its cells that are not the merge's own top-left cell are blanks
        at = int(np.flatnonzero(rows)[0]) + start
        blanks = [c for c in covered if (at, c) != (r0, c0)]
        if blanks:
            cover = message("merged-cover", range=cell_range(span))
            found.append(MergedFigure(rows, blanks[0], cover))
    return found
