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

from fivestar.errors import StoreError, described

_SHOWN = 40  # characters of a damaged value shown


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def damaged(where: str, what: str) -> StoreError:
    return StoreError(
        f"the results store {where} is damaged: {what} "
        "(changed outside fivestar? record the month again with `fivestar evaluate`)"
    )


def damaged_rules(where: str, run_id: int, err: BaseException) -> StoreError:
    return damaged(where, f"run {run_id}: its stored rules cannot be read ({described(err, 80)})")


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
            return damaged(where, _where(table, frame, bad, column, "not a number"))
    for column in json_columns:
        if column not in frame:
            continue
        bad = ~frame[column].map(_is_json)
        if bad.any():
            return damaged(where, _where(table, frame, bad, column, "not JSON"))
    runs = ", ".join(str(int(i)) for i in sorted(set(frame["run_id"])))
    return damaged(where, f"run {runs}: {table} cannot be read ({described(err, 80)})")


def _where(table: str, frame: pd.DataFrame, bad: pd.Series, column: str, kind: str) -> str:
    first = frame[bad].iloc[0]
    officer = f", 警号 {first['officer_id']}" if "officer_id" in frame else ""
    value = first[column]
    held = "nothing" if value is None or (isinstance(value, float) and pd.isna(value)) else None
    shown = held or f"{_shown(value)}, {kind}"
    return f"run {int(first['run_id'])}, {table}{officer}: {column} holds {shown}"


def _is_json(text: object) -> bool:
    try:
        json.loads(str(text))
    except ValueError:
        return False
    return True
