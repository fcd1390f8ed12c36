"""Numbers an .xlsx shows differently from the value it stores, taken as the clerk sees them.

calamine gives a cell's value without its number format, and two formats change what the
value means to a clerk:

- leading zeros: 警号 037148112 typed into a number cell. Excel drops a leading zero as it
  is typed, so offices keep such 警号 as numbers formatted "000000000", which shows them
  whole; read as the number 37148112 the 警号 would not match the same officer's in other
  months or counties.
- percent: a rate formatted "0%" stores 1 and shows 100%. Read as the number 1 it would be
  judged by the column's units (DESIGN.md §1: a column with any plain number > 1 is in percent),
  so one typed 100 beside it would make it 1 %; DESIGN.md §1 says a cell with % is percent.

This module finds, per sheet, the number cells with such a format, so the reader can take
them as the clerk sees them: "037148112" in any column, "100%" in a rate column. It costs
one small parse of styles.xml per workbook; the sheets are only searched when some cell
style has such a format, and then by one regular expression that stops only at cells of
those styles. Best effort: a package laid out unusually yields nothing, and past MAX_CELLS
such cells (a file formatting every number so) the rest are left as numbers, which keeps the
memory this takes to a few tens of MB whatever the file (percent cells left as numbers are
fractions of a percent-formatted column: their column reads them as fractions, the same
figures).
"""

from __future__ import annotations

import io
import re
import zipfile

from defusedxml import ElementTree

from fivestar.io.formats.xlsx.formulas import sheet_parts
from fivestar.io.limits import MAX_PARSED_WHOLE
from fivestar.io.limits import MAX_SHOWN_CELLS as MAX_CELLS
from fivestar.io.sheets import PERCENT, Cells, Shown

_STYLES = "xl/styles.xml"
_ZEROS = re.compile(r'"?(0{2,})"?')  # 000000000, or "000000000" quoted
# Built-in number formats (numFmtId < 164) in percent: 0% and 0.00%. Built-in formats are
# never zeros only: only custom ones can be.
_BUILTIN_PERCENT = frozenset({"9", "10"})
# What a format code shows literally, and so never scales by 100: "quoted text", \escaped
# characters, [colours and conditions], _ (a space as wide as the next character) and
# * (fill with the next character).
_LITERAL = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|[_*].')
_ATTR = re.compile(rb"""\b(r|s|t)\s*=\s*["']([^"']*)["']""")
# A package laid out unusually: no formats found, never an error.
_UNUSUAL = (KeyError, zipfile.BadZipFile, ElementTree.ParseError, ValueError, OSError)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _shown(code: str) -> Shown | None:
    """How a custom format code shows a number, when it is one this module handles."""
    zeros = _ZEROS.fullmatch(code)
    if zeros:
        return len(zeros.group(1))
    return PERCENT if "%" in _LITERAL.sub("", code) else None


def _styles(styles: bytes) -> dict[int, Shown]:
    """Cell style index (the s="N" of a cell) → how it shows numbers, for the formats here."""
    root = ElementTree.fromstring(styles)
    formats: dict[str, Shown] = dict.fromkeys(_BUILTIN_PERCENT, PERCENT)
    cell_styles: list[str] = []
    for element in root:
        if _local(element.tag) == "numFmts":
            for fmt in element:
                shown = _shown(fmt.get("formatCode", ""))
                number = fmt.get("numFmtId", "")
                if shown is not None:
                    formats[number] = shown
                else:  # a custom format may redefine a built-in id
                    formats.pop(number, None)
        elif _local(element.tag) == "cellXfs":
            cell_styles = [xf.get("numFmtId", "0") for xf in element]
    return {i: formats[fmt] for i, fmt in enumerate(cell_styles) if fmt in formats}


def _column_index(letters: bytes) -> int:
    index = 0
    for char in letters.upper():
        index = index * 26 + (char - 64)
    return index - 1


class _CellScan:
    """Finds the number cells of some styles in sheet XML.

    Excel, WPS and the usual libraries write a cell's start tag as `<c r="B5" s="3" t="n">`:
    one regular expression with a literal prefix finds those at memory speed. It is used
    when it finds every `s="3"` of the sheet; otherwise (another attribute order, quoting,
    a namespace prefix, row styles) each start tag is read attribute by attribute.
    """

    def __init__(self, styles: dict[int, Shown]) -> None:
        self.styles = styles
        wanted = b"|".join(str(index).encode() for index in sorted(styles))
        self._common = re.compile(
            rb'<c r="([A-Z]{1,3})([0-9]+)" s="(' + wanted + rb')"(?: t="([a-z]*)")?\s*/?>'
        )
        self._style = re.compile(rb"\ss\s*=\s*[\"'](?:" + wanted + rb")[\"']")
        self._any = re.compile(
            rb"<(?:[^\s<>/:=\"']+:)?c((?=\s)[^>]*?\ss\s*=\s*[\"'](?:" + wanted + rb")[\"'][^>]*)>"
        )

    def cells(self, xml: bytes, room: int) -> Cells:
        """Number cells of `xml` with one of the styles, at most `room` (matched one by one:
        a sheet of 600,000 such cells costs no list of them all)."""
        found: Cells = {}
        common = 0
        for match in self._common.finditer(xml):
            common += 1
            if len(found) < room and match.group(4) in (None, b"", b"n"):
                self._add(found, match.group(1), match.group(2), match.group(3))
        if common == sum(1 for _ in self._style.finditer(xml)):
            return found
        found = {}
        for match in self._any.finditer(xml):
            if len(found) >= room:
                break
            attrs = dict(_ATTR.findall(match.group(1)))
            style, ref = attrs.get(b"s", b""), attrs.get(b"r", b"")
            place = re.fullmatch(rb"([A-Za-z]+)(\d+)", ref)
            if place and style.isdigit() and attrs.get(b"t", b"n") == b"n":
                self._add(found, place.group(1), place.group(2), style)
        return found

    def _add(self, found: Cells, letters: bytes, row: bytes, style: bytes) -> None:
        shown = self.styles.get(int(style))
        if shown is not None:
            found[(int(row) - 1, _column_index(letters))] = shown


def formatted_cells(data: bytes) -> dict[str, Cells]:
    """`shown_cells` of the package in `data`."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return shown_cells(archive)
    except _UNUSUAL:
        return {}


def shown_cells(archive: zipfile.ZipFile) -> dict[str, Cells]:
    """Per sheet name, the number cells shown with leading zeros or in percent."""
    try:
        info = archive.getinfo(_STYLES)
        if info.file_size > MAX_PARSED_WHOLE:  # parsed whole into a tree, like workbook.xml
            return {}
        styles = _styles(archive.read(info))
        if not styles:
            return {}
        scan = _CellScan(styles)
        found: dict[str, Cells] = {}
        room = MAX_CELLS
        for name, part in sheet_parts(archive).items():
            found[name] = scan.cells(archive.read(part), room)
            room -= len(found[name])
    except _UNUSUAL:
        return {}
    return {name: cells for name, cells in found.items() if cells}
