"""The rules' fairness options at the selection step: a per-bureau cap and a cool-down.

Both take candidates out of a star's pool before it is ranked for the places; those taken
out stay qualified, unranked, with the reason (codes cooldown, bureau-cap; shown by
`explain` and the star sheets). The engine reads no store: the cool-down's history is
handed in as `PastWinners`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from fivestar.engine.notes import BUREAU_CAP as CAP_NOTE
from fivestar.engine.notes import (
    BUREAU_CAP_TIE,
    COOLDOWN_NOT_APPLIED,
    COOLDOWN_PARTIAL,
    COOLDOWN_PASSED_OVER,
    Note,
    star_note,
)
from fivestar.engine.ranking import rank_pool
from fivestar.engine.reason_columns import ReasonColumn
from fivestar.engine.reasons import BUREAU_CAP, COOLDOWN, Reason
from fivestar.rules import RuleSet
from fivestar.rules.model import Star

Mask = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class PastWinners:
    """Who was named for each star in the months before the one evaluated.

    `named` is {star key: {警号: the latest month named}}; `months` the months of the
    cool-down window found in the store, `missing` those the store does not hold.
    """

    months: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    named: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


def restrict(
    rules: RuleSet,
    star: Star,
    outcome: pd.DataFrame,
    pool: Mask,
    *,
    keys: pd.DataFrame,
    bureaus: pd.Series,
    past: PastWinners | None,
) -> tuple[Mask, list[Note]]:
    """The star's pool after the cool-down and the bureau cap, and the notes to add.

    Those passed over get their reason in `outcome["reasons"]` (in place)."""
    options = rules.model.fairness
    if options.cooldown_months <= 0 and options.bureau_cap is None:
        return pool, []
    ids = outcome["officer_id"]
    hot, hot_why = cooled(rules, star, ids, pool, past)
    pool = pool & ~hot
    capped, cap_why, notes = over_cap(rules, star, ids, pool, keys=keys, bureaus=bureaus)
    if hot.any():
        count = int(hot.sum())
        notes.insert(0, star_note(COOLDOWN_PASSED_OVER, star.key, star.label, count=count))
    reasons = outcome["reasons"].to_numpy(dtype=object).copy()
    for hit, why in ((hot, hot_why), (capped, cap_why)):
        if hit.any():
            reasons[hit] = why.tuples()[hit]
    outcome["reasons"] = reasons
    return pool & ~capped, notes


def cooldown_notes(rules: RuleSet, past: PastWinners | None) -> list[Note]:
    """What the run's notes must say about the cool-down: never applied silently half-way."""
    months = rules.model.fairness.cooldown_months
    if months <= 0:
        return []
    if past is None:
        return [Note(COOLDOWN_NOT_APPLIED, {"months": months})]
    if past.missing:
        return [Note(COOLDOWN_PARTIAL, {"missing": tuple(past.missing)})]
    return []


def cooled(
    rules: RuleSet, star: Star, ids: pd.Series, pool: Mask, past: PastWinners | None
) -> tuple[Mask, ReasonColumn]:
    """Candidates in the star's cool-down: (mask over `ids`, the reason for each of them)."""
    months = rules.model.fairness.cooldown_months
    recent: Mapping[str, str] = {}
    if months > 0 and past is not None:
        recent = past.named.get(star.key, {})
    when = ids.astype(str).map(dict(recent)).astype(object)
    hit = pool & when.notna().to_numpy(dtype=bool)

    def make(month: object) -> Reason:
        return Reason(COOLDOWN, {"star": star.key, "months": months, "month": str(month)})

    return hit, ReasonColumn.of_values(when.to_numpy(dtype=object), hit, make)


def over_cap(
    rules: RuleSet,
    star: Star,
    ids: pd.Series,
    pool: Mask,
    *,
    keys: pd.DataFrame,
    bureaus: pd.Series,
) -> tuple[Mask, ReasonColumn, list[Note]]:
    """Candidates beyond their bureau's cap, in rank order: (mask, reasons, notes).

    A bureau's first `bureau_cap` candidates by the ranking keys keep their places (the
    next officer of another bureau moves up); within a tie at the bureau's last place the
    警号 order decides, and a note says so."""
    cap = rules.model.fairness.bureau_cap
    hit = np.zeros(len(ids), dtype=bool)
    if cap is None or not pool.any():
        return hit, ReasonColumn.none(len(ids)), []
    idx = np.flatnonzero(pool)
    values = keys.to_numpy(dtype=np.float64)[idx]
    ranked = rank_pool(values, ids.to_numpy(dtype=object)[idx], "competition")
    at = idx[ranked.order]
    in_order = pd.DataFrame(values[ranked.order], columns=[f"k{i}" for i in range(values.shape[1])])
    in_order["bureau"] = bureaus.to_numpy(dtype=object)[at]
    beyond = in_order.groupby("bureau", sort=False).cumcount().to_numpy() >= cap
    hit[at[beyond]] = True
    notes: list[Note] = []
    if beyond.any():
        in_order["kept"] = ~beyond
        sides = in_order.groupby([*in_order.columns[:-2], "bureau"])["kept"].nunique()
        if bool((sides > 1).any()):
            notes.append(star_note(BUREAU_CAP_TIE, star.key, star.label, cap=cap))
        count = int(beyond.sum())
        notes.append(star_note(CAP_NOTE, star.key, star.label, cap=cap, count=count))

    def make(bureau: object) -> Reason:
        return Reason(BUREAU_CAP, {"cap": cap, "bureau": str(bureau)})

    return hit, ReasonColumn.of_values(bureaus.astype(str).to_numpy(dtype=object), hit, make), notes
