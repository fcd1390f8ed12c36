"""Bounds checked before a file is parsed, so no input can exhaust memory or time.

A county export is a few MB and a few thousand rows. What is far larger is a mistake or a
bomb, and is refused with a one-line reason *before* the expensive reader sees it:

- the file itself (bytes on disk), and CSV/HTML text (decoded text can take 4× its bytes);
- zip packages (xlsx, xlsm, ods): the declared uncompressed total, then every member is
  streamed once through `zipfile`, which stops at the declared size, so a member that
  inflates beyond what its header says is caught as corrupt rather than trusted;
- XML with a DOCTYPE or entity declarations (billion laughs): OOXML and ODF never need one;
- cells: a worksheet's declared `<dimension>`, its real extent (the last row and column any
  cell names), ODS repeated rows/columns, CSV delimiters, HTML rowspan × colspan: a reader
  builds a dense grid of rows × columns, so the grid, not the file, is what is bounded.

Each check raises `UnreadableFile` (the whole file) or reports a sheet to skip.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from defusedxml import ElementTree

MiB = 1024 * 1024
DEFAULT_MAX_UNPACKED = 256 * MiB  # --max-unpacked
MAX_FILE_BYTES = 100 * MiB  # any input file, on disk
MAX_TEXT_BYTES = 50 * MiB  # a CSV or HTML file
# Cells of one file's dense grids (all its sheets): 150 000 officers × 20 columns. About
# 200 bytes a cell from reader to frame keeps one file well under 1 GiB.
MAX_CELLS = 3_000_000

_CHUNK = MiB
_DTD_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
_TAIL = 32  # bytes kept between chunks so a marker split across two chunks is still seen


class UnreadableFile(Exception):
    """The file cannot be read at all; the message is the one-line, user-facing reason."""


@dataclass(frozen=True)
class Limits:
    max_unpacked: int = DEFAULT_MAX_UNPACKED
    max_cells: int = MAX_CELLS
    max_file_bytes: int = MAX_FILE_BYTES
    max_text_bytes: int = MAX_TEXT_BYTES


def _mib(size: int) -> str:
    return f"{size / MiB:.0f} MB" if size >= MiB else f"{size} 字节"


def _cells(count: int) -> str:
    if count >= 100_000_000:
        return f"{count / 100_000_000:,.0f} 亿"
    return f"{count / 10_000:,.0f} 万" if count >= 10_000 else str(count)


def too_many_cells(count: int, limits: Limits, what: str = "表格") -> str:
    """The one-line reason for a grid over the cell limit."""
    return (
        f"{what}过大（约 {_cells(count)} 个单元格 / cells，上限 {_cells(limits.max_cells)}），"
        "疑似损坏或恶意文件；请删去多余的行列后另存"
    )


def check_file_size(size: int, limits: Limits) -> None:
    if size > limits.max_file_bytes:
        raise UnreadableFile(
            f"文件过大（{_mib(size)}，上限 {_mib(limits.max_file_bytes)}），"
            "不像一个县局的月报表 (file too large)"
        )


# -- zip packages -------------------------------------------------------------------------


@dataclass
class PackageScan:
    """What streaming a zip package found: sheets to refuse, by name, with the reason."""

    refused: dict[str, str] = field(default_factory=dict)
    cells: dict[str, int] = field(default_factory=dict)  # sheet name → dense grid estimate


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters:
        number = number * 26 + (char - 64)
    return number


def _ref_size(ref: bytes) -> int | None:
    """Cells of an A1:B2 range reference, or None when it does not parse."""
    match = re.fullmatch(rb"\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?", ref)
    if not match:
        return None
    c1, r1, c2, r2 = match.groups()
    c2, r2 = c2 or c1, r2 or r1
    rows = abs(int(r2) - int(r1)) + 1
    cols = abs(_column_number(c2) - _column_number(c1)) + 1
    return rows * cols


def _stream(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member's bytes in chunks, each prefixed with the previous chunk's tail."""
    tail = b""
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            yield tail + chunk
            tail = chunk[-_TAIL:]


def _refuse_dtd(block: bytes, name: str) -> None:
    if any(marker in block for marker in _DTD_MARKERS):
        raise UnreadableFile(
            f"文件含有 XML 实体声明（DOCTYPE/ENTITY，见 {name}），疑似恶意文件，已拒绝读取；"
            "请用 Excel 或 WPS 打开后另存"
        )


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="([^"]+)"')
# What every writer emits (r is the first attribute, no namespace prefix) is matched by the
# fast patterns; a block where they do not account for every element is scanned again with
# the general ones.
_FAST_ROW_REF = re.compile(rb'<row r="(\d+)"')
_FAST_CELL_ROW = re.compile(rb'<c r="[A-Z]{1,3}(\d+)"')
_FAST_CELL_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})\d')
_ROW_REF = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d+)"')
_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})(\d+)"')
_ANY_CELL = re.compile(rb"<(?:\w+:)?c[\s/>]")
_ANY_ROW = re.compile(rb"<(?:\w+:)?row[\s/>]")


def _count(block: bytes, tag: bytes, general: re.Pattern[bytes]) -> int:
    """Elements named `tag` in `block`: a byte count unless a namespace prefix is in use."""
    if b":" + tag in block:
        return len(general.findall(block))
    return sum(block.count(b"<" + tag + end) for end in (b" ", b">", b"/", b"\t", b"\n", b"\r"))


@dataclass
class _Extent:
    """The dense grid a worksheet will become: its last row and column, from every cell.

    Cells and rows without an r="A1" reference sit right after their neighbours, so each
    one can push the grid out by at most one: the bound adds them.
    """

    rows: int = 0
    cols: int = 0
    unplaced_rows: int = 0
    unplaced_cells: int = 0

    def feed(self, block: bytes) -> None:
        # `block` holds whole elements only (see _whole_elements)
        cells, rows = _count(block, b"c", _ANY_CELL), _count(block, b"row", _ANY_ROW)
        row_refs = _FAST_ROW_REF.findall(block)
        if len(row_refs) != rows:
            row_refs = _ROW_REF.findall(block)
        cell_rows = _FAST_CELL_ROW.findall(block)
        if len(cell_rows) == cells:
            cell_columns = set(_FAST_CELL_COLUMN.findall(block))
        else:
            refs = _CELL_REF.findall(block)
            cell_rows = [row for _, row in refs]
            cell_columns = {col for col, _ in refs}
        self.unplaced_rows += rows - len(row_refs)
        self.unplaced_cells += cells - len(cell_rows)
        numbers = {int(row) for row in set(row_refs) | set(cell_rows)}
        columns = {_column_number(col) for col in cell_columns}
        self.rows = max(self.rows, *numbers) if numbers else self.rows
        self.cols = max(self.cols, *columns) if columns else self.cols

    def grid(self) -> int:
        rows = self.rows + max(self.unplaced_rows, 0)
        cols = self.cols + max(self.unplaced_cells, 0)
        return rows * cols


def _whole_elements(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Re-cut a stream at '>' so no element is split between two blocks."""
    carry = b""
    for chunk in chunks:
        block = carry + chunk
        cut = block.rfind(b">") + 1
        carry = block[cut:]
        if len(carry) > 4 * _CHUNK:  # no '>' for megabytes: not XML any reader accepts
            raise UnreadableFile("文件已损坏（XML 结构无效 / invalid XML），请重新导出")
        yield block[:cut]
    if carry:
        yield carry


def _member_chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            yield chunk


def _scan_sheet(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits
) -> tuple[int, str | None]:
    """(dense grid estimate, refusal reason or None) of one OOXML worksheet."""
    extent = _Extent()
    first = True
    tail = b""
    for block in _whole_elements(_member_chunks(archive, info)):
        _refuse_dtd(tail + block, info.filename)
        tail = block[-_TAIL:]
        if first:
            first = False
            match = _DIMENSION.search(block[:8192])
            declared = _ref_size(match.group(1)) if match else None
            if declared is not None and declared > limits.max_cells:
                ref = match.group(1).decode("ascii", "replace") if match else ""
                return declared, (
                    f"工作表声明的范围过大（dimension {ref}，约 {_cells(declared)} 个单元格 / "
                    f"cells，上限 {_cells(limits.max_cells)}），疑似损坏或恶意文件"
                )
        extent.feed(block)
    grid = extent.grid()
    if grid > limits.max_cells:
        return grid, too_many_cells(grid, limits, "工作表")
    return grid, None


_ODS_ROW = re.compile(rb"<table:table-row\b([^>]*?)(/?)>")
_ODS_TABLE = re.compile(rb'<table:table\b[^>]*?\btable:name="([^"]*)"')
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell\b([^>]*?)(/?)>")
_ROWS_REPEATED = re.compile(rb'number-rows-repeated="(\d+)"')
_COLS_REPEATED = re.compile(rb'number-columns-repeated="(\d+)"')
_VALUED = re.compile(rb"office:value-type=")


@dataclass
class _OdsTable:
    rows: int = 0  # rows up to the last row holding a value
    cols: int = 0  # columns up to the last valued cell, over all rows
    pending: int = 0  # empty rows seen since the last valued row


def _ods_row_width(body: bytes) -> tuple[int, bool]:
    """Columns of one row up to its last valued cell (with repeats), and whether it has one."""
    width, last = 0, 0
    for attrs, _ in _ODS_CELL.findall(body):
        repeat = _COLS_REPEATED.search(attrs)
        width += int(repeat.group(1)) if repeat else 1
        if _VALUED.search(attrs):
            last = width
    return last, last > 0


def _scan_ods(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> dict[str, int]:
    """Table name → dense grid estimate, from content.xml's rows and repeat counts."""
    tables: dict[str, _OdsTable] = {}
    current: _OdsTable | None = None
    carry = b""
    tail = b""
    for chunk in _member_chunks(archive, info):
        _refuse_dtd(tail + chunk, info.filename)
        tail = chunk[-_TAIL:]
        block = carry + chunk
        # process whole rows only; keep the unfinished one for the next chunk
        end = block.rfind(b"</table:table-row>")
        start = block.rfind(b"<table:table-row")
        cut = len(block) if start <= end else start
        if end < 0 and start < 0:
            cut = len(block)
        carry, block = block[cut:], block[:cut]
        pos = 0
        for match in _ODS_ROW.finditer(block):
            for table in _ODS_TABLE.finditer(block, pos, match.start()):
                current = tables.setdefault(table.group(1).decode("utf-8", "replace"), _OdsTable())
            if current is None:
                current = tables.setdefault("", _OdsTable())
            attrs, empty = match.group(1), match.group(2)
            close = match.end() if empty else block.find(b"</table:table-row>", match.end())
            body = b"" if empty or close < 0 else block[match.end() : close]
            repeat = _ROWS_REPEATED.search(attrs)
            count = int(repeat.group(1)) if repeat else 1
            width, valued = _ods_row_width(body)
            if valued:
                current.rows += current.pending + count
                current.pending = 0
                current.cols = max(current.cols, width)
            else:
                current.pending += count
            pos = close if close > 0 else match.end()
        for table in _ODS_TABLE.finditer(block, pos):
            current = tables.setdefault(table.group(1).decode("utf-8", "replace"), _OdsTable())
    return {name: t.rows * t.cols for name, t in tables.items()}


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


# Parts read whole into a tree (by this module and fivestar.io.formulas): a workbook part
# lists sheets and is a few kB; megabytes of it would only be there to exhaust memory.
_PARSED_WHOLE = frozenset({"xl/workbook.xml", "xl/_rels/workbook.xml.rels"})
_MAX_PARSED_WHOLE = 8 * MiB
_SHARED_STRING = re.compile(rb"<(?:\w+:)?si[\s/>]")


def _is_sheet_part(name: str) -> bool:
    return name.startswith(("xl/worksheets/", "xl/macrosheets/", "xl/dialogsheets/")) and (
        name.endswith(".xml")
    )


def _scan_shared_strings(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> None:
    """calamine keeps every shared string in memory: bound their number like cells."""
    strings = 0
    for block in _whole_elements(_member_chunks(archive, info)):
        _refuse_dtd(block, info.filename)
        strings += len(_SHARED_STRING.findall(block))
    if strings > limits.max_cells:
        raise UnreadableFile(too_many_cells(strings, limits, "共享字符串表 (sharedStrings)"))


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
    if lower in _PARSED_WHOLE and info.file_size > _MAX_PARSED_WHOLE:
        raise UnreadableFile(
            f"文件结构异常（{info.filename} 有 {_mib(info.file_size)}），疑似损坏或恶意文件"
        )
    if lower == "xl/sharedstrings.xml":
        _scan_shared_strings(archive, info, limits)
    elif fmt == "ods" and lower == "content.xml":
        for name, grid in _scan_ods(archive, info).items():
            scan.cells[name] = grid
            if grid > limits.max_cells:
                scan.refused[name] = too_many_cells(grid, limits, "工作表")
    elif fmt != "ods" and _is_sheet_part(info.filename):
        grid, reason = _scan_sheet(archive, info, limits)
        sheet = names.get(info.filename, info.filename)
        scan.cells[sheet] = grid
        if reason:
            scan.refused[sheet] = reason
    elif lower.endswith((".xml", ".rels", ".vml")):
        for block in _stream(archive, info):
            _refuse_dtd(block, info.filename)
    else:
        for _ in _stream(archive, info):  # every member inflated once: CRC and true size
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
        raise UnreadableFile(
            f"文件已损坏（ZIP 数据无效 / corrupt zip：{_short(err)}），请重新导出"
        ) from err
    except (zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError) as err:
        raise UnreadableFile(f"文件已损坏或使用了不支持的压缩方式（{_short(err)}）") from err
    return scan


def check_unpacked(total: int, limits: Limits) -> None:
    if total > limits.max_unpacked:
        raise UnreadableFile(
            f"文件解压后过大（{_mib(total)}，上限 {_mib(limits.max_unpacked)}，"
            "可用 --max-unpacked 调整），疑似损坏或恶意文件 (zip bomb)"
        )


def _short(err: BaseException) -> str:
    return " ".join(str(err).split())[:120] or type(err).__name__


# -- text formats -------------------------------------------------------------------------


def check_text(data: bytes, limits: Limits, what: str) -> None:
    """A CSV or HTML file: its bytes, and an upper bound of its cells, before decoding."""
    if len(data) > limits.max_text_bytes:
        raise UnreadableFile(
            f"{what}文件过大（{_mib(len(data))}，上限 {_mib(limits.max_text_bytes)}），"
            "请另存为 .xlsx (file too large)"
        )
    if what == "CSV":
        separators = max(data.count(b","), data.count(b"\t"), data.count(b";"))
        estimate = separators + data.count(b"\n") + 1
        if estimate > limits.max_cells:
            raise UnreadableFile(too_many_cells(estimate, limits, "CSV 表格"))


def check_grid(rows: int, width: int, limits: Limits, what: str = "表格") -> None:
    """A grid about to be padded to rows × width cells."""
    if rows * width > limits.max_cells:
        raise UnreadableFile(too_many_cells(rows * width, limits, what))


_HTML_CELL = re.compile(rb"<t[dh]\b([^>]*)>", re.IGNORECASE)
_HTML_ROW = re.compile(rb"<tr\b", re.IGNORECASE)
_SPAN = re.compile(rb"(row|col)span\s*=\s*[\"']?\s*(\d+)", re.IGNORECASE)
_HTML_SPAN_CAP = 1000  # what fivestar.io.html_table honours of a rowspan/colspan


def _spans(attrs: bytes) -> tuple[int, int]:
    found = {
        kind.lower(): max(1, min(int(value[:6]), _HTML_SPAN_CAP))
        for kind, value in _SPAN.findall(attrs)
    }
    return found.get(b"row", 1), found.get(b"col", 1)


def check_html(data: bytes, limits: Limits) -> None:
    """Bound an HTML page's tables before parsing: every cell claims rowspan × colspan grid
    cells, and every row is padded to the widest, so both the claimed area and
    rows × widest row must fit."""
    check_text(data, limits, "网页（HTML）")
    area, widest, tallest = 0, 0, 1
    for rows, row in enumerate(_HTML_ROW.split(data), start=1):
        width = 0
        for attrs in _HTML_CELL.findall(row):
            down, across = _spans(attrs)
            width += across
            tallest = max(tallest, down)
            area += down * across
        widest = max(widest, width)
        grid = max(area, (rows + tallest) * widest)
        if grid > limits.max_cells:
            raise UnreadableFile(too_many_cells(grid, limits, "网页中的表格"))
