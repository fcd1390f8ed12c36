"""Optional input columns a rules file declares for its vetoes (`[input_columns.KEY]`).

The input contract (`fivestar.columns`) is the scheme's own figures. A bureau's veto may need
a column the scheme does not have — 有效投诉数 (a count), 违纪 (是 or 否) — so the rules declare
it: its header as written in the county files, further headers accepted, and its kind. The
reader reads it when a file has it; a file without it is noted (the veto cannot fire there),
never passed silently. Such a column is read for vetoes only: criteria, ranking keys and
derived metrics stay on the scheme's figures.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from fivestar.columns import COLUMNS, SOURCE_FILE, SOURCE_ROW, SOURCE_SHEET
from fivestar.errors import Invalid
from fivestar.i18n import N_, _

Kind = Literal["count", "number", "yes-no"]
YES, NO = "是", "否"

# Names the officers' frames (read, engine, store) already use: a key may not take one.
RESERVED = frozenset(
    {
        SOURCE_FILE, SOURCE_SHEET, SOURCE_ROW, "run_id", "derived", "under_minimum",
        "optional_inputs", "star", "star_order", "star_rank", "eligible", "qualified",
        "failed", "near_miss", "reasons", "rank", "named", "tied", "named_for", "shortfall",
        "reason",
    }
)  # fmt: skip


class InputColumn(BaseModel):
    """`[input_columns.complaints] header = "有效投诉数", aliases = [...], kind = "count"`.

    - count: a whole number ≥ 0, blank is 0 (as the scheme's counts);
    - number: any number, blank is missing (a veto on it cannot fire for that officer);
    - yes-no: 是 or 否 (also 有/无, Y/N, 1/0), blank is 否.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    header: Annotated[str, Field(min_length=1)]
    aliases: list[Annotated[str, Field(min_length=1)]] = Field(default_factory=list)
    kind: Kind


@dataclass(frozen=True)
class OptionalColumn:
    """What the reader needs of a declared column: its key, headers, kind, and the vetoes
    that read it (named in the note of a file that lacks it)."""

    key: str
    header: str
    aliases: tuple[str, ...]
    kind: Kind
    vetoes: tuple[str, ...]


def number_or_yes_no(value: object) -> float | str:
    """A veto's `value` as written: a finite number, or 是 / 否 (for a yes-no column)."""
    if isinstance(value, str) and value.strip() in (YES, NO):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    raise Invalid(N_("a number, or 是 or 否 for a yes-no column"))


_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
Problem = tuple[tuple[str | int, ...], str] | None  # (key path, what was expected)


def _folded(text: str) -> str:
    return "".join(text.split()).lower()


def input_columns_problem(
    columns: Mapping[str, InputColumn], derived: set[str], aliases: Mapping[str, Sequence[str]]
) -> Problem:
    """Each key new (not an input column, derived metric or a frame's own column), each
    header one the scheme's columns do not already use."""
    taken = {_folded(name) for c in COLUMNS for name in (c.header, c.key)}
    taken |= {_folded(name) for names in aliases.values() for name in names}
    seen: dict[str, str] = {}
    for key, column in columns.items():
        if not _KEY.match(key) or key in derived or key in RESERVED or _folded(key) in taken:
            expected = _("a new lower-case key, not an input column or a derived metric")
            return ("input_columns", key), expected
        for field, names in (("header", [column.header]), ("aliases", column.aliases)):
            for name in names:
                folded = _folded(name)
                if folded in taken or seen.get(folded, key) != key:
                    expected = _("a header no other column uses, got {header}")
                    return ("input_columns", key, field), expected.format(header=name)
                seen[folded] = key
    return None


def veto_problem(
    loc: tuple[str | int, ...], op: str, value: float | str, kind: str | None
) -> Problem:
    """A veto's value fits its column: 是 or 否 with `==` for a yes-no column (and only for
    one), a whole number ≥ 0 for a count column. `kind` None: a metric, checked as such."""
    if kind == "yes-no":
        if not isinstance(value, str):
            return (*loc, "value"), _("是 or 否 for a yes-no column")
        if op != "==":
            return (*loc, "op"), _("== for a yes-no column")
    elif isinstance(value, str):
        expected = _("a number (是 or 否 only for a yes-no column), got {value}")
        return (*loc, "value"), expected.format(value=value)
    elif kind == "count" and (value < 0 or not float(value).is_integer()):
        expected = _("a whole number of at least 0, got {value}")
        return (*loc, "value"), expected.format(value=f"{value:g}")
    return None


def optional_columns(
    columns: Mapping[str, InputColumn], vetoes: Sequence[tuple[str, str]]
) -> tuple[OptionalColumn, ...]:
    """The declared columns for the reader; `vetoes` are (label, metric) of the rules'."""
    return tuple(
        OptionalColumn(
            key=key,
            header=column.header,
            aliases=tuple(column.aliases),
            kind=column.kind,
            vetoes=tuple(label for label, metric in vetoes if metric == key),
        )
        for key, column in columns.items()
    )
