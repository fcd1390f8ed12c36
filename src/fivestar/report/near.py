"""A star's near misses as the report lists them: the closest first, capped, gaps in words.

Closest: fewest of the star's criteria missed, then the smallest gap relative to its
threshold (76 of 80 households is 5 % short; 99.96 % of 100 % is 0.04 %), then the star's own
ranking figures, then 警号. An officer with nothing at all for the star (every count it names
is 0 or missing: no case lead, no mediation) is not a near miss, however few criteria that
misses. The list is capped at the rules' `[report] near_misses` per star.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from fivestar.engine.checks import TOLERANCE, threshold
from fivestar.engine.reasons import Words, render_column
from fivestar.rules import RuleSet
from fivestar.rules.model import Comparison, Star


def _relative_gap(rules: RuleSet, comp: Comparison, values: pd.Series) -> np.ndarray:
    """How far each value is from meeting `comp`, relative to its threshold (0: it holds;
    inf: missing)."""
    v = pd.to_numeric(values, errors="coerce").to_numpy(dtype=np.float64)
    t = threshold(rules, comp)
    if comp.op in (">=", ">"):
        short = t - v
    elif comp.op in ("<=", "<"):
        short = v - t
    else:
        short = np.abs(v - t)
    short = np.where(short > TOLERANCE, short, 0.0)
    if comp.op in (">", "<"):  # on the threshold itself: failed, by the least amount
        short = np.where((short == 0.0) & (np.abs(v - t) <= TOLERANCE), TOLERANCE, short)
    relative = short / max(abs(t), 1.0 if rules.unit(comp.metric) == "count" else 0.01)
    return np.where(np.isnan(v), np.inf, relative)


def _has_something(rules: RuleSet, star: Star, rows: pd.DataFrame) -> pd.Series:
    """Whether each officer has any of the counts the star's criteria name above 0 (a star
    whose criteria name no count: always)."""
    comps = [*star.criteria.all, *star.criteria.any]
    counts = list(dict.fromkeys(c.metric for c in comps if rules.unit(c.metric) == "count"))
    if not counts:
        return pd.Series(True, index=rows.index)
    figures = rows[counts].apply(pd.to_numeric, errors="coerce").fillna(0)
    something: pd.Series = figures.gt(0).any(axis=1)
    return something


def closest(rules: RuleSet, star: Star, near: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The near misses `near` (a star's outcome rows) worth listing, closest first, at most
    `limit`, with a column `gap` holding their reasons in words (as `fivestar report` words
    them: a near miss's reasons are its gaps)."""
    near = near[_has_something(rules, star, near)]
    missed = np.zeros(len(near), dtype=np.int64)
    gap = np.zeros(len(near), dtype=np.float64)
    for comp in star.criteria.all:
        rel = _relative_gap(rules, comp, near[comp.metric])
        missed += rel > 0
        gap += rel
    if star.criteria.any:  # the nearest option is what it takes
        rel = np.min([_relative_gap(rules, c, near[c.metric]) for c in star.criteria.any], axis=0)
        missed += rel > 0
        gap += rel
    keys = list(star.rank_by)
    ordered = near.assign(_missed=missed, _gap=gap).sort_values(
        ["_missed", "_gap", *keys, "officer_id"],
        ascending=[True, True, *([False] * len(keys)), True],
        kind="stable",
    )
    shown = ordered.head(limit).drop(columns=["_missed", "_gap"])
    gaps = render_column(shown["reasons"], Words.of(rules), "zh")  # the workbook is Chinese
    return shown.assign(gap=gaps)


def listed_count(rules: RuleSet, star: Star, near: pd.DataFrame) -> int:
    """How many of `near` are near misses at all (something done for the star)."""
    return int(_has_something(rules, star, near).sum())
