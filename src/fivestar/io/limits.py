"""Bounds checked before a file is parsed, so no input can exhaust memory or time.

A county export is a few MB and a few thousand rows. What is far larger is a mistake or a
bomb, and is refused with a one-line reason *before* the expensive reader (python-calamine,
`csv`, the HTML parser) sees it:

- the file itself (bytes on disk), and CSV/HTML text (decoded text can take 4× its bytes);
- zip packages (xlsx, xlsm, ods): the declared uncompressed total, then every member is
  streamed once through `zipfile`, which stops at the declared size, so a member that
  inflates beyond what its header says is caught as corrupt rather than trusted;
- XML with a DOCTYPE or entity declarations (billion laughs): OOXML and ODF never need one;
- cells: a worksheet's declared `<dimension>`, its real extent (the last row and column any
  cell names), ODS repeated rows/columns, CSV delimiters, HTML rowspan × colspan: a reader
  builds a dense grid of rows × columns, so the grid, not the file, is what is bounded.

Each check raises `UnreadableFile` (the whole file) or reports a sheet to skip. This module
is the one import for all of them; they live in:

- `fivestar.io.bounds`: `Limits`, `UnreadableFile`, the reasons, file/unpacked/grid sizes;
- `fivestar.io.text_bounds`: CSV and HTML, from their bytes;
- `fivestar.io.package_scan`: `scan_package`, one streamed pass over a zip package, using
  `fivestar.io.xml_stream` (chunks, DTD refusal), `fivestar.io.ooxml_scan` (worksheet
  extents, shared strings) and `fivestar.io.ods_scan` (ODS tables).
"""

from __future__ import annotations

from fivestar.io.bounds import (
    DEFAULT_MAX_UNPACKED,
    MAX_CELLS,
    MAX_FILE_BYTES,
    MAX_TEXT_BYTES,
    Limits,
    MiB,
    UnreadableFile,
    check_file_size,
    check_grid,
    check_unpacked,
    too_many_cells,
)
from fivestar.io.package_scan import PackageScan, scan_package
from fivestar.io.text_bounds import check_html, check_text

__all__ = [
    "DEFAULT_MAX_UNPACKED",
    "MAX_CELLS",
    "MAX_FILE_BYTES",
    "MAX_TEXT_BYTES",
    "Limits",
    "MiB",
    "PackageScan",
    "UnreadableFile",
    "check_file_size",
    "check_grid",
    "check_html",
    "check_text",
    "check_unpacked",
    "scan_package",
    "too_many_cells",
]
