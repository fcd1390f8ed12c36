"""Streaming a zip package (xlsx, xlsm, ods) once, before python-calamine opens it.

A zip bomb declares, or inflates to, far more than any county export; an XML part can carry
a billion-laughs DTD; a worksheet of a few bytes can declare or name a grid of billions of
cells. `scan_package` checks the declared uncompressed total first, then inflates every
member once, in chunks, through `zipfile` (which stops at the declared size, so a member
that inflates beyond its header is caught as corrupt rather than trusted): XML parts are
searched for a DTD (`fivestar.io.xml_stream`), worksheets and shared strings are measured
(`fivestar.io.ooxml_scan`), ODS tables likewise (`fivestar.io.ods_scan`). A broken or
hostile package raises `UnreadableFile`; an oversized sheet is reported in `PackageScan`
so the file's other sheets can still be read.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass, field

from defusedxml import ElementTree

from fivestar.io.limits import (
    MAX_PARSED_WHOLE,
    Limits,
    UnreadableFile,
    check_unpacked,
    size_text,
    too_many_cells,
)
from fivestar.io.ods_scan import scan_ods
from fivestar.io.ooxml_scan import scan_shared_strings, scan_sheet
from fivestar.io.xml_stream import refuse_dtd, stream
from fivestar.issues import Message, message

# Parts read whole into a tree (by this module and fivestar.io.formulas): a workbook part
# lists sheets and is a few kB; megabytes of it would only be there to exhaust memory.
_PARSED_WHOLE = frozenset({"xl/workbook.xml", "xl/_rels/workbook.xml.rels"})


@dataclass
class PackageScan:
    """What streaming a zip package found: sheets to refuse, by name, with the reason."""

    refused: dict[str, Message] = field(default_factory=dict)
    cells: dict[str, int] = field(default_factory=dict)  # sheet name → dense grid estimate


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


def _scan_member(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    *,
    fmt: str,
    names: dict[str, str],
    scan: PackageScan,
    limits: Limits,
) -> None:
    if info.is_dir():
        return
    lower = info.filename.lower()
    if lower in _PARSED_WHOLE and info.file_size > MAX_PARSED_WHOLE:
        raise UnreadableFile(
            message("oversized-part", part=info.filename, size=size_text(info.file_size))
        )
    if lower == "xl/sharedstrings.xml":
        scan_shared_strings(archive, info, limits)
    elif fmt == "ods" and lower == "content.xml":
        for name, grid in scan_ods(archive, info).items():
            scan.cells[name] = grid
            if grid > limits.max_cells:
                scan.refused[name] = too_many_cells(grid, limits, "工作表")
    elif fmt != "ods" and _is_sheet_part(info.filename):
        grid, reason = scan_sheet(archive, info, limits)
        sheet = names.get(info.filename, info.filename)
        scan.cells[sheet] = grid
        if reason:
            scan.refused[sheet] = reason
    elif lower.endswith((".xml", ".rels", ".vml")):
        for block in stream(archive, info):
            refuse_dtd(block, info.filename)
    else:
        for _ in stream(archive, info):  # every member inflated once: CRC and true size
            pass


def scan_package(data: bytes, fmt: str, limits: Limits) -> PackageScan:
    """Stream every member of an xlsx/xlsm/ods package once; raise UnreadableFile or return
    the sheets to refuse. Memory stays at a few chunks whatever the package holds."""
    scan = PackageScan()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            check_unpacked(sum(info.file_size for info in infos), limits)
            names: dict[str, str] = {}
            for info in infos:
                if fmt != "ods" and _is_sheet_part(info.filename) and not names:
                    names = _sheet_members(archive) or {"": ""}
                _scan_member(archive, info, fmt=fmt, names=names, scan=scan, limits=limits)
    except zipfile.BadZipFile as err:
        raise UnreadableFile(message("corrupt-zip-data", detail=_short(err))) from err
    except (zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError) as err:
        raise UnreadableFile(message("unsupported-compression", detail=_short(err))) from err
    return scan


def _short(err: BaseException) -> str:
    return " ".join(str(err).split())[:120] or type(err).__name__
