"""One home per input format: each reader takes a file's bytes, opens them once where it can,
and yields the grids (cells, merges, formats) and the sheets it refused or passed over.

- `xlsx` (.xlsx, .xlsm) and `ods`: zip packages, streamed once by `package` (with
  `xml_stream`) before python-calamine reads the cells (`workbook`);
- `xls`: calamine alone (`workbook`);
- `text`: CSV and HTML tables.

The format itself is told from the bytes by `fivestar.io.sources.sniff_format`.
"""

from __future__ import annotations

from fivestar.io.formats import ods, text, xls, xlsx
from fivestar.io.formats.ods.scan import measure_ods
from fivestar.io.formats.package import PackageScan, open_package, scan_archive
from fivestar.io.formats.xlsx.scan import SheetMeasure
from fivestar.io.limits import Limits
from fivestar.io.sheets import LoadedFile

__all__ = ["load_grids", "scan_package"]


def load_grids(
    data: bytes,
    fmt: str,
    sheets: tuple[str, ...],
    encoding: str | None,
    limits: Limits | None = None,
) -> LoadedFile:
    """Every candidate grid of a file; `sheets` restricts workbooks to those names.

    Nothing is parsed before `limits` are checked (fivestar.io.limits): an oversized file
    raises UnreadableFile, an oversized sheet is named in `refused` and not read.
    """
    limits = limits or Limits()
    if fmt in ("xlsx", "xlsm"):
        return xlsx.load(data, fmt, sheets, limits)
    if fmt == "ods":
        return ods.load(data, sheets, limits)
    if fmt == "xls":
        return xls.load(data, sheets, limits)
    if fmt == "html":
        return text.load_html(data, encoding, limits)
    return text.load_csv(data, encoding, limits)


def scan_package(data: bytes, fmt: str, limits: Limits) -> PackageScan:
    """The package scan alone of an .xlsx/.xlsm/.ods (`fmt`): what its reader finds first."""
    measure = measure_ods if fmt == "ods" else SheetMeasure()
    with open_package(data) as archive:
        return scan_archive(archive, measure, limits)
