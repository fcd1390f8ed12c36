"""Reasons for many officers at once, built column-wise (DESIGN.md §2: no per-officer loop).

A `ReasonColumn` is one criterion's (or bar's) reason for every officer: an integer code per
officer (0: none) into the distinct reasons made, one `Reason` per distinct value among the
officers concerned. Officers' reasons for a star are then one tuple per distinct combination
of codes, shared by every officer with that combination: the work in Python is per distinct
reason, never per officer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from fivestar.engine.reasons import Reason

Codes = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]
Objects = npt.NDArray[np.object_]


@dataclass(frozen=True)
class ReasonColumn:
    """One reason or none per officer: `made[codes[i]]`, `made[0]` being none."""

    codes: Codes
    made: tuple[Reason | None, ...] = (None,)

    @classmethod
    def none(cls, count: int) -> ReasonColumn:
        return cls(np.zeros(count, dtype=np.int64))

    @classmethod
    def of_values(
        cls, values: npt.ArrayLike, where: Mask, make: Callable[[Any], Reason]
    ) -> ReasonColumn:
        """`make(value)` for the officers of `where`, made once per distinct value."""
        rows = np.flatnonzero(where)
        codes = np.zeros(len(where), dtype=np.int64)
        if not len(rows):
            return cls(codes)
        found, distinct = pd.factorize(np.asarray(values)[rows], use_na_sentinel=False)
        codes[rows] = found + 1
        return cls(codes, (None, *(make(v) for v in distinct.tolist())))

    @classmethod
    def one(cls, where: Mask, reason: Reason) -> ReasonColumn:
        """The same reason for every officer of `where`."""
        return cls(np.asarray(where, dtype=np.int64), (None, reason))

    def only(self, where: Mask) -> ReasonColumn:
        """This column on the officers of `where`, none elsewhere."""
        return ReasonColumn(np.where(where, self.codes, 0), self.made)

    def wrapped(self, wrap: Callable[[Reason], Reason]) -> ReasonColumn:
        """Each reason made wrapped (a gate criterion's reason as a gate reason)."""
        return ReasonColumn(self.codes, (None, *(wrap(r) for r in self.made[1:] if r)))

    def merged(self, other: ReasonColumn) -> ReasonColumn:
        """This column and `other`, which has its reasons on other officers only."""
        shift = len(self.made) - 1
        codes = self.codes + np.where(other.codes > 0, other.codes + shift, 0)
        return ReasonColumn(codes, (*self.made, *other.made[1:]))

    @property
    def present(self) -> Mask:
        return np.asarray(self.codes > 0, dtype=np.bool_)

    def reasons(self) -> Objects:
        """One object per officer: the `Reason`, or None."""
        made = np.empty(len(self.made), dtype=object)
        made[:] = list(self.made)
        out: Objects = made[self.codes]
        return out

    def tuples(self) -> Objects:
        """One tuple per officer: (the reason,) or ()."""
        return combine([self])


def _combinations(columns: Sequence[ReasonColumn], count: int) -> tuple[Codes, Codes]:
    """(a combination number per officer, the first officer of each combination)."""
    key = np.zeros(count, dtype=np.int64)
    for column in columns:
        # stays below `count` after each step: the distinct combinations so far
        key, _ = pd.factorize(key * len(column.made) + column.codes)
        key = key.astype(np.int64)
    size = int(key.max()) + 1 if count else 0
    first = np.empty(size, dtype=np.int64)
    first[key[::-1]] = np.arange(count - 1, -1, -1, dtype=np.int64)
    return key, first


def _rows(picked: list[list[int]], count: int) -> Iterable[tuple[int, ...]]:
    """The codes of each row across the columns (no columns: `count` empty rows)."""
    return zip(*picked, strict=True) if picked else [()] * count


def combine(columns: Sequence[ReasonColumn]) -> Objects:
    """Per officer, the tuple of the reasons the columns give, in column order. Officers
    with the same reasons share one tuple."""
    count = len(columns[0].codes) if columns else 0
    key, first = _combinations(columns, count)
    # one Python list of codes per column (numpy scalar indexing per cell costs twice as much)
    picked = [c.codes[first].tolist() for c in columns]
    made = [c.made for c in columns]
    built = tuples_of(
        [
            tuple(r for m, k in zip(made, ks, strict=True) if (r := m[k]))
            for ks in _rows(picked, len(first))
        ]
    )
    out: Objects = built[key]
    return out


def combined(
    columns: Sequence[ReasonColumn], where: Mask, make: Callable[[tuple[Reason, ...]], Reason]
) -> ReasonColumn:
    """One reason per officer of `where`: `make` of the reasons the columns give (a star's
    options, none of which holds), made once per distinct combination."""
    count = len(where)
    rows = np.flatnonzero(where)
    codes = np.zeros(count, dtype=np.int64)
    if not len(rows):
        return ReasonColumn(codes)
    mine = [ReasonColumn(c.codes[rows], c.made) for c in columns]
    key, first = _combinations(mine, len(rows))
    picked = [c.codes[first].tolist() for c in mine]
    reasons = [c.made for c in mine]
    made: list[Reason | None] = [None]
    for ks in _rows(picked, len(first)):
        made.append(make(tuple(r for m, k in zip(reasons, ks, strict=True) if (r := m[k]))))
    codes[rows] = key + 1
    return ReasonColumn(codes, tuple(made))


def tuples_of(cells: Sequence[tuple[Reason, ...]]) -> Objects:
    """A list of tuples as a 1-d object array (numpy would read them as rows)."""
    return np.fromiter(cells, dtype=object, count=len(cells))
