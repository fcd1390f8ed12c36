"""Narrow reads of a run's rows: only the columns, outcomes or officer a query shows.

A month's view (`fivestar.queries.scope`) reads every column of every officer and outcome; a
year of a city is then 240,000 officers × 40 columns and a million outcomes. The queries
that show less read less here — still through the same conversions and damage checks as
`Store.officers` / `Store.outcomes`, so they see the same values.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sqlalchemy import Select, Table, select

from fivestar.columns import COUNT_KEYS, RATE_KEYS
from fivestar.queries.decisions import entries, month_in_force
from fivestar.queries.judged import Judged, judged
from fivestar.queries.judged import read_frame as _read
from fivestar.queries.scope import (
    View,
    check_scope,
    city_runs,
    county_run,
    recorded,
    resolve_view,
)
from fivestar.store.damage import damaged_rows
from fivestar.store.decisions import Decision, InForce, in_force
from fivestar.store.rows import RunInfo, officers_frame, outcomes_frame
from fivestar.store.schema import OFFICERS, OUTCOMES
from fivestar.store.store import Store

YEAR_COLUMNS = ("run_id", "officer_id", "name", "bureau", "under_minimum")
NAMED_COLUMNS = ("run_id", "officer_id", "star", "star_order")


def _ids(run_ids: Sequence[int]) -> list[int]:
    return [int(i) for i in run_ids]


def year_officers(store: Store, run_ids: Sequence[int]) -> pd.DataFrame:
    """Who was evaluated in runs: run_id, 警号, name, bureau, under_minimum (bool); in run,
    then 警号 order, as `Store.officers` reads them."""
    table: Table = OFFICERS
    query = select(*[table.c[c] for c in YEAR_COLUMNS]).where(table.c.run_id.in_(_ids(run_ids)))
    frame = _read(store, query)
    try:
        frame["under_minimum"] = frame["under_minimum"].astype("int64").astype(bool)
    except (ValueError, TypeError) as err:
        raise damaged_rows(store.where, "officers", frame, ("under_minimum",), err) from None
    return frame.sort_values(["run_id", "officer_id"], kind="stable").reset_index(drop=True)


def named_outcomes(store: Store, run_ids: Sequence[int]) -> pd.DataFrame:
    """The stars named in runs: run_id, 警号, star, in run, star order, then 警号 — the
    order of `Store.outcomes`. Uses the (run_id, named) index."""
    table: Table = OUTCOMES
    query = (
        select(*[table.c[c] for c in NAMED_COLUMNS])
        .where(table.c.run_id.in_(_ids(run_ids)))
        .where(table.c.named == 1)
    )
    frame = _read(store, query)
    try:
        frame["star_order"] = frame["star_order"].astype("int64")
    except (ValueError, TypeError) as err:
        raise damaged_rows(store.where, "outcomes", frame, ("star_order",), err) from None
    order = ["run_id", "star_order", "officer_id"]
    return frame.sort_values(order, kind="stable").reset_index(drop=True)


def officer_outcomes(store: Store, run_id: int, officer_id: str) -> pd.DataFrame:
    """One officer's outcomes in one run (the primary key's prefix), as `Store.outcomes`."""
    table: Table = OUTCOMES
    query = select(table).where(table.c.run_id == int(run_id), table.c.officer_id == officer_id)
    return _outcomes(store, query)


def officer_row(store: Store, run_id: int, officer_id: str) -> pd.DataFrame:
    """One officer's row in one run (none or one), as `Store.officers` reads it."""
    table: Table = OFFICERS
    query = select(table).where(table.c.run_id == int(run_id), table.c.officer_id == officer_id)
    return _officers(store, query)


def _outcomes(store: Store, query: Select[tuple[object, ...]]) -> pd.DataFrame:
    frame = _read(store, query)
    try:
        return outcomes_frame(frame)
    except (ValueError, TypeError) as err:
        flags = ("star_order", "eligible", "qualified", "near_miss", "named", "tied")
        raise damaged_rows(
            store.where, "outcomes", frame, (*flags, "star_rank"), err, nullable=("star_rank",)
        ) from None


def _officers(store: Store, query: Select[tuple[object, ...]]) -> pd.DataFrame:
    frame = _read(store, query)
    try:
        return officers_frame(frame)
    except (ValueError, TypeError) as err:
        numeric = (*COUNT_KEYS, *RATE_KEYS, "under_minimum")
        raise damaged_rows(
            store.where, "officers", frame, numeric, err,
            json_columns=["derived", "optional_inputs"], nullable=RATE_KEYS,
        ) from None  # fmt: skip


def in_force_by_month(store: Store) -> dict[str, InForce]:
    """Every month's decisions in force, from one read of the log."""
    by_month: dict[str, list[Decision]] = {}
    for entry in entries(store):
        by_month.setdefault(entry.month, []).append(entry)
    return {month: in_force(found) for month, found in by_month.items()}


def _one_run(
    store: Store,
    month: str | None,
    run_id: int | None,
    scope: str,
    *,
    bureau: str | None = None,
    officer: str | None = None,
) -> tuple[RunInfo, str, InForce] | None:
    """The one run a view reads as recorded, the view's scope and the month's decisions; None
    when the view is judged again (several runs merged, or exclusions in force)."""
    check_scope(scope)
    if run_id is not None:
        return store.resolve(month, run_id), "run", InForce()
    month = store.month(month)
    state = month_in_force(store, month)
    if state.exclusions:
        return None
    if scope == "county":
        return store.run(county_run(store, month, bureau, officer)), scope, state
    ids = sorted(set(city_runs(store.coverage(month), month).values()))
    if len(ids) > 1:
        return None
    return (store.run(ids[0]) if ids else store.latest_run(month)), scope, state


def officer_view(
    store: Store,
    officer_id: str,
    month: str | None = None,
    run_id: int | None = None,
    *,
    scope: str = "city",
) -> View:
    """`resolve_view` for one officer (explain): the view holds only the officer's row and
    outcomes — read as recorded, or built from the judging when the view is judged again
    (merged runs, exclusions in force). An officer not found there (the error lists who
    is) gets the whole view."""
    one = _one_run(store, month, run_id, scope, officer=officer_id)
    if one is None:
        again = _judged(store, month, scope, officer=officer_id)
        mine = again.evaluation.outcomes["officer_id"] == officer_id
        return again.view(lambda _: np.flatnonzero(mine.to_numpy())) if mine.any() else again.view()
    officers = officer_row(store, one[0].id, officer_id)
    if officers.empty:
        return resolve_view(store, month, run_id, scope=scope, officer=officer_id)
    run, scope, state = one
    outcomes = officer_outcomes(store, run.id, officer_id)
    return recorded(store, run, scope, officers=officers, outcomes=outcomes, state=state)


def _judged(
    store: Store,
    month: str | None,
    scope: str,
    *,
    bureau: str | None = None,
    officer: str | None = None,
) -> Judged:
    """The month's view judged again (`fivestar.queries.judged`), where `_one_run` found
    no one run to read as recorded."""
    month = store.month(month)
    state = month_in_force(store, month)
    return judged(store, month, state, scope=scope, bureau=bureau, officer=officer)


# Beyond this many officers shown, a run's officers are read whole rather than named one by
# one in the query (SQLite and psycopg cap a statement's parameters).
MANY = 5000


def ranking_view(
    store: Store,
    month: str | None = None,
    run_id: int | None = None,
    *,
    scope: str = "city",
    bureau: str | None = None,
) -> View:
    """`resolve_view` for the rankings (report): the view holds only the outcomes a ranking
    shows (qualified or near miss) and those officers — read as recorded, or built from the
    judging when the view is judged again. A bureau the view does not show (the error lists
    those it does, or its rankings are empty) gets the whole view."""
    one = _one_run(store, month, run_id, scope, bureau=bureau)
    if one is None:
        again = _judged(store, month, scope, bureau=bureau)
        outcomes, officers = again.evaluation.outcomes, again.evaluation.officers
        shown = np.flatnonzero((outcomes["qualified"] | outcomes["near_miss"]).to_numpy(bool))
        ids = outcomes["officer_id"].to_numpy()[shown]
        theirs = officers.loc[officers["officer_id"].isin(ids), "bureau"]
        if bureau is not None and not (theirs == bureau).any():
            return again.view()  # the error lists every bureau, or the rankings are empty
        return again.view(lambda _: shown)
    if bureau is not None and bureau not in one[0].bureaus:
        return resolve_view(store, month, run_id, scope=scope, bureau=bureau)
    run, scope, state = one
    outcomes = shown_outcomes(store, run.id)
    officers = officers_named(store, run.id, outcomes["officer_id"].unique().tolist())
    return recorded(store, run, scope, officers=officers, outcomes=outcomes, state=state)


def shown_outcomes(store: Store, run_id: int) -> pd.DataFrame:
    """A run's outcomes that a ranking shows: qualified, or a near miss."""
    table: Table = OUTCOMES
    shown = (table.c.qualified == 1) | (table.c.near_miss == 1)
    return _outcomes(store, select(table).where(table.c.run_id == int(run_id), shown))


def officers_named(store: Store, run_id: int, officer_ids: list[str]) -> pd.DataFrame:
    """The officers of a run with these 警号, as `Store.officers` reads them."""
    if len(officer_ids) > MANY:
        found = store.officers([run_id])
        return found[found["officer_id"].isin(officer_ids)].reset_index(drop=True)
    table: Table = OFFICERS
    query = select(table).where(table.c.run_id == int(run_id))
    return _officers(store, query.where(table.c.officer_id.in_(officer_ids)))
