"""Properties of the winners that must hold for any month's figures."""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from fivestar.engine import evaluate
from fivestar.rules import RuleSet, load_rules
from tests.conftest import DEFAULT_RULES, officer, table

RULES: RuleSet = load_rules(DEFAULT_RULES)
small = st.integers(min_value=0, max_value=6)


@st.composite
def officers(draw: st.DrawFn) -> pd.DataFrame:
    rows = []
    for i in range(draw(st.integers(min_value=1, max_value=25))):
        mediations = draw(small)
        services = draw(small)
        rows.append(
            officer(
                f"{i:04d}",
                role=draw(st.sampled_from(["社区民警", "社区民警", "六进业务警种民警"])),
                visits=draw(st.sampled_from([0, 45, 79, 80, 81, 120])),
                id_consistency=draw(st.sampled_from([1.0, 0.9996, math.nan])),
                mediations=mediations,
                mediations_ok=draw(st.integers(0, mediations)),
                followups_ok=draw(st.integers(0, mediations)),
                case_leads=draw(small),
                info_leads=draw(st.integers(0, 14)),
                services=services,
                services_ok=draw(st.integers(0, services)),
            )
        )
    return table(*rows)


@given(officers())
def test_winners_obey_the_scheme(frame: pd.DataFrame) -> None:
    result = evaluate(RULES, frame, "2014-04")
    outcomes = result.outcomes
    assert len(outcomes) == len(frame) * len(RULES.stars)
    assert result.winners["officer_id"].is_unique  # one star per officer
    named = outcomes[outcomes["named"]]
    assert named["qualified"].all()
    assert (named["reasons"].map(len) == 0).all()
    for star in RULES.stars:
        mine = outcomes[outcomes["star"] == star.key]
        pool = mine[mine["rank"].notna()]
        chosen = pool[pool["named"]]
        assert len(chosen) >= min(star.quota, len(pool))
        # 并列 ⇔ named, at the last named rank, and the quota exceeded (SPEC §2, competition
        # ranks and the default "include" tie policy)
        last = chosen["rank"].max() if len(chosen) else None
        expected = pool["named"] & (pool["rank"] == last) & (len(chosen) > star.quota)
        assert pool["tied"].astype(bool).tolist() == expected.astype(bool).tolist()
        assert not mine.loc[~mine["named"].astype(bool), "tied"].astype(bool).any()
        if len(chosen) and len(pool) > len(chosen):
            assert pool[~pool["named"]]["rank"].min() > chosen["rank"].max()
    # a business officer is never named for a star closed to his role
    business = set(frame.loc[frame["role"] == "六进业务警种民警", "officer_id"])
    others = result.winners[result.winners["star"] != "service"]
    assert not business & set(others["officer_id"])
