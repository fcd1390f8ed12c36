"""What the store writes and reads back: insert payloads built column-wise from the
evaluation's DataFrames, the frames read back, and `RunInfo`, one stored run."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from fivestar.columns import COUNT_KEYS, RATE_KEYS
from fivestar.engine.notes import Note, render_all
from fivestar.engine.notes import decode as decode_notes
from fivestar.engine.notes import to_json as notes_json
from fivestar.engine.reasons import encode_column
from fivestar.errors import Said, said
from fivestar.i18n import N_
from fivestar.store.schema import (
    OFFICER_METRICS,
    OFFICER_SOURCE,
    OFFICER_TEXT,
    OFFICERS,
    OUTCOMES,
)

if TYPE_CHECKING:
    from fivestar.engine import Evaluation
    from fivestar.findings import FileReport, Issue


@dataclass(frozen=True)
class RunInfo:
    """One recorded run, as `fivestar runs` lists it."""

    id: int
    month: str
    rules_path: str
    rules_sha256: str
    tool_version: str
    started: str
    recorded: str
    command_line: str
    report: str | None
    counts: dict[str, int]
    notes: tuple[Note, ...]  # legacy-text notes for a run stored before notes were codes
    inputs: int
    officers: int
    winners: int
    issues: int
    bureaus: tuple[str, ...] = field(default=())  # the county bureaus the run covered

    @classmethod
    def from_row(cls, row: Sequence[Any], bureaus: Sequence[str] = ()) -> RunInfo:
        (
            run_id,
            month,
            path,
            sha,
            version,
            started,
            recorded,
            command,
            report,
            read,
            evaluated,
            rejected,
            skipped,
            notes,
            inputs,
            officers,
            winners,
            issues,
        ) = row
        return cls(
            id=int(run_id),
            month=str(month),
            rules_path=str(path),
            rules_sha256=str(sha),
            tool_version=str(version),
            started=str(started),
            recorded=str(recorded),
            command_line=str(command),
            report=None if report is None else str(report),
            counts={
                "read": int(read),
                "evaluated": int(evaluated),
                "rejected": int(rejected),
                "skipped": int(skipped),
            },
            notes=decode_notes(notes),
            inputs=int(inputs),
            officers=int(officers),
            winners=int(winners),
            issues=int(issues),
            bureaus=tuple(bureaus),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "run": self.id,
            "month": self.month,
            "rules": self.rules_path,
            "rules_sha256": self.rules_sha256,
            "tool_version": self.tool_version,
            "started": self.started,
            "recorded": self.recorded,
            "command_line": self.command_line,
            "report": self.report,
            "counts": dict(self.counts),
            "inputs": self.inputs,
            "officers": self.officers,
            "winners": self.winners,
            "issues": self.issues,
            "notes": render_all(self.notes),  # in the session's language
            "note_codes": notes_json(self.notes),
            "bureaus": list(self.bureaus),
        }


def nullable(values: pd.Series) -> list[Any]:
    """A column as Python values, missing ones (NaN, NA) as None."""
    column = values.astype(object)
    return list(column.where(column.notna(), None).tolist())


def _text(frame: pd.DataFrame, key: str) -> list[str]:
    if key not in frame:
        return [""] * len(frame)
    return list(frame[key].astype(object).where(frame[key].notna(), "").astype(str).tolist())


Part = npt.NDArray[np.intp]  # positions of some of a frame's rows


def officer_rows(evaluation: Evaluation, part: Part | None = None) -> list[tuple[Any, ...]]:
    """One row per officer: identity, source, every input metric, derived metrics as JSON.
    With `part`, only the officers at those positions, in that order."""
    frame = evaluation.officers if part is None else evaluation.officers.iloc[part]
    derived = list(evaluation.rules.model.derived)
    columns: list[list[Any]] = [_text(frame, key) for key in OFFICER_TEXT]
    columns += [_text(frame, key) for key in OFFICER_SOURCE[:2]]
    rows = frame["source_row"] if "source_row" in frame else pd.Series([None] * len(frame))
    columns.append(nullable(rows.astype("Int64")))
    columns += [nullable(frame[key]) for key in OFFICER_METRICS]
    values = [nullable(frame[key].astype("float64")) for key in derived]
    columns.append(
        [json.dumps(dict(zip(derived, row, strict=True))) for row in zip(*values, strict=True)]
        if derived
        else ["{}"] * len(frame)
    )
    under = frame["officer_id"].isin(evaluation.under_minimum["officer_id"])
    columns.append(under.astype(np.int64).tolist())
    columns.append(_optional_inputs(evaluation, frame))
    return list(zip(*columns, strict=True))


# Where `officers_frame` puts an optional input column read back (`optional_inputs`): apart
# from the metrics and the derived ones, which `canonical` must not take as input.
OPTIONAL_PREFIX = "input:"


def _optional_inputs(evaluation: Evaluation, frame: pd.DataFrame) -> list[str]:
    """Each officer's (of `frame`) optional input columns the rules declared, as JSON (null:
    missing)."""
    keys = [key for key in evaluation.rules.model.input_columns if key in frame]
    if not keys:
        return ["{}"] * len(frame)
    values = [nullable(frame[key].astype("float64")) for key in keys]
    return [json.dumps(dict(zip(keys, row, strict=True))) for row in zip(*values, strict=True)]


def outcome_rows(evaluation: Evaluation, part: Part | None = None) -> list[tuple[Any, ...]]:
    """One row per officer × star, in the order of the schema's outcomes table. With
    `part`, only the outcomes at those positions, in that order."""
    out = evaluation.outcomes if part is None else evaluation.outcomes.iloc[part]
    order = {key: i for i, key in enumerate(evaluation.rules.star_keys)}
    flags = {c: out[c].astype(bool).astype(np.int64).tolist() for c in ("eligible", "qualified")}
    columns: list[list[Any]] = [
        _text(out, "officer_id"),
        _text(out, "star"),
        out["star"].map(order).astype(np.int64).tolist(),
        flags["eligible"],
        flags["qualified"],
        out["failed"].astype(np.int64).tolist(),
        out["near_miss"].astype(bool).astype(np.int64).tolist(),
        encode_column(out["reasons"]),  # a JSON array per row (schema V5)
        nullable(out["rank"].astype("Int64")),
        out["named"].astype(bool).astype(np.int64).tolist(),
        out["tied"].astype(bool).astype(np.int64).tolist(),
        _text(out, "named_for"),
    ]
    return list(zip(*columns, strict=True))


# Rows built as Python tuples at once: the big tables are written CHUNK rows at a time, so a
# run's rows are never all held as tuples (200,000 officers × 5 stars as tuples took ~0.5 GiB).
CHUNK = 20_000

# A big table's rows, CHUNK at a time, in the order of the columns named (none: as they are)
Chunks = Callable[[Sequence[str]], Iterator[list[tuple[Any, ...]]]]


def officer_chunks(
    evaluation: Evaluation, key: Sequence[str] = ()
) -> Iterator[list[tuple[Any, ...]]]:
    """`officer_rows` CHUNK officers at a time, ordered by the columns `key`."""
    for part in _parts(evaluation.officers, key):
        yield officer_rows(evaluation, part)


def outcome_chunks(
    evaluation: Evaluation, key: Sequence[str] = ()
) -> Iterator[list[tuple[Any, ...]]]:
    """`outcome_rows` CHUNK outcomes at a time, ordered by the columns `key`."""
    for part in _parts(evaluation.outcomes, key):
        yield outcome_rows(evaluation, part)


def _parts(frame: pd.DataFrame, key: Sequence[str]) -> Iterator[Part]:
    if key:  # sorted as Python sorts the rows' texts (none is missing in a key column)
        keys = frame[list(key)].reset_index(drop=True)
        order = keys.sort_values(list(key), kind="stable").index.to_numpy(dtype=np.intp)
    else:
        order = np.arange(len(frame), dtype=np.intp)
    for start in range(0, len(order), CHUNK):
        yield order[start : start + CHUNK]


def input_rows(files: Sequence[FileReport]) -> list[tuple[Any, ...]]:
    return [
        (
            seq,
            f.path,
            f.sha256,
            f.format,
            f.rows_read,
            f.evaluated,
            f.rejected,
            f.skipped,
            json.dumps(f.sheets_used, ensure_ascii=False),
            json.dumps(f.sheets_skipped, ensure_ascii=False),
            json.dumps(f.ignored_columns, ensure_ascii=False),
            f.error,
        )
        for seq, f in enumerate(files)
    ]


def issue_rows(issues: Sequence[Issue]) -> list[tuple[Any, ...]]:
    return [
        (seq, i.file, i.sheet, i.row, i.column, i.value, i.reason) for seq, i in enumerate(issues)
    ]


def bureau_rows(evaluation: Evaluation) -> list[tuple[Any, ...]]:
    """The run's scope: each county bureau among its officers, with its officer count."""
    counts = pd.Series(_text(evaluation.officers, "bureau"), dtype=object).value_counts()
    return sorted((str(bureau), int(n)) for bureau, n in counts.items())


OFFICER_COLUMNS = tuple(c.name for c in OFFICERS.columns)
OUTCOME_COLUMNS = tuple(c.name for c in OUTCOMES.columns)


def officers_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Stored officer rows as the queries read them: derived metrics and optional input
    columns expanded from JSON, booleans as bool, one row per run and officer in run, 警号
    order."""
    frame = frame.sort_values(["run_id", "officer_id"], kind="stable").reset_index(drop=True)
    derived = pd.DataFrame(
        [json.loads(text) for text in frame["derived"]], index=frame.index, dtype="float64"
    )
    frame = frame.drop(columns=["derived"])
    frame["under_minimum"] = frame["under_minimum"].astype(bool)
    for key in COUNT_KEYS:
        frame[key] = frame[key].astype("int64")
    for key in RATE_KEYS:
        frame[key] = frame[key].astype("float64")
    stored = frame.pop("optional_inputs") if "optional_inputs" in frame else None
    return pd.concat([frame, derived, inputs_read_back(stored)], axis=1)


def inputs_read_back(stored: pd.Series | None) -> pd.DataFrame:
    """`optional_inputs` as one float column per key, named OPTIONAL_PREFIX + key; a run
    that declared none stored '{}' (so did every run before the column: the migration's
    default)."""
    if stored is None or stored.eq("{}").all():
        return pd.DataFrame(index=None if stored is None else stored.index)
    rows = [json.loads(text) for text in stored]
    read = pd.DataFrame(rows, index=stored.index, dtype="float64")
    return read.add_prefix(OPTIONAL_PREFIX)


def outcomes_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Stored outcome rows as the queries read them: in run, star order, then 警号; `reasons`
    as stored, JSON text (`fivestar.engine.reasons.decode` reads the rows shown)."""
    order = ["run_id", "star_order", "officer_id"]
    frame = frame.sort_values(order, kind="stable").reset_index(drop=True)
    for column in ("eligible", "qualified", "near_miss", "named", "tied"):
        frame[column] = frame[column].astype(bool)
    frame["star_rank"] = frame["star_rank"].astype("Int64")
    return frame


def evaluated_frames(evaluation: Evaluation, run_ids: Sequence[int]) -> tuple[pd.DataFrame, ...]:
    """An evaluation made from stored officers, as `officers_frame` / `outcomes_frame` would
    read it back had it been recorded: (officers, outcomes). `run_ids` gives each officer's
    run (the run the figures came from); outcomes take the latest of them."""
    officers = pd.DataFrame.from_records(
        officer_rows(evaluation), columns=list(OFFICER_COLUMNS[1:]), coerce_float=True
    )
    officers.insert(0, "run_id", list(run_ids))
    outcomes = pd.DataFrame.from_records(
        outcome_rows(evaluation), columns=list(OUTCOME_COLUMNS[1:]), coerce_float=True
    )
    outcomes.insert(0, "run_id", max(run_ids, default=0))
    return officers_frame(officers), outcomes_frame(outcomes)


def stored_runs(ids: list[int]) -> Said:
    """ "runs stored: 1-3, 7" for `fivestar report --run` errors."""
    if not ids:
        return said(N_("no runs stored yet"))
    spans: list[list[int]] = []
    for run_id in ids:
        if spans and run_id == spans[-1][1] + 1:
            spans[-1][1] = run_id
        else:
            spans.append([run_id, run_id])
    text = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)
    return said(N_("runs stored: {runs}"), runs=text)
