"""Text longer than an Excel cell holds (32,767 UTF-16 units) is noted, never cut in silence.

The report writer (XlsxWriter) cuts such a text to the limit without a word, so an officer's
name or 派出所 could reach 全员明细 or the 公示 shortened. An evaluated officer whose text
is that long gets a note in 数据问题 (an issue that does not reject the row); a rejected row's
issue that would quote such a text quotes its start and says how long it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import pandas as pd

from fivestar.columns import SOURCE_ROW
from fivestar.findings import Issue
from fivestar.i18n import ZH
from fivestar.issues import CUT, CUT_SHOWN, message

EXCEL_CELL_LIMIT = 32_767  # UTF-16 code units, as Excel and XlsxWriter count them
# Text columns of an officer that reach the report's cells.
REPORTED_TEXT = ("officer_id", "name", "bureau", "station", "office")
QUOTED = 200  # characters of an over-long value an issue quotes


def over_limit(text: str) -> bool:
    # a text of at most half the limit in characters cannot exceed it in UTF-16 units
    return (
        len(text) > EXCEL_CELL_LIMIT // 2 and len(text.encode("utf-16-le")) // 2 > EXCEL_CELL_LIMIT
    )


def cut_notes(
    officers: pd.DataFrame, labels: Mapping[str, str], file: str, sheet: str | None
) -> list[Issue]:
    """One note per cell of an accepted officer whose text the report will cut."""
    notes: list[Issue] = []
    for key in REPORTED_TEXT:
        texts = officers[key]
        long = texts.str.len().gt(EXCEL_CELL_LIMIT // 2).to_numpy(dtype=bool)
        if not long.any():  # the usual case: one vectorised length check per column
            continue
        for row, text in zip(officers[SOURCE_ROW][long], texts[long], strict=True):
            if over_limit(text):
                notes.append(
                    Issue.of(
                        message("text-cut", length=len(text), limit=EXCEL_CELL_LIMIT),
                        file=file,
                        sheet=sheet,
                        row=int(row),
                        column=labels[key],
                        value=text[:QUOTED] + "…",
                    )
                )
    return sorted(notes, key=lambda note: note.row or 0)


def bounded(issue: Issue) -> Issue:
    """An issue whose value or reason the report would cut, quoting only their start."""
    value, reason = issue.value or "", issue.reason
    if not (over_limit(value) or over_limit(reason)):
        return issue
    # the code stays (the issue is what it was); a parameter quoting the text, its start,
    # and the full length, which the rendered reason states (fivestar.issues.CUT_NOTE)
    params = {k: _quoted(v) if isinstance(v, str) else v for k, v in issue.params.items()}
    params |= {CUT: len(value), CUT_SHOWN: QUOTED}
    cut = replace(issue, value=value[:QUOTED] + "…" if len(value) > QUOTED else value)
    return replace(cut, params=params, reason=cut.message.render(ZH))


def _quoted(text: str) -> str:
    return text[:QUOTED] + "…" if len(text) > QUOTED else text
