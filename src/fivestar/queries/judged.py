"""A month's view judged again, read narrowly: only what the engine takes, only what is shown.

A city view merged from county runs, or a view with exclusions in force, is judged again
from the stored figures (`fivestar.queries.scope`). The engine needs each officer's identity,
source, input metrics and optional inputs — not the derived metrics nor the stored outcomes,
which it decides anew — so only those columns are read. What the judging decided is then
turned into the frames `Store.officers` / `Store.outcomes` would give (the costly part: every
reason encoded) only for the rows a query shows: history takes who and the stars named
straight from the evaluation, report the rankings' rows, explain one officer's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from sqlalchemy import Select, Table, select

from fivestar.columns import COUNT_KEYS, RATE_KEYS
from fivestar.engine import Evaluation, evaluate
from fivestar.queries.scope import (
    View,
    bars_of,
    canonical,
    city_runs,
    county_run,
    own_runs,
)
from fivestar.rules import RuleSet
from fivestar.store.damage import damaged_rows
from fivestar.store.decisions import InForce
from fivestar.store.rows import OFFICER_COLUMNS as STORED_OFFICERS
from fivestar.store.rows import OUTCOME_COLUMNS as STORED_OUTCOMES
from fivestar.store.rows import (
    Part,
    RunInfo,
    inputs_read_back,
    officer_rows,
    officers_frame,
    outcome_rows,
    outcomes_frame,
)
from fivestar.store.schema import OFFICER_SOURCE, OFFICER_TEXT, OFFICERS
from fivestar.store.store import Store

# What the engine takes of a stored officer (see `canonical`), and the run it came from.
JUDGED_COLUMNS = ("run_id", *OFFICER_TEXT, *OFFICER_SOURCE, *COUNT_KEYS, *RATE_KEYS,
                  "optional_inputs")  # fmt: skip


def read_frame(store: Store, query: Select[tuple[object, ...]]) -> pd.DataFrame:
    """The rows a query reads, as a DataFrame (the column types as the driver gives them).
    The store's column types convert nothing on the way out, so the driver's rows are taken
    as they are: a SQLAlchemy row each cost half the read of a year's 240,000 officers."""
    with store._read() as conn:
        result = conn.execute(query)
        columns = list(result.keys())
        as_is = all(
            c.type.result_processor(conn.dialect, None) is None for c in query.selected_columns
        )
        rows = result.cursor.fetchall() if as_is else [tuple(row) for row in result]
    return pd.DataFrame.from_records(rows, columns=columns, coerce_float=True)


def judged_people(store: Store, run_ids: Sequence[int]) -> pd.DataFrame:
    """The officers of runs with only the columns the engine takes (optional inputs
    expanded as `Store.officers` does), in run, then 警号 order, as `Store.officers`."""
    table: Table = OFFICERS
    query = select(*[table.c[c] for c in JUDGED_COLUMNS]).where(
        table.c.run_id.in_([int(i) for i in run_ids])
    )
    frame = read_frame(store, query)
    try:
        frame = frame.sort_values(["run_id", "officer_id"], kind="stable").reset_index(drop=True)
        for key in COUNT_KEYS:
            frame[key] = frame[key].astype("int64")
        for key in RATE_KEYS:
            frame[key] = frame[key].astype("float64")
        inputs = inputs_read_back(frame.pop("optional_inputs"))
    except (ValueError, TypeError) as err:
        raise damaged_rows(
            store.where, "officers", frame, (*COUNT_KEYS, *RATE_KEYS), err,
            json_columns=["optional_inputs"], nullable=RATE_KEYS,
        ) from None  # fmt: skip
    return pd.concat([frame, inputs], axis=1)


@dataclass(frozen=True)
class Judged:
    """A view judged again: the evaluation, and each of its officers' run."""

    month: str
    run: RunInfo  # the latest run read; its rules judged the view
    runs: tuple[int, ...]
    scope: str
    rules: RuleSet
    evaluation: Evaluation
    run_ids: npt.NDArray[np.int64]  # each officer's run (where the figures came from)
    state: InForce

    def view(self, shown: Callable[[Evaluation], Part] | None = None) -> View:
        """The `View` `resolve_view` gives, its outcomes only those at the positions
        `shown` picks (all, without it) and its officers only theirs."""
        evaluation = self.evaluation
        if shown is None:
            outcomes_at = np.arange(len(evaluation.outcomes), dtype=np.intp)
            officers_at = np.arange(len(evaluation.officers), dtype=np.intp)
        else:
            outcomes_at = shown(evaluation)
            ids = evaluation.outcomes["officer_id"].to_numpy()[outcomes_at]
            officers_at = np.flatnonzero(evaluation.officers["officer_id"].isin(ids).to_numpy())
        officers = pd.DataFrame.from_records(
            officer_rows(evaluation, officers_at),
            columns=list(STORED_OFFICERS[1:]),
            coerce_float=True,
        )
        officers.insert(0, "run_id", self.run_ids[officers_at].tolist())
        outcomes = pd.DataFrame.from_records(
            outcome_rows(evaluation, outcomes_at),
            columns=list(STORED_OUTCOMES[1:]),
            coerce_float=True,
        )
        outcomes.insert(0, "run_id", int(self.run_ids.max(initial=0)))
        return View(
            month=self.month,
            run=self.run,
            runs=self.runs,
            scope=self.scope,
            rules=self.rules,
            officers=officers_frame(officers),
            outcomes=outcomes_frame(outcomes),
            decisions=tuple(self.state.all()),
        )


def judged(
    store: Store,
    month: str,
    state: InForce,
    *,
    scope: str = "city",
    bureau: str | None = None,
    officer: str | None = None,
) -> Judged:
    """The `scope` view of `month` judged again, as `resolve_view` judges it: a city view
    merged from several runs (each bureau's officers from its own latest run, an officer in
    two of them from the later), or any view with the exclusions in force passed over. The
    merged runs and the exclusions are judged in one evaluation."""
    if scope == "county":
        run = store.run(county_run(store, month, bureau, officer))
        ids = [run.id]
        people = judged_people(store, ids)
    else:
        chosen = city_runs(store.coverage(month), month)
        ids = sorted(set(chosen.values()))
        run = store.run(ids[-1]) if ids else store.latest_run(month)
        people = judged_people(store, ids or [run.id])
        if len(ids) > 1:
            people = own_runs(people, chosen)
    rules = store.rules(run.id)
    bars = bars_of(rules, state.exclusions.values()) if state.exclusions else None
    evaluation = evaluate(rules, canonical(people, month), month, bars=bars)
    return Judged(
        month=month,
        run=run,
        runs=tuple(ids) if len(ids) > 1 else (run.id,),
        scope=scope,
        rules=rules,
        evaluation=evaluation,
        run_ids=people["run_id"].to_numpy(dtype=np.int64),
        state=state,
    )


def who_and_named(judged: Judged) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What history reads of a view judged again, straight from the evaluation: who
    (run_id, 警号, name, bureau, under_minimum) in run, then 警号 order, and the stars named
    (run_id, 警号, star, star_order) in star order, then 警号 — as `Store.officers` and
    `Store.outcomes` would order them."""
    evaluation = judged.evaluation
    frame = evaluation.officers
    people = pd.DataFrame(
        {
            "run_id": judged.run_ids,
            "officer_id": frame["officer_id"].astype(str).to_numpy(),
            "name": frame["name"].astype(str).to_numpy(),
            "bureau": frame["bureau"].astype(str).to_numpy(),
            "under_minimum": frame["officer_id"]
            .isin(evaluation.under_minimum["officer_id"])
            .to_numpy(dtype=bool),
        }
    )
    people = people.sort_values(["run_id", "officer_id"], kind="stable").reset_index(drop=True)
    outcomes = evaluation.outcomes
    named = outcomes.loc[outcomes["named"].astype(bool).to_numpy(), ["officer_id", "star"]]
    order = {key: i for i, key in enumerate(judged.rules.star_keys)}
    named = named.assign(
        run_id=int(judged.run_ids.max(initial=0)),
        officer_id=named["officer_id"].astype(str),
        star=named["star"].astype(str),
        star_order=named["star"].map(order).astype("int64"),
    )
    named = named.sort_values(["star_order", "officer_id"], kind="stable").reset_index(drop=True)
    return people, named[["run_id", "officer_id", "star", "star_order"]]
