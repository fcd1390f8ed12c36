"""Table cells streamed into the sheet XML: XlsxWriter lays out the sheet, not the cells.

XlsxWriter keeps every cell as a Python object until `close()` and then writes each with
Python string work: at 20,000 officers that was half the run, at 200,000 the largest part of
its memory. A `StreamedWorksheet` takes a table's columns whole (`add_block`) and writes
their `<row>`/`<c>` elements itself, a chunk of rows at a time built with whole-array string
operations, where XlsxWriter writes the sheet data. Everything else — formats, merged
titles, frozen panes, filters, conditional formats, print setup, headers and notes — is
still XlsxWriter's, so the file is the one it would write: same cells, shared strings, cell
formats and row heights (see tests/report/test_stream.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

CHUNK = 8192  # rows turned into XML at once: bounds the strings held while writing
MAX_STRING = 32767  # Excel's cell limit; XlsxWriter cuts longer strings the same way

Objects = npt.NDArray[np.object_]


@dataclass
class BlockColumn:
    """One column of a block: text as codes into `bodies`, or numbers (NaN blank).

    A text cell's XML after its style is one of `bodies` (`" t="s"><v>12</v></c>`, or `"/>`
    for a blank), built once per distinct text: the rows only pick theirs.
    """

    values: npt.NDArray[Any]
    bodies: Objects | None
    formats: tuple[Any, Any]  # (plain, highlighted) XlsxWriter formats


@dataclass
class Block:
    """Rows first .. first + count - 1 of a table, written by the worksheet at close."""

    first: int
    column: int
    count: int
    columns: list[BlockColumn]
    highlight: npt.NDArray[np.bool_]
    heights: npt.NDArray[np.float64] = field(init=False)  # points; 0: default height

    def __post_init__(self) -> None:
        self.heights = np.zeros(self.count, dtype=np.float64)


class StreamedWorksheet(Worksheet):  # type: ignore[misc]
    """An XlsxWriter worksheet that also writes the blocks of table cells given to it."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[Block] = []

    def add_block(
        self,
        first: int,
        column: int,
        columns: Sequence[tuple[Sequence[Any], bool, tuple[Any, Any]]],
        highlight: npt.NDArray[np.bool_] | None,
    ) -> Block:
        """Columns (values, is_text, (format, highlighted format)) from (first, column) down.

        Text values are strings ("" is a blank cell with the format); other values are
        numbers (None or NaN: blank). Returns the block, whose `heights` may be set later.
        """
        count = len(columns[0][0]) if columns else 0
        lit = (
            np.zeros(count, dtype=bool) if highlight is None else np.asarray(highlight, dtype=bool)
        )
        block = Block(first, column, count, [], lit)
        for values, is_text, formats in columns:
            if is_text:
                codes, bodies = self._shared(values)
                block.columns.append(BlockColumn(codes, bodies, formats))
            else:
                block.columns.append(BlockColumn(_floats(values), None, formats))
        if count:
            self._check_dimensions(first, column)
            self._check_dimensions(first + count - 1, column + len(columns) - 1)
        self.blocks.append(block)
        return block

    def _shared(self, values: Sequence[Any]) -> tuple[npt.NDArray[np.intp], Objects]:
        """Each distinct text once into the workbook's shared strings: (codes, bodies)."""
        codes, uniques = pd.factorize(np.asarray(values, dtype=object))
        texts = [text[:MAX_STRING] for text in uniques.tolist()]
        table = self.str_table
        # the texts are distinct: "" (a blank cell, no shared string) is at most one of them,
        # the others are looked up by a C-level map rather than a Python loop
        blank = texts.index("") if "" in texts else -1
        strings = texts if blank < 0 else texts[:blank] + texts[blank + 1 :]
        index = np.fromiter(
            map(table._get_shared_string_index, strings), dtype=np.int64, count=len(strings)
        )
        if blank >= 0:
            index = np.insert(index, blank, -1)
        # the table counts every cell that refers to a string, as XlsxWriter's writes do
        used = np.bincount(codes, minlength=len(texts))[index >= 0].sum() if len(codes) else 0
        table.count += int(used) - int(np.count_nonzero(index >= 0))
        shown = '" t="s"><v>' + index.astype(str).astype(object) + "</v></c>"
        bodies: Objects = np.where(index < 0, '"/>', shown).astype(object)
        return codes, bodies

    # -- writing, called by XlsxWriter as it writes the sheet's XML --------------------------

    def _write_rows(self) -> None:
        if not self.blocks:
            super()._write_rows()
            return
        self._calculate_spans()
        own = sorted(
            {row for row, cells in self.table.items() if cells}
            | set(self.row_info)
            | set(self.comments)
        )
        blocks = sorted(self.blocks, key=lambda block: block.first)
        i = 0
        for block in blocks:
            while i < len(own) and own[i] < block.first:
                self._write_own_row(own[i])
                i += 1
            self._write_block(block)
            end = block.first + block.count
            while i < len(own) and own[i] < end:  # nothing else is written into a block
                i += 1
        for row in own[i:]:
            self._write_own_row(row)

    def _write_own_row(self, row_num: int) -> None:
        """One row XlsxWriter holds, as its own `_write_rows` writes it."""
        span = self.row_spans.get(row_num // 16)
        info = self.row_info.get(row_num)
        cells = self.table.get(row_num)
        if cells:
            self._write_row(row_num, span, info)
            for col_num in sorted(cells):
                self._write_cell(row_num, col_num, cells[col_num])
            self._xml_end_tag("row")
        else:
            self._write_empty_row(row_num, span, info)

    def _write_block(self, block: Block) -> None:
        """The block's rows, CHUNK at a time: each row's pieces laid side by side in an
        array and joined once; a cell is `<c r="` letter, row number, style, body."""
        if not block.count:
            return
        rows = np.arange(block.first + 1, block.first + block.count + 1).astype(str)
        rows = rows.astype(object)
        # a row's height as set_row(row, points) stores it: whole pixels, written in points
        pixels = np.floor(block.heights * 4.0 / 3.0 + 0.5)
        heights = np.char.mod('" ht="%.16g" customHeight="1">', pixels * 0.75).astype(object)
        row_tails: Objects = np.where(block.heights > 0, heights, '">').astype(object)
        columns = block.columns
        width = 3 + 4 * len(columns) + 1
        write = self.fh.write
        for start in range(0, block.count, CHUNK):
            stop = min(start + CHUNK, block.count)
            r = rows[start:stop]
            lit = block.highlight[start:stop]
            pieces = np.empty((stop - start, width), dtype=object)
            pieces[:, 0] = '<row r="'
            pieces[:, 1] = r
            pieces[:, 2] = row_tails[start:stop]
            for j, col in enumerate(columns):
                at = 3 + 4 * j
                pieces[:, at] = f'<c r="{xl_col_to_name(block.column + j)}'
                pieces[:, at + 1] = r
                plain, high = (f'" s="{fmt._get_xf_index()}' for fmt in col.formats)
                pieces[:, at + 2] = np.where(lit, high, plain).astype(object)
                pieces[:, at + 3] = _bodies(col, start, stop)
            pieces[:, -1] = "</row>"
            write("".join(pieces.ravel().tolist()))


def _bodies(col: BlockColumn, start: int, stop: int) -> Objects:
    """What follows each cell's style: its type and value, or `"/>` for a blank."""
    if col.bodies is not None:
        picked: Objects = col.bodies[col.values[start:stop]]
        return picked
    values = col.values[start:stop]
    blank = ~np.isfinite(values)
    numbers = np.char.mod('"><v>%.16G</v></c>', np.where(blank, 0.0, values)).astype(object)
    bodies: Objects = np.where(blank, '"/>', numbers).astype(object)
    return bodies


def _floats(values: Sequence[Any]) -> npt.NDArray[np.float64]:
    """Numbers as an array: None (numpy reads it as NaN) and non-finite values are blanks."""
    return np.asarray(values, dtype=np.float64)
