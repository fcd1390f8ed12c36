"""CSV records, each one line of the file unless a quoted cell plainly holds a line break.

A clerk's stray `"` at the start of a cell opens a quoted field that the csv module runs on
to the next quote anywhere below, or to the end of the file: every row after it is folded
into that one cell. Such a record is cut back to its first line: that line is read alone
(its quotes taken literally) and marked as a slip that rejects the row, and reading goes on
at the next line. A quoted cell that holds a line break but no row's worth of cells is kept
as the csv module reads it; where the file's other rows are one line each, it is marked too
(a pair of stray quotes, or an Alt+Enter), and rejects its row when the cell is one that is
read. The file's other rows are evaluated as usual.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from fivestar.io.sheets import Slip
from fivestar.issues import message


class _Lines:
    """The file's lines for csv.reader, with the index of the next one: a record's first
    line is known, and reading can go back to the line after it."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.at = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        if self.at >= len(self.lines):
            raise StopIteration
        self.at += 1
        return self.lines[self.at - 1]


def csv_rows(text: str, delimiter: str) -> tuple[list[list[str]], dict[int, Slip]]:
    """The records of `text` and the slips among them (record index → Slip).

    Raises csv.Error as the csv module does (a NUL byte, say).
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = list(reader)
    if reader.line_num == len(rows):  # every record one line: the usual case
        return rows, {}
    return _careful(text, delimiter)


def _careful(text: str, delimiter: str) -> tuple[list[list[str]], dict[int, Slip]]:
    lines = io.StringIO(text, newline="").readlines()
    feed = _Lines(lines)
    reader = csv.reader(feed, delimiter=delimiter)
    rows: list[list[str]] = []
    slips: dict[int, Slip] = {}
    broken_cells: dict[int, int] = {}  # record → column of a cell holding a line break
    while True:
        start = feed.at
        try:
            record = next(reader)
        except StopIteration:
            break
        if feed.at - start > 1:
            column = next((i for i, c in enumerate(record) if "\n" in c or "\r" in c), 0)
            rest = (lines[i] for i in range(start, len(lines)))
            if _runs_on(record[column], rest, delimiter):
                cells = next(
                    csv.reader([lines[start]], delimiter=delimiter, quoting=csv.QUOTE_NONE)
                )
                swallowed = feed.at - start - 1
                slips[len(rows)] = Slip(column, message("stray-quote", swallowed=swallowed), True)
                rows.append(cells)
                feed.at = start + 1
                reader = csv.reader(feed, delimiter=delimiter)  # a fresh record state
                continue
            broken_cells[len(rows)] = column
        rows.append(record)
    if broken_cells and len(broken_cells) * 2 < len(rows):  # the file's rows are one line
        for index, column in broken_cells.items():
            slips[index] = Slip(column, message("line-break"), False)
    return rows, slips


def _runs_on(cell: str, rest: Iterator[str], delimiter: str) -> bool:
    """Whether a quoted cell spanning lines swallowed rows: the text after its first line
    break holds cells of its own, or its quote never closes before the end of the file."""
    first_break = min((i for i in (cell.find("\n"), cell.find("\r")) if i >= 0), default=0)
    if delimiter in cell[first_break:]:
        return True
    try:
        for _ in csv.reader(rest, delimiter=delimiter, strict=True):
            break  # the first record closed its quote
    except csv.Error:
        return True  # "unexpected end of data": the quote runs to the end of the file
    return False
