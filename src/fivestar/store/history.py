"""A year at a glance: which officer won which star in which month, and who fell short.

Reads the latest run of each month of the year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from fivestar.errors import StoreError, UsageError
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
    runs: dict[str, int]
    labels: dict[str, str]  # star key → label, in the order of the latest month's rules
    officers: list[OfficerYear]
    bureaus: dict[str, dict[str, int]] = field(default_factory=dict)  # bureau → month → stars

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
            "officers": [officer.to_json() for officer in self.officers],
            "bureaus": [
                {"bureau": name, "stars": per_month, "total": sum(per_month.values())}
                for name, per_month in self.bureaus.items()
            ],
        }


def history(
    store: Store, year: int | None = None, officer: str | None = None, bureau: str | None = None
) -> History:
    """The year's stars per officer and per county bureau, from each month's latest run."""
    latest = store.latest_ids()
    if not latest:
        raise StoreError(f"no runs in {store.path} yet: record one with `fivestar evaluate`")
    years = sorted({int(month[:4]) for month in latest})
    year = year if year is not None else years[-1]
    runs = {m: i for m, i in latest.items() if int(m[:4]) == year}
    if not runs:
        shown = ", ".join(str(y) for y in years)
        raise UsageError(f"no runs for {year} in {store.path}; years stored: {shown}")
    month_of = {i: m for m, i in runs.items()}
    people = store.officers(list(runs.values()))
    people["month"] = people["run_id"].map(month_of)
    if officer is not None:
        people = _only(people, "officer_id", officer, f"officer {officer}", year)
    if bureau is not None:
        people = _only(people, "bureau", bureau, f"bureau {bureau!r}", year)
    outcomes = store.outcomes(list(runs.values()))
    named = outcomes[outcomes["named"]].assign(month=lambda f: f["run_id"].map(month_of))
    named = named.merge(people[["run_id", "officer_id", "bureau"]], on=["run_id", "officer_id"])
    labels = {s.key: s.label for s in store.rules(runs[max(runs)]).stars}
    return History(
        year=year,
        months=list(runs),
        runs=runs,
        labels=labels,
        officers=_officers(people, named),
        bureaus=_bureaus(people, named, list(runs)),
    )


def _only(people: pd.DataFrame, column: str, value: str, what: str, year: int) -> pd.DataFrame:
    mine = people[people[column] == value]
    if mine.empty:
        if column == "bureau":
            known = "、".join(sorted(set(people["bureau"]) - {""})) or "none"
            raise UsageError(f"no {what} in {year}; bureaus: {known}")
        raise UsageError(f"no {what} in {year}; {people['officer_id'].nunique()} officers stored")
    return mine


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
    return RunList(runs=store.runs(), latest=set(store.latest_ids().values()))


@dataclass(frozen=True)
class RunList:
    runs: list[RunInfo]
    latest: set[int]

    def to_json(self) -> dict[str, Any]:
        return {"runs": [{**run.to_json(), "latest": run.id in self.latest} for run in self.runs]}
