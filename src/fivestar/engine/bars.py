"""Officers barred from a star before it is ranked: the bureau's exclusions (取消评选资格).

A separate step from the criteria and the ranking: a barred officer is neither qualified nor
a near miss for the star, so the next candidate takes the place, and the reason (a `Reason`,
fivestar.engine.reasons) comes first among the officer's reasons.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from fivestar.engine.reason_columns import tuples_of
from fivestar.engine.reasons import VETO, Reason

if TYPE_CHECKING:
    from fivestar.rules import RuleSet

BAR_COLUMNS = ["officer_id", "star", "reason"]  # star "" bars every star; reason a `Reason`


def apply_bars(outcome: pd.DataFrame, star: str, bars: pd.DataFrame | None) -> None:
    """Bar, in place on one star's `outcome`, the officers `bars` names for `star` (or for
    every star). `bars` holds BAR_COLUMNS; an officer barred twice shows the first reason."""
    if bars is None or bars.empty:
        return
    mine = bars[bars["star"].isin(["", star])].drop_duplicates("officer_id")
    why = outcome["officer_id"].map(mine.set_index("officer_id")["reason"])
    barred = why.notna().to_numpy()
    if not barred.any():
        return
    outcome.loc[barred, "qualified"] = False
    outcome.loc[barred, "near_miss"] = False
    reasons = outcome["reasons"].to_numpy(dtype=object).copy()
    # the barred are few: their reasons one by one, the bar first
    firsts = why.to_numpy(dtype=object)[barred].tolist()
    reasons[barred] = tuples_of(
        [(first, *before) for first, before in zip(firsts, reasons[barred].tolist(), strict=True)]
    )
    outcome["reasons"] = reasons


def veto_bars(rules: RuleSet, frame: pd.DataFrame) -> pd.DataFrame | None:
    """The rules' vetoes (一票否决) as bars on every star: an officer meeting a veto's
    condition is passed over, the veto (code veto, with the officer's value) the reason. A
    veto on an optional input column the officers' files lacked cannot fire: the reader noted
    it."""
    from fivestar.engine.checks import plain, run_check, threshold
    from fivestar.engine.reason_columns import ReasonColumn

    found = []
    for veto in rules.model.vetoes:
        comparison = veto.comparison
        values = frame.get(veto.metric)
        if values is None:  # no file had the column: nothing to compare
            continue
        hit = run_check(rules, comparison, values).passed
        if not hit.any():
            continue
        unit = rules.unit(veto.metric)
        shown = (
            veto.value if isinstance(veto.value, str) else plain(threshold(rules, comparison), unit)
        )  # a yes-no column's 是 stays as the rules write it
        fixed: dict[str, Any] = {
            "label": veto.label, "metric": veto.metric, "op": veto.op,
            "threshold": shown, "unit": unit,
        }  # fmt: skip

        def make(value: Any, fixed: dict[str, Any] = fixed, unit: str = unit) -> Reason:
            return Reason(VETO, {**fixed, "value": plain(value, unit)})

        why = ReasonColumn.of_values(values.to_numpy(dtype="float64"), hit, make)
        ids = frame.loc[hit, "officer_id"]
        found.append(pd.DataFrame({"officer_id": ids, "star": "", "reason": why.reasons()[hit]}))
    return pd.concat(found, ignore_index=True) if found else None
