"""The bureau's decisions after the ranking, read back: the log and what is in force.

The decisions table is an append-only log (see `fivestar.store.schema` V3): an exclusion
(取消评选资格) is withdrawn by a later "undo" entry, a confirmation by a later "reopen";
nothing is updated or deleted. `in_force` replays a month's entries in order. Recording them
is `fivestar.deciding`; the views apply the exclusions (`fivestar.queries.scope`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, inspect, select

from fivestar.errors import Said, StoreError, said
from fivestar.i18n import N_
from fivestar.store.schema import DECISIONS

EXCLUDE, UNDO, CONFIRM, REOPEN = "exclude", "undo", "confirm", "reopen"
ACTIONS = {EXCLUDE: "取消评选资格", UNDO: "撤销取消", CONFIRM: "确认名单", REOPEN: "重新打开"}
FIRST_VERSION = 3  # the schema version that has the decisions table
CITY = ""  # the bureau of a city-wide confirmation


def shown_time(at: str) -> str:
    """An ISO time with offset as a clerk reads it: local, to the minute (2014-05-06 09:12)."""
    return datetime.fromisoformat(at).astimezone().strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class Decision:
    """One entry of the log."""

    id: int
    month: str
    action: str
    reason: str
    author: str
    at: str  # ISO 8601 with offset
    run: int  # the latest run of the view it applied to
    runs: tuple[int, ...]  # every run of that view
    officer_id: str | None = None
    name: str | None = None
    star: str | None = None  # None: every star
    bureau: str | None = None  # a county confirmation's bureau; None: the city

    @property
    def what(self) -> str:
        return ACTIONS[self.action]

    @property
    def when(self) -> str:
        return shown_time(self.at)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "month": self.month,
            "action": self.action,
            "officer_id": self.officer_id,
            "name": self.name,
            "star": self.star,
            "bureau": self.bureau,
            "reason": self.reason,
            "author": self.author,
            "at": self.at,
            "run": self.run,
            "runs": list(self.runs),
        }

    @classmethod
    def from_row(cls, row: Any) -> Decision:
        return cls(
            id=int(row.id),
            month=str(row.month),
            action=str(row.action),
            reason=str(row.reason),
            author=str(row.author),
            at=str(row.at),
            run=int(row.run_id),
            runs=tuple(int(i) for i in json.loads(row.runs)),
            officer_id=row.officer_id,
            name=row.name,
            star=row.star,
            bureau=row.bureau,
        )


@dataclass(frozen=True)
class InForce:
    """A month's decisions in force: exclusions by (警号, star or ""), confirmations by
    bureau ("" for the city)."""

    exclusions: dict[tuple[str, str], Decision] = field(default_factory=dict)
    confirmations: dict[str, Decision] = field(default_factory=dict)

    def all(self) -> list[Decision]:
        every = [*self.exclusions.values(), *self.confirmations.values()]
        return sorted(every, key=lambda d: d.id)

    def confirmed(self, bureau: str | None = None) -> Decision | None:
        """The confirmation covering the city, or `bureau` (a city one covers every bureau)."""
        city = self.confirmations.get(CITY)
        if city is not None or bureau is None:
            return city
        return self.confirmations.get(bureau)


def in_force(entries: list[Decision]) -> InForce:
    """Replay entries (in id order) to what holds now."""
    state = InForce()
    for entry in sorted(entries, key=lambda d: d.id):
        key = (entry.officer_id or "", entry.star or "")
        if entry.action == EXCLUDE:
            state.exclusions[key] = entry
        elif entry.action == UNDO:
            state.exclusions.pop(key, None)
        elif entry.action == CONFIRM:
            state.confirmations[entry.bureau or CITY] = entry
        elif entry.action == REOPEN:
            state.confirmations.pop(entry.bureau or CITY, None)
    return state


def confirmed_text(month: str, held: Decision) -> Said:
    """Why a confirmed month refuses a change, and how to reopen it."""
    if held.bureau is None:
        template = N_(
            "{month} is confirmed for the city (entry {entry}, {author}, {when}): "
            "reopen it first with `fivestar reopen {month}`"
        )
    else:
        template = N_(
            "{month} is confirmed for {bureau} (entry {entry}, {author}, {when}): "
            "reopen it first with `fivestar reopen {month}`"
        )
    return said(
        template, month=month, bureau=held.bureau, entry=held.id, author=held.author, when=held.when
    )


def refuse_confirmed(conn: Connection, month: str, bureaus: Iterable[str] | None = None) -> None:
    """Raise a StoreError when `month` is confirmed for the city, or for one of `bureaus`
    (a run covering them would change a confirmed list). A store older than the decisions
    has none."""
    if "decisions" not in inspect(conn).get_table_names():
        return
    state = in_force(read_entries(conn, month))
    held = [state.confirmations.get(CITY)]
    held += [state.confirmations.get(b) for b in sorted(set(bureaus or ()))]
    first = next((d for d in held if d is not None), None)
    if first is not None:
        raise StoreError(confirmed_text(month, first))


def exclusions_in_force(conn: Connection, month: str) -> tuple[Decision, ...]:
    """The month's exclusions in force, in log order (none in a store older than them)."""
    if "decisions" not in inspect(conn).get_table_names():
        return ()
    return tuple(d for d in in_force(read_entries(conn, month)).all() if d.action == "exclude")


def read_entries(conn: Connection, month: str | None = None) -> list[Decision]:
    query = select(DECISIONS).order_by(DECISIONS.c.id)
    if month is not None:
        query = query.where(DECISIONS.c.month == month)
    return [Decision.from_row(row) for row in conn.execute(query)]


@dataclass(frozen=True)
class ConfirmedName:
    star: str
    rank: int
    officer_id: str
    name: str
    bureau: str
    station: str

    def to_json(self) -> dict[str, Any]:
        return {
            "star": self.star,
            "rank": self.rank,
            "officer_id": self.officer_id,
            "name": self.name,
            "bureau": self.bureau,
            "station": self.station,
        }


@dataclass(frozen=True)
class Log:
    """`fivestar log`: the entries, oldest first."""

    entries: tuple[Decision, ...]
    month: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"month": self.month, "entries": [e.to_json() for e in self.entries]}
