"""Workbook sheets read into grids by python-calamine: what .xlsx, .xlsm, .xls and .ods share.

Each format's reader first finds, from the package itself, what calamine does not tell or
should not be trusted with (`Found`: sheets too large to read, merges calamine has none of,
formula cells without a value, numbers shown in a format); calamine then gives the cells.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

from python_calamine import (
    CalamineError,
    CalamineWorkbook,
    PasswordError,
    SheetMetadata,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from fivestar.io.limits import Limits, UnreadableFile, too_many_cells
from fivestar.io.sheets import (
    Cells,
    Grid,
    LoadedFile,
    PercentColumns,
    Row,
    Span,
    as_shown,
    one_line,
    percent_cells,
    trim,
)
from fivestar.issues import Message, message


@dataclass
class Found:
    """What a format's own scans found, by sheet name, before calamine reads the cells."""

    refused: dict[str, Message] = field(default_factory=dict)  # too large to read, and why
    cells: dict[str, int] = field(default_factory=dict)  # dense grid estimate
    merged: dict[str, list[Span]] | None = None  # in place of calamine's (ODS: it has none)
    blank_formulas: dict[str, frozenset[tuple[int, int]]] = field(default_factory=dict)
    shown: dict[str, Cells] = field(default_factory=dict)  # numbers shown in a format
    percent: dict[str, PercentColumns] = field(default_factory=dict)  # cells typed percent


def open_workbook(
    data: bytes, fmt: str, not_a_workbook: Callable[[bytes], bool] | None = None
) -> CalamineWorkbook:
    """calamine's workbook of `data`; `not_a_workbook` tells a container that holds no
    workbook at all from a broken one, when calamine refuses it."""
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError as err:
        raise UnreadableFile(message("encrypted")) from err
    except CalamineError as err:
        if not_a_workbook is not None and not_a_workbook(data):
            raise UnreadableFile(message("ole-not-workbook")) from err
        raise UnreadableFile(message("corrupt-format", format=fmt, detail=one_line(err))) from err
    except Exception as err:
        raise UnreadableFile(message("corrupt-file", detail=one_line(err))) from err
    except BaseException as err:  # a Rust panic surfaces as a BaseException
        if isinstance(err, KeyboardInterrupt | SystemExit | GeneratorExit):
            raise
        raise UnreadableFile(message("corrupt-file", detail=one_line(err))) from err


def read_workbook(
    book: CalamineWorkbook, found: Found, wanted: tuple[str, ...], limits: Limits
) -> LoadedFile:
    """The grids of `book`'s sheets (`wanted` only, when given), each read with what the
    format's scans `found` about it."""
    grids: list[Grid] = []
    skipped: list[str] = []
    refused: list[tuple[str, Message]] = []
    budget = limits.max_cells  # cells left for this file's grids, all sheets together
    names = [meta.name for meta in book.sheets_metadata]
    unplaced = [reason for sheet, reason in found.refused.items() if sheet not in names]
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
            reason = found.refused.get(meta.name)
            if reason is None and found.cells.get(meta.name, 0) > budget:
                total = limits.max_cells - budget + found.cells[meta.name]
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
            if found.merged is not None:
                merged = found.merged.get(meta.name, [])
            cells = found.shown.get(meta.name, {})
            as_shown(rows, cells)
            rows = trim(rows)
            if not rows:
                skipped.append(f"{meta.name}: 空工作表")
                continue
            budget -= len(rows) * max((len(r) for r in rows), default=0)
            grids.append(
                Grid(
                    name=meta.name,
                    rows=rows,
                    merged=merged,
                    blank_formulas=found.blank_formulas.get(meta.name, frozenset()),
                    percent=found.percent.get(meta.name) or percent_cells(cells),
                )
            )
    if not grids and refused:
        raise UnreadableFile(refused[0][1])
    return LoadedFile(grids=grids, skipped=skipped, refused=refused)


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
        raise UnreadableFile(message("corrupt-sheet", sheet=name, detail=one_line(err))) from err
    except BaseException as err:  # a Rust panic surfaces as a BaseException
        if isinstance(err, KeyboardInterrupt | SystemExit | GeneratorExit):
            raise
        raise UnreadableFile(message("corrupt-sheet", sheet=name, detail=one_line(err))) from err
