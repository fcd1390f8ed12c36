"""How big an OOXML (xlsx, xlsm) worksheet really is, read from its XML before calamine.

python-calamine turns a worksheet into a dense grid of (last row) × (last column) cells, so
one cell at XFD1048576 in an otherwise tiny file asks for 17 billion cells. A worksheet
part is therefore streamed once (`fivestar.io.formats.xml_stream`) by the package scan
(`SheetMeasure`), and refused when either its declared `<dimension>` or its real extent —
the last row and column that any row or cell element names, plus one for each element that
names none — exceeds the cell limit. (The shared-string table, which calamine keeps whole in
memory, is counted against the same limit by the package scan itself.) Nothing here builds
a tree: memory stays at a few chunks whatever the part holds.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from defusedxml import ElementTree

from fivestar.io.formats.package import PackageScan
from fivestar.io.formats.xml_stream import TAIL, member_chunks, refuse_dtd, whole_elements
from fivestar.io.limits import Limits, cells_text, too_many_cells
from fivestar.issues import Message, message

# What calamine accepts, found by trying it: a namespace prefix of any name characters (even
# "my-ns:" or non-ASCII), whitespace around "=", single or double quotes, column letters of
# any number and case ("xfd", "AAAA": 18,279 columns) before the row digits, and of two r
# attributes on one cell, the last. XML allows ">" (not "<") inside an attribute value.
_PREFIX = rb"(?:[^\s<>/:=\"']+:)?"
_VALUE = rb"\s*=\s*[\"']"
_ATTRS = rb"((?:\s+[^\s=<>/]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*/?>"
_DIMENSION = re.compile(rb"<" + _PREFIX + rb"dimension\b[^<]*?\sref" + _VALUE + rb"([^\"']+)")
# The fast patterns match the start tag whole, as every writer emits it: r first, then only
# other attributes with plain values. A block where they do not account for every element
# is scanned again with the general ones, which read every attribute of every start tag and
# take every r among them (a ` r="..."` inside another attribute's value is taken too: the
# bound can only grow by it).
_FAST_ROW_REF = re.compile(rb'<row r="(\d+)"(?: (?!r=)[\w:]+="[^"<>]*")*/?>')
_FAST_CELL_ROW = re.compile(rb'<c r="[A-Z]{1,3}(\d+)"(?: (?!r=)[\w:]+="[^"<>]*")*/?>')
_FAST_CELL_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})\d')
_ROW_TAG = re.compile(rb"<" + _PREFIX + rb"row" + _ATTRS)
_CELL_TAG = re.compile(rb"<" + _PREFIX + rb"c" + _ATTRS)
_ROW_R = re.compile(rb"(?:^|\s)r" + _VALUE + rb"(\d+)[\"']")
_CELL_R = re.compile(rb"(?:^|\s)r" + _VALUE + rb"([A-Za-z]+)(\d+)[\"']")
_ANY_CELL = re.compile(rb"<" + _PREFIX + rb"c[\s/>]")
_ANY_ROW = re.compile(rb"<" + _PREFIX + rb"row[\s/>]")
# Every spelling `_count` counts other than "<c " and "<row ": another character after the
# name, or a namespace prefix (any ":c", as wide a net as `_ANY_CELL`'s prefix). Three
# searches, each led by a literal the regex engine skips ahead to: one pattern with all the
# alternatives stops at every "<" and costs more than the byte counts it saves.
_ODD_CELL = re.compile(rb"<c[\t\n\r\f\v/>]")
_ODD_ROW = re.compile(rb"<row[\t\n\r\f\v/>]")
_PREFIXED = re.compile(rb":(?:c|row)[\s/>]")


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + (char - 64)
    return number


def _ref_size(ref: bytes) -> int | None:
    """Cells of an A1:B2 range reference, or None when it does not parse."""
    match = re.fullmatch(rb"\$?([A-Za-z]+)\$?(\d+)(?::\$?([A-Za-z]+)\$?(\d+))?", ref)
    if not match:
        return None
    c1, r1, c2, r2 = match.groups()
    c2, r2 = c2 or c1, r2 or r1
    rows = abs(int(r2) - int(r1)) + 1
    cols = abs(_column_number(c2) - _column_number(c1)) + 1
    return rows * cols


def _count(block: bytes, tag: bytes, general: re.Pattern[bytes]) -> int:
    """Elements named `tag` in `block`: a byte count unless a namespace prefix is in use."""
    if b":" + tag in block:
        return len(general.findall(block))
    return sum(block.count(b"<" + tag + end) for end in (b" ", b">", b"/", b"\t", b"\n", b"\r"))


def _count_elements(block: bytes) -> tuple[int, int]:
    """(cell elements, row elements) in `block`: what `_count` says, by one byte count each.

    Why this is exact: `_count` counts "<c" followed by a space, ">", "/", tab, LF or CR, or,
    when ":c" occurs in the block, the matches of `_ANY_CELL`: "<c" or "<prefix:c" followed
    by whitespace, "/" or ">". If none of the three searches finds anything, no "<c" is
    followed by one of these but a space, and no "prefix:c" by any, so both of `_count`'s
    rules give exactly `block.count(b"<c ")`; rows likewise. Any odd spelling sends the block
    to `_count` itself, so a tab, a newline or a prefix cannot hide a cell or row element
    (and its r="XFD1048576") from the bound.
    """
    if _ODD_CELL.search(block) or _ODD_ROW.search(block) or _PREFIXED.search(block):
        return _count(block, b"c", _ANY_CELL), _count(block, b"row", _ANY_ROW)
    return block.count(b"<c "), block.count(b"<row ")


def _references(tags: list[bytes], reference: re.Pattern[bytes]) -> tuple[int, list[Any]]:
    """(tags naming at least one r, every r they name) from the attributes of start tags."""
    placed, found = 0, []
    for attributes in tags:
        refs = reference.findall(attributes)
        placed += bool(refs)
        found += refs
    return placed, found


@dataclass
class _Extent:
    """The dense grid a worksheet will become: its last row and column, from every cell.

    Cells and rows without an r="A1" reference sit right after their neighbours, so each
    one can push the grid out by at most one: the bound adds them.
    """

    rows: int = 0
    cols: int = 0
    unplaced_rows: int = 0
    unplaced_cells: int = 0

    def feed(self, block: bytes) -> None:
        # `block` holds whole elements only (see whole_elements)
        cells, rows = _count_elements(block)
        row_refs: list[bytes] = _FAST_ROW_REF.findall(block)
        placed_rows = len(row_refs)
        if placed_rows != rows:
            placed_rows, row_refs = _references(_ROW_TAG.findall(block), _ROW_R)
        cell_rows: list[bytes] = _FAST_CELL_ROW.findall(block)
        placed_cells = len(cell_rows)
        if placed_cells == cells:
            cell_columns = set(_FAST_CELL_COLUMN.findall(block))
        else:
            placed_cells, refs = _references(_CELL_TAG.findall(block), _CELL_R)
            cell_rows = [row for _, row in refs]
            cell_columns = {col for col, _ in refs}
        self.unplaced_rows += rows - placed_rows
        self.unplaced_cells += cells - placed_cells
        numbers = {int(row) for row in set(row_refs) | set(cell_rows)}
        columns = {_column_number(col) for col in cell_columns}
        self.rows = max(self.rows, *numbers) if numbers else self.rows
        self.cols = max(self.cols, *columns) if columns else self.cols

    def grid(self) -> int:
        rows = self.rows + max(self.unplaced_rows, 0)
        cols = self.cols + max(self.unplaced_cells, 0)
        return rows * cols


def scan_sheet(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits
) -> tuple[int, Message | None]:
    """(dense grid estimate, refusal reason or None) of one OOXML worksheet."""
    extent = _Extent()
    first = True
    tail = b""
    for block in whole_elements(member_chunks(archive, info)):
        refuse_dtd(block, info.filename, tail)
        tail = block[-TAIL:]
        if first:
            first = False
            match = _DIMENSION.search(block[:8192])
            declared = _ref_size(match.group(1)) if match else None
            if declared is not None and declared > limits.max_cells:
                ref = match.group(1).decode("ascii", "replace") if match else ""
                return declared, message(
                    "dimension-too-large",
                    ref=ref,
                    cells=cells_text(declared),
                    limit=cells_text(limits.max_cells),
                )
        extent.feed(block)
    grid = extent.grid()
    if grid > limits.max_cells:
        return grid, too_many_cells(grid, limits, "工作表")
    return grid, None


def _sheet_members(archive: zipfile.ZipFile) -> dict[str, str]:
    """Zip member of each sheet's XML → sheet name, from workbook.xml and its relationships."""
    rel_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError, ValueError):
        return {}
    targets: dict[str, str] = {}
    for rel in rels:
        target = rel.get("Target", "")
        joined = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        targets[rel.get("Id", "")] = posixpath.normpath(joined)
    members: dict[str, str] = {}
    for element in workbook.iter():
        if element.tag.endswith("}sheet") or element.tag == "sheet":
            name, rel_id = element.get("name"), element.get(rel_ns)
            if name is not None and rel_id in targets:
                members[targets[rel_id]] = name
    return members


def _is_sheet_part(name: str) -> bool:
    return name.startswith(("xl/worksheets/", "xl/macrosheets/", "xl/dialogsheets/")) and (
        name.endswith(".xml")
    )


class SheetMeasure:
    """The package scan's measure of an .xlsx/.xlsm (`fivestar.io.formats.package.Measure`):
    each worksheet part, named by the sheet it is (workbook.xml is read at the first one)."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}

    def __call__(
        self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, scan: PackageScan, limits: Limits
    ) -> bool:
        if not _is_sheet_part(info.filename):
            return False
        if not self.names:
            self.names = _sheet_members(archive) or {"": ""}
        grid, reason = scan_sheet(archive, info, limits)
        sheet = self.names.get(info.filename, info.filename)
        scan.cells[sheet] = grid
        if reason:
            scan.refused[sheet] = reason
        return True
