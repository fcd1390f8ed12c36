"""Formula cells with no saved value in an .xlsx (a file written by a program, never opened in
Excel). calamine shows them as empty strings, indistinguishable from blank cells, so a count
would silently read as 0. A regex pass over the sheet XML finds them; it only runs on sheets
that contain formulas at all, so the common case costs one substring search.
"""

from __future__ import annotations

import posixpath
import re
import zipfile

from defusedxml import ElementTree

_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_FORMULA = re.compile(rb"<(?:\w+:)?f\b")
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]+)</(?:\w+:)?v>")
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_STRING_TYPE = re.compile(rb'\bt="str"')


def _column_index(letters: bytes) -> int:
    index = 0
    for char in letters:
        index = index * 26 + (char - 64)
    return index - 1


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → zip member of its XML, from workbook.xml and its relationships."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets: dict[str, str] = {}
    for rel in rels:
        target = rel.get("Target", "")
        if target.startswith("/"):
            targets[rel.get("Id", "")] = target.lstrip("/")
        else:
            targets[rel.get("Id", "")] = posixpath.normpath(posixpath.join("xl", target))
    parts: dict[str, str] = {}
    for element in workbook.iter():
        if element.tag.endswith("}sheet") or element.tag == "sheet":
            name, rel_id = element.get("name"), element.get(_REL_NS)
            if name is not None and rel_id in targets:
                parts[name] = targets[rel_id]
    return parts


def _blank_formula_cells(xml: bytes) -> set[tuple[int, int]]:
    cells: set[tuple[int, int]] = set()
    for match in _CELL.finditer(xml):
        body = match.group(2)
        if not body or not _FORMULA.search(body) or _VALUE.search(body):
            continue
        attrs = match.group(1)
        # Excel saves a formula whose result is "" as t="str" with an empty <v/>: a real value.
        if _STRING_TYPE.search(attrs) and b"<v" in body:
            continue
        ref = _REF.search(attrs)
        if ref:
            cells.add((int(ref.group(2)) - 1, _column_index(ref.group(1))))
    return cells


def blank_formula_cells(archive: zipfile.ZipFile) -> dict[str, frozenset[tuple[int, int]]]:
    """Per sheet name, 0-based (row, col) of formula cells without a saved value.

    Best effort: an unusual package layout yields no findings rather than an error.
    """
    found: dict[str, frozenset[tuple[int, int]]] = {}
    try:
        for name, part in sheet_parts(archive).items():
            xml = archive.read(part)
            if _FORMULA.search(xml):
                cells = _blank_formula_cells(xml)
                if cells:
                    found[name] = frozenset(cells)
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, ValueError):
        return {}
    return found
