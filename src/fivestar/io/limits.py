"""Every bound an input file is held to, in one place, and the simple size checks.

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

Every bound a hostile or broken file could push past is defined here (most are fields of
`Limits`); a file over one is refused with `UnreadableFile`, whose message is the one-line,
user-facing reason. The scanners that apply them: `fivestar.io.formats.text.bounds` (CSV,
HTML, from their bytes) and `fivestar.io.formats.package` (one streamed pass over a zip
package, with `fivestar.io.formats.xml_stream`, `fivestar.io.formats.xlsx.scan` and
`fivestar.io.formats.ods.scan`). The caps of the best-effort scans (cell formats, ODS
merges) are here too: past them a scan stops, and nothing is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from fivestar.issues import Message, message

MiB = 1024 * 1024
DEFAULT_MAX_UNPACKED = 256 * MiB  # --max-unpacked
MAX_FILE_BYTES = 100 * MiB  # any input file, on disk
MAX_TEXT_BYTES = 50 * MiB  # a CSV or HTML file
# Cells of one file's dense grids (all its sheets): 150 000 officers × 20 columns. About
# 200 bytes a cell from reader to frame keeps one file well under 1 GiB.
MAX_CELLS = 3_000_000
# Package parts parsed whole (the workbook's sheet list and its relations) rather than
# streamed: a real one is a few KB.
MAX_PARSED_WHOLE = 8 * MiB
HTML_SPAN_CAP = 1000  # the largest rowspan/colspan an HTML table's cell is taken at
# XML held back between chunks while waiting for a '>' (or an ODS row's end): megabytes
# without one are not XML any reader accepts.
MAX_UNCUT_XML = 4 * MiB
# Number cells shown in a format (leading zeros, percent) taken as shown, per file; past it
# the rest stay numbers (their column reads them by its units: the same figures).
MAX_SHOWN_CELLS = 250_000
MAX_MERGES = 100_000  # ODS merged ranges taken per table


class UnreadableFile(Exception):
    """The file cannot be read at all; `what` is the reason (an issue code and its params),
    and str() its one-line, user-facing text."""

    def __init__(self, what: Message) -> None:
        super().__init__(what.text)
        self.what = what


@dataclass(frozen=True)
class Limits:
    max_unpacked: int = DEFAULT_MAX_UNPACKED
    max_cells: int = MAX_CELLS
    max_file_bytes: int = MAX_FILE_BYTES
    max_text_bytes: int = MAX_TEXT_BYTES


def size_text(size: int) -> str:
    """A byte size for a message: "12 MB", or bytes under one MB."""
    return f"{size / MiB:.0f} MB" if size >= MiB else f"{size} 字节"


def cells_text(count: int) -> str:
    """A cell count for a message, in 万 / 亿."""
    if count >= 100_000_000:
        return f"{count / 100_000_000:,.0f} 亿"
    return f"{count / 10_000:,.0f} 万" if count >= 10_000 else str(count)


def too_many_cells(count: int, limits: Limits, what: str = "表格") -> Message:
    """The reason for a grid over the cell limit."""
    return message(
        "too-many-cells", what=what, cells=cells_text(count), limit=cells_text(limits.max_cells)
    )


def check_file_size(size: int, limits: Limits) -> None:
    if size > limits.max_file_bytes:
        raise UnreadableFile(
            message("file-too-large", size=size_text(size), limit=size_text(limits.max_file_bytes))
        )


def check_unpacked(total: int, limits: Limits) -> None:
    if total > limits.max_unpacked:
        raise UnreadableFile(
            message(
                "unpacked-too-large", size=size_text(total), limit=size_text(limits.max_unpacked)
            )
        )


def check_grid(rows: int, width: int, limits: Limits, what: str = "表格") -> None:
    """A grid about to be padded to rows × width cells."""
    if rows * width > limits.max_cells:
        raise UnreadableFile(too_many_cells(rows * width, limits, what))
