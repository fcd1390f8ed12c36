"""Header detection: which row(s) hold the column names, and which column is which key.

The header is the first row among the first 30 that names the required columns, alone or as
the lower row of a two-row header. A two-row header has group cells (入户走访, merged over
four columns) above sub-labels (户数, 人号一致率 …): a column's label is its lower cell, or the
group and the lower cell joined, whichever names a key; a column whose lower cell is empty
(its upper cell is merged downwards, like 警号) takes its upper cell.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from fivestar.columns import BY_KEY, COLUMNS, REQUIRED_KEYS
from fivestar.io.sheets import Grid, Span
from fivestar.io.values import cell_text
from fivestar.issues import Message, message
from fivestar.rules.inputs import OptionalColumn

HEADER_SCAN_ROWS = 30
_HALF_WIDTH = {0xFF01 + i: 0x21 + i for i in range(94)} | {0x3000: 0x20}


def normalize_header(text: str) -> str:
    """Header text as compared: no whitespace (any width, line breaks), half-width, lower case."""
    return "".join(text.translate(_HALF_WIDTH).split()).lower()


def build_lookup(
    aliases: Mapping[str, Sequence[str]], optional: Sequence[OptionalColumn] = ()
) -> dict[str, str]:
    """Normalized header text → column key: canonical headers, English keys, then aliases,
    then the optional columns the rules declare (their header, key and aliases)."""
    lookup: dict[str, str] = {}
    for column in COLUMNS:
        for name in (column.header, column.key):
            lookup.setdefault(normalize_header(name), column.key)
    for key, names in aliases.items():
        if key in BY_KEY:
            for name in names:
                lookup.setdefault(normalize_header(name), key)
    for extra in optional:
        for name in (extra.header, extra.key, *extra.aliases):
            lookup.setdefault(normalize_header(name), extra.key)
    return lookup


@dataclass
class Header:
    first_row: int  # 0-based index of the (upper) header row
    data_start: int  # 0-based index of the first row below the header
    columns: dict[str, int]  # key → 0-based column index
    labels: dict[str, str]  # key → header as written in the file
    ignored: list[str] = field(default_factory=list)


@dataclass
class HeaderMiss:
    """Why a grid has no header: the required keys its best row lacks, and near misses."""

    missing: tuple[str, ...]
    # per missing key: (similarity, header as written, 1-based Excel row)
    closest: dict[str, tuple[float, str, int]] = field(default_factory=dict)


@dataclass
class _Labels:
    matched: dict[str, tuple[int, str]]  # key → (column, written)
    unmatched: list[str]

    def has_required(self) -> bool:
        return all(k in self.matched for k in REQUIRED_KEYS)


def _row_text(grid: Grid, row: int) -> list[str]:
    return [" ".join(cell_text(c).split()) for c in grid.rows[row]]


def _match(lookup: dict[str, str], columns: list[tuple[int, list[str], str]]) -> _Labels:
    """columns: (index, candidate texts in order of preference, text as written)."""
    matched: dict[str, tuple[int, str]] = {}
    unmatched: list[str] = []
    for index, candidates, written in columns:
        key = next((lookup[n] for n in map(normalize_header, candidates) if n in lookup), None)
        if key is None:
            if written:
                unmatched.append(written)
        elif key in matched:
            unmatched.append(f"{written}（重复列）")
        else:
            matched[key] = (index, written)
    return _Labels(matched, unmatched)


def _single(grid: Grid, row: int, lookup: dict[str, str]) -> _Labels:
    return _match(lookup, [(c, [t], t) for c, t in enumerate(_row_text(grid, row)) if t])


def _merge_anchor(merged: list[Span], row: int, col: int) -> tuple[int, int] | None:
    for (r0, c0), (r1, c1) in merged:
        if r0 <= row <= r1 and c0 <= col <= c1:
            return r0, c0
    return None


def _pair(grid: Grid, upper: int, lookup: dict[str, str]) -> _Labels:
    top, bottom = _row_text(grid, upper), _row_text(grid, upper + 1)
    width = max(len(top), len(bottom))
    top, bottom = top + [""] * (width - len(top)), bottom + [""] * (width - len(bottom))
    merged = grid.merged or []
    filled: list[str] = []
    for c, own in enumerate(top):
        group = own
        if not group:
            anchor = _merge_anchor(merged, upper, c)
            if anchor is not None:
                group = " ".join(cell_text(grid.rows[anchor[0]][anchor[1]]).split())
            elif c and bottom[c] and bottom[c - 1]:
                # no merge information (ODS, hand-made sheets): carry the group label along
                # a run of sub-labelled columns
                group = filled[c - 1]
        filled.append(group)
    columns: list[tuple[int, list[str], str]] = []
    for c, (own, group, lower) in enumerate(zip(top, filled, bottom, strict=True)):
        if lower:
            written = f"{group} {lower}" if group else lower
            columns.append((c, [lower, group + lower], written))
        elif own:
            columns.append((c, [own], own))
    labels = _match(lookup, columns)
    # a label matched by the lower cell alone is reported as the lower cell
    for key, (c, _) in list(labels.matched.items()):
        if bottom[c] and lookup.get(normalize_header(bottom[c])) == key:
            labels.matched[key] = (c, bottom[c])
    return labels


def _header(first: int, data_start: int, labels: _Labels) -> Header:
    return Header(
        first_row=first,
        data_start=data_start,
        columns={k: c for k, (c, _) in labels.matched.items()},
        labels={k: w for k, (_, w) in labels.matched.items()},
        ignored=labels.unmatched,
    )


def find_header(grid: Grid, lookup: dict[str, str]) -> Header | HeaderMiss:
    """The header of a grid, or why there is none."""
    limit = min(HEADER_SCAN_ROWS, len(grid.rows))
    best: _Labels | None = None
    for row in range(limit):
        single = _single(grid, row, lookup)
        above = _pair(grid, row - 1, lookup) if row > 0 else None
        if single.has_required() or (above is not None and above.has_required()):
            # (labels, first header row, first data row); ties keep the earlier candidate
            options: list[tuple[_Labels, int, int]] = [(single, row, row + 1)]
            if row + 1 < len(grid.rows):
                options.append((_pair(grid, row, lookup), row, row + 2))
            if above is not None:
                options.append((above, row - 1, row + 1))
            viable = [o for o in options if o[0].has_required()]
            labels, first, start = max(viable, key=lambda o: len(o[0].matched))
            return _header(first, start, labels)
        for candidate in (single, above):
            if candidate is not None and (
                best is None or len(candidate.matched) > len(best.matched)
            ):
                best = candidate
    return _miss(grid, lookup, best, limit)


def _miss(grid: Grid, lookup: dict[str, str], best: _Labels | None, limit: int) -> HeaderMiss:
    found = best.matched if best is not None else {}
    missing = tuple(k for k in REQUIRED_KEYS if k not in found)
    names: dict[str, list[str]] = {k: [] for k in missing}
    for text, key in lookup.items():
        if key in names:
            names[key].append(text)
    closest: dict[str, tuple[float, str, int]] = {}
    for row in range(limit):
        for text in _row_text(grid, row):
            norm = normalize_header(text)
            if not norm or len(norm) > 30 or norm in lookup:
                continue
            for key in missing:
                score = max(difflib.SequenceMatcher(None, norm, n).ratio() for n in names[key])
                if score >= 0.4 and score > closest.get(key, (0.0, "", 0))[0]:
                    closest[key] = (score, text, row + 1)
    return HeaderMiss(missing=missing, closest=closest)


def describe_miss(misses: Sequence[tuple[str | None, HeaderMiss]]) -> Message:
    """One line for a file none of whose sheets has a header."""
    if not misses:
        return message("no-sheets")
    # the sheet that came closest: fewest missing required columns
    _, miss = min(misses, key=lambda m: len(m[1].missing))
    parts = []
    for key in miss.missing:
        label = BY_KEY[key].header
        near = max(
            (m.closest[key] + (s,) for s, m in misses if key in m.closest),
            key=lambda t: t[0],
            default=None,
        )
        if near is None:
            parts.append(f"缺少必需列「{label}」，前 {HEADER_SCAN_ROWS} 行中没有相近的列名")
        else:
            _, text, row, where = near
            place = f"{where} 第{row}行" if where else f"第{row}行"
            parts.append(f"缺少必需列「{label}」，最接近的是「{text}」（{place}）")
    return message("no-header", missing="；".join(parts))
