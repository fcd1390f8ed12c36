"""Officers barred from a star before it is ranked: the bureau's exclusions (取消评选资格).

A separate step from the criteria and the ranking: a barred officer is neither qualified nor
a near miss for the star, so the next candidate takes the place, and the reason is written
first among the officer's reasons, as the gate's are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from fivestar.rules import RuleSet

BAR_COLUMNS = ["officer_id", "star", "reason"]  # star "" bars every star


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
    before = outcome.loc[barred, "reasons"].astype(str)
    joined = why[barred].astype(str) + before.where(before == "", "；" + before)
    outcome.loc[barred, "reasons"] = joined


def veto_bars(rules: RuleSet, frame: pd.DataFrame) -> pd.DataFrame | None:
    """The rules' vetoes (一票否决) as bars on every star: an officer meeting a veto's
    condition is passed over, with the veto in words as the reason. A veto on an optional
    input column the officers' files lacked (missing values) cannot fire: the reader noted it.
    """
    from fivestar.engine.checks import format_threshold, run_check

    found = []
    for veto in rules.model.vetoes:
        comparison = veto.comparison
        values = frame.get(veto.metric)
        if values is None:  # no file had the column: nothing to compare
            continue
        hit = run_check(rules, comparison, values).passed
        if not hit.any():
            continue
        shown = veto.value if isinstance(veto.value, str) else format_threshold(rules, comparison)
        condition = f"{rules.label(veto.metric)} {veto.op} {shown}"
        reason = f"一票否决：{veto.label}（{condition}）"
        ids = frame.loc[hit, "officer_id"]
        found.append(pd.DataFrame({"officer_id": ids, "star": "", "reason": reason}))
    return pd.concat(found, ignore_index=True) if found else None
