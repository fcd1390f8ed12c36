"""Officers barred from a star before it is ranked: the bureau's exclusions (取消评选资格).

A separate step from the criteria and the ranking: a barred officer is neither qualified nor
a near miss for the star, so the next candidate takes the place, and the reason is written
first among the officer's reasons, as the gate's are.
"""

from __future__ import annotations

import pandas as pd

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
