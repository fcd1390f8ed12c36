"""The results store (SPEC §4): every evaluation recorded in SQLite, read back by run.

`open_store` opens (and migrates) the database; `Store.record` writes a whole run in one
transaction; the readers return a run's rows as DataFrames for `fivestar.store.queries`.
SQLite specifics (pragmas, `BEGIN IMMEDIATE`, the catalogue query) stay in this module; the
statements themselves are portable and always parameterized.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from fivestar.errors import StoreError, UsageError
from fivestar.rules import RuleSet
from fivestar.rules.model import RulesModel
from fivestar.store.migrate import BUSY_SECONDS, prepare, schema_version, transaction
from fivestar.store.rows import RunInfo, input_rows, issue_rows, officer_rows, outcome_rows

if TYPE_CHECKING:
    from fivestar.run import RunResult

DEFAULT_NAME = "fivestar.db"
ENV = "FIVESTAR_DB"

_RUN_FIELDS = (
    "month, rules_path, rules_sha256, rules_model, tool_version, started, recorded, "
    "command_line, report, rows_read, evaluated, rejected, skipped, notes"
)
_RUN_SELECT = (
    "SELECT r.id, r.month, r.rules_path, r.rules_sha256, r.tool_version, r.started, "
    "r.recorded, r.command_line, r.report, r.rows_read, r.evaluated, r.rejected, r.skipped, "
    "r.notes, (SELECT COUNT(*) FROM inputs i WHERE i.run_id = r.id), "
    "(SELECT COUNT(*) FROM officers o WHERE o.run_id = r.id), "
    "(SELECT COUNT(*) FROM outcomes w WHERE w.run_id = r.id AND w.named = 1), "
    "(SELECT COUNT(*) FROM issues s WHERE s.run_id = r.id) FROM runs r"
)


def store_path(location: str | Path | None) -> Path:
    """The store's file: `location`, else $FIVESTAR_DB, else fivestar.db in the current folder."""
    if location is not None and str(location) != "":
        return Path(location)
    return Path(os.environ.get(ENV) or DEFAULT_NAME)


def open_store(location: str | Path | None = None, *, create: bool = True) -> Store:
    """Open the results store, creating and migrating it as needed.

    With `create=False` (the read-only commands) a missing file is a StoreError.
    """
    path = store_path(location)
    if not create and not path.exists():
        raise StoreError(
            f"no results store at {path}: `fivestar evaluate` records one (or give --db PATH)"
        )
    if path.is_dir():
        raise StoreError(f"cannot open results store {path}: it is a folder")
    try:
        conn = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
    except sqlite3.Error as err:
        raise StoreError(f"cannot open results store {path}: {err}") from None
    try:
        prepare(conn, path)
    except sqlite3.Error as err:
        conn.close()
        raise StoreError(f"cannot open results store {path}: {err}") from None
    except BaseException:
        conn.close()
        raise
    return Store(conn, path)


@cache
def _rules(model: str, path: str, sha256: str) -> RuleSet:
    return RuleSet(model=RulesModel.model_validate_json(model), path=path, sha256=sha256)


class Store:
    """An open results store. Use as a context manager, or call `close()`."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._conn.close()

    def schema_version(self) -> int:
        return schema_version(self._conn, self.path)

    # -- writing -------------------------------------------------------------------------

    def record(
        self, result: RunResult, command_line: str, *, recorded: datetime | None = None
    ) -> int:
        """Write a whole run (run, inputs, officers, outcomes, issues) in one transaction.

        Returns the new run's id. On any failure nothing of the run is left in the store.
        """
        when = recorded or datetime.now().astimezone()
        counts = result.counts
        run = (
            result.month,
            result.rules.path,
            result.rules.sha256,
            result.rules.model.model_dump_json(),
            result.tool_version,
            result.started.isoformat(timespec="seconds"),
            when.isoformat(timespec="seconds"),
            command_line,
            str(result.report) if result.report else None,
            counts.read,
            counts.evaluated,
            counts.rejected,
            counts.skipped,
            json.dumps(list(result.evaluation.notes), ensure_ascii=False),
        )
        marks = ", ".join("?" * len(run))
        try:
            with transaction(self._conn):
                cursor = self._conn.execute(
                    f"INSERT INTO runs ({_RUN_FIELDS}) VALUES ({marks}) RETURNING id", run
                )
                run_id = int(cursor.fetchone()[0])
                cursor.close()
                self._insert("inputs", run_id, input_rows(result.files))
                self._insert("officers", run_id, officer_rows(result.evaluation))
                self._insert("outcomes", run_id, outcome_rows(result.evaluation))
                self._insert("issues", run_id, issue_rows(result.issues))
        except sqlite3.Error as err:
            raise StoreError(f"cannot record the run in {self.path}: {err}") from None
        return run_id

    def _insert(self, table: str, run_id: int, rows: list[tuple[Any, ...]]) -> None:
        """executemany of `rows` (each without run_id) into `table` (a fixed table name)."""
        if not rows:
            return
        marks = ", ".join("?" * (len(rows[0]) + 1))
        self._conn.executemany(
            f"INSERT INTO {table} VALUES ({marks})", [(run_id, *row) for row in rows]
        )

    # -- runs ----------------------------------------------------------------------------

    def runs(self) -> list[RunInfo]:
        """Every run, oldest first."""
        rows = self._conn.execute(f"{_RUN_SELECT} ORDER BY r.id").fetchall()
        return [RunInfo.from_row(row) for row in rows]

    def months(self) -> list[str]:
        rows = self._conn.execute("SELECT DISTINCT month FROM runs ORDER BY month").fetchall()
        return [str(row[0]) for row in rows]

    def latest_ids(self) -> dict[str, int]:
        """The latest run of each month: {month: run id}, months in order."""
        rows = self._conn.execute(
            "SELECT month, MAX(id) FROM runs GROUP BY month ORDER BY month"
        ).fetchall()
        return {str(month): int(run_id) for month, run_id in rows}

    def run(self, run_id: int) -> RunInfo:
        row = self._conn.execute(f"{_RUN_SELECT} WHERE r.id = ?", (run_id,)).fetchone()
        if row is None:
            ids = [int(r[0]) for r in self._conn.execute("SELECT id FROM runs ORDER BY id")]
            raise UsageError(f"no run {run_id} in {self.path}; {_stored_runs(ids)}")
        return RunInfo.from_row(row)

    def latest_run(self, month: str) -> RunInfo:
        latest = self.latest_ids()
        if month not in latest:
            raise UsageError(f"no run for {month} in {self.path}; {self._stored_months()}")
        return self.run(latest[month])

    def resolve(self, month: str | None = None, run_id: int | None = None) -> RunInfo:
        """The run a read command means: --run, else the latest of --month, else of the
        latest month stored."""
        if run_id is not None:
            run = self.run(run_id)
            if month is not None and month != run.month:
                raise UsageError(f"run {run_id} is of {run.month}, not {month}")
            return run
        if month is not None:
            return self.latest_run(month)
        latest = self.latest_ids()
        if not latest:
            raise StoreError(f"no runs in {self.path} yet: record one with `fivestar evaluate`")
        return self.run(latest[max(latest)])

    def _stored_months(self) -> str:
        months = self.months()
        return f"months stored: {', '.join(months)}" if months else "no runs stored yet"

    # -- a run's rows --------------------------------------------------------------------

    def rules(self, run_id: int) -> RuleSet:
        """The rules the run was judged by, as they were then."""
        row = self._conn.execute(
            "SELECT rules_model, rules_path, rules_sha256 FROM runs WHERE id = ?", (run_id,)
        ).fetchone()
        if row is None:
            raise UsageError(f"no run {run_id} in {self.path}")
        return _rules(str(row[0]), str(row[1]), str(row[2]))

    def officer_runs(self, officer_id: str) -> set[int]:
        """The runs in which an officer was evaluated."""
        rows = self._conn.execute(
            "SELECT run_id FROM officers WHERE officer_id = ?", (officer_id,)
        ).fetchall()
        return {int(row[0]) for row in rows}

    def officers(self, run_ids: Sequence[int]) -> pd.DataFrame:
        """The officers of runs, one row each, with every metric (derived ones expanded)."""
        frame = self._frame("officers", run_ids)
        derived = pd.DataFrame(
            [json.loads(text) for text in frame["derived"]], index=frame.index, dtype="float64"
        )
        frame = frame.drop(columns=["derived"])
        frame["under_minimum"] = frame["under_minimum"].astype(bool)
        return pd.concat([frame, derived], axis=1)

    def outcomes(self, run_ids: Sequence[int]) -> pd.DataFrame:
        """Officer × star outcomes of runs, in star order then 警号."""
        frame = self._frame("outcomes", run_ids, order="run_id, star_order, officer_id")
        for column in ("eligible", "qualified", "near_miss", "named", "tied"):
            frame[column] = frame[column].astype(bool)
        frame["star_rank"] = frame["star_rank"].astype("Int64")
        return frame

    def _frame(
        self, table: str, run_ids: Sequence[int], order: str = "run_id, officer_id"
    ) -> pd.DataFrame:
        """A fixed table's rows for some runs (table and order are constants, never input)."""
        marks = ", ".join("?" * len(run_ids)) or "NULL"
        sql = f"SELECT * FROM {table} WHERE run_id IN ({marks}) ORDER BY {order}"
        frame: pd.DataFrame = pd.read_sql_query(sql, self._conn, params=[int(i) for i in run_ids])
        return frame


def _stored_runs(ids: list[int]) -> str:
    if not ids:
        return "no runs stored yet"
    spans: list[list[int]] = []
    for run_id in ids:
        if spans and run_id == spans[-1][1] + 1:
            spans[-1][1] = run_id
        else:
            spans.append([run_id, run_id])
    text = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)
    return f"runs stored: {text}"
