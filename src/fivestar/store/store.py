"""The results store (DESIGN.md §4): every evaluation recorded, read back by run.

`open_store` opens (and migrates) the store — an SQLite file or a PostgreSQL database, see
`fivestar.store.backend`; `Store.record` writes a whole run in one transaction; the readers
return a run's rows as DataFrames for `fivestar.queries.rankings` and `fivestar.queries.scope`.
Every statement is SQLAlchemy Core with bound parameters; none is built from input.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import (
    Connection,
    Engine,
    Table,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.exc import SQLAlchemyError

from fivestar.columns import COUNT_KEYS, RATE_KEYS
from fivestar.errors import Said, StoreError, StoreMissing, UsageError, said
from fivestar.i18n import N_
from fivestar.rules import RuleSet
from fivestar.rules.model import RulesModel
from fivestar.store.backend import (
    DEFAULT_NAME,
    ENV,
    Location,
    create,
    locate,
    lock_for_run,
    one_line,
    store_path,
    write_options,
)
from fivestar.store.damage import damaged, damaged_rows, damaged_rules
from fivestar.store.decisions import Decision, exclusions_in_force, refuse_confirmed
from fivestar.store.migrate import migrate, refuse_newer, schema_version
from fivestar.store.rows import (
    Chunks,
    RunInfo,
    bureau_rows,
    input_rows,
    issue_rows,
    officer_chunks,
    officers_frame,
    outcome_chunks,
    outcomes_frame,
    stored_runs,
)
from fivestar.store.schema import OFFICERS, OUTCOMES, RUN_BUREAUS, RUNS, TABLES
from fivestar.store.writing import copy_staged, executemany, run_row, stage_rows

if TYPE_CHECKING:
    from fivestar.model import RunResult

__all__ = [
    "DEFAULT_NAME",
    "ENV",
    "Store",
    "migrate_store",
    "open_store",
    "probe_store",
    "store_path",
]
_RUN_SELECT = text(
    "SELECT r.id, r.month, r.rules_path, r.rules_sha256, r.tool_version, r.started, "
    "r.recorded, r.command_line, r.report, r.rows_read, r.evaluated, r.rejected, r.skipped, "
    "r.notes, (SELECT COUNT(*) FROM inputs i WHERE i.run_id = r.id), "
    "(SELECT COUNT(*) FROM officers o WHERE o.run_id = r.id), "
    "(SELECT COUNT(*) FROM outcomes w WHERE w.run_id = r.id AND w.named = 1), "
    "(SELECT COUNT(*) FROM issues s WHERE s.run_id = r.id) FROM runs r "
    "WHERE :every = 1 OR r.id = :run_id ORDER BY r.id"
)


def open_store(location: str | Path | None = None, *, create: bool = True) -> Store:
    """Open the results store, creating and migrating it as needed.

    `location` is a file path or a postgresql://user@host/dbname URL (else $FIVESTAR_DB,
    else ./fivestar.db). With `create=False` (the read commands) nothing is written: a
    missing file, an empty database or an older schema (`migrate_store`) is a StoreError.
    Any failure to connect is a one-line StoreError.
    """
    store, _ = _open(location, create=create, upgrade=create)
    return store


def migrate_store(location: str | Path | None = None) -> tuple[str, int, int]:
    """`fivestar migrate`: bring an existing store's schema to the latest version.
    Returns (where, version found, version now); creates no store."""
    store, (found, now) = _open(location, create=False, upgrade=True)
    store.close()
    return store.where, found, now


def _open(
    location: str | Path | None, *, create: bool, upgrade: bool
) -> tuple[Store, tuple[int, int]]:
    where = locate(location)
    if where.path is not None:
        if not create and not where.path.exists():
            raise StoreMissing(where.where)
        if where.path.is_dir():
            raise StoreError(
                N_("cannot open results store {where}: it is a folder"), where=where.where
            )
    engine = _engine(where)
    try:
        versions = migrate(engine, where, create=create, upgrade=upgrade)
    except SQLAlchemyError as err:
        engine.dispose()
        raise StoreError(
            N_("cannot open results store {where}: {reason}"),
            where=where.where,
            reason=one_line(err),
        ) from None
    except BaseException:
        engine.dispose()
        raise
    return Store(engine, where), versions


def probe_store(
    location: str | Path | None = None, month: str | None = None
) -> tuple[Decision, ...]:
    """Raise the StoreError `open_store` would, without writing anything: no store is
    created or migrated (the run that records does that), so a run that stops early leaves
    none behind. A missing SQLite file is fine when its folder can take it. With `month`,
    a month whose list the city confirmed is refused too (`fivestar reopen` first), and the
    month's exclusions in force are returned (the run passes those officers over)."""
    where = locate(location)
    if where.path is not None:
        if where.path.is_dir():
            raise StoreError(
                N_("cannot open results store {where}: it is a folder"), where=where.where
            )
        if not where.path.exists():
            folder = where.path.parent
            if not folder.is_dir():
                raise StoreError(
                    N_("cannot open results store {where}: no such folder"), where=where.where
                )
            if not os.access(folder, os.W_OK | os.X_OK):
                raise StoreError(
                    N_("cannot open results store {where}: the folder is not writable"),
                    where=where.where,
                )
            return ()
    engine = _engine(where)
    try:
        with engine.connect() as conn:
            refuse_newer(schema_version(conn, where), where)
            if month is None:
                return ()
            refuse_confirmed(conn, month)
            return exclusions_in_force(conn, month)
    except SQLAlchemyError as err:
        raise StoreError(
            N_("cannot open results store {where}: {reason}"),
            where=where.where,
            reason=one_line(err),
        ) from None
    finally:
        engine.dispose()


def _engine(where: Location) -> Engine:
    try:
        return create(where)
    except (SQLAlchemyError, ImportError) as err:
        reason = one_line(err) if isinstance(err, SQLAlchemyError) else str(err)
        raise StoreError(
            N_("cannot open results store {where}: {reason}"), where=where.where, reason=reason
        ) from None


@cache
def _rules(model: str, path: str, sha256: str) -> RuleSet:
    return RuleSet(model=RulesModel.model_validate_json(model), path=path, sha256=sha256)


class Store:
    """An open results store. Use as a context manager, or call `close()`."""

    def __init__(self, engine: Engine, where: Location) -> None:
        self._engine = engine
        self.location = where
        self.where = where.where  # what messages name: the file, or the URL without password
        self.path = where.path  # the SQLite file; None on PostgreSQL

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._engine.dispose()

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        """A connection for reading; a driver error becomes a one-line StoreError."""
        try:
            with self._engine.connect() as conn:
                yield conn
        except SQLAlchemyError as err:
            raise StoreError(
                N_("cannot read results store {where}: {reason}"),
                where=self.where,
                reason=one_line(err),
            ) from None

    def schema_version(self) -> int:
        with self._read() as conn:
            return schema_version(conn, self.location)

    # -- writing -------------------------------------------------------------------------

    def record(
        self,
        result: RunResult,
        command_line: str,
        *,
        recorded: datetime | None = None,
        when_ready: Callable[[], None] | None = None,
    ) -> int:
        """Write a whole run (run, its bureaus, inputs, officers, outcomes, issues) in one
        transaction, as the next run id. Returns the id. On any failure nothing of the run
        is left in the store.

        With `when_ready` (see `fivestar.store.recording`), the officers and outcomes — nearly
        all the rows — are first staged in temporary tables of this connection, which lock
        nothing; then `when_ready()` is called, and only once it returns is the run's lock
        taken and the staged rows copied by the database itself. What it raises leaves the
        store untouched."""
        rows = {
            "run_bureaus": bureau_rows(result.evaluation),
            "inputs": input_rows(result.files),
            "issues": issue_rows(result.issues),
        }
        # the big tables are built as they are written, a chunk at a time
        chunks: dict[str, Chunks] = {
            "officers": partial(officer_chunks, result.evaluation),
            "outcomes": partial(outcome_chunks, result.evaluation),
        }
        try:
            with self._engine.connect() as conn:
                staged: dict[str, Table] = {}
                try:
                    if when_ready is not None:
                        staged = stage_rows(conn, chunks)
                        when_ready()
                    conn.execution_options(**write_options())
                    with conn.begin():
                        lock_for_run(conn, self.location.kind)
                        bureaus = [row[0] for row in rows["run_bureaus"]]
                        refuse_confirmed(conn, result.month, bureaus)
                        when = recorded or datetime.now().astimezone()
                        next_id = select(func.coalesce(func.max(RUNS.c.id), 0) + 1)
                        run_id = int(conn.execute(next_id).scalar_one())
                        run = {"id": run_id, **run_row(result, command_line, when)}
                        conn.execute(insert(RUNS), [run])
                        for table, table_rows in rows.items():
                            self._insert(conn, table, run_id, table_rows)
                        for table, table_chunks in chunks.items():
                            if table in staged:
                                copy_staged(conn, staged[table], TABLES[table], run_id)
                                continue
                            for table_rows in table_chunks(()):
                                self._insert(conn, table, run_id, table_rows)
                finally:
                    if staged:  # closing the connection drops its temporary tables at once
                        conn.invalidate()
        except SQLAlchemyError as err:
            raise StoreError(
                N_("cannot record the run in {where}: {reason}"),
                where=self.where,
                reason=one_line(err),
            ) from None
        return run_id

    def _insert(
        self, conn: Connection, table: str, run_id: int, rows: list[tuple[Any, ...]]
    ) -> None:
        """An executemany of `rows` (each without run_id) into `table`, in column order."""
        executemany(conn, TABLES[table], run_id, rows)

    # -- runs ----------------------------------------------------------------------------

    def runs(self) -> list[RunInfo]:
        """Every run, oldest first, with the bureaus it covered."""
        return self._runs(None)

    def _runs(self, run_id: int | None) -> list[RunInfo]:
        every = 1 if run_id is None else 0
        with self._read() as conn:
            rows = conn.execute(_RUN_SELECT, {"every": every, "run_id": run_id or 0}).all()
            scope = select(RUN_BUREAUS.c.run_id, RUN_BUREAUS.c.bureau)
            if run_id is not None:
                scope = scope.where(RUN_BUREAUS.c.run_id == run_id)
            bureaus: dict[int, list[str]] = {}
            for rid, bureau in conn.execute(scope):
                bureaus.setdefault(int(rid), []).append(str(bureau))
        infos: list[RunInfo] = []
        for row in rows:
            try:
                infos.append(RunInfo.from_row(row, sorted(bureaus.get(int(row[0]), []))))
            except (ValueError, TypeError) as err:
                what = said(N_("run {run}: runs row ({reason})"), run=row[0], reason=str(err))
                raise damaged(self.where, what) from None
        return infos

    def months(self) -> list[str]:
        with self._read() as conn:
            rows = conn.execute(select(RUNS.c.month).distinct()).all()
        return sorted(str(row[0]) for row in rows)

    def latest_ids(self) -> dict[str, int]:
        """The latest run of each month: {month: run id}, months in order."""
        with self._read() as conn:
            rows = conn.execute(select(RUNS.c.month, func.max(RUNS.c.id)).group_by(RUNS.c.month))
            latest = {str(month): int(run_id) for month, run_id in rows}
        return dict(sorted(latest.items()))

    def coverage(self, month: str | None = None) -> list[tuple[str, int, str]]:
        """(month, run id, bureau) for every bureau each run covered, in run order."""
        query = select(RUNS.c.month, RUN_BUREAUS.c.run_id, RUN_BUREAUS.c.bureau).join(
            RUNS, RUNS.c.id == RUN_BUREAUS.c.run_id
        )
        if month is not None:
            query = query.where(RUNS.c.month == month)
        with self._read() as conn:
            rows = conn.execute(query).all()
        return sorted((str(m), int(i), str(b)) for m, i, b in rows)

    def run(self, run_id: int) -> RunInfo:
        found = self._runs(run_id)
        if not found:
            with self._read() as conn:
                ids = [int(r[0]) for r in conn.execute(select(RUNS.c.id).order_by(RUNS.c.id))]
            raise UsageError(
                N_("no run {run} in {where}; {stored}"),
                run=run_id,
                where=self.where,
                stored=stored_runs(ids),
            )
        return found[0]

    def latest_run(self, month: str) -> RunInfo:
        latest = self.latest_ids()
        if month not in latest:
            raise UsageError(
                N_("no run for {month} in {where}; {stored}"),
                month=month,
                where=self.where,
                stored=self.stored_months(),
            )
        return self.run(latest[month])

    def resolve(self, month: str | None = None, run_id: int | None = None) -> RunInfo:
        """The run a read command means: --run, else the latest of --month, else of the
        latest month stored."""
        if run_id is not None:
            run = self.run(run_id)
            if month is not None and month != run.month:
                raise UsageError(
                    N_("run {run} is of {of}, not {month}"), run=run_id, of=run.month, month=month
                )
            return run
        return self.latest_run(self.month(month))

    def month(self, month: str | None) -> str:
        """`month` when stored (else a UsageError naming the months), or the latest month."""
        months = self.months()
        if not months:
            raise StoreError(
                N_("no runs in {where} yet: record one with `fivestar evaluate`"), where=self.where
            )
        if month is None:
            return months[-1]
        if month not in months:
            raise UsageError(
                N_("no run for {month} in {where}; {stored}"),
                month=month,
                where=self.where,
                stored=self.stored_months(),
            )
        return month

    def stored_months(self) -> Said:
        months = self.months()
        return said(N_("months stored: {months}"), months=months) if months else stored_runs([])

    # -- a run's rows --------------------------------------------------------------------

    def rules(self, run_id: int) -> RuleSet:
        """The rules the run was judged by, as they were then."""
        query = select(RUNS.c.rules_model, RUNS.c.rules_path, RUNS.c.rules_sha256)
        with self._read() as conn:
            row = conn.execute(query.where(RUNS.c.id == run_id)).first()
        if row is None:
            raise UsageError(N_("no run {run} in {where}"), run=run_id, where=self.where)
        try:
            return _rules(str(row[0]), str(row[1]), str(row[2]))
        except ValueError as err:  # pydantic's ValidationError is one
            raise damaged_rules(self.where, run_id, err) from None

    def officer_places(self, officer_id: str) -> list[tuple[int, str]]:
        """(run id, bureau) of every run in which an officer was evaluated."""
        query = select(OFFICERS.c.run_id, OFFICERS.c.bureau)
        with self._read() as conn:
            rows = conn.execute(query.where(OFFICERS.c.officer_id == officer_id)).all()
        return sorted((int(r), str(b)) for r, b in rows)

    def officers(self, run_ids: Sequence[int]) -> pd.DataFrame:
        """The officers of runs, one row each, with every metric (derived ones expanded)."""
        frame = self._frame(OFFICERS, run_ids)
        try:
            return officers_frame(frame)
        except (ValueError, TypeError) as err:
            numeric = (*COUNT_KEYS, *RATE_KEYS, "under_minimum")
            raise damaged_rows(
                self.where,
                "officers",
                frame,
                numeric,
                err,
                json_columns=["derived", "optional_inputs"],
                nullable=RATE_KEYS,
            ) from None

    def outcomes(self, run_ids: Sequence[int]) -> pd.DataFrame:
        """Officer × star outcomes of runs, in run, star order, then 警号."""
        frame = self._frame(OUTCOMES, run_ids)
        try:
            return outcomes_frame(frame)
        except (ValueError, TypeError) as err:
            flags = ("star_order", "eligible", "qualified", "near_miss", "named", "tied")
            numeric = (*flags, "star_rank")
            raise damaged_rows(
                self.where, "outcomes", frame, numeric, err, nullable=("star_rank",)
            ) from None

    def _frame(self, table: Table, run_ids: Sequence[int]) -> pd.DataFrame:
        query = select(table).where(table.c.run_id.in_([int(i) for i in run_ids]))
        with self._read() as conn:
            result = conn.execute(query)
            columns = list(result.keys())
            rows = [tuple(row) for row in result]
        return pd.DataFrame.from_records(rows, columns=columns, coerce_float=True)
