"""A month judged again (merged county runs, exclusions in force) read narrowly (issue 17):
only the rows shown are built, and they are what the whole view holds — on SQLite and
PostgreSQL."""

from __future__ import annotations

import pandas as pd

from fivestar.queries.decisions import month_in_force
from fivestar.queries.judged import judged, judged_people, who_and_named
from fivestar.queries.narrow import officer_view, ranking_view
from fivestar.queries.scope import resolve_view
from fivestar.store import open_store
from tests.store.test_narrow import MONTHS, _shown, _sorted, decided_db  # noqa: F401


def test_a_view_judged_again_holds_only_the_rows_shown(decided_db: str) -> None:  # noqa: F811
    with open_store(decided_db) as store:
        for month in MONTHS:
            whole = resolve_view(store, month)
            assert len(whole.runs) > 1 or whole.decisions  # judged again, not as recorded
            narrow = ranking_view(store, month)
            for got, want in zip((narrow.officers, narrow.outcomes), _shown(whole), strict=True):
                pd.testing.assert_frame_equal(_sorted(got), want)
            officer_id = str(whole.officers["officer_id"].iloc[-1])
            mine = officer_view(store, officer_id, month)
            assert set(mine.officers["officer_id"]) == {officer_id}
            want = whole.outcomes[whole.outcomes["officer_id"] == officer_id]
            pd.testing.assert_frame_equal(_sorted(mine.outcomes), _sorted(want))


def test_history_reads_who_and_the_named_from_the_judging(decided_db: str) -> None:  # noqa: F811
    with open_store(decided_db) as store:
        for month in MONTHS:
            whole = resolve_view(store, month)
            people, named = who_and_named(judged(store, month, month_in_force(store, month)))
            columns = ["run_id", "officer_id", "name", "bureau", "under_minimum"]
            pd.testing.assert_frame_equal(people, whole.officers[columns])
            want = whole.outcomes.loc[
                whole.outcomes["named"], ["run_id", "officer_id", "star", "star_order"]
            ]
            pd.testing.assert_frame_equal(named, want.reset_index(drop=True))


def test_the_engine_is_given_only_what_it_takes(decided_db: str) -> None:  # noqa: F811
    with open_store(decided_db) as store:
        people = judged_people(store, [1, 2, 3])
        assert not {"derived", "under_minimum", "optional_inputs"} & set(people.columns)
        stored = store.officers([1, 2, 3])
        pd.testing.assert_frame_equal(people, stored[list(people.columns)])
