"""The engine: a pure function from (rules, officers table) to an `Evaluation`.

No I/O, no printing. Work is vectorized over officers; the only loops are over the few
criteria and stars of the rules file.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
import pandas as pd

from fivestar.columns import METRIC_KEYS
from fivestar.engine import fairness
from fivestar.engine.bars import apply_bars, veto_bars
from fivestar.engine.checks import CheckResult, run_check, threshold
from fivestar.engine.notes import (
    OVER_TOTAL,
    SHORT_OF_QUOTA,
    TIE_CUT_STRICT,
    TIE_OVER_QUOTA,
    Note,
    star_note,
)
from fivestar.engine.ranking import rank_pool
from fivestar.engine.reason_columns import ReasonColumn, combine, combined
from fivestar.engine.reasons import GATE, NO_OPTION, NOT_ELIGIBLE, Reason
from fivestar.rules import RuleSet
from fivestar.rules.expr import evaluate as evaluate_expr
from fivestar.rules.model import Comparison, Star

OUTCOME_COLUMNS = [
    "officer_id", "star", "eligible", "qualified", "failed", "near_miss",
    "reasons", "rank", "named", "tied", "named_for",
]  # fmt: skip
WINNER_COLUMNS = ["star", "rank", "officer_id", "name", "bureau", "station", "tied"]


@dataclass(frozen=True)
class Evaluation:
    """Everything the month's evaluation decided.

    - `officers`: the input rows plus one column per derived metric (RangeIndex).
    - `outcomes`: one row per officer × star (OUTCOME_COLUMNS). `eligible` is the role
      test; `failed` counts failed criteria (gate included); `reasons` holds, per row, the
      tuple of `Reason`s that kept the officer from the star (() when qualified and not passed
      over; see `fivestar.engine.reasons`), rows with the same reasons sharing one; `rank`
      is the rank among the star's candidates (qualifiers not already named for an earlier
      star), NA otherwise; `named_for` is the earlier star
      an officer was named for, which kept them out of this one (one star per officer).
    - `winners`: WINNER_COLUMNS, ordered by star (rules order), rank, 警号.
    - `under_minimum`: officers below the monthly minimum (未达标) with the shortfall and
      the `Reason` (column `reason`).
    - `notes`: what a reader must know (a quota exceeded by a tie, a star short of it), as
      `Note`s (`fivestar.engine.notes`), worded where shown.
    """

    month: str
    rules: RuleSet
    officers: pd.DataFrame
    outcomes: pd.DataFrame
    winners: pd.DataFrame
    under_minimum: pd.DataFrame
    notes: tuple[Note, ...]

    def star_outcomes(self, star: str) -> pd.DataFrame:
        """One star's outcomes joined with the officers' details, candidates first by rank."""
        rows = self.outcomes[self.outcomes["star"] == star].reset_index(drop=True)
        details = self.officers.drop(columns=["officer_id"])
        joined = pd.concat([rows, details], axis=1)
        return joined.sort_values(["rank", "officer_id"], na_position="last", kind="stable")


def with_derived(rules: RuleSet, officers: pd.DataFrame) -> pd.DataFrame:
    """The officers table plus one float column per derived metric, in rules order."""
    frame = officers.reset_index(drop=True).copy()
    columns = {key: frame[key].to_numpy(dtype=np.float64) for key in METRIC_KEYS}
    for key, derived in rules.model.derived.items():
        columns[key] = evaluate_expr(derived.node, columns)
        frame[key] = columns[key]
    return frame


def evaluate(
    rules: RuleSet,
    officers: pd.DataFrame,
    month: str,
    *,
    past: fairness.PastWinners | None = None,
    bars: pd.DataFrame | None = None,
) -> Evaluation:
    """Evaluate one month: every officer × every star, the winners, the compliance list.

    `past` is who won which star in the months before, for the rules' cool-down (None: no
    history was read, which the notes say when the rules have a cool-down). `bars`
    (officer_id, star, reason: a `Reason`; see `fivestar.engine.bars`) are the officers the bureau
    struck off: passed over before ranking, the next candidate taking the place."""
    frame = with_derived(rules, officers)
    gate = [_gate_check(rules, comp, frame) for comp in rules.model.gate.all]
    gated = frame["role"].isin(rules.model.gate.roles).to_numpy()

    per_star = [_star_outcome(rules, star, frame, gate, gated) for star in rules.stars]
    vetoed = veto_bars(rules, frame)
    if vetoed is not None:  # the rules' vetoes first, then the bureau's exclusions
        bars = pd.concat([vetoed, bars], ignore_index=True) if bars is not None else vetoed
    for star, outcome in zip(rules.stars, per_star, strict=True):
        apply_bars(outcome, star.key, bars)
    notes: list[Note] = fairness.cooldown_notes(rules, past)
    named_for = pd.Series("", index=frame.index, dtype=object)
    one_star = rules.model.selection.one_star_per_officer
    for star, outcome in zip(rules.stars, per_star, strict=True):
        # the star that kept an officer out of this one: named for an earlier star (a later
        # star keeps no one out; an officer who ranked too low here has only the rank)
        outcome["named_for"] = named_for if one_star else ""
        keys = frame[star.rank_by]
        notes += _select(rules, star, keys, outcome, named_for, frame["bureau"], past)
        named_for = named_for.mask(outcome["named"], star.key)

    outcomes = pd.concat(per_star, ignore_index=True)[OUTCOME_COLUMNS]
    winners = _winners(rules, frame, outcomes)
    named = int(winners["officer_id"].nunique())
    if named > rules.model.selection.total:
        notes.append(Note(OVER_TOTAL, {"named": named, "total": rules.model.selection.total}))
    return Evaluation(
        month=month,
        rules=rules,
        officers=frame,
        outcomes=outcomes,
        winners=winners,
        under_minimum=_under_minimum(rules, frame),
        notes=tuple(notes),
    )


def _gate_check(rules: RuleSet, comp: Comparison, frame: pd.DataFrame) -> CheckResult:
    """A gate criterion, its reasons worded as the gate's (资格：…)."""
    check = run_check(rules, comp, frame[comp.metric])
    return replace(check, why=check.why.wrapped(lambda r: Reason(GATE, {"reason": r})))


def _star_outcome(
    rules: RuleSet, star: Star, frame: pd.DataFrame, gate: list[CheckResult], gated: np.ndarray
) -> pd.DataFrame:
    eligible = frame["role"].isin(star.roles).to_numpy()
    checks = [run_check(rules, comp, frame[comp.metric]) for comp in star.criteria.all]
    failed = sum((~c.passed).astype(np.int64) for c in checks) if checks else np.zeros(len(frame))
    # the officer's reasons in order: the role, the star's criteria, its options, the gate
    not_role = ReasonColumn.of_values(
        frame["role"].to_numpy(dtype=object),
        ~eligible,
        lambda role: Reason(NOT_ELIGIBLE, {"role": str(role)}),
    )
    reasons = [not_role, *(c.why.only(eligible) for c in checks)]
    if star.criteria.any:
        options = [run_check(rules, comp, frame[comp.metric]) for comp in star.criteria.any]
        any_ok = np.logical_or.reduce([c.passed for c in options])
        failed = failed + (~any_ok).astype(np.int64)
        reasons.append(
            combined(
                [c.why for c in options],
                ~any_ok & eligible,
                lambda why: Reason(NO_OPTION, {"options": why}),
            )
        )
    own = {c.comparison for c in checks}
    for check in gate:
        if check.comparison in own:  # the visits star repeats the gate: say it once
            continue
        fails = ~check.passed & gated
        failed = failed + fails.astype(np.int64)
        reasons.append(check.why.only(fails & eligible))
    failed = np.asarray(failed, dtype=np.int64)
    return pd.DataFrame(
        {
            "officer_id": frame["officer_id"],
            "star": star.key,
            "eligible": eligible,
            "qualified": eligible & (failed == 0),
            "failed": failed,
            "near_miss": eligible & (failed == 1),
            "reasons": combine(reasons),
            "rank": _no_ranks(len(frame)),
            "named": False,
            "tied": False,
        }
    )


def _select(  # noqa: PLR0917
    rules: RuleSet,
    star: Star,
    keys: pd.DataFrame,
    outcome: pd.DataFrame,
    named_for: pd.Series,
    bureaus: pd.Series,
    past: fairness.PastWinners | None,
) -> list[Note]:
    """Rank the star's candidates and name its winners, in place on `outcome`; return notes."""
    selection = rules.model.selection
    pool = outcome["qualified"].to_numpy().copy()
    if selection.one_star_per_officer:
        pool &= (named_for == "").to_numpy()
    pool, passed_over = fairness.restrict(
        rules, star, outcome, pool, keys=keys, bureaus=bureaus, past=past
    )
    idx = np.flatnonzero(pool)
    ranked = rank_pool(
        keys.to_numpy(dtype=np.float64)[idx],
        outcome["officer_id"].to_numpy(dtype=object)[idx],
        selection.ranking,
    )
    at = idx[ranked.order]
    named = ranked.competition <= star.quota
    if selection.ties == "strict":
        named = np.arange(1, len(at) + 1) <= star.quota
    outcome.loc[at, "rank"] = ranked.shown
    outcome.loc[at, "named"] = named
    outcome.loc[at, "tied"] = _tied_at_the_cut(ranked.competition, named, star.quota)
    count = int(named.sum())
    return passed_over + _select_notes(rules, star, outcome, at, count)


def _select_notes(
    rules: RuleSet, star: Star, outcome: pd.DataFrame, at: npt.NDArray[np.int64], count: int
) -> list[Note]:
    selection = rules.model.selection
    key, label, quota = star.key, star.label, star.quota
    if count > quota:
        return [star_note(TIE_OVER_QUOTA, key, label, quota=quota, count=count)]
    if selection.ties == "strict" and bool(outcome.loc[at, "tied"].any()):
        return [star_note(TIE_CUT_STRICT, key, label, quota=quota)]
    if count < quota:
        return [star_note(SHORT_OF_QUOTA, key, label, count=count, quota=quota)]
    return []


def _tied_at_the_cut(
    competition: npt.NDArray[np.int64], named: npt.NDArray[np.bool_], quota: int
) -> npt.NDArray[np.bool_]:
    """DESIGN.md §2: 并列 marks the named officers tied at the cut line — those sharing the last
    named rank with a candidate placed beyond the quota. A tie inside the quota (two firsts
    of two places) is a shared rank, not 并列."""
    if not named.any():
        return named
    at_cut: npt.NDArray[np.bool_] = competition == competition[named].max()
    beyond = np.arange(1, len(competition) + 1) > quota
    if not (at_cut & beyond).any():
        return np.zeros(len(named), dtype=bool)
    return named & at_cut


def _winners(rules: RuleSet, frame: pd.DataFrame, outcomes: pd.DataFrame) -> pd.DataFrame:
    named = outcomes[outcomes["named"]]
    details = frame.set_index("officer_id")[["name", "bureau", "station"]]
    winners = named.join(details, on="officer_id")
    order = {key: i for i, key in enumerate(rules.star_keys)}
    winners = winners.assign(_order=winners["star"].map(order)).sort_values(
        ["_order", "rank", "officer_id"], kind="stable"
    )
    return winners[WINNER_COLUMNS].reset_index(drop=True)


def _under_minimum(rules: RuleSet, frame: pd.DataFrame) -> pd.DataFrame:
    minimum = rules.model.minimum
    check = run_check(rules, minimum, frame[minimum.metric])
    below = ~check.passed & frame["role"].isin(minimum.roles).to_numpy()
    rows = frame.loc[below, ["officer_id", "name", "bureau", "station", "office", minimum.metric]]
    shortfall = threshold(rules, minimum) - rows[minimum.metric].astype("float64")
    reason = check.why.reasons()[below]
    return rows.assign(shortfall=shortfall, reason=reason).reset_index(drop=True)


def _no_ranks(count: int) -> pd.arrays.IntegerArray:
    """An Int64 column of NA, built without a Python list."""
    return pd.arrays.IntegerArray(np.zeros(count, dtype=np.int64), np.ones(count, dtype=bool))
