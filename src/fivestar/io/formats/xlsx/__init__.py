"""Reading an .xlsx or .xlsm: the package opened once, for its own scans, then calamine.

The zip package is streamed once before calamine sees it (`fivestar.io.formats.package`,
each worksheet measured by `scan`), and the same open archive is searched for what calamine
does not tell: formula cells without a saved value (`formulas`) and numbers shown with
leading zeros or in percent (`number_formats`). calamine parses the bytes itself.
"""

from __future__ import annotations

from fivestar.io.formats.package import open_package, scan_archive
from fivestar.io.formats.workbook import Found, open_workbook, read_workbook
from fivestar.io.formats.xlsx.formulas import blank_formula_cells
from fivestar.io.formats.xlsx.number_formats import shown_cells
from fivestar.io.formats.xlsx.scan import SheetMeasure
from fivestar.io.limits import Limits
from fivestar.io.sheets import LoadedFile


def load(data: bytes, fmt: str, wanted: tuple[str, ...], limits: Limits) -> LoadedFile:
    """The grids of an .xlsx or .xlsm (`fmt`); `wanted` restricts them to those sheets."""
    with open_package(data) as archive:
        scan = scan_archive(archive, SheetMeasure(), limits)
        book = open_workbook(data, fmt)
        found = Found(
            refused=scan.refused,
            cells=scan.cells,
            blank_formulas=blank_formula_cells(archive),
            shown=shown_cells(archive),
        )
    return read_workbook(book, found, wanted, limits)
