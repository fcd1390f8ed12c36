"""Ranking a star's candidates on several descending keys, ties broken by nobody."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Ranked:
    """Candidates in rank order (`order` indexes the input), with their ranks.

    `competition` (1, 2, 2, 4) decides who is within the quota whatever is shown;
    `shown` is competition or dense (1, 2, 2, 3) as the rules ask.
    """

    order: IntArray
    competition: IntArray
    shown: IntArray


def rank_pool(keys: npt.NDArray[np.float64], ids: npt.NDArray[np.object_], method: str) -> Ranked:
    """Rank rows of `keys` (one column per ranking key, higher is better).

    Equal keys share a rank; within a rank, rows are listed by 警号 so output is stable.
    """
    n = len(keys)
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Ranked(empty, empty, empty)
    # lexsort sorts by the last key first: 警号 is the final tie-break for listing only.
    columns = [ids.astype(str)] + [-keys[:, i] for i in reversed(range(keys.shape[1]))]
    order = np.lexsort(columns).astype(np.int64)
    ordered = keys[order]
    new_group = np.ones(n, dtype=bool)
    new_group[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    positions = np.arange(1, n + 1, dtype=np.int64)
    competition = np.maximum.accumulate(np.where(new_group, positions, 0))
    dense = np.cumsum(new_group).astype(np.int64)
    shown = dense if method == "dense" else competition
    return Ranked(order, competition, shown)
