"""Raw cell grids from each format: workbooks via python-calamine, CSV and HTML by hand.

Grids keep the sheet's absolute coordinates (row index + 1 is the Excel row number), so
every issue can point at the row the clerk sees.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import numpy as np
import numpy.typing as npt
from python_calamine import (
    CalamineError,
    CalamineWorkbook,
    PasswordError,
    SheetMetadata,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from fivestar.io.csv_rows import Slip, csv_rows
from fivestar.io.formulas import blank_formula_cells
from fivestar.io.html_table import read_html_tables
from fivestar.io.limits import Limits, UnreadableFile, check_grid, too_many_cells
from fivestar.io.number_formats import as_shown, formatted_cells, percent_cells
from fivestar.io.ods_merges import ods_merged_cells
from fivestar.io.ods_percent import PercentColumns, ods_percent_cells
from fivestar.io.package_scan import PackageScan, scan_package
from fivestar.io.sources import is_excel_ole
from fivestar.io.text_bounds import check_html, check_text
from fivestar.issues import Message, message

Cell = int | float | str | bool | date | datetime | time | timedelta | None
Row = Sequence[Cell]
Span = tuple[tuple[int, int], tuple[int, int]]

WORKBOOK_FORMATS = frozenset({"xlsx", "xlsm", "xls", "ods"})
FALLBACK_ENCODINGS = ("utf-8", "gb18030")


@dataclass
class Grid:
    name: str | None  # None for a CSV (and a page with a single HTML table): no sheet to name
    rows: list[Row]
    merged: list[Span] | None = None  # None when the format cannot tell
    blank_formulas: frozenset[tuple[int, int]] = frozenset()
    # column → rows of number cells shown in percent (.xlsx: by their format; .ods: typed
    # percentage): the reader takes them as percent in rate columns
    percent: dict[int, npt.NDArray[np.int64]] = field(default_factory=dict)
    # row → a cell that cannot be trusted (CSV: a stray quote, a line break in a cell)
    slips: dict[int, Slip] = field(default_factory=dict)


@dataclass
class LoadedFile:
    grids: list[Grid]
    skipped: list[str]  # "name: reason"
    encoding: str | None = None
    refused: list[tuple[str, Message]] = field(default_factory=list)  # (sheet, why): too large


def _trim(rows: list[Row]) -> list[Row]:
    """Drop trailing rows with no content: they are formatting, not rows a clerk typed."""
    end = len(rows)
    while end and all(c is None or c == "" for c in rows[end - 1]):
        end -= 1
    return rows[:end]


def _pad(rows: list[list[str]]) -> list[Row]:
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def _valid_ole_header(data: bytes) -> bool:
    """A compound file header that parses: byte order FFFE, 512- or 4096-byte sectors."""
    return data[28:30] == b"\xfe\xff" and data[30:32] in (b"\x09\x00", b"\x0c\x00")


def _open_workbook(data: bytes, fmt: str) -> CalamineWorkbook:
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError as err:
        raise UnreadableFile(message("encrypted")) from err
    except CalamineError as err:
        if fmt == "xls" and _valid_ole_header(data) and not is_excel_ole(data):
            raise UnreadableFile(message("ole-not-workbook")) from err
        raise UnreadableFile(message("corrupt-format", format=fmt, detail=_one_line(err))) from err
    except Exception as err:
        raise UnreadableFile(message("corrupt-file", detail=_one_line(err))) from err
    except BaseException as err:  # a Rust panic surfaces as a BaseException
        if isinstance(err, KeyboardInterrupt | SystemExit | GeneratorExit):
            raise
        raise UnreadableFile(message("corrupt-file", detail=_one_line(err))) from err


def _load_workbook(data: bytes, fmt: str, wanted: tuple[str, ...], limits: Limits) -> LoadedFile:
    # zip packages are streamed once before calamine sees them: sizes, entities, extents
    scan = scan_package(data, fmt, limits) if fmt != "xls" else PackageScan()
    ods_percent = _check_ods(data, scan, limits) if fmt == "ods" else {}
    ods_merged = ods_merged_cells(data) if fmt == "ods" else {}  # calamine has none for ODS
    book = _open_workbook(data, fmt)
    ooxml = fmt in ("xlsx", "xlsm")
    formulas = blank_formula_cells(data) if ooxml else {}
    shown = formatted_cells(data) if ooxml else {}
    grids: list[Grid] = []
    skipped: list[str] = []
    refused: list[tuple[str, Message]] = []
    budget = limits.max_cells  # cells left for this file's grids, all sheets together
    names = [meta.name for meta in book.sheets_metadata]
    unplaced = [reason for sheet, reason in scan.refused.items() if sheet not in names]
    if unplaced:  # a refused sheet part that no sheet name leads to: refuse the file
        raise UnreadableFile(unplaced[0])
    if wanted and not set(wanted) & set(names):
        raise UnreadableFile(
            message("no-such-sheet", wanted="、".join(wanted), names="、".join(names))
        )
    with book:
        for meta in book.sheets_metadata:
            not_read = _not_read(meta, wanted)
            if not_read:
                skipped.append(f"{meta.name}: {not_read}")
                continue
            reason = scan.refused.get(meta.name)
            if reason is None and scan.cells.get(meta.name, 0) > budget:
                total = limits.max_cells - budget + scan.cells[meta.name]
                reason = too_many_cells(total, limits, "各工作表合计")
            if reason is not None:
                refused.append((meta.name, reason))
                skipped.append(f"{meta.name}: {reason}")
                continue
            loaded = _sheet_rows(book, meta.name, budget, limits)
            if isinstance(loaded, Message):
                refused.append((meta.name, loaded))
                skipped.append(f"{meta.name}: {loaded}")
                continue
            rows, merged = loaded
            if fmt == "ods":
                merged = ods_merged.get(meta.name, [])
            cells = shown.get(meta.name, {})
            as_shown(rows, cells)
            rows = _trim(rows)
            if not rows:
                skipped.append(f"{meta.name}: 空工作表")
                continue
            budget -= len(rows) * max((len(r) for r in rows), default=0)
            grids.append(
                Grid(
                    name=meta.name,
                    rows=rows,
                    merged=merged,
                    blank_formulas=formulas.get(meta.name, frozenset()),
                    percent=ods_percent.get(meta.name) or percent_cells(cells),
                )
            )
    if not grids and refused:
        raise UnreadableFile(refused[0][1])
    return LoadedFile(grids=grids, skipped=skipped, refused=refused)


def _check_ods(data: bytes, scan: PackageScan, limits: Limits) -> dict[str, PercentColumns]:
    """Refuse an ODS too large as a whole (calamine loads every table of an ODS when it opens
    the file), else find its cells typed percentage: calamine reads 100% as 1.0."""
    if scan.refused:
        raise UnreadableFile(next(iter(scan.refused.values())))
    total = sum(scan.cells.values())
    if total > limits.max_cells:
        raise UnreadableFile(too_many_cells(total, limits, "各工作表合计"))
    return ods_percent_cells(data)


def _not_read(meta: SheetMetadata, wanted: tuple[str, ...]) -> str | None:
    """Why a sheet is passed over without reading it, or None to read it."""
    if wanted and meta.name not in wanted:
        return "未被选中（只读取指定的工作表）"
    if meta.typ not in (SheetTypeEnum.WorkSheet,):
        return "不是工作表（图表或宏表）"
    # A sheet picked by name with --sheet is read even when hidden: the user asked.
    if meta.visible != SheetVisibleEnum.Visible and not wanted:
        return "隐藏的工作表"
    return None


def _sheet_rows(
    book: CalamineWorkbook, name: str, budget: int, limits: Limits
) -> tuple[list[Row], list[Span] | None] | Message:
    """A sheet's rows, or the reason it is refused: its dense grid is checked against what
    is left of the file's cell budget before calamine turns it into Python objects."""
    try:
        sheet = book.get_sheet_by_name(name)
        cells = sheet.height * sheet.width
        if cells > budget:
            return too_many_cells(cells + limits.max_cells - budget, limits, "工作表")
        return list(sheet.to_python(skip_empty_area=False)), sheet.merged_cell_ranges
    except Exception as err:
        raise UnreadableFile(message("corrupt-sheet", sheet=name, detail=_one_line(err))) from err
    except BaseException as err:  # a Rust panic surfaces as a BaseException
        if isinstance(err, KeyboardInterrupt | SystemExit | GeneratorExit):
            raise
        raise UnreadableFile(message("corrupt-sheet", sheet=name, detail=_one_line(err))) from err


def _one_line(err: BaseException) -> str:
    text = " ".join(str(err).split())
    return text[:200] or type(err).__name__


def decode_text(data: bytes, encoding: str | None) -> tuple[str, str]:
    """Decode strictly: the override if given, else a BOM, else UTF-8 then GB18030."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as err:
            raise UnreadableFile(
                message("undecodable", encoding=encoding, at=err.start + 1)
            ) from err
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as err:
            raise UnreadableFile(message("bad-utf8-bom")) from err
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as err:
            raise UnreadableFile(message("bad-utf16")) from err
    for candidate in FALLBACK_ENCODINGS:
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(message("unknown-encoding"))


def _delimiter(text: str) -> str:
    # Excel's "Unicode text" export is tab-separated; everything else clerks make is commas.
    head = text[:4096]
    return "\t" if head.count("\t") > head.count(",") else ","


def _load_csv(data: bytes, encoding: str | None, limits: Limits) -> LoadedFile:
    check_text(data, limits, "CSV")
    text, used = decode_text(data, encoding)
    try:
        rows, slips = csv_rows(text, _delimiter(text))
    except csv.Error as err:
        raise UnreadableFile(message("csv-malformed", detail=_one_line(err))) from err
    del text
    check_grid(len(rows), max((len(r) for r in rows), default=0), limits, "CSV 表格")
    grid_rows = _trim(_pad(rows))
    if not grid_rows:
        raise UnreadableFile(message("no-content"))
    grid = Grid(name=None, rows=grid_rows, slips=slips)
    return LoadedFile(grids=[grid], skipped=[], encoding=used)


def _load_html(data: bytes, encoding: str | None, limits: Limits) -> LoadedFile:
    check_html(data, limits)
    text, used = decode_text(data, encoding)
    tables = read_html_tables(text)
    if not tables:
        raise UnreadableFile(message("html-no-table"))
    single = len(tables) == 1
    grids = [
        Grid(
            name=None if single else f"表格{i}",
            rows=_trim(_pad(table.rows)),
            merged=table.merged,
        )
        for i, table in enumerate(tables, start=1)
    ]
    return LoadedFile(grids=[g for g in grids if g.rows], skipped=[], encoding=used)


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
    if fmt in WORKBOOK_FORMATS:
        return _load_workbook(data, fmt, sheets, limits)
    if fmt == "html":
        return _load_html(data, encoding, limits)
    return _load_csv(data, encoding, limits)
