"""Reading an .xls (BIFF, in an OLE2 compound file): calamine alone.

An .xls is no zip package: nothing is scanned before calamine opens it (each sheet's grid is
still bounded before it becomes Python objects, `fivestar.io.formats.workbook`), and
calamine reports its merges. What this module knows of the container is how to tell a
compound file that holds no Excel workbook at all (a Word document renamed .xls) from a
broken workbook.
"""

from __future__ import annotations

from fivestar.io.formats.workbook import Found, open_workbook, read_workbook
from fivestar.io.limits import Limits
from fivestar.io.sheets import LoadedFile

# The workbook stream of an .xls (BIFF8 "Workbook", BIFF5 "Book"), as a directory name.
_XLS_STREAMS = ("Workbook".encode("utf-16-le"), "Book\0".encode("utf-16-le"))


def is_excel_ole(data: bytes) -> bool:
    """Whether a compound (OLE2) file names an Excel workbook stream at all."""
    return any(name in data for name in _XLS_STREAMS)


def _valid_ole_header(data: bytes) -> bool:
    """A compound file header that parses: byte order FFFE, 512- or 4096-byte sectors."""
    return data[28:30] == b"\xfe\xff" and data[30:32] in (b"\x09\x00", b"\x0c\x00")


def _not_a_workbook(data: bytes) -> bool:
    return _valid_ole_header(data) and not is_excel_ole(data)


def load(data: bytes, wanted: tuple[str, ...], limits: Limits) -> LoadedFile:
    """The grids of an .xls; `wanted` restricts them to those sheets."""
    book = open_workbook(data, "xls", _not_a_workbook)
    return read_workbook(book, Found(), wanted, limits)
