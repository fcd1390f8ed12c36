"""Merged cells of an .ods, which python-calamine does not report (it does for xlsx and xls).

An ODS merge is a cell with `table:number-rows-spanned` / `table:number-columns-spanned`,
the cells under it written as `table:covered-table-cell`. Without them a 派出所 merged down
was not filled down, and a figure merged over two officers read as the first one's value and
blanks (fivestar.io.merges). The cells are placed in calamine's grid as the percent scan
places them (fivestar.io.formats.ods.percent); a merge in a repeated row is taken for its first row
only. Best effort: content.xml laid out in a way the scan does not follow yields no merges.
"""

from __future__ import annotations

import re
import zipfile

from fivestar.io.formats.ods.percent import _MAX_CARRY, _SUB_TABLE, _Scan, placed_cells
from fivestar.io.formats.xml_stream import stream, whole_rows
from fivestar.io.limits import MAX_MERGES
from fivestar.io.sheets import Span

_ROWS = re.compile(rb"""\stable:number-rows-spanned\s*=\s*["']\s*(\d{1,7})\s*["']""")
_COLS = re.compile(rb"""\stable:number-columns-spanned\s*=\s*["']\s*(\d{1,7})\s*["']""")


def _spanned(pattern: re.Pattern[bytes], attrs: bytes) -> int:
    found = pattern.search(attrs)
    return max(1, int(found.group(1))) if found else 1


class _MergeScan(_Scan):
    def __init__(self) -> None:
        super().__init__()
        self.spans: dict[str, list[Span]] = {}

    def _row(self, body: bytes, rows: int) -> None:
        table = self.table
        if table is None or b"-spanned" not in body:
            return
        if _SUB_TABLE.search(body):
            self.dropped.add(table)
            return
        spans = self.spans.setdefault(table, [])
        for col, attrs, _ in placed_cells(body, b"-spanned"):
            down, across = _spanned(_ROWS, attrs), _spanned(_COLS, attrs)
            if (down > 1 or across > 1) and len(spans) < MAX_MERGES:
                spans.append(((self.row, col), (self.row + down - 1, col + across - 1)))

    def merges(self) -> dict[str, list[Span]]:
        return {t: s for t, s in self.spans.items() if s and t not in self.dropped}


def ods_merged_cells(archive: zipfile.ZipFile) -> dict[str, list[Span]]:
    """Table name → merged ranges ((first row, first column), (last row, last column)),
    0-based in calamine's grid. Never raises: anything unusual yields {}."""
    try:
        info = archive.getinfo("content.xml")
        if not any(b"-spanned" in block for block in stream(archive, info)):
            return {}
        scan = _MergeScan()
        for block in whole_rows(archive, info, b"<table:table-row", _MAX_CARRY):
            scan.feed(block)
        return scan.merges()
    except Exception:  # best effort, like the percent scan
        return {}
