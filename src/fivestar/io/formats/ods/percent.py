"""The cells an .ods types as percent, placed where python-calamine puts them.

An ODS cell holding 100% is `<table:table-cell office:value-type="percentage"
office:value="1">`: calamine reads the bare fraction 1.0, so a rate column mixing it with a
typed 100 would judge it as 1 % (DESIGN.md §1: a cell with % is percent). This module finds those
cells, per table, in the coordinates of calamine's grid: `to_python(skip_empty_area=False)`
starts at row 0, column 0 whatever the first rows and columns hold, rows counted with their
`table:number-rows-repeated`, cells with their `table:number-columns-repeated`, a
`table:covered-table-cell` (under a merge) taking a column like any cell, and rows inside
`table:table-header-rows`, `table:table-rows` and `table:table-row-group` wrappers counted in
document order, as calamine reads them.

content.xml is streamed in chunks (`fivestar.io.formats.xml_stream`), never parsed into a
tree, and only when it names a percentage at all. The package scan has already bounded it
before this runs. Best effort, like `fivestar.io.formats.xlsx.number_formats`: anything
unusual yields no percent cells (the rates are then read by their column's units), and past
MAX_CELLS such cells the rest are left as numbers.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Iterator

import numpy as np
import numpy.typing as npt

from fivestar.io.formats.xml_stream import stream, whole_rows
from fivestar.io.limits import MAX_SHOWN_CELLS as MAX_CELLS
from fivestar.io.limits import MAX_UNCUT_XML
from fivestar.io.sheets import PercentColumns

_CONTENT = "content.xml"
_MAX_CARRY = MAX_UNCUT_XML  # one row longer than this is not a row a clerk typed: give up
# calamine matches these qualified names literally (quick-xml QName), and so does this scan.
# An attribute value may hold ">" (and "/") but never "<".
_ATTRS = rb"""((?:[^>"'/]+|/(?!>)|"[^"]*"|'[^']*')*+)(/?)>"""
_EVENT = re.compile(rb"<(/?)table:(table|table-row)(?=[\s/>])" + _ATTRS)
_CELL = re.compile(rb"<table:(?:covered-)?table-cell(?=[\s/>])" + _ATTRS)
_CELL_STARTS = (b"<table:table-cell", b"<table:covered-table-cell")
_SUB_TABLE = re.compile(rb"<table:table[\s/>]")
_ROW_END = b"</table:table-row>"
_NAME = re.compile(rb"""\stable:name\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ROWS_REPEATED = re.compile(rb"""\stable:number-rows-repeated\s*=\s*["']([^"']*)["']""")
_COLS_REPEATED = re.compile(rb"""\stable:number-columns-repeated\s*=\s*["']([^"']*)["']""")
_PERCENTAGE = re.compile(rb"""\soffice:value-type\s*=\s*["']percentage["']""")
_VALUE = re.compile(rb"""\soffice:value\s*=""")


class _Malformed(Exception):
    """content.xml is laid out in a way this scan does not follow: give up."""


def _repeat(pattern: re.Pattern[bytes], attrs: bytes) -> int:
    if b"-repeated" not in attrs:
        return 1
    found = pattern.search(attrs)
    if found is None:
        return 1
    text = found.group(1).strip()
    if not text.isdigit() or int(text) < 1:
        raise _Malformed  # calamine refuses it too
    return int(text)


def _cells(body: bytes, word: bytes) -> dict[int, bytes]:
    """Start → attributes of the cell tags of `body` whose attributes hold `word`."""
    found: dict[int, bytes] = {}
    at = body.find(word)
    while at >= 0:
        start = body.rfind(b"<", 0, at)
        cell = _CELL.match(body, start) if start >= 0 else None
        if cell is not None and cell.end() > at:
            found[start] = cell.group(1)
        at = body.find(word, at + len(word))
    return found


def placed_cells(body: bytes, word: bytes) -> Iterator[tuple[int, bytes, int]]:
    """(column, attributes, repeat) of the cells of a row's `body` whose attributes hold
    `word`, in order.

    A cell's column: the cells before it, each counted with its repeat. Both are found by
    substring search (a value never holds "<", so the "<" before a match opens its tag): a
    row of LibreOffice has a few repeated cells, and many plain ones.
    """
    repeats = {
        at: _repeat(_COLS_REPEATED, attrs) for at, attrs in _cells(body, b"-repeated").items()
    }
    col, counted = 0, 0
    for at, attrs in _cells(body, word).items():
        col += sum(body.count(start, counted, at) for start in _CELL_STARTS)
        col += sum(n - 1 for pos, n in repeats.items() if counted <= pos < at)
        counted = at
        yield col, attrs, repeats.get(at, 1)


class _Scan:
    """Follows tables and rows through content.xml; reads the cells of rows that name a
    percentage (most rows do not, and are only counted)."""

    def __init__(self) -> None:
        self.room = MAX_CELLS
        # table → percent blocks (first row, rows, first column, columns)
        self.blocks: dict[str, list[tuple[int, int, int, int]]] = {}
        self.dropped: set[str] = set()  # tables whose layout this scan cannot follow
        self.table: str | None = None  # the named table being read
        self.row = 0  # index of the next row in its table
        self.last: dict[tuple[str, int, int], int] = {}  # a column's last block in `blocks`

    def feed(self, block: bytes) -> None:
        """Read `block`, which holds whole rows only."""
        pos = 0
        while self.room > 0 and (match := _EVENT.search(block, pos)):
            closing, name, attrs, empty = match.groups()
            pos = match.end()
            if name == b"table":
                self._table(attrs, closing or empty)
                continue
            if closing or self.table is None:
                continue
            rows = _repeat(_ROWS_REPEATED, attrs)
            if not empty:
                close = block.find(_ROW_END, pos)
                if close < 0:
                    raise _Malformed  # `whole_rows` cuts before an unfinished row
                self._row(block[pos:close], rows)
                pos = close + len(_ROW_END)
            self.row += rows

    def _table(self, attrs: bytes, ends: bytes) -> None:
        self.table = None
        found = None if ends else _NAME.search(attrs)
        if found is None:  # calamine skips a table without a name
            return
        raw = found.group(1) if found.group(1) is not None else found.group(2)
        name = html.unescape(raw.decode("utf-8"))
        if name in self.blocks:  # two tables of one name: which one calamine keeps is unclear
            self.dropped.add(name)
        self.blocks.setdefault(name, [])
        self.table, self.row = name, 0

    def _row(self, body: bytes, rows: int) -> None:
        if self.table is None or b"percentage" not in body:
            return
        if _SUB_TABLE.search(body):  # a table inside a cell: calamine loses its place
            self.dropped.add(self.table)
            return
        for col, attrs, cols in placed_cells(body, b"percentage"):
            if _PERCENTAGE.search(attrs) and _VALUE.search(attrs):
                self._add(self.table, rows, col, cols)

    def _add(self, table: str, rows: int, col: int, cols: int) -> None:
        if rows * cols > self.room:  # keep what fits, whole rows first
            if cols <= self.room:
                rows = self.room // cols
            else:
                rows, cols = 1, self.room
        self.room -= rows * cols
        blocks = self.blocks[table]
        last = self.last.get((table, col, cols))
        if last is not None and sum(blocks[last][:2]) == self.row:  # the column runs on
            row, before, _, _ = blocks[last]
            blocks[last] = (row, before + rows, col, cols)
            return
        self.last[(table, col, cols)] = len(blocks)
        blocks.append((self.row, rows, col, cols))

    def result(self) -> dict[str, PercentColumns]:
        found: dict[str, PercentColumns] = {}
        for table, blocks in self.blocks.items():
            if table in self.dropped or not blocks:
                continue
            columns: dict[int, list[npt.NDArray[np.int64]]] = {}
            for row, rows, col, cols in blocks:
                run = np.arange(row, row + rows, dtype=np.int64)
                for c in range(col, col + cols):
                    columns.setdefault(c, []).append(run)
            found[table] = {c: np.sort(np.concatenate(runs)) for c, runs in columns.items()}
        return found


def _mentions_percentage(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    return any(b"percentage" in block for block in stream(archive, info))


def ods_percent_cells(data: bytes) -> dict[str, PercentColumns]:
    """`typed_percent` of the package in `data`. Never raises."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return typed_percent(archive)
    except Exception:
        return {}


def typed_percent(archive: zipfile.ZipFile) -> dict[str, PercentColumns]:
    """Table name → column → rows (0-based, calamine's grid) of its cells typed percentage.

    Never raises: an archive or content.xml this scan cannot follow yields {}.
    """
    try:
        info = archive.getinfo(_CONTENT)
        if not _mentions_percentage(archive, info):
            return {}
        scan = _Scan()
        for block in whole_rows(archive, info, b"<table:table-row", _MAX_CARRY):
            scan.feed(block)
            if scan.room <= 0:
                break
        return scan.result()
    except Exception:  # best effort: the rates are then read by their column's units
        return {}
