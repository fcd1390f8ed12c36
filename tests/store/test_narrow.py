"""The read commands' narrow reads (issue 17): history, report and explain read only what they
show from a month read as recorded, and must show exactly what the whole view shows — on
SQLite and PostgreSQL, with exclusions applied and merged county runs judged again."""

from __future__ import annotations

import sqlite3
from typing import Any

import pandas as pd
import pytest

from fivestar.deciding import Exclusion, exclude
from fivestar.queries import history
from fivestar.queries.narrow import officer_view, ranking_view
from fivestar.queries.rankings import explain, star_ranking
from fivestar.queries.scope import View, resolve_view
from fivestar.rules import RuleSet
from fivestar.store import open_store
from tests.conftest import officer
from tests.store.builders import WUCHENG, XIAJIN, run_result, started

MONTHS = ("2014-03", "2014-04")


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    keys = [c for c in ("run_id", "star_order", "officer_id") if c in frame]
    return frame.sort_values(keys, kind="stable").reset_index(drop=True)


def _shown(view: View) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What a ranking shows of a view: qualified or near-miss outcomes, and their officers."""
    outcomes = view.outcomes[view.outcomes["qualified"] | view.outcomes["near_miss"]]
    people = view.officers[view.officers["officer_id"].isin(outcomes["officer_id"])]
    return _sorted(people), _sorted(outcomes)


def _year(store: Any, months: tuple[str, ...]) -> dict[str, dict[str, list[str]]]:
    """{警号: {month: stars named}} from each month's whole view (the way history read)."""
    found: dict[str, dict[str, list[str]]] = {}
    for month in months:
        view = resolve_view(store, month)
        named = view.outcomes[view.outcomes["named"]]
        for officer_id in view.officers["officer_id"]:
            mine = named.loc[named["officer_id"] == officer_id, "star"]
            found.setdefault(officer_id, {})[month] = list(mine)
    return found


@pytest.fixture
def decided_db(db: str, rules: RuleSet) -> str:
    """The three-run store, plus March redone county by county (a merged city view) and an
    exclusion in force in April (a view judged again)."""
    with open_store(db) as store:
        for minute, bureau in ((40, WUCHENG), (41, XIAJIN)):
            rows = [officer(f"M{minute}", visits=150 + minute, bureau=bureau)]
            result = run_result(rules, "2014-03", rows, minute)
            store.record(result, "fivestar evaluate 2014-03 one/", recorded=started("2014-03"))
        exclude(store, "2014-04", [Exclusion("V1", "违纪")], by="测试")
    return db


@pytest.mark.parametrize("stored", ["db", "decided_db"], ids=["as-recorded", "merged-excluded"])
def test_narrow_views_show_what_the_whole_view_shows(
    backend: str, stored: str, request: pytest.FixtureRequest
) -> None:
    with open_store(request.getfixturevalue(stored)) as store:
        for month in MONTHS:
            whole = resolve_view(store, month)
            narrow = ranking_view(store, month)
            assert (narrow.runs, narrow.decisions) == (whole.runs, whole.decisions)
            for got, want in zip(_shown(narrow), _shown(whole), strict=True):
                pd.testing.assert_frame_equal(got, want)
            for officer_id in whole.officers["officer_id"]:
                # a view judged again is read whole: explain picks the officer's rows
                mine = officer_view(store, officer_id, month)
                pairs = ((mine.officers, whole.officers), (mine.outcomes, whole.outcomes))
                for got, want in pairs:
                    pd.testing.assert_frame_equal(
                        _sorted(got[got["officer_id"] == officer_id]),
                        _sorted(want[want["officer_id"] == officer_id]),
                    )


def test_history_report_and_explain_agree_with_the_whole_views(decided_db: str) -> None:
    with open_store(decided_db) as store:
        year = history(store, 2014)
        assert {o.officer_id: o.stars for o in year.officers} == _year(store, MONTHS)
        april = resolve_view(store, "2014-04")
        assert any(d.action == "exclude" for d in april.decisions)
        report = star_ranking(store, "2014-04")
        for ranking in getattr(report, "stars", ()):
            named = april.outcomes[
                april.outcomes["named"] & (april.outcomes["star"] == ranking.star)
            ]
            assert sorted(e.officer_id for e in ranking.ranking if e.named) == sorted(
                named["officer_id"]
            )
        for officer_id in april.officers["officer_id"]:
            verdicts = {v.star: v.named for v in explain(store, officer_id, "2014-04").stars}
            mine = april.outcomes[april.outcomes["officer_id"] == officer_id]
            assert verdicts == dict(zip(mine["star"], mine["named"], strict=True))


def test_a_star_nobody_reaches_has_an_empty_ranking(location: str, rules: RuleSet) -> None:
    with open_store(location) as store:
        store.record(run_result(rules, "2014-05", [officer("V1", visits=200)]), "x")
        report = star_ranking(store, "2014-05")
    rankings = {r.star: r.ranking for r in getattr(report, "stars", ())}
    assert any(rankings.values()) and not all(rankings.values())


def test_officer_look_ups_use_an_index(db: str, backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("the query plan is SQLite's; the same index is made on PostgreSQL")
    with sqlite3.connect(db) as conn:
        plan = conn.execute(
            "EXPLAIN QUERY PLAN SELECT run_id, bureau FROM officers WHERE officer_id = 'V1'"
        ).fetchall()
    assert "USING INDEX officers_by_officer" in " ".join(str(row[-1]) for row in plan)
