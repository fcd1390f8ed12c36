"""Reading the decisions log from a store: the entries, what is in force, `fivestar log`.

The log's rows and their replay are `fivestar.store.decisions`; recording them is
`fivestar.deciding`.
"""

from __future__ import annotations

from fivestar.store.decisions import FIRST_VERSION, Decision, InForce, Log, in_force, read_entries
from fivestar.store.store import Store


def has_decisions(store: Store) -> bool:
    return store.schema_version() >= FIRST_VERSION


def entries(store: Store, month: str | None = None) -> list[Decision]:
    """The log, oldest first (one month's with `month`); none in a store older than it."""
    if not has_decisions(store):
        return []
    with store._read() as conn:
        return read_entries(conn, month)


def month_in_force(store: Store, month: str) -> InForce:
    return in_force(entries(store, month))


def decision_log(store: Store, month: str | None = None) -> Log:
    if month is not None:
        store.month(month)  # a month not stored is named as such
    return Log(tuple(entries(store, month)), month)
