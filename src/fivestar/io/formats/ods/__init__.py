"""Reading an .ods: the package opened once, for its own scans, then calamine.

The zip package is streamed once before calamine sees it (`fivestar.io.formats.package`,
content.xml's tables measured by `scan`); calamine loads every table of an ODS when it opens
the file, so one too large as a whole is refused before. The same open archive is searched
for what calamine does not tell: cells typed percentage (`percent`) and merged cells
(`merges`). calamine parses the bytes itself.
"""

from __future__ import annotations

import zipfile

from fivestar.io.formats.ods.merges import ods_merged_cells
from fivestar.io.formats.ods.percent import typed_percent
from fivestar.io.formats.ods.scan import measure_ods
from fivestar.io.formats.package import PackageScan, open_package, scan_archive
from fivestar.io.formats.workbook import Found, open_workbook, read_workbook
from fivestar.io.limits import Limits, UnreadableFile, too_many_cells
from fivestar.io.sheets import LoadedFile, PercentColumns


def load(data: bytes, wanted: tuple[str, ...], limits: Limits) -> LoadedFile:
    """The grids of an .ods; `wanted` restricts them to those tables."""
    with open_package(data) as archive:
        scan = scan_archive(archive, measure_ods, limits)
        percent = _check(archive, scan, limits)
        merged = ods_merged_cells(archive)  # calamine has none for ODS
        book = open_workbook(data, "ods")
    found = Found(refused=scan.refused, cells=scan.cells, merged=merged, percent=percent)
    return read_workbook(book, found, wanted, limits)


def _check(
    archive: zipfile.ZipFile, scan: PackageScan, limits: Limits
) -> dict[str, PercentColumns]:
    """Refuse an ODS too large as a whole (calamine loads every table of an ODS when it opens
    the file), else find its cells typed percentage: calamine reads 100% as 1.0."""
    if scan.refused:
        raise UnreadableFile(next(iter(scan.refused.values())))
    total = sum(scan.cells.values())
    if total > limits.max_cells:
        raise UnreadableFile(too_many_cells(total, limits, "各工作表合计"))
    return typed_percent(archive)
