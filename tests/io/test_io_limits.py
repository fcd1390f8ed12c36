"""The package scan bounds a worksheet however its cell and row tags are spelled."""

from __future__ import annotations

import io
import zipfile

import pytest

from fivestar.io.formats import scan_package
from fivestar.io.formats.xml_stream import refuse_dtd
from fivestar.io.limits import Limits, UnreadableFile

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PART = "xl/worksheets/sheet1.xml"  # no workbook.xml: the scan names the sheet by its part
_FAR = 1_048_576 * 16_384  # the grid of a cell at XFD1048576


def _package(cells: str) -> bytes:
    """A worksheet of three ordinary rows (what the fast path reads), then `cells`."""
    rows = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>1</v></c>' for c in "ABCDE") + "</row>"
        for r in (1, 2, 3)
    )
    sheet = f'<worksheet xmlns="{_MAIN}" xmlns:x="{_MAIN}"><sheetData>{rows}{cells}</sheetData>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_PART, sheet + "</worksheet>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "far",
    [
        '<row r="4"><c r="XFD1048576"><v>1</v></c></row>',  # the ordinary spelling
        '<row r="4"><c\tr="XFD1048576"><v>1</v></c></row>',
        '<row r="4"><c\nr="XFD1048576"><v>1</v></c></row>',
        '<row r="4"><c\r\nr="XFD1048576"/></row>',
        '<row r="4"><c s="1" r="XFD1048576"><v>1</v></c></row>',  # r not first
        '<row r="4"><x:c r="XFD1048576"><x:v>1</x:v></x:c></row>',  # namespace prefix
        '<x:row r="4"><x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row>',
        '<row\tr="1048576"><c r="XFD4"><v>1</v></c></row>',  # the far row on the row tag
        '<x:row r="1048576"><c r="XFD4"><v>1</v></c></x:row>',
        # what calamine also reads as XFD1048576 (tried): quotes, spaces, case, prefixes
        "<row r='4'><c r='XFD1048576'><v>1</v></c></row>",
        '<row r="4"><c r = "XFD1048576"><v>1</v></c></row>',
        '<row r="4"><c r\t=\n"XFD1048576"><v>1</v></c></row>',
        '<row r="4"><c r="xfd1048576"><v>1</v></c></row>',
        '<row r="4"><c r="XfD01048576"><v>1</v></c></row>',
        '<row r="4"><my-ns:c r="XFD1048576" xmlns:my-ns="urn:x"><v>1</v></my-ns:c></row>',
        '<row r="4"><前缀:c r="XFD1048576" xmlns:前缀="urn:x"><v>1</v></前缀:c></row>',
        "<row r = '1048576'><c r=\"XFD4\"><v>1</v></c></row>",
        # ">" is allowed in an attribute value; a decoy r in one; two r (calamine: the last)
        '<row r="4"><c x=">" r="XFD1048576"><v>1</v></c></row>',
        '<row r="4"><c x="r=\'A4\'" r="XFD1048576"><v>1</v></c></row>',
        '<row r="4"><c r="A4" r="XFD1048576"><v>1</v></c></row>',
        '<row r="4" r="1048576"><c r="XFD4"><v>1</v></c></row>',
        '<row r="4" x=">"><c r="A4"/><c x="a>b" r="XFD1048576"/></row>',
    ],
)
def test_a_far_cell_is_refused_however_its_tag_is_spelled(far: str) -> None:
    scan = scan_package(_package(far), "xlsx", Limits())
    assert scan.cells == {_PART: _FAR}
    assert "过大" in scan.refused[_PART].text


def test_column_letters_beyond_xfd_count_as_calamine_counts_them() -> None:
    # calamine reads r="AAAA4" as column 18,279 (tried): four letters are not refused unread
    scan = scan_package(_package('<row r="4"><c r="AAAA4"><v>1</v></c></row>'), "xlsx", Limits())
    assert scan.cells == {_PART: 4 * 18_279}
    far = '<row r="4"><c r="ZZZZZZ4"><v>1</v></c></row>'
    assert _PART in scan_package(_package(far), "xlsx", Limits()).refused


@pytest.mark.parametrize(
    "spelling", ["<c>", "<c/>", "<c\t/>", "<c\n/>", "<x:c>", "<x:c/>", '<c s="1"/>']
)
def test_cells_without_a_reference_widen_the_grid_however_spelled(spelling: str) -> None:
    # each cell without r="A1" sits after its neighbour: 1000 of them make 1005 columns
    data = _package('<row r="4">' + spelling * 1000 + "</row>")
    scan = scan_package(data, "xlsx", Limits())
    assert scan.cells == {_PART: 4 * 1005}
    assert scan.refused == {}
    assert _PART in scan_package(data, "xlsx", Limits(max_cells=4000)).refused


def test_an_ordinary_sheet_is_measured_exactly() -> None:
    assert scan_package(_package(""), "xlsx", Limits()).cells == {_PART: 3 * 5}


@pytest.mark.parametrize(
    ("tail", "block"),
    [
        (b"", b"<!DOCTYPE x>"),
        (b"...<!DOC", b"TYPE x>"),  # split between two chunks
        (b"", "<!ENTITY".encode("utf-16-le")),
        (b"", "<!DOCTYPE".encode("utf-16-be")),
    ],
)
def test_a_dtd_is_refused_wherever_its_bang_falls(tail: bytes, block: bytes) -> None:
    with pytest.raises(UnreadableFile, match="DOCTYPE/ENTITY"):
        refuse_dtd(block, "x.xml", tail)
    refuse_dtd(block.replace(b"!", b"?"), "x.xml", tail.replace(b"!", b"?"))
