"""What a read command reads: a month's city-wide result, a county's own, or one run.

Each run records its scope, the county bureaus (县局) among its officers. Clerks may record
the whole city in one run or each county on its own, at any time and in any order:

- **city** (the default): for each bureau, the latest run of the month that covered it.
  When that is one run (the city evaluated in one go, or re-evaluated after the counties),
  it is read as recorded. Otherwise the bureaus' officers are merged (an officer found in
  two of those runs is taken from the later one) and the engine judges them again with the
  rules of the latest of those runs — winners are city-wide, so a county's own winners are
  not the city's. One county re-running its month replaces that county only.
- **county**: a bureau's own latest run of the month, read as it was recorded (its own
  ranks and winners), showing that bureau's officers.
- **run** (`--run ID`): one run as recorded.

The city and county views apply the bureau's exclusions in force for the month
(`fivestar.store.decisions`): the officers are judged again from the stored figures under the
same rules, the excluded passed over. `--run` shows the run as recorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

import pandas as pd

from fivestar.columns import COUNT_KEYS, RATE_KEYS
from fivestar.engine import evaluate
from fivestar.engine.reasons import EXCLUDED, Reason
from fivestar.errors import Option, Said, UsageError, said
from fivestar.i18n import N_
from fivestar.queries.decisions import month_in_force
from fivestar.queries.lookup import bureaus_hint
from fivestar.rules import RuleSet
from fivestar.store.decisions import Decision, InForce
from fivestar.store.rows import OPTIONAL_PREFIX, RunInfo, evaluated_frames
from fivestar.store.schema import OFFICER_SOURCE, OFFICER_TEXT
from fivestar.store.store import Store

SCOPES = ("city", "county")


@dataclass(frozen=True)
class View:
    """The officers and outcomes a query reads, and where they came from."""

    month: str
    run: RunInfo  # the latest run read; its rules judged the view
    runs: tuple[int, ...]  # every run read, in order
    scope: str  # "city", "county" or "run"
    rules: RuleSet
    officers: pd.DataFrame  # as Store.officers; run_id is the run each officer came from
    outcomes: pd.DataFrame  # as Store.outcomes
    decisions: tuple[Decision, ...] = ()  # the month's decisions in force (city, county)

    @property
    def label(self) -> str:
        """ "run 3", or "runs 3, 5, 7" for a city view merged from several runs."""
        if len(self.runs) == 1:
            return f"run {self.runs[0]}"
        return "runs " + ", ".join(str(i) for i in self.runs)


def runs_words(view: View) -> Said:
    """The view's label in the message's language: "run 3", or "runs 3, 5, 7"."""
    if len(view.runs) == 1:
        return said(N_("run {run}"), run=view.runs[0])
    return said(N_("runs {runs}"), runs=", ".join(str(i) for i in view.runs))


def in_view(view: View) -> Said:
    """Where a message looked: "2014-04 (run 3)"."""
    return said(N_("{month} ({runs})"), month=view.month, runs=runs_words(view))


def city_runs(coverage: list[tuple[str, int, str]], month: str) -> dict[str, int]:
    """{bureau: the latest run of `month` covering it}, from `Store.coverage()` rows."""
    chosen: dict[str, int] = {}
    for m, run_id, bureau in coverage:
        if m == month:
            chosen[bureau] = max(chosen.get(bureau, 0), run_id)
    return chosen


def city_view_runs(store: Store) -> dict[str, tuple[int, ...]]:
    """{month: the runs its city view reads}, months in order."""
    coverage = store.coverage()
    months = sorted({m for m, _, _ in coverage})
    views = {m: tuple(sorted(set(city_runs(coverage, m).values()))) for m in months}
    for month, run_id in store.latest_ids().items():  # a run without officers, if any
        views.setdefault(month, (run_id,))
    return dict(sorted(views.items()))


def check_scope(scope: str) -> None:
    if scope not in SCOPES:
        raise UsageError(
            N_("{option} {scope!r}: write city or county"), option=Option("scope"), scope=scope
        )


def resolve_view(
    store: Store,
    month: str | None = None,
    run_id: int | None = None,
    *,
    scope: str = "city",
    bureau: str | None = None,
    officer: str | None = None,
) -> View:
    """The view a read command means: --run, else the --scope view of --month (else of the
    latest month). The county scope needs a bureau (or, for explain, the officer)."""
    check_scope(scope)
    if run_id is not None:
        run = store.resolve(month, run_id)
        return recorded(store, run, "run")
    month = store.month(month)
    if scope == "county":
        run = store.run(county_run(store, month, bureau, officer))
        return decided(store, recorded(store, run, "county"))
    chosen = city_runs(store.coverage(month), month)
    ids = sorted(set(chosen.values()))
    if len(ids) <= 1:
        run = store.run(ids[0]) if ids else store.latest_run(month)
        return decided(store, recorded(store, run, "city"))
    return decided(store, merged(store, month, chosen))


def decided(store: Store, view: View, state: InForce | None = None) -> View:
    """The view with the month's exclusions applied: judged again from the stored figures
    when any is in force (the next candidate takes the place)."""
    state = state if state is not None else month_in_force(store, view.month)
    if not state.exclusions:
        return replace(view, decisions=tuple(state.all()))
    bars = bars_of(view.rules, state.exclusions.values())
    people = view.officers
    evaluation = evaluate(view.rules, canonical(people, view.month), view.month, bars=bars)
    officers, outcomes = evaluated_frames(evaluation, people["run_id"].tolist())
    return replace(view, officers=officers, outcomes=outcomes, decisions=tuple(state.all()))


def county_run(store: Store, month: str, bureau: str | None, officer: str | None) -> int:
    coverage = store.coverage(month)
    if bureau is not None:
        covering = [i for _, i, b in coverage if b == bureau]
        if not covering:
            hint = bureaus_hint(bureau, (b for _, _, b in coverage))
            raise UsageError(
                N_("no run for bureau {bureau!r} in {month}; {hint}"),
                bureau=bureau,
                month=month,
                hint=hint,
            )
        return max(covering)
    if officer is not None:
        runs = {i for _, i, _ in coverage}
        mine = [i for i, _ in store.officer_places(officer) if i in runs]
        # Not found: the latest run of the month, where explain says who is there instead.
        return max(mine) if mine else store.latest_run(month).id
    raise county_needs_bureau()


def county_needs_bureau() -> UsageError:
    return UsageError(
        N_("{scope} county needs {bureau}: whose county?"),
        scope=Option("scope"),
        bureau=Option("bureau"),
    )


def recorded(
    store: Store,
    run: RunInfo,
    scope: str,
    *,
    officers: pd.DataFrame | None = None,
    outcomes: pd.DataFrame | None = None,
    state: InForce | None = None,
) -> View:
    """One run read as it was recorded: all its rows, or the `officers` and `outcomes` a
    narrow query read (fivestar.queries.narrow), with the decisions in force if given."""
    return View(
        month=run.month,
        run=run,
        runs=(run.id,),
        scope=scope,
        rules=store.rules(run.id),
        officers=store.officers([run.id]) if officers is None else officers,
        outcomes=store.outcomes([run.id]) if outcomes is None else outcomes,
        decisions=() if state is None else tuple(state.all()),
    )


def own_runs(people: pd.DataFrame, chosen: dict[str, int]) -> pd.DataFrame:
    """Each bureau's officers as its own chosen run recorded them (an officer in two runs:
    the later one), in 警号 order."""
    mine = people["bureau"].map(chosen) == people["run_id"]
    return (
        people[mine]
        .sort_values("run_id", ascending=False, kind="stable")
        .drop_duplicates("officer_id")
        .sort_values("officer_id", kind="stable")
        .reset_index(drop=True)
    )


def merged(store: Store, month: str, chosen: dict[str, int]) -> View:
    """Each bureau's officers from its own latest run, judged again together."""
    ids = sorted(set(chosen.values()))
    people = own_runs(store.officers(ids), chosen)
    latest = store.run(ids[-1])
    rules = store.rules(latest.id)
    evaluation = evaluate(rules, canonical(people, month), month)
    officers, outcomes = evaluated_frames(evaluation, people["run_id"].tolist())
    return View(month, latest, tuple(ids), "city", rules, officers, outcomes)


def bars_of(rules: RuleSet, exclusions: Iterable[Decision]) -> pd.DataFrame:
    """The engine's bars (`fivestar.engine.bars`) of exclusions in force, each with its
    reason (code excluded: why, by whom, when, the star or "" for every star)."""
    rows = [
        (d.officer_id or "", d.star or "", _excluded(d))
        for d in exclusions
        if d.action == "exclude"
    ]
    return pd.DataFrame(rows, columns=["officer_id", "star", "reason"])


def _excluded(d: Decision) -> Reason:
    return Reason(EXCLUDED, {"reason": d.reason, "author": d.author, "at": d.at,
                             "star": d.star or ""})  # fmt: skip


def canonical(people: pd.DataFrame, month: str) -> pd.DataFrame:
    """Stored officers back in the reader's canonical form, as the engine takes them (with
    the optional input columns a run's rules declared for their vetoes)."""
    frame = people[[*OFFICER_TEXT, *OFFICER_SOURCE]].copy()
    frame["month"] = month
    frame["source_row"] = frame["source_row"].astype("Int64")
    for key in COUNT_KEYS:
        frame[key] = people[key].astype("int64")
    for key in RATE_KEYS:
        frame[key] = people[key].astype("float64")
    for column in people.columns:  # the optional input columns stored for the vetoes
        if column.startswith(OPTIONAL_PREFIX):
            frame[column.removeprefix(OPTIONAL_PREFIX)] = people[column].astype("float64")
    return frame.reset_index(drop=True)
