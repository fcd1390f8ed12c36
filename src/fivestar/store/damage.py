"""A stored value that cannot be read back, named: which run, which row, what it holds.

fivestar writes every value itself, so one that does not read back (a figure that is not a
number, rules that are not JSON) was changed outside fivestar, or the file was damaged.
The read commands then stop with one line naming the run and the value, rather than a
traceback from pandas or pydantic. Only used once reading has failed: no cost otherwise.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import pandas as pd

from fivestar.errors import Said, StoreError, described, said
from fivestar.i18n import N_

_SHOWN = 40  # characters of a damaged value shown


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def damaged(where: str, what: Said) -> StoreError:
    return StoreError(
        N_(
            "the results store {where} is damaged: {what} "
            "(changed outside fivestar? record the month again with `fivestar evaluate`)"
        ),
        where=where,
        what=what,
    )


def damaged_rules(where: str, run_id: int, err: BaseException) -> StoreError:
    what = said(
        N_("run {run}: its stored rules cannot be read ({reason})"),
        run=run_id,
        reason=described(err, 80),
    )
    return damaged(where, what)


def damaged_rows(
    where: str,
    table: str,
    frame: pd.DataFrame,
    numeric: Sequence[str],
    err: BaseException,
    *,
    json_columns: Sequence[str] = (),
    nullable: Sequence[str] = (),
) -> StoreError:
    """The first row of `frame` (rows of `table` as read) whose value in a `numeric` column
    is not a number (or is missing, unless the column is `nullable`), or whose
    `json_columns` value is not JSON; else what `err` says, with the runs read."""
    for column in numeric:
        if column not in frame:
            continue
        values = frame[column]
        bad = pd.to_numeric(values, errors="coerce").isna()
        if column in nullable:
            bad &= values.notna()
        if bad.any():
            return damaged(where, _where(table, frame, bad, column, NOT_A_NUMBER))
    for column in json_columns:
        if column not in frame:
            continue
        bad = ~frame[column].map(_is_json)
        if bad.any():
            return damaged(where, _where(table, frame, bad, column, NOT_JSON))
    runs = ", ".join(str(int(i)) for i in sorted(set(frame["run_id"])))
    what = said(
        N_("run {run}: {table} cannot be read ({reason})"),
        run=runs,
        table=table,
        reason=described(err, 80),
    )
    return damaged(where, what)


NOT_A_NUMBER = N_("{place}: {column} holds {value}, not a number")
NOT_JSON = N_("{place}: {column} holds {value}, not JSON")


def _where(table: str, frame: pd.DataFrame, bad: pd.Series, column: str, kind: str) -> Said:
    first = frame[bad].iloc[0]
    run = int(first["run_id"])
    if "officer_id" in frame:
        place = said(
            N_("run {run}, {table}, officer {officer}"),
            run=run,
            table=table,
            officer=first["officer_id"],
        )
    else:
        place = said(N_("run {run}, {table}"), run=run, table=table)
    value = first[column]
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return said(N_("{place}: {column} holds nothing"), place=place, column=column)
    return said(kind, place=place, column=column, value=_shown(value))


def _is_json(text: object) -> bool:
    try:
        json.loads(str(text))
    except ValueError:
        return False
    return True
