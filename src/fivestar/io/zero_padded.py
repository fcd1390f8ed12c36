"""Numbers an .xlsx shows with leading zeros: 警号 037148112 typed into a number cell.

Excel drops a leading zero as it is typed, so offices keep such 警号 as numbers formatted
"000000000", which shows them whole. calamine gives the number alone (37148112), and the
警号 would no longer match the same officer's in other months or counties. This module
finds, per sheet, the cells whose number format is nothing but zeros, so the reader can
take them as the text the clerk sees.

It costs one small parse of styles.xml per workbook; the sheets are only searched when some
cell style has such a format. Best effort: a package laid out unusually yields nothing, and
past MAX_CELLS such cells (a file formatting every number so) the rest are left as numbers,
which keeps the memory this takes to a few tens of MB whatever the file.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from defusedxml import ElementTree

from fivestar.io.formulas import sheet_parts

_STYLES = "xl/styles.xml"
_MAX_STYLES_BYTES = 8 * 1024 * 1024  # parsed whole into a tree: capped like workbook.xml
_ZEROS = re.compile(r'"?(0{2,})"?')  # 000000000, or "000000000" quoted
# Built-in number formats are never zeros only: only custom ones (numFmtId ≥ 164) can be.
_CELL = re.compile(rb"<(?:[^\s<>/:=\"']+:)?c\b([^>]*)>")
_ATTR = re.compile(rb"""\b(r|s|t)\s*=\s*["']([^"']*)["']""")

MAX_CELLS = 500_000
Cells = dict[tuple[int, int], int]  # 0-based (row, column) → digits shown


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _zero_styles(styles: bytes) -> dict[int, int]:
    """Cell style index (the s="N" of a cell) → digits, for formats of zeros only."""
    root = ElementTree.fromstring(styles)
    widths: dict[str, int] = {}
    cell_styles: list[str] = []
    for element in root:
        if _local(element.tag) == "numFmts":
            for fmt in element:
                match = _ZEROS.fullmatch(fmt.get("formatCode", ""))
                if match:
                    widths[fmt.get("numFmtId", "")] = len(match.group(1))
        elif _local(element.tag) == "cellXfs":
            cell_styles = [xf.get("numFmtId", "0") for xf in element]
    return {i: widths[fmt] for i, fmt in enumerate(cell_styles) if fmt in widths}


def _column_index(letters: bytes) -> int:
    index = 0
    for char in letters.upper():
        index = index * 26 + (char - 64)
    return index - 1


def _cells(xml: bytes, styles: dict[int, int], room: int) -> Cells:
    """Number cells of `xml` styled with one of `styles` (index → digits), at most `room`."""
    found: Cells = {}
    wanted = {str(index).encode() for index in styles}
    for match in _CELL.finditer(xml):
        if len(found) >= room:
            break
        attrs = dict(_ATTR.findall(match.group(1)))
        style, ref = attrs.get(b"s"), attrs.get(b"r")
        if style not in wanted or ref is None or attrs.get(b"t", b"n") != b"n":
            continue
        place = re.fullmatch(rb"([A-Za-z]+)(\d+)", ref)
        if place:
            row, col = int(place.group(2)) - 1, _column_index(place.group(1))
            found[(row, col)] = styles[int(style)]
    return found


def zero_padded_cells(data: bytes) -> dict[str, Cells]:
    """Per sheet name, the number cells shown with leading zeros, and their digits."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo(_STYLES)
            if info.file_size > _MAX_STYLES_BYTES:
                return {}
            styles = _zero_styles(archive.read(info))
            if not styles:
                return {}
            found: dict[str, Cells] = {}
            room = MAX_CELLS
            for name, part in sheet_parts(archive).items():
                found[name] = _cells(archive.read(part), styles, room)
                room -= len(found[name])
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, ValueError, OSError):
        return {}
    return {name: cells for name, cells in found.items() if cells}


def as_shown(rows: list[Any], cells: Cells) -> None:
    """Put each whole non-negative number of `cells` as the zero-padded text it shows."""
    for (row, col), digits in cells.items():
        if row >= len(rows) or col >= len(rows[row]):
            continue
        value = rows[row][col]
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if value >= 0 and float(value).is_integer():
            if not isinstance(rows[row], list):
                rows[row] = list(rows[row])
            rows[row][col] = str(int(value)).zfill(digits)
