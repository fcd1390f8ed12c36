"""The hostile corpus: broken, malicious and oversized input files, generated into a folder.

(A plain module beside the tests, imported by name: tests/ is not a package.)

Every builder writes one file (or makes one path) and returns it; `CASES` names each with
the outcome a clerk should see: a file-level issue whose reason holds `words`, or the file
read as data (`words` None). Nothing here is downloaded: every file is made from bytes.
"""

from __future__ import annotations

import csv
import io
import os
import random
import struct
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter

from tests.conftest import TIDY_HEADER, zip_ods

MONTH = "2014-04"
HEADER = TIDY_HEADER
MiB = 1024 * 1024


def officer_row(number: int, name: str | None = None) -> list[Any]:
    return [
        f"37140{number:05d}",
        name if name is not None else f"民警{number}",
        "武城县局",
        "城关派出所",
        85 + number % 7,
        "100%",
        "100%",
        "100%",
        3,
        3,
        3,
        4,
        3,
    ]


def write_xlsx(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    sheet = book.add_worksheet("Sheet1")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    book.close()
    return path


def write_csv(path: Path, rows: Sequence[Sequence[Any]], encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        csv.writer(handle).writerows(rows)
    return path


def good_rows(count: int, start: int = 1) -> list[list[Any]]:
    return [HEADER, *(officer_row(n) for n in range(start, start + count))]


# -- raw OOXML packages -------------------------------------------------------------------

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_xml(
    rows: Sequence[Sequence[Any]],
    *,
    dimension: str | None = None,
    extra_cells: str = "",
    prolog: str = "",
) -> str:
    """A worksheet with inline strings and numbers; `extra_cells` is raw XML after the rows."""
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}']
    out.append(f'<worksheet xmlns="{_MAIN}">')
    if dimension:
        out.append(f'<dimension ref="{dimension}"/>')
    out.append("<sheetData>")
    for r, row in enumerate(rows, start=1):
        out.append(f'<row r="{r}">')
        for c, value in enumerate(row):
            ref = f"{_column(c)}{r}"
            if isinstance(value, int | float):
                out.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                out.append(f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>')
        out.append("</row>")
    out.append(extra_cells)
    out.append("</sheetData></worksheet>")
    return "".join(out)


def write_package(
    path: Path, sheet: str, shared: str | None = None, members: dict[str, bytes] | None = None
) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        archive.writestr(
            "xl/sharedStrings.xml",
            shared or f'<?xml version="1.0"?><sst xmlns="{_MAIN}" count="0" uniqueCount="0"/>',
        )
        for name, data in (members or {}).items():
            archive.writestr(name, data)
    return path


LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)


def billion_laughs_shared(path: Path) -> Path:
    shared = (
        f'<?xml version="1.0" encoding="UTF-8"?>{LAUGHS}'
        f'<sst xmlns="{_MAIN}" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    )
    rows = good_rows(3)
    sheet = sheet_xml(rows, extra_cells='<row r="9"><c r="A9" t="s"><v>0</v></c></row>')
    return write_package(path, sheet, shared)


def billion_laughs_sheet(path: Path) -> Path:
    rows = good_rows(3)
    extra = '<row r="9"><c r="B9" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    return write_package(path, sheet_xml(rows, extra_cells=extra, prolog=LAUGHS))


def absurd_dimension(path: Path) -> Path:
    return write_package(path, sheet_xml(good_rows(3), dimension="A1:XFD1048576"))


def far_cell(path: Path) -> Path:
    """No dimension element, but one cell at the sheet's last row and column."""
    extra = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return write_package(path, sheet_xml(good_rows(3), extra_cells=extra))


def far_cell_quoted(path: Path) -> Path:
    """The far cell as calamine also reads it: single quotes, lower case, spaces."""
    extra = "<row r = '1048576'><c r = 'xfd1048576'><v>1</v></c></row>"
    return write_package(path, sheet_xml(good_rows(3), extra_cells=extra))


def far_cell_hidden(path: Path) -> Path:
    """The far cell behind a ">" in another attribute's value, and as a second r."""
    extra = '<row r="1048576"><c x=">" r="A1048576"/><c r="A9" r="XFD1048576"/></row>'
    return write_package(path, sheet_xml(good_rows(3), extra_cells=extra))


def zip_bomb(path: Path, unpacked: int = 300 * MiB) -> Path:
    """An honest bomb: a padding member that declares its 300 MiB (compresses ~1000:1)."""
    write_package(path, sheet_xml(good_rows(3)))
    chunk = b" " * MiB
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/media/padding.bin", "w", force_zip64=True) as member,
    ):
        for _ in range(unpacked // MiB):
            member.write(chunk)
    return path


def lying_zip(path: Path, unpacked: int = 64 * MiB) -> Path:
    """A bomb whose headers understate the sheet's size: declares 600 bytes, inflates to 64 MiB."""
    sheet = sheet_xml(good_rows(3))
    padding = " " * (unpacked - len(sheet))
    real = sheet.replace("<sheetData>", "<sheetData>" + padding, 1).encode()
    write_package(path, "x")  # placeholder sheet, replaced below
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(path) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = real if info.filename == "xl/worksheets/sheet1.xml" else source.read(info)
            target.writestr(info.filename, data)
    patched = bytearray(buffer.getvalue())
    # Patch the declared uncompressed size (local header and central directory) to 600.
    name = b"xl/worksheets/sheet1.xml"
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = 0
        while (at := patched.find(signature, at)) >= 0:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if patched[name_at : name_at + len(name)] == name:
                struct.pack_into("<I", patched, at + size_at, 600)
            at += 4
    path.write_bytes(bytes(patched))
    return path


def _ods_cell(value: Any, repeat: int = 1) -> str:
    times = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    if value is None:
        return f"<table:table-cell{times}/>"
    if isinstance(value, int | float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}"{times}>'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="string"{times}><text:p>{value}</text:p>'
        "</table:table-cell>"
    )


def write_ods(path: Path, rows_xml: str) -> Path:
    """An OpenDocument spreadsheet with one table whose rows are `rows_xml`."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Sheet1">'
        f"{rows_xml}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    return zip_ods(path, content)


def ods_rows(rows: Sequence[Sequence[Any]]) -> str:
    return "".join(
        f"<table:table-row>{''.join(_ods_cell(v) for v in row)}</table:table-row>" for row in rows
    )


def good_ods(path: Path) -> Path:
    """What LibreOffice writes: the data, then empty rows and cells repeated to the edge."""
    tail = (
        '<table:table-row table:number-rows-repeated="1048570">'
        '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
    )
    return write_ods(path, ods_rows(good_rows(4, start=700)) + tail)


def ods_repeated(path: Path) -> Path:
    """An ODS whose one valued cell is repeated over 16384 columns × 1048575 rows."""
    bomb = (
        '<table:table-row table:number-rows-repeated="1048575">'
        f"{_ods_cell(1, 16384)}</table:table-row>"
    )
    return write_ods(path, ods_rows([HEADER]) + bomb)


# -- OLE2 (compound file) -----------------------------------------------------------------

_FREE, _END, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _dir_entry(
    name: str, kind: int, start: int, size: int, right: int = _NOSTREAM, child: int = _NOSTREAM
) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB", len(encoded), kind, 1 if kind else 0)
        + struct.pack("<III", _NOSTREAM, right, child)
        + bytes(16 + 4 + 16)
        + struct.pack("<IQ", start, size)
    )


def compound_file(streams: Sequence[tuple[str, bytes]]) -> bytes:
    """A minimal valid compound file (CFB v3, 512-byte sectors) holding `streams`.

    Each stream is padded to ≥ 4096 bytes so it lives in regular sectors (no mini stream);
    the root's children are chained as right siblings in CFB name order (length, then name).
    """
    ordered = sorted(streams, key=lambda s: (len(s[0]), s[0].upper()))
    padded = [(name, data.ljust(4096, b"\0")) for name, data in ordered]
    fat: list[int] = [_FATSECT, _END]  # sector 0: the FAT, sector 1: the directory
    starts: list[int] = []
    for _, data in padded:
        count = -(-len(data) // 512)
        first = len(fat)
        starts.append(first)
        fat.extend(range(first + 1, first + count))
        fat.append(_END)
    if len(fat) > 128 or len(padded) > 3:
        raise ValueError("compound_file: keep it to one FAT and one directory sector")
    fat.extend([_FREE] * (128 - len(fat)))
    entries = [_dir_entry("Root Entry", 5, _END, 0, child=1 if padded else _NOSTREAM)]
    for i, (name, data) in enumerate(padded):
        right = i + 2 if i + 1 < len(padded) else _NOSTREAM
        entries.append(_dir_entry(name, 2, starts[i], len(data), right=right))
    while len(entries) < 4:
        entries.append(_dir_entry("", 0, 0, 0))
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, _END, 0, _END, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", _FREE) * 108
    )
    body = struct.pack("<128I", *fat) + b"".join(entries)
    return (
        header
        + body
        + b"".join(data.ljust(-(-len(data) // 512) * 512, b"\0") for _, data in padded)
    )


def encrypted_xlsx(path: Path) -> Path:
    """What Excel writes for a workbook with an open password: a compound file whose
    EncryptionInfo and EncryptedPackage streams hold the encrypted zip."""
    rng = random.Random(7)
    info = struct.pack("<HHI", 4, 4, 0x40) + b"<?xml version='1.0'?><encryption/>"
    package = struct.pack("<Q", 9000) + bytes(rng.randrange(256) for _ in range(9000))
    path.write_bytes(compound_file([("EncryptionInfo", info), ("EncryptedPackage", package)]))
    return path


def corrupt_xls(path: Path) -> Path:
    rng = random.Random(11)
    path.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(rng.randrange(256) for _ in range(5000))
    )
    return path


def ole_without_workbook(path: Path) -> Path:
    """A valid compound file (say a Word 97 document) named .xls: no Workbook stream."""
    path.write_bytes(compound_file([("WordDocument", b"\xec\xa5" + bytes(5000))]))
    return path


def truncated_xlsx(path: Path) -> Path:
    whole = write_xlsx(path, good_rows(20)).read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    return path


def binary_junk(path: Path) -> Path:
    rng = random.Random(3)
    path.write_bytes(bytes(rng.randrange(256) for _ in range(20000)))
    return path


def html_without_table(path: Path) -> Path:
    path.write_text(
        "<!DOCTYPE html><html><head><title>系统提示</title></head>"
        "<body><p>会话已过期，请重新登录。Session expired.</p></body></html>",
        encoding="utf-8",
    )
    return path


def html_span_bomb(path: Path) -> Path:
    """A page whose cells each claim 1000 × 1000 merged cells."""
    cells = '<td rowspan="1000" colspan="1000">x</td>' * 200
    path.write_text(f"<html><body><table><tr>{cells}</tr></table></body></html>", encoding="utf-8")
    return path


def csv_named_xlsx(path: Path) -> Path:
    return write_csv(path, good_rows(4, start=500))


def csv_gb18030_named_xls(path: Path) -> Path:
    return write_csv(path, good_rows(4, start=600), encoding="gb18030")


def csv_too_many_cells(path: Path) -> Path:
    """A CSV that is small on disk but explodes into cells: 4 million empty cells."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write(",".join(HEADER) + "\n")
        handle.write(("," * 39_999 + "\n") * 100)
    return path


def csv_wide_row(path: Path) -> Path:
    """One very wide row over many short ones: padding would make rows × width cells."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write(",".join(HEADER) + "\n")
        handle.write("," * 200_000 + "\n")
        handle.write("1\n" * 50_000)
    return path


def empty_file(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def whitespace_file(path: Path) -> Path:
    path.write_bytes(b" \r\n\t\r\n")
    return path


def plain_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return path


def xml_2003(path: Path) -> Path:
    path.write_text('<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:'
                    'office:spreadsheet"/>', encoding="utf-8")  # fmt: skip
    return path


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def directory_named_xlsx(path: Path) -> Path:
    path.mkdir()
    return path


def missing(path: Path) -> Path:
    return path


def good_xlsx(path: Path) -> Path:
    return write_xlsx(path, good_rows(5, start=100))


@dataclass(frozen=True)
class Case:
    name: str  # the file name in the corpus (its extension is what a clerk would see)
    build: Callable[[Path], Path]
    words: str | None  # a fragment of the one-line reason; None: the file is read as data
    what: str  # the case in words, for docs/RELIABILITY.md
    alone: bool = False  # a bomb: measured in a run of its own (time and memory)


CASES: tuple[Case, ...] = (
    Case("good.xlsx", good_xlsx, None, "a tidy workbook (control)"),
    Case("empty.xlsx", empty_file, "0 字节", "zero-byte file"),
    Case("blank.csv", whitespace_file, "只有空白", "only whitespace"),
    Case("truncated.xlsx", truncated_xlsx, "损坏", "xlsx cut in half (truncated zip)"),
    Case("corrupt.xls", corrupt_xls, "损坏", "OLE2 header followed by junk"),
    Case(
        "word.xls", ole_without_workbook, "不是 Excel", "a valid OLE2 file with no Workbook stream"
    ),
    Case("encrypted.xlsx", encrypted_xlsx, "加密", "password-protected (EncryptedPackage)"),
    Case("csv-named.xlsx", csv_named_xlsx, None, "a CSV saved as .xlsx (read as CSV)"),
    Case("gbk-named.xls", csv_gb18030_named_xls, None, "a GB18030 CSV saved as .xls"),
    Case("page.xls", html_without_table, "没有表格", "an HTML page with no table, as .xls"),
    Case(
        "spans.xls", html_span_bomb, "过大", "HTML cells with rowspan/colspan 1000×1000", alone=True
    ),
    Case("junk.xlsx", binary_junk, "二进制", "20 kB of random bytes"),
    Case("other.xlsx", plain_zip, "不是 Excel", "a zip that is not a workbook"),
    Case("excel2003.xls", xml_2003, "XML", "Excel 2003 XML spreadsheet"),
    Case("bomb.xlsx", zip_bomb, "解压后", "zip bomb: 300 MiB declared", alone=True),
    Case("lying.xlsx", lying_zip, "损坏", "zip bomb: sizes understated in the headers", alone=True),
    Case(
        "laughs-shared.xlsx",
        billion_laughs_shared,
        "实体",
        "billion laughs in sharedStrings",
        alone=True,
    ),
    Case(
        "laughs-sheet.xlsx",
        billion_laughs_sheet,
        "实体",
        "billion laughs in the sheet XML",
        alone=True,
    ),
    Case("dimension.xlsx", absurd_dimension, "过大", 'dimension ref="A1:XFD1048576"', alone=True),
    Case("far-cell.xlsx", far_cell, "过大", "one cell at XFD1048576, no dimension", alone=True),
    Case(
        "far-cell-hidden.xlsx",
        far_cell_hidden,
        "过大",
        'x=">" before r; r="A9" r="XFD1048576"',
        alone=True,
    ),
    Case(
        "far-cell-quoted.xlsx",
        far_cell_quoted,
        "过大",
        "r = 'xfd1048576', as calamine reads it",
        alone=True,
    ),
    Case("good.ods", good_ods, None, "an ODS as LibreOffice saves it (repeated empty edge)"),
    Case("repeated.ods", ods_repeated, "过大", "ODS cell repeated 16384 × 1048575", alone=True),
    Case("cells.csv", csv_too_many_cells, "过大", "4 million empty CSV cells in 4 MB", alone=True),
    Case("wide.csv", csv_wide_row, "过大", "one 200 000-column row over 50 000 rows", alone=True),
    Case("pipe.csv", fifo, "不是普通文件", "a named pipe (FIFO): reading would block"),
    Case("folder.xlsx", directory_named_xlsx, "没有表格文件", "a folder named .xlsx, empty"),
    Case("missing.xlsx", missing, "不存在", "a path that does not exist"),
)


def build_corpus(folder: Path, cases: Sequence[Case] = CASES) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return {case.name: case.build(folder / case.name) for case in cases}
