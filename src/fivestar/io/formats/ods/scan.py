"""How big each table of an ODS package really is, read from content.xml before calamine.

ODS compresses runs of identical rows and cells into one element with
`table:number-rows-repeated` / `table:number-columns-repeated`, so a few bytes can stand
for millions of cells. calamine expands the repeats up to the last cell that
holds a value (and loads every table when it opens the file), so each table's grid is
estimated the same way — rows up to the last valued row, columns up to the last valued cell
of any row, repeats included — from content.xml streamed once
(`fivestar.io.formats.xml_stream`). `measure_ods` is the package scan's measure of an ODS.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass

from fivestar.io.formats.package import PackageScan
from fivestar.io.formats.xml_stream import whole_rows
from fivestar.io.limits import Limits, too_many_cells

_ODS_ROW = re.compile(rb"<table:table-row\b([^>]*?)(/?)>")
_ODS_TABLE = re.compile(rb'<table:table\b[^>]*?\btable:name="([^"]*)"')
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell\b([^>]*?)(/?)>")
_ROWS_REPEATED = re.compile(rb'number-rows-repeated="(\d+)"')
_COLS_REPEATED = re.compile(rb'number-columns-repeated="(\d+)"')
_VALUED = re.compile(rb"office:value-type=")


@dataclass
class _OdsTable:
    rows: int = 0  # rows up to the last row holding a value
    cols: int = 0  # columns up to the last valued cell, over all rows
    pending: int = 0  # empty rows seen since the last valued row


def _ods_row_width(body: bytes) -> tuple[int, bool]:
    """Columns of one row up to its last valued cell (with repeats), and whether it has one."""
    width, last = 0, 0
    for attrs, _ in _ODS_CELL.findall(body):
        repeat = _COLS_REPEATED.search(attrs)
        width += int(repeat.group(1)) if repeat else 1
        if _VALUED.search(attrs):
            last = width
    return last, last > 0


def scan_ods(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> dict[str, int]:
    """Table name → dense grid estimate, from content.xml's rows and repeat counts."""
    tables: dict[str, _OdsTable] = {}
    current: _OdsTable | None = None
    for block in whole_rows(archive, info, b"<table:table-row"):
        pos = 0
        for match in _ODS_ROW.finditer(block):
            for table in _ODS_TABLE.finditer(block, pos, match.start()):
                current = tables.setdefault(table.group(1).decode("utf-8", "replace"), _OdsTable())
            if current is None:
                current = tables.setdefault("", _OdsTable())
            attrs, empty = match.group(1), match.group(2)
            close = match.end() if empty else block.find(b"</table:table-row>", match.end())
            body = b"" if empty or close < 0 else block[match.end() : close]
            repeat = _ROWS_REPEATED.search(attrs)
            count = int(repeat.group(1)) if repeat else 1
            width, valued = _ods_row_width(body)
            if valued:
                current.rows += current.pending + count
                current.pending = 0
                current.cols = max(current.cols, width)
            else:
                current.pending += count
            pos = close if close > 0 else match.end()
        for table in _ODS_TABLE.finditer(block, pos):
            current = tables.setdefault(table.group(1).decode("utf-8", "replace"), _OdsTable())
    return {name: t.rows * t.cols for name, t in tables.items()}


def measure_ods(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, scan: PackageScan, limits: Limits
) -> bool:
    """The package scan's measure of an .ods (`fivestar.io.formats.package.Measure`): the
    tables of content.xml."""
    if info.filename.lower() != "content.xml":
        return False
    for name, grid in scan_ods(archive, info).items():
        scan.cells[name] = grid
        if grid > limits.max_cells:
            scan.refused[name] = too_many_cells(grid, limits, "工作表")
    return True
