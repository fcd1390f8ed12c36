"""Raw cell grids from each format: workbooks via python-calamine, CSV and HTML by hand.

Grids keep the sheet's absolute coordinates (row index + 1 is the Excel row number), so
every issue can point at the row the clerk sees.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from python_calamine import (
    CalamineError,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from fivestar.io.formulas import blank_formula_cells
from fivestar.io.html_table import read_html_tables
from fivestar.io.sources import UnreadableFile

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


@dataclass
class LoadedFile:
    grids: list[Grid]
    skipped: list[str]  # "name: reason"
    encoding: str | None = None


def _trim(rows: list[Row]) -> list[Row]:
    """Drop trailing rows with no content: they are formatting, not rows a clerk typed."""
    end = len(rows)
    while end and all(c is None or c == "" for c in rows[end - 1]):
        end -= 1
    return rows[:end]


def _pad(rows: list[list[str]]) -> list[Row]:
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def _load_workbook(data: bytes, fmt: str, wanted: tuple[str, ...]) -> LoadedFile:
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError as err:
        raise UnreadableFile("文件已加密（设有打开密码），请去掉密码后另存") from err
    except CalamineError as err:
        raise UnreadableFile(f"文件已损坏或不是有效的 {fmt} 表格：{_one_line(err)}") from err
    formulas = blank_formula_cells(data) if fmt in ("xlsx", "xlsm") else {}
    grids: list[Grid] = []
    skipped: list[str] = []
    names = [meta.name for meta in book.sheets_metadata]
    if wanted and not set(wanted) & set(names):
        raise UnreadableFile(
            f"没有名为 {'、'.join(wanted)} 的工作表（本文件的工作表：{'、'.join(names)}）"
        )
    with book:
        for meta in book.sheets_metadata:
            if wanted and meta.name not in wanted:
                skipped.append(f"{meta.name}: 未被 --sheet 选中")
                continue
            if meta.typ not in (SheetTypeEnum.WorkSheet,):
                skipped.append(f"{meta.name}: 不是工作表（图表或宏表）")
                continue
            # A sheet picked by name with --sheet is read even when hidden: the user asked.
            if meta.visible != SheetVisibleEnum.Visible and not wanted:
                skipped.append(f"{meta.name}: 隐藏的工作表")
                continue
            sheet = book.get_sheet_by_name(meta.name)
            rows: list[Row] = list(sheet.to_python(skip_empty_area=False))
            rows = _trim(rows)
            if not rows:
                skipped.append(f"{meta.name}: 空工作表")
                continue
            grids.append(
                Grid(
                    name=meta.name,
                    rows=rows,
                    merged=sheet.merged_cell_ranges,
                    blank_formulas=formulas.get(meta.name, frozenset()),
                )
            )
    return LoadedFile(grids=grids, skipped=skipped)


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
                f"无法用编码 {encoding} 解码（第 {err.start + 1} 字节），请检查 --encoding"
            ) from err
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as err:
            raise UnreadableFile("文件声明为 UTF-8（带 BOM），但内容无法按 UTF-8 解码") from err
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as err:
            raise UnreadableFile("文件声明为 UTF-16，但内容无法解码") from err
    for candidate in FALLBACK_ENCODINGS:
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(
        "无法识别文件编码（已尝试 UTF-8、GB18030），请用 --encoding 指定，如 --encoding big5"
    )


def _delimiter(text: str) -> str:
    # Excel's "Unicode text" export is tab-separated; everything else clerks make is commas.
    head = text[:4096]
    return "\t" if head.count("\t") > head.count(",") else ","


def _load_csv(data: bytes, encoding: str | None) -> LoadedFile:
    text, used = decode_text(data, encoding)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    except csv.Error as err:
        raise UnreadableFile(f"CSV 格式错误：{_one_line(err)}") from err
    grid_rows = _trim(_pad(rows))
    if not grid_rows:
        raise UnreadableFile("文件没有内容")
    return LoadedFile(grids=[Grid(name=None, rows=grid_rows)], skipped=[], encoding=used)


def _load_html(data: bytes, encoding: str | None) -> LoadedFile:
    text, used = decode_text(data, encoding)
    tables = read_html_tables(text)
    if not tables:
        raise UnreadableFile("是网页（HTML）文件，但其中没有表格")
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


def load_grids(data: bytes, fmt: str, sheets: tuple[str, ...], encoding: str | None) -> LoadedFile:
    """Every candidate grid of a file; `sheets` restricts workbooks to those names."""
    if fmt in WORKBOOK_FORMATS:
        return _load_workbook(data, fmt, sheets)
    if fmt == "html":
        return _load_html(data, encoding)
    return _load_csv(data, encoding)
