"""Questions clerks ask of the store: a star's ranking, why an officer was passed over.

Each query resolves the view it reads (`run_id`, else the `scope` view of `month`, else of the
latest month; see `fivestar.queries.scope`) and returns a plain result object with `to_json()`;
nothing is printed here.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from fivestar.engine.reasons import GAP_CODES, LEGACY, VETO, Reason, Words, decode
from fivestar.errors import Said, UsageError, said
from fivestar.i18n import N_
from fivestar.queries.gaps import Metric, metric, plain, star_metrics
from fivestar.queries.lookup import bureaus_hint, officer_hint, trimmed
from fivestar.queries.narrow import officer_view, ranking_view
from fivestar.queries.results import Entry, Explanation, Report, StarRanking, Verdict
from fivestar.queries.scope import View, bars_of, city_view_runs, in_view
from fivestar.rules import RuleSet
from fivestar.rules.model import Star
from fivestar.store.store import Store


def _figures(
    metrics: list[Metric], row: pd.Series | dict[str, Any]
) -> dict[str, int | float | None]:
    return {m.key: plain(m.unit, row.get(m.key)) for m in metrics}


def _gaps(reasons: tuple[Reason, ...]) -> tuple[Reason, ...]:
    """The reasons that say how far from the star's criteria (not a bar or fairness). An
    older run's words (legacy-text) are kept as they were: they are mostly its gaps."""
    return tuple(r for r in reasons if r.code in GAP_CODES or r.code == LEGACY)


def _bureaus(officers: pd.DataFrame, bureau: str, view: View) -> pd.DataFrame:
    mine = officers[officers["bureau"] == bureau]
    if mine.empty:
        hint = bureaus_hint(bureau, officers["bureau"])
        raise UsageError(
            N_("no bureau {bureau!r} in {view}; {hint}"),
            bureau=bureau,
            view=in_view(view),
            hint=hint,
        )
    return mine


def _star(rules: RuleSet, key: str, view: View) -> Star:
    return rules.find_star(key, in_view(view))  # key, label or short name


def _rank_star(
    rules: RuleSet,
    star: Star,
    view: View,
    *,
    people: pd.DataFrame,
    outcomes: pd.DataFrame,
    bureau: str | None,
) -> StarRanking:
    metrics = [metric(rules, key) for key in star_metrics(star)]
    words = Words.of(rules)
    rows = outcomes[outcomes["star"] == star.key].join(people, on="officer_id", how="inner")
    rows = rows.reset_index(drop=True)  # an empty join's index is named officer_id

    def entry(row: dict[Any, Any], near: bool) -> Entry:
        rank = row["star_rank"]
        why = decode(str(row["reasons"]))
        return Entry(
            officer_id=str(row["officer_id"]),
            name=str(row["name"]),
            bureau=str(row["bureau"]),
            station=str(row["station"]),
            figures=_figures(metrics, row),
            rank=None if pd.isna(rank) else int(rank),
            named=bool(row["named"]),
            tied=bool(row["tied"]),
            named_for=str(row["named_for"]),
            why=why,
            gap_why=_gaps(why) if near else (),
            words=words,
        )

    qualified = rows[rows["qualified"]].sort_values(
        ["star_rank", "officer_id"], na_position="last", kind="stable"
    )
    near = rows[rows["near_miss"]].sort_values("officer_id", kind="stable")
    return StarRanking(
        month=view.month,
        run=view.run.id,
        runs=view.runs,
        scope=view.scope,
        star=star.key,
        label=star.label,
        metrics=tuple(metrics),
        # records, not iterrows: a Series per row cost more than the rest of the query
        ranking=tuple(entry(row, False) for row in qualified.to_dict("records")),
        near_misses=tuple(entry(row, True) for row in near.to_dict("records")),
        bureau=bureau,
        labels={s.key: s.label for s in rules.stars},
        organisation=rules.model.organisation,
        bureaus=tuple(rules.model.bureaus),
    )


def star_ranking(
    store: Store,
    month: str | None = None,
    star: str | None = None,
    bureau: str | None = None,
    run_id: int | None = None,
    *,
    scope: str = "city",
) -> StarRanking | Report:
    """A star's ranking (or every star's, when `star` is None): the city-wide result of a
    month by default, a county's own run (`scope="county"` with `bureau`), or one run."""
    bureau = trimmed(bureau, "bureau")
    # Only the outcomes shown and their officers, when read as recorded (see ranking_view).
    view = ranking_view(store, month, run_id, scope=scope, bureau=bureau)
    rules = view.rules
    chosen = [_star(rules, star, view)] if star is not None else list(rules.stars)
    people = view.officers
    if bureau is not None:
        people = _bureaus(people, bureau, view)
    people = people.drop(columns=["run_id"]).set_index("officer_id")
    outcomes = view.outcomes
    ranked = tuple(
        _rank_star(rules, s, view, people=people, outcomes=outcomes, bureau=bureau) for s in chosen
    )
    if star is not None:
        return ranked[0]
    labels = {s.key: s.label for s in rules.stars}
    return Report(
        month=view.month,
        run=view.run.id,
        stars=ranked,
        bureau=bureau,
        labels=labels,
        runs=view.runs,
        scope=view.scope,
        organisation=rules.model.organisation,
    )


def explain(
    store: Store,
    officer_id: str,
    month: str | None = None,
    run_id: int | None = None,
    *,
    scope: str = "city",
) -> Explanation:
    """One officer: the figures and, star by star, qualified / named / why not — in the
    month's city-wide result by default, in the officer's county run, or in one run."""
    officer_id = officer_id.strip()
    # Only the officer's rows, when the view is read as recorded (see officer_view).
    view = officer_view(store, officer_id, month, run_id, scope=scope)
    rules = view.rules
    people = view.officers
    found = people[people["officer_id"] == officer_id]
    if found.empty:
        raise UsageError(_no_officer(store, officer_id, view, list(people["officer_id"])))
    person = found.iloc[0]
    keys = list(dict.fromkeys(k for s in rules.stars for k in star_metrics(s)))
    keys += [c.metric for c in rules.model.gate.all if c.metric not in keys]
    metrics = [metric(rules, key) for key in keys]
    outcomes = view.outcomes
    mine = outcomes[outcomes["officer_id"] == officer_id].set_index("star")
    barred = barred_for(view, officer_id)
    words = Words.of(rules)
    verdicts = []
    for star in rules.stars:
        row = mine.loc[star.key]
        rank = row["star_rank"]
        qualified = bool(row["qualified"])
        why = decode(str(row["reasons"]))
        verdicts.append(
            Verdict(
                star=star.key,
                label=star.label,
                eligible=bool(row["eligible"]),
                qualified=qualified,
                named=bool(row["named"]),
                tied=bool(row["tied"]),
                rank=None if pd.isna(rank) else int(rank),
                named_for=str(row["named_for"]),
                why=why,
                # the rules' vetoes first (as the engine gives them), the exclusions in force
                # (the view may be the run as recorded), then the gaps
                gap_why=()
                if qualified
                else tuple(r for r in why if r.code == VETO)
                + barred.get(star.key, ())
                + _gaps(why),
                words=words,
            )
        )
    return Explanation(
        month=view.month,
        run=view.run.id,
        runs=view.runs,
        scope=view.scope,
        officer_id=officer_id,
        name=str(person["name"]),
        bureau=str(person["bureau"]),
        station=str(person["station"]),
        role=str(person["role"]),
        under_minimum=bool(person["under_minimum"]),
        metrics=tuple(metrics),
        figures=_figures(metrics, person),
        stars=tuple(verdicts),
    )


def barred_for(view: View, officer_id: str) -> dict[str, tuple[Reason, ...]]:
    """{star: (the exclusion in force,)} for one officer of the view."""
    mine = [d for d in view.decisions if d.action == "exclude" and d.officer_id == officer_id]
    bars = bars_of(view.rules, mine)
    return {
        s.key: tuple(bars.loc[bars["star"].isin(["", s.key]), "reason"]) for s in view.rules.stars
    }


def _no_officer(store: Store, officer_id: str, view: View, here: list[str]) -> Said:
    """One line naming where the officer is, or who is here that looks alike."""
    where = said(N_("no officer {officer} in {view}"), officer=officer_id, view=in_view(view))
    elsewhere = stored_months(store, officer_id)
    if elsewhere:
        return said(
            N_("{where}; this officer is stored for: {months}"), where=where, months=elsewhere
        )
    if len(view.runs) == 1:
        template = N_("{where}, nor in any month stored; {count} officers in this run{hint}")
    else:
        template = N_("{where}, nor in any month stored; {count} officers in these runs{hint}")
    return said(template, where=where, count=len(here), hint=officer_hint(officer_id, here))


def stored_months(store: Store, officer_id: str) -> list[str]:
    """The months whose city-wide view holds the officer."""
    places = {run_id for run_id, _ in store.officer_places(officer_id)}
    return [m for m, ids in city_view_runs(store).items() if places & set(ids)]
