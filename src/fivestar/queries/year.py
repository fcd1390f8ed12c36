"""A year at a glance: which officer won which star in which month, and who fell short.

Reads each month's city-wide view (or, with `scope="county"`, the bureau's own runs); see
`fivestar.queries.scope`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from fivestar.errors import StoreError, UsageError, said
from fivestar.i18n import N_
from fivestar.queries.judged import judged, who_and_named
from fivestar.queries.lookup import bureaus_hint, officer_hint, trimmed
from fivestar.queries.narrow import (
    in_force_by_month,
    named_outcomes,
    year_officers,
)
from fivestar.queries.rankings import stored_months
from fivestar.queries.scope import check_scope, city_view_runs, county_needs_bureau
from fivestar.rules import RuleSet
from fivestar.run_scope import bureau_order
from fivestar.store.decisions import Decision, InForce
from fivestar.store.rows import RunInfo
from fivestar.store.store import Store


@dataclass(frozen=True)
class OfficerYear:
    officer_id: str
    name: str
    bureau: str
    stars: dict[str, list[str]]  # month → star keys named (every month evaluated)
    under_minimum: list[str]

    @property
    def total(self) -> int:
        return sum(len(keys) for keys in self.stars.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "officer_id": self.officer_id,
            "name": self.name,
            "bureau": self.bureau,
            "stars": self.stars,
            "total": self.total,
            "under_minimum": self.under_minimum,
        }


@dataclass(frozen=True)
class History:
    year: int
    months: list[str]
    runs: dict[str, list[int]]  # month → the runs read
    labels: dict[str, str]  # star key → label, in the order of the latest month's rules
    officers: list[OfficerYear]
    bureaus: dict[str, dict[str, int]] = field(default_factory=dict)  # bureau → month → stars
    organisation: str = ""  # the latest month's rules' 德州市公安局, for titles (not in the JSON)
    confirmed: dict[str, bool] = field(default_factory=dict)  # month → its list confirmed

    def confirmed_total(self, per_month: dict[str, Any]) -> int:
        """Stars of confirmed months only: a month 待确认 may still change."""
        return sum(len(v) if isinstance(v, list) else int(v)
                   for m, v in per_month.items() if self.confirmed.get(m))  # fmt: skip

    def by_star(self) -> dict[str, list[tuple[OfficerYear, int]]]:
        """Who won each star how often, most often first."""
        counts: dict[str, list[tuple[OfficerYear, int]]] = {key: [] for key in self.labels}
        for officer in self.officers:
            won = [key for keys in officer.stars.values() for key in keys]
            for key in dict.fromkeys(won):
                counts.setdefault(key, []).append((officer, won.count(key)))
        for entries in counts.values():
            entries.sort(key=lambda e: (-e[1], e[0].officer_id))
        return counts

    def repeatedly_under(self) -> list[OfficerYear]:
        """Officers under the monthly minimum more than once this year."""
        return [o for o in self.officers if len(o.under_minimum) > 1]

    def to_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "months": self.months,
            "runs": self.runs,
            "confirmed": self.confirmed,
            "officers": [
                {**o.to_json(), "confirmed_total": self.confirmed_total(o.stars)}
                for o in self.officers
            ],
            "bureaus": [
                {"bureau": name, "stars": per_month, "total": sum(per_month.values()),
                 "confirmed_total": self.confirmed_total(per_month)}
                for name, per_month in self.bureaus.items()
            ],
        }  # fmt: skip


def history(
    store: Store,
    year: int | None = None,
    officer: str | None = None,
    bureau: str | None = None,
    *,
    scope: str = "city",
) -> History:
    """The year's stars per officer and per county bureau, from each month's view."""
    check_scope(scope)
    officer, bureau = trimmed(officer, "officer"), trimmed(bureau, "bureau")
    months = store.months()
    if not months:
        raise StoreError(
            N_("no runs in {where} yet: record one with `fivestar evaluate`"), where=store.where
        )
    years = sorted({int(month[:4]) for month in months})
    year = year if year is not None else years[-1]
    mine = [m for m in months if int(m[:4]) == year]
    if not mine:
        raise UsageError(
            N_("no runs for {year} in {where}; years stored: {years}"),
            year=year,
            where=store.where,
            years=[str(y) for y in years],
        )
    months_of = _months(store, mine, scope, bureau, year)
    decided = in_force_by_month(store)
    read = [
        _month(store, m, ids, decided.get(m, InForce()), scope=scope, bureau=bureau)
        for m, ids in months_of
    ]
    people = pd.concat([r.people for r in read], ignore_index=True)
    # The bureau first: an officer of another bureau is then told as such.
    everyone = people
    if bureau is not None:
        people = _in_bureau(people, bureau, year)
    if officer is not None:
        people = _officer(
            store, everyone=everyone, people=people, officer=officer, bureau=bureau, year=year
        )
    named = pd.concat([r.named for r in read], ignore_index=True)
    named = named.merge(people[["month", "officer_id", "bureau"]], on=["month", "officer_id"])
    months_read = [r.month for r in read]
    rules = read[-1].rules
    return History(
        year=year,
        months=months_read,
        runs={r.month: list(r.runs) for r in read},
        labels={s.key: s.label for s in rules.stars},
        organisation=rules.model.organisation,
        officers=_officers(people, named),
        bureaus=_bureaus(rules, people, named, months_read),
        confirmed={r.month: _confirmed(r.decisions, bureau if scope == "county" else None)
                   for r in read},
    )  # fmt: skip


@dataclass(frozen=True)
class _MonthRead:
    """What history needs of one month's view: who (month, 警号, name, bureau,
    under_minimum) and the stars named (month, 警号, star)."""

    month: str
    runs: tuple[int, ...]
    rules: RuleSet
    people: pd.DataFrame
    named: pd.DataFrame
    decisions: tuple[Decision, ...]


def _month(
    store: Store,
    month: str,
    runs: tuple[int, ...],
    state: InForce,
    *,
    scope: str,
    bureau: str | None,
) -> _MonthRead:
    """One run read as recorded needs only its stored who and named stars; a view merged
    from several runs, or with exclusions in force, is judged again (`fivestar.queries.judged`)."""
    if len(runs) > 1 or state.exclusions:
        # who and the stars named, straight from the judging (`fivestar.queries.judged`)
        again = judged(store, month, state, scope=scope, bureau=bureau)
        people, named = who_and_named(again)
        runs, rules, decisions = again.runs, again.rules, tuple(state.all())
    else:
        rules = store.rules(runs[0])
        people = year_officers(store, runs)
        named = named_outcomes(store, runs)
        decisions = tuple(state.all())
    return _MonthRead(
        month=month,
        runs=runs,
        rules=rules,
        people=people.drop(columns=["run_id"]).assign(month=month),
        named=named[["officer_id", "star"]].assign(month=month),
        decisions=decisions,
    )


def _confirmed(decisions: tuple[Decision, ...], bureau: str | None) -> bool:
    """The view's list is confirmed: for the city, or (county scope) for the bureau."""
    return any(d.action == "confirm" and d.bureau in (None, bureau) for d in decisions)


def _months(
    store: Store, months: list[str], scope: str, bureau: str | None, year: int
) -> list[tuple[str, tuple[int, ...]]]:
    """Each month and the runs its view reads; in the county scope, the months the bureau
    has a run of, and its latest run of each."""
    if scope == "city":
        views = city_view_runs(store)
        return [(m, views[m]) for m in months]
    if bureau is None:
        raise county_needs_bureau()
    coverage = store.coverage()
    latest: dict[str, int] = {}
    for m, run_id, b in coverage:
        if b == bureau and m in months:
            latest[m] = max(latest.get(m, 0), run_id)
    if not latest:
        hint = bureaus_hint(bureau, (b for m, _, b in coverage if m in months))
        raise UsageError(
            N_("no bureau {bureau!r} in {year}; {hint}"), bureau=bureau, year=year, hint=hint
        )
    return [(m, (latest[m],)) for m in sorted(latest)]


def _in_bureau(people: pd.DataFrame, bureau: str, year: int) -> pd.DataFrame:
    mine = people[people["bureau"] == bureau]
    if mine.empty:
        raise UsageError(
            N_("no bureau {bureau!r} in {year}; {hint}"),
            bureau=bureau,
            year=year,
            hint=bureaus_hint(bureau, people["bureau"]),
        )
    return mine


def _officer(
    store: Store,
    *,
    everyone: pd.DataFrame,
    people: pd.DataFrame,
    officer: str,
    bureau: str | None,
    year: int,
) -> pd.DataFrame:
    """The officer's rows; if none, where the officer is instead, or who looks alike."""
    mine = people[people["officer_id"] == officer]
    if not mine.empty:
        return mine
    if bureau is None:
        where = said(N_("no officer {officer} in {year}"), officer=officer, year=year)
    else:
        where = said(
            N_("no officer {officer} in {bureau} in {year}"),
            officer=officer,
            bureau=bureau,
            year=year,
        )
    theirs = sorted(set(everyone.loc[everyone["officer_id"] == officer, "bureau"]) - {""})
    if theirs:
        raise UsageError(N_("{where}; this officer is in {bureaus}"), where=where, bureaus=theirs)
    elsewhere = [m for m in stored_months(store, officer) if int(m[:4]) != year]
    if elsewhere:
        raise UsageError(
            N_("{where}; this officer is stored for: {months}"), where=where, months=elsewhere
        )
    ids = people["officer_id"]
    raise UsageError(
        N_("{where}; {count} officers stored{hint}"),
        where=where,
        count=ids.nunique(),
        hint=officer_hint(officer, ids),
    )


def _officers(people: pd.DataFrame, named: pd.DataFrame) -> list[OfficerYear]:
    """One OfficerYear per 警号 (the latest month's name and bureau). A year of a city is
    240,000 rows: they are sorted once and each officer's months sliced out of plain lists
    (a pandas group per officer cost seconds)."""
    people = people.sort_values(["officer_id", "month"], kind="stable")
    ids = people["officer_id"].astype(str).to_numpy(dtype=object)
    months = people["month"].astype(str).tolist()
    under = people["under_minimum"].to_numpy(dtype=bool).tolist()
    names = people["name"].astype(str).tolist()
    bureaus = people["bureau"].astype(str).tolist()
    won: dict[str, dict[str, list[str]]] = {}  # 警号 → month → the stars named: a few
    for officer_id, month, star in zip(named["officer_id"], named["month"], named["star"],
                                       strict=True):  # fmt: skip
        won.setdefault(str(officer_id), {}).setdefault(str(month), []).append(str(star))
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]]) if len(ids) else np.array([], int)
    ends = np.r_[starts[1:], len(ids)].astype(int)
    officers = []
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        officer_id, mine = ids[start], months[start:end]
        stars: dict[str, list[str]] = {m: [] for m in mine}
        for month, keys in won.get(officer_id, {}).items():
            if month in stars:
                stars[month] = list(keys)
        officers.append(
            OfficerYear(
                officer_id=officer_id,
                name=names[end - 1],
                bureau=bureaus[end - 1],
                stars=stars,
                under_minimum=[m for m, u in zip(mine, under[start:end], strict=True) if u]
                if any(under[start:end])
                else [],
            )
        )
    return officers


def _bureaus(
    rules: RuleSet, people: pd.DataFrame, named: pd.DataFrame, months: list[str]
) -> dict[str, Any]:
    """Stars per bureau and month, the bureaus in the order the (latest month's) rules list
    them, then as they first come in the year: never by character code."""
    bureaus = bureau_order(rules, people["bureau"].astype(str).unique())  # in first-come order
    counts = named.groupby(["bureau", "month"]).size().to_dict()
    return {b: {m: int(counts.get((b, m), 0)) for m in months} for b in bureaus}


def list_runs(store: Store) -> RunList:
    """Every run; `latest` marks those that a month's city-wide view reads."""
    latest = {run_id for ids in city_view_runs(store).values() for run_id in ids}
    return RunList(runs=store.runs(), latest=latest)


@dataclass(frozen=True)
class RunList:
    runs: list[RunInfo]
    latest: set[int]

    def to_json(self) -> dict[str, Any]:
        return {"runs": [{**run.to_json(), "latest": run.id in self.latest} for run in self.runs]}
