"""A year at a glance: which officer won which star in which month, and who fell short.

Reads each month's city-wide view (or, with `scope="county"`, the bureau's own runs); see
`fivestar.queries.scope`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from fivestar.errors import StoreError, UsageError
from fivestar.queries.lookup import bureaus_hint, officer_hint, trimmed
from fivestar.queries.rankings import stored_months
from fivestar.queries.scope import View, check_scope, city_view_runs, resolve_view
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
    officer, bureau = trimmed(officer, "--officer"), trimmed(bureau, "--bureau")
    months = store.months()
    if not months:
        raise StoreError(f"no runs in {store.where} yet: record one with `fivestar evaluate`")
    years = sorted({int(month[:4]) for month in months})
    year = year if year is not None else years[-1]
    mine = [m for m in months if int(m[:4]) == year]
    if not mine:
        shown = ", ".join(str(y) for y in years)
        raise UsageError(f"no runs for {year} in {store.where}; years stored: {shown}")
    views = _views(store, mine, scope, bureau, year)
    people = pd.concat([v.officers.assign(month=v.month) for v in views], ignore_index=True)
    # The bureau first: an officer of another bureau is then told as such.
    everyone = people
    if bureau is not None:
        people = _in_bureau(people, bureau, year)
    if officer is not None:
        people = _officer(
            store, everyone=everyone, people=people, officer=officer, bureau=bureau, year=year
        )
    outcomes = pd.concat([v.outcomes.assign(month=v.month) for v in views], ignore_index=True)
    named = outcomes[outcomes["named"]].drop(columns=["run_id"])
    named = named.merge(people[["month", "officer_id", "bureau"]], on=["month", "officer_id"])
    months_read = [v.month for v in views]
    return History(
        year=year,
        months=months_read,
        runs={v.month: list(v.runs) for v in views},
        labels={s.key: s.label for s in views[-1].rules.stars},
        organisation=views[-1].rules.model.organisation,
        officers=_officers(people, named),
        bureaus=_bureaus(people, named, months_read),
        confirmed={v.month: _confirmed(v, bureau if scope == "county" else None) for v in views},
    )


def _confirmed(view: View, bureau: str | None) -> bool:
    """The view's list is confirmed: for the city, or (county scope) for the bureau."""
    return any(d.action == "confirm" and d.bureau in (None, bureau) for d in view.decisions)


def _views(
    store: Store, months: list[str], scope: str, bureau: str | None, year: int
) -> list[View]:
    """Each month's view; in the county scope, the months the bureau has a run of."""
    if scope == "city":
        return [resolve_view(store, m) for m in months]
    if bureau is None:
        raise UsageError("--scope county needs --bureau NAME: whose county?")
    covered = sorted({m for m, _, b in store.coverage() if b == bureau and m in months})
    if not covered:
        hint = bureaus_hint(bureau, (b for m, _, b in store.coverage() if m in months))
        raise UsageError(f"no bureau {bureau!r} in {year}; {hint}")
    return [resolve_view(store, m, scope="county", bureau=bureau) for m in covered]


def _in_bureau(people: pd.DataFrame, bureau: str, year: int) -> pd.DataFrame:
    mine = people[people["bureau"] == bureau]
    if mine.empty:
        raise UsageError(
            f"no bureau {bureau!r} in {year}; {bureaus_hint(bureau, people['bureau'])}"
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
    where = (
        f"no officer {officer} in {year}"
        if bureau is None
        else f"no officer {officer} in {bureau} in {year}"
    )
    theirs = sorted(set(everyone.loc[everyone["officer_id"] == officer, "bureau"]) - {""})
    if theirs:
        raise UsageError(f"{where}; this officer is in {'、'.join(theirs)}")
    elsewhere = [m for m in stored_months(store, officer) if int(m[:4]) != year]
    if elsewhere:
        raise UsageError(f"{where}; this officer is stored for: {', '.join(elsewhere)}")
    ids = people["officer_id"]
    hint = officer_hint(officer, ids)
    raise UsageError(f"{where}; {ids.nunique()} officers stored{hint}")


def _officers(people: pd.DataFrame, named: pd.DataFrame) -> list[OfficerYear]:
    won = named.groupby(["officer_id", "month"])["star"].agg(list).to_dict()
    out = []
    for officer_id, rows in people.sort_values(["officer_id", "month"]).groupby("officer_id"):
        last = rows.iloc[-1]
        months = [str(m) for m in rows["month"]]
        out.append(
            OfficerYear(
                officer_id=str(officer_id),
                name=str(last["name"]),
                bureau=str(last["bureau"]),
                stars={m: [str(k) for k in won.get((officer_id, m), [])] for m in months},
                under_minimum=[str(m) for m in rows.loc[rows["under_minimum"], "month"]],
            )
        )
    return out


def _bureaus(people: pd.DataFrame, named: pd.DataFrame, months: list[str]) -> dict[str, Any]:
    bureaus = sorted(set(people["bureau"]))
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
