"""Recording the bureau's decisions: exclude (and undo), confirm, reopen, a list of exclusions.

Each call checks everything first — the officer evaluated that month (with "did you mean"),
the name of a listed officer, the star, the reason, the month's state (excluded twice,
confirmed twice, exclusions after confirmation) — and then writes in one transaction under
a lock, checking the state again inside it: concurrent clerks' entries all land, each once,
and a refused call records nothing.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, func, insert, select, text
from sqlalchemy.exc import SQLAlchemyError

from fivestar.errors import Option, Said, StoreError, UnknownStar, UsageError, placed, said
from fivestar.i18n import N_
from fivestar.queries.lookup import officer_hint
from fivestar.queries.scope import View, resolve_view
from fivestar.store.backend import MIGRATION_LOCK, one_line, write_options
from fivestar.store.decisions import (
    CITY,
    CONFIRM,
    EXCLUDE,
    REOPEN,
    UNDO,
    ConfirmedName,
    Decision,
    InForce,
    confirmed_text,
    in_force,
    read_entries,
)
from fivestar.store.schema import CONFIRMED, DECISIONS
from fivestar.store.store import Store

DECISION_LOCK = MIGRATION_LOCK + 2  # PostgreSQL advisory lock of decision writers


def now() -> datetime:
    """The time an entry is recorded (tests replace it)."""
    return datetime.now().astimezone()


def author(by: str | None) -> str:
    """--by, else the OS user."""
    if by is not None and by.strip():
        return by.strip()
    if by is not None:
        raise UsageError(
            N_("{option} is empty: give a name, or leave the option out"), option=Option("by")
        )
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        raise UsageError(N_("who is recording this? give {option}"), option=Option("by")) from None


def _reason(reason: str | None, required: bool = True) -> str:
    text = (reason or "").strip()
    if required and not text:
        raise UsageError(
            N_("{option} is empty: say why (it is kept in the log)"), option=Option("reason")
        )
    return text


@dataclass(frozen=True)
class Exclusion:
    """One exclusion asked for: who, which star (None: every star), why."""

    officer_id: str
    reason: str
    star: str | None = None
    name: str | None = None  # from a list: must match the stored name
    where: Said | None = None  # from a list: "FILE row N"


def _view(store: Store, month: str, bureau: str | None = None) -> View:
    scope = "city" if bureau is None else "county"
    return resolve_view(store, month, scope=scope, bureau=bureau)


def _check_exclusion(
    view: View, state: InForce, ask: Exclusion, seen: set[tuple[str, str]]
) -> tuple[str, str, str | None]:
    """(警号, stored name, star key or None) of a valid exclusion; else a UsageError."""
    where, month = ask.where, view.month
    people = view.officers
    found = people[people["officer_id"] == ask.officer_id]
    if found.empty:
        hint = officer_hint(ask.officer_id, people["officer_id"])
        raise UsageError(
            placed(
                where,
                said(
                    N_("no officer {officer} evaluated in {month}{hint}"),
                    officer=ask.officer_id,
                    month=month,
                    hint=hint,
                ),
            )
        )
    name, bureau = str(found.iloc[0]["name"]), str(found.iloc[0]["bureau"])
    if ask.name is not None and ask.name.strip() != name:
        raise UsageError(
            placed(
                where,
                said(
                    N_("officer {officer} is {name} in {month}, not {given}"),
                    officer=ask.officer_id,
                    name=name,
                    month=month,
                    given=ask.name.strip(),
                ),
            )
        )
    star = _star_key(view, ask.star, where)
    if not ask.reason.strip():
        raise UsageError(
            placed(where, said(N_("the reason is empty: say why (it is kept in the log)")))
        )
    confirmed = state.confirmed(bureau)
    if confirmed is not None:
        raise UsageError(placed(where, confirmed_text(month, confirmed)))
    keys = {(ask.officer_id, ""), (ask.officer_id, star or "")}
    if star is None:
        keys |= {k for k in state.exclusions if k[0] == ask.officer_id}
    for key in sorted(keys):
        held = state.exclusions.get(key)
        if held is not None:
            if key[1]:
                template = N_(
                    "{name} ({officer}) is already excluded in {month} for {star} "
                    "(entry {entry}, {author}, {when})"
                )
            else:
                template = N_(
                    "{name} ({officer}) is already excluded in {month} "
                    "(entry {entry}, {author}, {when})"
                )
            raise UsageError(
                placed(
                    where,
                    said(
                        template,
                        name=name,
                        officer=ask.officer_id,
                        month=month,
                        star=key[1],
                        entry=held.id,
                        author=held.author,
                        when=held.when,
                    ),
                )
            )
        if key in seen:
            raise UsageError(
                placed(
                    where,
                    said(
                        N_("{name} ({officer}) is listed twice"), name=name, officer=ask.officer_id
                    ),
                )
            )
    seen.add((ask.officer_id, star or ""))
    return ask.officer_id, name, star


def _star_key(view: View, star: str | None, where: Said | None = None) -> str | None:
    """A star given by key, label or short name; None for every star."""
    if star is None or not star.strip():
        return None
    try:
        return view.rules.find_star(star, view.month).key
    except UnknownStar as err:  # a list's row says where it is
        if not where:
            raise
        raise UsageError(placed(where, err.said)) from None


def exclude(
    store: Store, month: str, asks: Sequence[Exclusion], by: str | None = None
) -> list[Decision]:
    """Record exclusions, all or none."""
    who = author(by)
    month = store.month(month)

    def check(conn: Connection) -> list[dict[str, Any]]:
        view = _view(store, month)
        state = in_force(read_entries(conn, month))
        seen: set[tuple[str, str]] = set()
        rows = []
        for ask in asks:
            officer_id, name, star = _check_exclusion(view, state, ask, seen)
            rows.append(_row(view, EXCLUDE, ask.reason.strip(), who, officer_id=officer_id,
                             name=name, star=star))  # fmt: skip
        return rows

    return _write(store, check)


def undo(
    store: Store, month: str, officer_id: str, reason: str | None, *,
    star: str | None = None, by: str | None = None,
) -> list[Decision]:  # fmt: skip
    """Withdraw the officer's exclusions in force (one star's with `star`)."""
    why, who = _reason(reason), author(by)
    month = store.month(month)
    officer_id = officer_id.strip()

    def check(conn: Connection) -> list[dict[str, Any]]:
        view = _view(store, month)
        state = in_force(read_entries(conn, month))
        key = _star_key(view, star)
        held = [
            d for (o, s), d in state.exclusions.items()
            if o == officer_id and (key is None or s == key)
        ]  # fmt: skip
        if not held:
            mine = [o for o, _ in state.exclusions]
            hint = officer_hint(officer_id, mine) if mine else ""
            if key:
                template = N_("no exclusion of {officer} for {star} in force in {month}{hint}")
            else:
                template = N_("no exclusion of {officer} in force in {month}{hint}")
            raise UsageError(template, officer=officer_id, star=key, month=month, hint=hint)
        bureau = str(view.officers.set_index("officer_id")["bureau"].get(officer_id, ""))
        confirmed = state.confirmed(bureau or None)
        if confirmed is not None:
            raise UsageError(confirmed_text(month, confirmed))
        return [
            _row(view, UNDO, why, who, officer_id=d.officer_id, name=d.name, star=d.star)
            for d in sorted(held, key=lambda d: d.id)
        ]

    return _write(store, check)


def confirm(
    store: Store, month: str, by: str | None = None, bureau: str | None = None,
    before_commit: Callable[[Decision, View, list[ConfirmedName]], None] | None = None,
) -> tuple[Decision, View]:  # fmt: skip
    """Mark the month's list final for the city (or `bureau`, a county scope); keep the list
    named. `before_commit` (writing the 表彰通报) runs inside the transaction: if it fails,
    nothing is recorded. Returns the entry and the view confirmed."""
    who = author(by)
    month = store.month(month)
    bureau = bureau.strip() if bureau is not None else None
    confirmed: list[View] = []

    def check(conn: Connection) -> list[dict[str, Any]]:
        view = _view(store, month, bureau)
        state = in_force(read_entries(conn, month))
        held = state.confirmed(bureau)
        if held is not None:
            scope = CITY_WORDS if held.bureau is None else held.bureau
            raise UsageError(
                N_("{month} is already confirmed for {scope} (entry {entry}, {author}, {when})"),
                month=month,
                scope=scope,
                entry=held.id,
                author=held.author,
                when=held.when,
            )
        confirmed.append(view)
        return [_row(view, CONFIRM, "", who, bureau=bureau)]

    def then(written: list[Decision]) -> None:
        if before_commit is not None:
            before_commit(written[0], confirmed[0], list_named(confirmed[0]))

    entry = _write(store, check, keep=lambda: confirmed[0], then=then)[0]
    return entry, confirmed[0]


def reopen(
    store: Store, month: str, reason: str | None, by: str | None = None,
    bureau: str | None = None,
) -> Decision:  # fmt: skip
    """Withdraw the month's confirmation (the city's, or `bureau`'s)."""
    why, who = _reason(reason), author(by)
    month = store.month(month)
    bureau = bureau.strip() if bureau is not None else None

    def check(conn: Connection) -> list[dict[str, Any]]:
        state = in_force(read_entries(conn, month))
        if state.confirmations.get(bureau or CITY) is None:
            scope = CITY_WORDS if bureau is None else bureau
            raise UsageError(
                N_("{month} is not confirmed for {scope}: nothing to reopen"),
                month=month,
                scope=scope,
            )
        view = _view(store, month, bureau)
        return [_row(view, REOPEN, why, who, bureau=bureau)]

    return _write(store, check)[0]


def _row(view: View, action: str, reason: str, who: str, **more: Any) -> dict[str, Any]:
    return {
        "month": view.month, "action": action, "reason": reason, "author": who,
        "at": now().isoformat(timespec="seconds"), "run_id": view.run.id,
        "runs": json.dumps(list(view.runs)), "officer_id": None, "name": None, "star": None,
        "bureau": None, **more,
    }  # fmt: skip


_Check = Any  # Callable[[Connection], list[dict[str, Any]]]


def _write(
    store: Store, check: _Check, *, keep: Callable[[], View] | None = None,
    then: Callable[[list[Decision]], None] | None = None,
) -> list[Decision]:  # fmt: skip
    """Take the decisions' lock, check against what is recorded now, insert; all or none."""
    if store.schema_version() < 3:
        raise StoreError(
            N_("{where} predates decisions: open it with `fivestar evaluate`"), where=store.where
        )
    try:
        with store._engine.connect() as conn:
            conn.execution_options(**write_options())
            with conn.begin():
                if store.location.kind == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": DECISION_LOCK})
                rows = check(conn)
                first = select(func.coalesce(func.max(DECISIONS.c.id), 0) + 1)
                next_id = int(conn.execute(first).scalar_one())
                for offset, row in enumerate(rows):
                    row["id"] = next_id + offset
                conn.execute(insert(DECISIONS), rows)
                if keep is not None:
                    _keep_list(conn, rows[0]["id"], keep())
                ids = {row["id"] for row in rows}
                written = [d for d in read_entries(conn, rows[0]["month"]) if d.id in ids]
                if then is not None:
                    then(written)
    except SQLAlchemyError as err:
        raise StoreError(
            N_("cannot record in {where}: {reason}"), where=store.where, reason=one_line(err)
        ) from None
    return written


def _keep_list(conn: Connection, decision_id: int, view: View) -> None:
    names = list_named(view)
    if names:
        conn.execute(
            insert(CONFIRMED),
            [{"decision_id": decision_id, "seq": i, **n.to_json()} | {"star_rank": n.rank}
             for i, n in enumerate(names)],
        )  # fmt: skip


def list_named(view: View) -> list[ConfirmedName]:
    """The view's named officers, star by star in rules order, then rank and 警号."""
    order = {s.key: i for i, s in enumerate(view.rules.stars)}
    named = view.outcomes[view.outcomes["named"]].merge(
        view.officers[["officer_id", "name", "bureau", "station"]], on="officer_id"
    )
    named = named.assign(_o=named["star"].map(order)).sort_values(
        ["_o", "star_rank", "officer_id"], kind="stable"
    )
    return [
        ConfirmedName(str(r["star"]), int(r["star_rank"]), str(r["officer_id"]),
                      str(r["name"]), str(r["bureau"]), str(r["station"]))
        for r in named.to_dict("records")
    ]  # fmt: skip


LIST_COLUMNS = ("警号", "姓名", "评选项目", "原因")
FROM = Option("from")
CITY_WORDS = said(N_("the city"))


def read_list(path: Any) -> list[Exclusion]:
    """A list of exclusions (.xlsx or .csv: 警号, 姓名, 评选项目 optional, 原因), each row
    carrying its place for messages. A missing column or an unreadable file is a UsageError."""
    from pathlib import Path

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise UsageError(
            N_("{option} {path}: give the list as .xlsx or .csv"), option=FROM, path=path
        )
    if not path.is_file():
        raise UsageError(N_("{option} {path}: no such file"), option=FROM, path=path)
    try:
        if suffix == ".csv":
            try:
                frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
            except UnicodeDecodeError:
                frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="gb18030")
            header_row = 1
        else:
            raw = pd.read_excel(
                path, dtype=str, keep_default_na=False, header=None, engine="openpyxl"
            )
            at = _header_row(raw)
            frame = raw.iloc[at + 1 :].set_axis([str(c) for c in raw.iloc[at]], axis=1)
            header_row = at + 1
    except (OSError, ValueError) as err:
        raise UsageError(
            N_("{option} {path}: cannot read it: {reason}"), option=FROM, path=path, reason=str(err)
        ) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in ("警号", "姓名", "原因") if c not in frame.columns]
    if missing:
        raise UsageError(
            N_("{option} {path}: no column {missing} in the header"),
            option=FROM,
            path=path,
            missing=missing,
        )
    asks = []
    for offset, row in enumerate(frame.to_dict("records")):
        cells = {k: str(row.get(k, "") or "").strip() for k in LIST_COLUMNS}
        if not any(cells.values()):
            continue  # a blank line
        where = said(N_("{file} row {row}"), file=path.name, row=header_row + 1 + offset)
        if not cells["警号"]:
            raise UsageError(placed(where, said(N_("the officer ID (警号) is empty"))))
        asks.append(
            Exclusion(cells["警号"], cells["原因"], cells["评选项目"] or None, cells["姓名"], where)
        )
    if not asks:
        raise UsageError(N_("{option} {path}: the list has no rows"), option=FROM, path=path)
    return asks


def _header_row(frame: pd.DataFrame) -> int:
    """The row holding 警号 (the template has a title row above the header)."""
    for i, row in enumerate(frame.head(10).itertuples(index=False)):
        if "警号" in [str(c).strip() for c in row]:
            return i
    return 0
