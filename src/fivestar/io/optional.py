"""The optional columns of a sheet: 月份 and 岗位 of the contract, and the columns a rules
file declares for its vetoes (`fivestar.rules.inputs`).

A sheet without one is read all the same, with a file-level note saying what was assumed
(the rows taken as the evaluated month, everyone a 社区民警, a veto that cannot fire there):
never a silent guess. A declared column's values are parsed here, whole columns at a time;
the reader rejects the rows whose cell is not what the column's kind needs.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np
import pandas as pd

from fivestar.columns import COMMUNITY
from fivestar.findings import Issue
from fivestar.io.values import _numeric_texts, _to_floats, half_width_stripped, parse_counts
from fivestar.issues import message
from fivestar.rules.inputs import OptionalColumn

# What a yes-no cell may say, half-width and lower case; a blank cell is 否.
YES_WORDS = frozenset({"是", "有", "y", "yes", "true", "1", "√", "✓"})
NO_WORDS = frozenset({"否", "无", "n", "no", "false", "0", "×", "✗", ""})


def parse_optional(column: OptionalColumn, raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(float64 values, mask of cells its kind refuses). A count is a whole number ≥ 0
    (blank 0), a number any number (blank missing), a yes-no 1 for 是 and 0 for 否."""
    if column.kind == "count":
        counts, refused = parse_counts(raw)
        return counts.astype("float64"), refused
    if column.kind == "number":
        texts = _numeric_texts(raw)
        numbers = _to_floats(texts)
        blank = np.array([not t for t in texts], dtype=bool)
        bad = ~blank & ~np.isfinite(numbers)
        values = np.where(bad, np.nan, numbers)
        return (
            pd.Series(values, index=raw.index, dtype="float64"),
            pd.Series(bad, index=raw.index, dtype=bool),
        )
    # few distinct spellings in a column: each looked up once
    words = pd.Series(half_width_stripped(raw.tolist()), index=raw.index, dtype="str").str.lower()
    yes, no = words.isin(YES_WORDS), words.isin(NO_WORDS)
    return yes.astype("float64").where(yes | no, np.nan), ~(yes | no)


def missing_notes(
    present: Collection[str],
    optional: Sequence[OptionalColumn],
    *,
    month: str,
    file: str,
    sheet: str | None,
) -> list[Issue]:
    """A file-level note for each optional column the sheet lacks (a declared column only
    when a veto reads it): what was assumed instead. `present` are the header's keys."""
    found: list[Issue] = []
    if "month" not in present:
        found.append(Issue.of(message("no-month-column", month=month), file, sheet=sheet))
    if "role" not in present:
        found.append(Issue.of(message("no-role-column", role=COMMUNITY), file, sheet=sheet))
    for column in optional:
        if column.key not in present and column.vetoes:
            vetoes = "、".join(column.vetoes)
            what = message("no-veto-column", column=column.header, vetoes=vetoes)
            found.append(Issue.of(what, file, sheet=sheet))
    return found
