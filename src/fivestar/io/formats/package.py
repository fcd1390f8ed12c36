"""Streaming a zip package (xlsx, xlsm, ods) once, before python-calamine opens it.

A zip bomb declares, or inflates to, far more than any county export; an XML part can carry
a billion-laughs DTD; a worksheet of a few bytes can declare or name a grid of billions of
cells. `scan_package` checks the declared uncompressed total first, then inflates every
member once, in chunks, through `zipfile` (which stops at the declared size, so a member
that inflates beyond its header is caught as corrupt rather than trusted): XML parts are
searched for a DTD (`fivestar.io.formats.xml_stream`), shared strings are measured, and the
format measures its sheets (`Measure`: `fivestar.io.formats.xlsx.scan` the worksheets,
`fivestar.io.formats.ods.scan` the tables of content.xml). A broken or hostile package
raises `UnreadableFile`; an oversized sheet is reported in `PackageScan` so the file's other
sheets can still be read. The reader of the format keeps the one `zipfile` it opened for
its own scans of cell formats.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from fivestar.io.formats.xml_stream import member_chunks, refuse_dtd, stream, whole_elements
from fivestar.io.limits import (
    MAX_PARSED_WHOLE,
    Limits,
    UnreadableFile,
    check_unpacked,
    size_text,
    too_many_cells,
)
from fivestar.issues import Message, message

# Parts read whole into a tree (by the xlsx reader's scans): a workbook part lists sheets
# and is a few kB; megabytes of it would only be there to exhaust memory.
_PARSED_WHOLE = frozenset({"xl/workbook.xml", "xl/_rels/workbook.xml.rels"})
# A shared string element, with any namespace prefix (as `fivestar.io.formats.xlsx.scan`).
_SHARED_STRING = re.compile(rb"<(?:[^\s<>/:=\"']+:)?si[\s/>]")


@dataclass
class PackageScan:
    """What streaming a zip package found: sheets to refuse, by name, with the reason."""

    refused: dict[str, Message] = field(default_factory=dict)
    cells: dict[str, int] = field(default_factory=dict)  # sheet name → dense grid estimate


# A format's own measuring of one member (its sheets): True when it streamed the member.
Measure = Callable[[zipfile.ZipFile, zipfile.ZipInfo, PackageScan, Limits], bool]


def _scan_member(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    *,
    measure: Measure,
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
    elif measure(archive, info, scan, limits):
        pass
    elif lower.endswith((".xml", ".rels", ".vml")):
        for block in stream(archive, info):
            refuse_dtd(block, info.filename)
    else:
        for _ in stream(archive, info):  # every member inflated once: CRC and true size
            pass


def scan_shared_strings(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> None:
    """calamine keeps every shared string in memory: bound their number like cells."""
    strings = 0
    for block in whole_elements(member_chunks(archive, info)):
        refuse_dtd(block, info.filename)
        strings += len(_SHARED_STRING.findall(block))
    if strings > limits.max_cells:
        raise UnreadableFile(too_many_cells(strings, limits, "共享字符串表 (sharedStrings)"))


@contextmanager
def _worded() -> Iterator[None]:
    """A broken archive as the one reason the file cannot be read."""
    try:
        yield
    except zipfile.BadZipFile as err:
        raise UnreadableFile(message("corrupt-zip-data", detail=_short(err))) from err
    except (zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError) as err:
        raise UnreadableFile(message("unsupported-compression", detail=_short(err))) from err


def open_package(data: bytes) -> zipfile.ZipFile:
    """The zip package in `data`, opened once for every scan of it; raise UnreadableFile."""
    with _worded():
        return zipfile.ZipFile(io.BytesIO(data))


def scan_archive(archive: zipfile.ZipFile, measure: Measure, limits: Limits) -> PackageScan:
    """Stream every member of an xlsx/xlsm/ods package once; raise UnreadableFile or return
    the sheets to refuse. Memory stays at a few chunks whatever the package holds."""
    scan = PackageScan()
    with _worded():
        infos = archive.infolist()
        check_unpacked(sum(info.file_size for info in infos), limits)
        for info in infos:
            _scan_member(archive, info, measure=measure, scan=scan, limits=limits)
    return scan


def _short(err: BaseException) -> str:
    return " ".join(str(err).split())[:120] or type(err).__name__
