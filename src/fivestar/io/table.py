"""One sheet below its header → accepted officer rows, rejected-row issues, skipped count.

All value checks run on whole columns; only rejected rows (few) become Python objects.
Checks run in a fixed order and a row is rejected for the first problem found.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from fivestar.columns import (
    BOUNDED_BY,
    BY_KEY,
    COMMUNITY,
    COUNT_KEYS,
    RATE_KEYS,
    ROLES,
    SOURCE_FILE,
    SOURCE_ROW,
    SOURCE_SHEET,
)
from fivestar.findings import Issue
from fivestar.io.cell_limit import REPORTED_TEXT, bounded, cut_notes
from fivestar.io.header import Header, normalize_header
from fivestar.io.merges import column_label, merged_figures
from fivestar.io.optional import missing_notes, parse_optional
from fivestar.io.sheets import Grid, percent_texts
from fivestar.io.values import (
    HALF_WIDTH,
    cells_text,
    half_width_stripped,
    parse_counts,
    parse_rates,
)
from fivestar.issues import Message
from fivestar.months import month_label, month_readings
from fivestar.rules.inputs import OptionalColumn

OFFICER_COLUMNS: tuple[str, ...] = (
    "officer_id",
    "name",
    "bureau",
    "station",
    "office",
    "role",
    "month",
    *COUNT_KEYS,
    *RATE_KEYS,
    SOURCE_FILE,
    SOURCE_SHEET,
    SOURCE_ROW,
)
_TEXT_OUT = ("bureau", "station", "office")
# Cells a clerk merges down over several officers (one 派出所 for its officers).
_FILL_DOWN = ("bureau", "station", "office", "role", "month")
_TOTALS = r"合\s*计|小\s*计|总\s*计"
_TOTALS_RE = re.compile(_TOTALS)
_SPACE = re.compile(r"\s+")
_NOTE_PREFIXES = (
    "填表人", "填报", "审核", "制表", "备注", "说明", "注:", "注：", "负责人", "统计人",
    "联系电话", "联系人", "签字", "领导签字", "单位负责人", "分管领导",
)  # fmt: skip


def empty_officers() -> pd.DataFrame:
    """The officers frame with no rows, in the contract's dtypes."""
    return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in OFFICER_COLUMNS})


def _dtype(column: str) -> Literal["int64", "float64", "str"]:
    if column in COUNT_KEYS or column == SOURCE_ROW:
        return "int64"
    if column in RATE_KEYS:
        return "float64"
    return "str"


@dataclass
class SheetResult:
    officers: pd.DataFrame
    issues: list[Issue]
    rows_read: int
    skipped: int
    # every data row with a 警号 (accepted or not): officer_id, place, accepted, source_row
    ids: pd.DataFrame
    id_label: str  # the 警号 header as written, for duplicate issues
    # issues that do not reject their row (text the report will cut): not counted rejected
    notes: list[Issue] = field(default_factory=list)


def place_prefix(file: str, sheet: str | None) -> str:
    return f"{file} {sheet} " if sheet else f"{file} "


Param = str | int | pd.Series


class _Rejections:
    """Per-row first problem: why (an issue code and its params), column and value, filled
    in check order."""

    def __init__(self, pending: pd.Series) -> None:
        n = len(pending)
        self.pending = pending.to_numpy(dtype=bool).copy()
        self.why = np.full(n, None, dtype=object)  # Message
        self.column = np.full(n, "", dtype=object)
        self.value = np.full(n, "", dtype=object)

    def add(
        self, mask: pd.Series, column: str, value: pd.Series, code: str, /, **params: Param
    ) -> None:
        """Reject the pending rows of `mask` for `code`; a Series parameter is per row."""
        sel = self._take(mask)
        if sel is None:
            return
        rows = np.flatnonzero(sel)
        # the parameters of the rejected rows only (few): one dict per row
        per_row = {
            k: [_plain(x) for x in v.to_numpy(dtype=object)[rows].tolist()]
            for k, v in params.items()
            if isinstance(v, pd.Series)
        }
        fixed = {k: v for k, v in params.items() if not isinstance(v, pd.Series)}
        self.why[rows] = [
            Message(code, fixed | {k: values[j] for k, values in per_row.items()})
            for j in range(len(rows))
        ]
        self._fill(sel, column, value)

    def add_messages(self, mask: pd.Series, column: str, value: pd.Series, why: pd.Series) -> None:
        """Reject the pending rows of `mask`, each for its own Message in `why`."""
        sel = self._take(mask)
        if sel is None:
            return
        self.why[sel] = why.to_numpy(dtype=object)[sel]
        self._fill(sel, column, value)

    def _take(self, mask: pd.Series) -> npt.NDArray[np.bool_] | None:
        sel = mask.to_numpy(dtype=bool) & self.pending
        return sel if sel.any() else None

    def _fill(self, sel: npt.NDArray[np.bool_], column: str, value: pd.Series) -> None:
        self.column[sel] = column
        self.value[sel] = value.to_numpy(dtype=object)[sel]
        self.pending &= ~sel


def _plain(value: object) -> str | int:
    """A parameter as JSON carries it: numpy integers as int, text as str."""
    return int(value) if isinstance(value, int | np.integer) else str(value)


class _Sheet:
    """The rows below one header, as text columns, with the header's labels."""

    def __init__(self, grid: Grid, header: Header) -> None:
        self.grid = grid
        self.header = header
        rows = grid.rows[header.data_start :]
        self.n = len(rows)
        self.first_row = header.data_start + 1  # Excel row number of rows[0]
        self.index = pd.RangeIndex(self.n)
        # one column at a time, straight from the row lists (a DataFrame of the raw cells
        # would only infer dtypes that are thrown away)
        self.texts = {
            c: pd.Series(cells_text(cells), index=self.index, dtype="str")
            for c, cells in enumerate(itertools.zip_longest(*rows))
        }
        self._show_percent()
        self._blank = pd.Series("", index=self.index, dtype="str")
        for col in header.columns.values():  # rows shorter than the header, or no rows at all
            if col not in self.texts:
                self.texts[col] = pd.Series("", index=self.index, dtype="str")
        self._fill_merged_down()

    def _show_percent(self) -> None:
        # a rate cell formatted 0% holds 1 and shows 100%: it is a cell with % (DESIGN.md §1)
        for key in RATE_KEYS:
            col = self.header.columns.get(key)
            rows = self.grid.percent.get(col) if col is not None else None
            if rows is None or col not in self.texts:
                continue
            at = rows - self.header.data_start
            at = at[(at >= 0) & (at < self.n)]
            series = self.texts[col]
            numbers = pd.to_numeric(series.iloc[at], errors="coerce").to_numpy(dtype=np.float64)
            numeric = np.isfinite(numbers)
            if numeric.any():
                series.iloc[at[numeric]] = percent_texts(numbers[numeric]).tolist()

    def _fill_merged_down(self) -> None:
        # a 派出所 cell merged down over its officers applies to each of them
        start = self.header.data_start
        for (r0, c0), (r1, c1) in self.grid.merged or []:
            if r1 <= r0 or r0 < start:
                continue
            for key in _FILL_DOWN:
                col = self.header.columns.get(key)
                if col is not None and c0 <= col <= c1:
                    series = self.texts[col]
                    series.iloc[r0 - start + 1 : r1 - start + 1] = series.iloc[r0 - start]

    def text(self, key: str) -> pd.Series:
        col = self.header.columns.get(key)
        return self.texts[col] if col is not None else self._blank

    def label(self, key: str) -> str:
        return self.header.labels.get(key, BY_KEY[key].header)


def read_sheet(  # noqa: PLR0917
    grid: Grid,
    header: Header,
    file: str,
    month: str,
    lookup: dict[str, str],
    optional: Sequence[OptionalColumn] = (),
) -> SheetResult:
    """The officers below `header`; `optional` are the columns the rules declare for their
    vetoes, read into one float column each when the sheet has them (missing otherwise)."""
    sheet = _Sheet(grid, header)
    ids = _str(half_width_stripped(sheet.text("officer_id").tolist()), sheet.index)
    names = sheet.text("name")
    data = _data_rows(sheet, ids, names, lookup)
    rej = _Rejections(data)
    _check_slips(sheet, rej)
    _check_merged_figures(sheet, rej, data)
    _check_formulas(sheet, rej)
    rej.add(ids.eq(""), sheet.label("officer_id"), ids, "officer-id-blank")
    rej.add(names.eq(""), sheet.label("name"), names, "name-blank")
    roles = _check_role(sheet, rej)
    other_month = _check_month(sheet, rej, month)
    values = _check_values(sheet, rej, data)
    extras = _check_optional(sheet, rej, optional)

    accepted = pd.Series(rej.pending, index=sheet.index)
    rejected = data.to_numpy(dtype=bool) & ~rej.pending
    issues = [
        bounded(
            Issue.of(
                rej.why[i],
                file=file,
                sheet=grid.name,
                row=sheet.first_row + int(i),
                column=str(rej.column[i]),
                value=str(rej.value[i]),
            )
        )
        for i in np.flatnonzero(rejected)
    ]
    first = sheet.first_row
    source_rows = pd.Series(np.arange(first, first + sheet.n, dtype="int64"), index=sheet.index)
    columns: dict[str, pd.Series] = {"officer_id": ids, "name": names}
    for key in _TEXT_OUT:
        columns[key] = sheet.text(key)
    columns["role"] = roles.where(roles.ne(""), COMMUNITY)
    columns["month"] = pd.Series(month, index=sheet.index, dtype="str")
    columns |= values
    columns[SOURCE_FILE] = pd.Series(file, index=sheet.index, dtype="str")
    columns[SOURCE_SHEET] = pd.Series(grid.name or "", index=sheet.index, dtype="str")
    columns[SOURCE_ROW] = source_rows
    officers = pd.DataFrame(
        {c: columns[c][accepted].astype(_dtype(c)) for c in OFFICER_COLUMNS}
        | {key: column[accepted] for key, column in extras.items()}
    ).reset_index(drop=True)

    # another month's rows are not this month's input: they cannot make a 警号 a duplicate
    with_id = data & ids.ne("") & ~other_month
    id_frame = pd.DataFrame(
        {
            "officer_id": ids[with_id],
            "place": place_prefix(file, grid.name)
            + "第"
            + source_rows[with_id].astype("str")
            + "行",
            "accepted": accepted[with_id],
            SOURCE_ROW: source_rows[with_id],
        }
    ).reset_index(drop=True)
    return SheetResult(
        officers=officers,
        issues=issues,
        rows_read=sheet.n,
        skipped=int((~data).sum()),
        ids=id_frame,
        id_label=sheet.label("officer_id"),
        notes=missing_notes(header.columns, optional, month=month, file=file, sheet=grid.name)
        + cut_notes(officers, {k: sheet.label(k) for k in REPORTED_TEXT}, file, grid.name),
    )


def _check_role(sheet: _Sheet, rej: _Rejections) -> pd.Series:
    raw = sheet.text("role")
    roles = _str(_squeezed(raw.tolist()), sheet.index)
    if "role" in sheet.header.columns:
        bad = ~(roles.isin(ROLES) | roles.eq(""))
        if not bad.any():
            return roles
        label = sheet.label("role")
        rej.add(bad, label, raw, "role-unknown", label=label, value=raw, roles=" 或 ".join(ROLES))
    return roles


def _check_month(sheet: _Sheet, rej: _Rejections, month: str) -> pd.Series:
    """Reject rows of an unreadable or another month; return the rows of another month."""
    if "month" not in sheet.header.columns:
        return pd.Series(False, index=sheet.index)
    raw = sheet.text("month")
    # few distinct spellings per sheet: read each once (2014.1 reads as January or October,
    # and is of the month evaluated if either is)
    readings = {u: month_readings(u) for u in raw.unique() if u}
    label = sheet.label("month")
    unknown = raw.isin([u for u, r in readings.items() if not r])
    if unknown.any():
        rej.add(unknown, label, raw, "month-unreadable", label=label, value=raw)
    shown = {u: _month_shown(u, r) for u, r in readings.items() if r and month not in r}
    other = raw.isin(list(shown))
    if other.any():
        # the one month the row is of, for scripts and the "rows of another month" hint
        single = {u: r[0] if len(r) == 1 else "" for u, r in readings.items() if u in shown}
        rej.add(
            other, label, raw, "month-mismatch", label=label,
            found=raw.map(shown).fillna(""), month=month, other=raw.map(single).fillna(""),
        )  # fmt: skip
    return other


def _month_shown(spelling: str, readings: tuple[str, ...]) -> str:
    """A month as a rejection names it: "2014-03 ", or both readings of 2014.1 (no space
    after the full-width parenthesis)."""
    if len(readings) == 1:
        return readings[0] + " "
    january, october = readings  # 2014.1, in half-width as the reading was made
    return f"{half_width_stripped([spelling])[0]}（{month_label(january)}或{int(october[5:])}月）"


def _check_values(sheet: _Sheet, rej: _Rejections, data: pd.Series) -> dict[str, pd.Series]:
    values: dict[str, pd.Series] = {}
    present = sheet.header.columns
    for key in COUNT_KEYS:
        if key not in present:  # an absent count is 0 (DESIGN.md §1: blank is 0)
            values[key] = pd.Series(0, index=sheet.index, dtype="int64")
            continue
        raw, label = sheet.text(key), sheet.label(key)
        values[key], bad = parse_counts(raw)
        if bad.any():  # the reasons are built only for a column that has a bad cell
            rej.add(bad, label, raw, "not-a-count", label=label, value=raw)
    for key in RATE_KEYS:
        if key not in present:  # an absent rate is missing, like a blank one
            values[key] = pd.Series(np.nan, index=sheet.index, dtype="float64")
            continue
        raw, label = sheet.text(key), sheet.label(key)
        values[key], not_number, out_of_range = parse_rates(raw, data)
        if not_number.any():
            rej.add(not_number, label, raw, "not-a-rate", label=label, value=raw)
        if out_of_range.any():
            rej.add(out_of_range, label, raw, "rate-out-of-range", label=label, value=raw)
    for ok_key, total_key in BOUNDED_BY.items():
        ok, total = values[ok_key], values[total_key]
        if not (ok > total).any():
            continue
        label, total_label = sheet.label(ok_key), sheet.label(total_key)
        rej.add(
            ok > total, label, sheet.text(ok_key), "more-than-total",
            label=label, count=ok, total_label=total_label, total=total,
        )  # fmt: skip
    return values


def _check_optional(
    sheet: _Sheet, rej: _Rejections, optional: Sequence[OptionalColumn]
) -> dict[str, pd.Series]:
    """The declared columns' values (float64; missing where the sheet lacks the column),
    rejecting the rows whose cell its kind refuses."""
    values: dict[str, pd.Series] = {}
    for column in optional:
        if column.key not in sheet.header.columns:  # noted: the veto cannot fire here
            values[column.key] = pd.Series(np.nan, index=sheet.index, dtype="float64")
            continue
        raw, label = sheet.text(column.key), sheet.header.labels[column.key]
        values[column.key], bad = parse_optional(column, raw)
        if bad.any():
            rej.add(bad, label, raw, _REFUSED_AS[column.kind], label=label, value=raw)
    return values


# The issue code of a cell a declared column's kind refuses.
_REFUSED_AS = {"count": "not-a-count", "number": "not-a-number", "yes-no": "not-yes-no"}


def _data_rows(
    sheet: _Sheet, ids: pd.Series, names: pd.Series, lookup: dict[str, str]
) -> pd.Series:
    """Rows that are officer data; the rest (blank, totals, notes, examples) are skipped."""
    if not sheet.texts:
        return pd.Series(False, index=sheet.index, dtype=bool)
    order = sorted(sheet.texts)
    cells = np.column_stack([sheet.texts[c].to_numpy(dtype=object) for c in order])
    filled = cells != ""
    columns = sheet.header.columns
    metrics = [order.index(columns[k]) for k in (*COUNT_KEYS, *RATE_KEYS) if k in columns]
    # nothing that identifies an officer or measures anything: a blank or pre-numbered row
    measured = pd.Series(filled[:, metrics].any(axis=1), index=sheet.index)
    data_less = ids.eq("") & names.eq("") & ~measured
    totals = pd.Series(_has_totals(cells.ravel()).reshape(cells.shape).any(axis=1), sheet.index)
    # the first non-empty cell of each row (argmax finds the first True; "" if none)
    first_cells = cells[np.arange(sheet.n), filled.argmax(axis=1)].tolist()
    first = _squeezed(t if t.isascii() else t.translate(HALF_WIDTH) for t in first_cells)
    notes = pd.Series([t.startswith(_NOTE_PREFIXES) for t in first], sheet.index, dtype=bool)
    id_list = ids.tolist()
    norm_ids = _squeezed(id_list)
    # a totals or notes row has no 警号 of its own, though its text may sit in that column
    no_id = (
        ids.eq("")
        | pd.Series(_has_totals(norm_ids), sheet.index)
        | pd.Series([t.startswith(_NOTE_PREFIXES) for t in norm_ids], sheet.index, dtype=bool)
    )
    example = pd.Series([t == "示例" or t.startswith("例") for t in id_list], sheet.index)
    id_headers = {t for t, k in lookup.items() if k == "officer_id"}
    repeated_header = pd.Series([normalize_header(t) in id_headers for t in id_list], sheet.index)
    skipped = data_less | ((totals | notes) & no_id) | example | repeated_header
    return ~skipped


def _str(texts: list[str], index: pd.Index) -> pd.Series:
    return pd.Series(texts, index=index, dtype="str")


def _squeezed(texts: Iterable[str]) -> list[str]:
    """Texts without any whitespace."""
    return [_SPACE.sub("", t) for t in texts]


def _has_totals(texts: Iterable[str]) -> npt.NDArray[np.bool_]:
    """Which texts name a totals row (合计, 小计, 总计, spaced or not)."""
    # every spelling holds 计: the regex runs on the few texts that do
    search = _TOTALS_RE.search
    return np.array([("计" in t and search(t) is not None) for t in texts], dtype=bool)


def _check_formulas(sheet: _Sheet, rej: _Rejections) -> None:
    formulas, header = sheet.grid.blank_formulas, sheet.header
    if not formulas:
        return
    by_col = {c: k for k, c in header.columns.items()}
    hits: dict[str, np.ndarray] = {}
    for r, c in formulas:
        key = by_col.get(c)
        if key is not None and header.data_start <= r < header.data_start + sheet.n:
            hits.setdefault(key, np.zeros(sheet.n, dtype=bool))[r - header.data_start] = True
    # report in column order, like every other check
    for key in sorted(hits, key=lambda k: header.columns[k]):
        mask = pd.Series(hits[key], index=sheet.index)
        rej.add(mask, sheet.label(key), sheet.text(key), "formula-no-value")


def _check_slips(sheet: _Sheet, rej: _Rejections) -> None:
    """Rows whose cells the reader could not trust (a CSV's stray quote): rejected, at the
    cell, before anything is read from them. One mask per column: there may be many."""
    header = sheet.header
    by_col = {c: k for k, c in header.columns.items()}
    columns: dict[int, tuple[list[int], list[Message]]] = {}
    for row, slip in sheet.grid.slips.items():
        at = row - header.data_start
        if 0 <= at < sheet.n and (slip.any_column or slip.column in by_col):
            rows, reasons = columns.setdefault(slip.column, ([], []))
            rows.append(at)
            reasons.append(slip.reason)
    for col in sorted(columns):
        rows, reasons = columns[col]
        mask = np.zeros(sheet.n, dtype=bool)
        mask[rows] = True
        why = np.full(sheet.n, None, dtype=object)
        why[rows] = reasons
        key = by_col.get(col)
        label = sheet.label(key) if key is not None else column_label(sheet.grid, header, col)
        value = sheet.texts.get(col, sheet._blank)
        rej.add_messages(pd.Series(mask, sheet.index), label, value, pd.Series(why, sheet.index))


def _check_merged_figures(sheet: _Sheet, rej: _Rejections, data: pd.Series) -> None:
    """A figure or rate cell merged over several officers is no one's (fivestar.io.merges)."""
    header, merged = sheet.header, sheet.grid.merged
    if not merged:
        return
    keys = [k for k in (*COUNT_KEYS, *RATE_KEYS) if k in header.columns]
    by_col = {header.columns[k]: k for k in keys}
    found = merged_figures(merged, by_col, data.to_numpy(dtype=bool), header.data_start)
    for hit in found:
        key = by_col[hit.column]
        rows = pd.Series(hit.rows, index=sheet.index)
        why = pd.Series(hit.reason, index=sheet.index, dtype=object)
        rej.add_messages(rows, sheet.label(key), sheet.text(key), why)
