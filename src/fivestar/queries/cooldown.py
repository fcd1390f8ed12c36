"""The cool-down's history: who the store says was named for each star in the months before.

A month is read as the read commands read it (its city-wide view, `fivestar.queries.scope`).
A month of the window that the store does not hold is named in `PastWinners.missing`, and the
run's notes say so: the cool-down is never guessed from a partial history.
"""

from __future__ import annotations

from pathlib import Path

from fivestar.engine.fairness import PastWinners
from fivestar.errors import StoreError
from fivestar.queries.scope import resolve_view
from fivestar.rules import RuleSet
from fivestar.store.store import Store, open_store


def months_before(month: str, count: int) -> list[str]:
    """The `count` months before `month`, oldest first: ("2014-04", 2) → 2014-02, 2014-03."""
    year, number = (int(part) for part in month.split("-"))
    index = year * 12 + number - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count, index)]


def past_winners(store: Store, rules: RuleSet, month: str) -> PastWinners | None:
    """The winners of the rules' cool-down window before `month` (None: no cool-down)."""
    count = rules.model.fairness.cooldown_months
    if count <= 0:
        return None
    window = months_before(month, count)
    stored = set(store.months())
    named: dict[str, dict[str, str]] = {}
    for before in (m for m in window if m in stored):  # oldest first: the latest month wins
        outcomes = resolve_view(store, before).outcomes
        won = outcomes[outcomes["named"].astype(bool)]
        for star, ids in won.groupby("star")["officer_id"]:
            named.setdefault(str(star), {}).update(dict.fromkeys(ids.astype(str), before))
    return PastWinners(
        months=tuple(m for m in window if m in stored),
        missing=tuple(m for m in window if m not in stored),
        named=named,
    )


def read_past_winners(db: str | Path | None, rules: RuleSet, month: str) -> PastWinners | None:
    """`past_winners` from the store at `db`; a store not yet created holds no month."""
    count = rules.model.fairness.cooldown_months
    if count <= 0:
        return None
    try:
        store = open_store(db, create=False)
    except StoreError:
        # no store yet (the run creates it): every month of the window is missing; a store
        # that cannot be reached fails the run when it is recorded, as before
        return PastWinners(missing=tuple(months_before(month, count)))
    with store:
        return past_winners(store, rules, month)
