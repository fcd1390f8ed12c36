"""Recording a run in a forked child while the report is written (fivestar.store.recording).

The child writes the run inside its transaction and commits only on the parent's word:
a run is never visible before `commit()`, nothing is stored when the parent leaves without
it, and what is stored is what recording in this process stores.
"""

from __future__ import annotations

import contextlib
import multiprocessing.process
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from fivestar.errors import InputError, OutputError, StoreError
from fivestar.evaluate import evaluate_month
from fivestar.parallel import cores
from fivestar.rules import RuleSet
from fivestar.store import open_store, recording, writing
from fivestar.store.backend import RUN_LOCK, create, locate
from fivestar.store.recording import Recording
from fivestar.store.store import Store
from tests.store.builders import april_rows, run_result
from tests.store.conftest import counts, execute
from tests.store.test_store import child_env

needs_fork = pytest.mark.skipif(recording.fork_context() is None, reason="no fork here")
PARENT = os.getpid()
SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "2014-04"
ROWS = (
    "SELECT officer_id, star, star_order, eligible, qualified, failed, near_miss, reasons, "
    "star_rank, named, tied, named_for FROM outcomes WHERE run_id = {run} "
    "ORDER BY star_order, officer_id"
)


@pytest.fixture
def forking(location: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork even on a one-core machine; the store exists, as `evaluate` makes sure first."""
    monkeypatch.setattr(recording, "cores", lambda: 2)
    open_store(location).close()


@needs_fork
def test_the_forked_run_is_invisible_until_commit_then_whole(
    location: str, rules: RuleSet, forking: None
) -> None:
    result = run_result(rules, "2014-04", april_rows())
    with Recording(location, result, "cmd") as pending:
        assert pending.forked
        assert counts(location)["runs"] == 0
        assert pending.commit() == 1
    assert counts(location) == {
        "runs": 1,
        "run_bureaus": 2,
        "inputs": 1,
        "officers": 9,
        "outcomes": 45,
        "issues": 1,
    }


@needs_fork
def test_forked_and_in_process_recording_store_the_same_rows(
    location: str, rules: RuleSet, forking: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run_result(rules, "2014-04", april_rows())
    with Recording(location, result, "cmd") as pending:
        assert pending.forked
        assert pending.commit() == 1
    monkeypatch.setattr(recording, "fork_context", lambda: None)
    with Recording(location, result, "cmd") as pending:
        assert not pending.forked
        assert pending.commit() == 2
    forked, here = execute(location, ROWS.format(run=1), ROWS.format(run=2))
    assert len(forked) == 45
    assert forked == here


@needs_fork
def test_leaving_without_commit_stores_nothing(
    location: str, rules: RuleSet, forking: None
) -> None:
    result = run_result(rules, "2014-04", april_rows())
    with pytest.raises(OutputError, match="disk full"), Recording(location, result, "cmd"):
        raise OutputError("cannot write report x.xlsx: disk full")
    assert counts(location)["runs"] == 0
    with open_store(location) as store:  # the child has let go of the store
        assert store.record(result, "cmd") == 1


@needs_fork
@pytest.mark.parametrize("start", ["probe", "recording"])
def test_ctrl_c_while_a_child_starts_stops_the_child_at_once(
    start: str, location: str, rules: RuleSet, forking: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ctrl-C is held while the child starts and raised as the hold ends, before the caller
    # has the object that would stop the child: it must not be left to the parent's end.
    started = multiprocessing.process.BaseProcess.start

    def interrupted(self: multiprocessing.process.BaseProcess) -> None:
        started(self)
        os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", interrupted)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            if start == "probe":
                recording.StoreProbe(location)
            else:
                Recording(location, run_result(rules, "2014-04", april_rows()), "cmd")
    finally:
        signal.signal(signal.SIGINT, previous)
    assert multiprocessing.active_children() == []
    with open_store(location) as store:  # nothing holds the store
        assert store.record(run_result(rules, "2014-04", april_rows()), "cmd") == 1


def _fail_in_the_child(self: Store, *args: Any) -> None:
    if os.getpid() != PARENT:
        raise OperationalError("INSERT", {}, Exception("disk I/O error"))


def _die_in_the_child(self: Store, *args: Any) -> None:
    if os.getpid() != PARENT:
        os._exit(9)


@needs_fork
def test_a_store_error_in_the_child_is_raised_at_commit(
    location: str, rules: RuleSet, forking: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Store, "_insert", _fail_in_the_child)
    result = run_result(rules, "2014-04", april_rows())
    with Recording(location, result, "cmd") as pending, pytest.raises(StoreError) as error:
        pending.commit()
    where = open_store(location).where
    assert str(error.value) == f"cannot record the run in {where}: disk I/O error"
    assert counts(location)["runs"] == 0


@needs_fork
def test_a_child_that_dies_is_one_store_error(
    location: str, rules: RuleSet, forking: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Store, "_insert", _die_in_the_child)
    result = run_result(rules, "2014-04", april_rows())
    with Recording(location, result, "cmd") as pending, pytest.raises(StoreError) as error:
        pending.commit()
    assert str(error.value) == (
        "cannot record the run: the recording process stopped (exit code 9)"
    )
    assert counts(location)["runs"] == 0


@pytest.mark.parametrize("fork", [pytest.param(True, marks=needs_fork), False])
def test_a_report_that_fails_records_no_run(
    fork: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recording, "cores", lambda: 2)
    if not fork:
        monkeypatch.setattr(recording, "fork_context", lambda: None)

    def failing(path: Path, result: object) -> Path:
        raise OutputError(f"cannot write report {path}: disk full")

    monkeypatch.setattr("fivestar.report.build_report", failing)
    db = tmp_path / "runs.db"
    sample = Path(__file__).resolve().parents[2] / "sample_data" / "2014-04"
    with pytest.raises(OutputError, match="disk full"):
        evaluate_month("2014-04", [sample], out=tmp_path / "r.xlsx", record=True, db=db)
    # the recorder, stopped at once, may have made the file before its tables: no run either way
    assert not db.exists() or tables(db) == set() or counts(str(db))["runs"] == 0
    monkeypatch.undo()
    result = evaluate_month("2014-04", [sample], out=tmp_path / "r.xlsx", record=True, db=db)
    assert result.run_id == 1
    assert counts(str(db))["officers"] == 134


@pytest.mark.parametrize("fork", [pytest.param(True, marks=needs_fork), False])
def test_a_store_that_cannot_be_reached_stops_the_run_before_any_write(
    fork: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recording, "cores", lambda: 2)
    if not fork:
        monkeypatch.setattr(recording, "fork_context", lambda: None)
    folder = tmp_path / "a-folder.db"
    folder.mkdir()
    sample = Path(__file__).resolve().parents[2] / "sample_data" / "2014-04"
    report = tmp_path / "r.xlsx"
    with pytest.raises(StoreError) as error:
        evaluate_month("2014-04", [sample], out=report, record=True, db=folder)
    assert str(error.value) == f"cannot open results store {folder}: it is a folder"
    assert not report.exists()


@needs_fork
@pytest.mark.skipif(cores() < 2, reason="one core: everything runs in one process")
def test_the_store_is_reached_in_a_child_and_never_imported_here(tmp_path: Path) -> None:
    sample = Path(__file__).resolve().parents[2] / "sample_data" / "2014-04"
    code = (
        "import sys; from pathlib import Path; from fivestar.evaluate import evaluate_month; "
        f"r = evaluate_month('2014-04', [Path({str(sample)!r})], out=Path({str(tmp_path)!r}) "
        f"/ 'r.xlsx', record=True, db={str(tmp_path / 'runs.db')!r}); "
        "print(r.run_id, 'sqlalchemy' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=child_env()
    )
    assert done.stdout.split() == ["1", "False"]
    assert counts(str(tmp_path / "runs.db"))["officers"] == 134


@pytest.mark.parametrize("fork", [pytest.param(True, marks=needs_fork), False])
def test_a_run_that_stops_early_creates_no_store(
    fork: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recording, "cores", lambda: 2)
    if not fork:
        monkeypatch.setattr(recording, "fork_context", lambda: None)
    empty = tmp_path / "empty.csv"
    empty.write_text("警号,姓名\n", encoding="utf-8")
    db = tmp_path / "new.db"
    with pytest.raises(InputError, match="nothing to evaluate"):
        evaluate_month("2014-04", [empty], out=tmp_path / "r.xlsx", record=True, db=db)
    assert not db.exists()
    with pytest.raises(StoreError) as error:  # and the check names what is wrong
        evaluate_month("2014-04", [SAMPLE], out=tmp_path / "r.xlsx", record=True,
                       db=tmp_path / "no-such-folder" / "x.db")  # fmt: skip
    assert str(error.value).endswith("x.db: no such folder")
    assert not (tmp_path / "r.xlsx").exists()


def test_nothing_is_locked_while_the_run_waits_to_be_committed(
    location: str, backend: str, rules: RuleSet
) -> None:
    """The officers and outcomes are staged before the run's lock: while the report is
    written, other clerks can record their runs."""
    free: list[bool] = []

    def another_writer_can_record() -> None:
        if backend == "sqlite":
            other = sqlite3.connect(location, timeout=0, isolation_level=None)
            try:
                other.execute("BEGIN IMMEDIATE")  # SQLite's write lock, not waited for
                other.execute("ROLLBACK")
                free.append(True)
            except sqlite3.OperationalError:
                free.append(False)
            finally:
                other.close()
        else:
            engine = create(locate(location))
            try:
                with engine.connect() as conn:
                    key = {"key": RUN_LOCK}
                    got = conn.execute(text("SELECT pg_try_advisory_xact_lock(:key)"), key)
                    free.append(bool(got.scalar()))
            finally:
                engine.dispose()
        assert counts(location)["officers"] == 0  # staged rows are nobody else's to see

    with open_store(location) as store:
        run_id = store.record(
            run_result(rules, "2014-04", april_rows()), "cmd", when_ready=another_writer_can_record
        )
    assert (run_id, free) == (1, [True])
    assert counts(location)["officers"] == 9
    assert counts(location)["outcomes"] == 45


def test_where_nothing_can_be_staged_the_rows_are_inserted_under_the_lock(
    location: str, rules: RuleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A role without the right to create temporary tables: the run is still recorded."""
    real = writing.executemany

    def refused(conn: Any, target: Any, run_id: int, rows: list[Any]) -> None:
        if target.name.startswith("stage_"):
            raise OperationalError("INSERT", {}, Exception("permission denied"))
        real(conn, target, run_id, rows)

    monkeypatch.setattr(writing, "executemany", refused)
    result = run_result(rules, "2014-04", april_rows())
    with open_store(location) as store:
        assert store.record(result, "cmd", when_ready=lambda: None) == 1
        monkeypatch.setattr(writing, "executemany", real)
        assert store.record(result, "cmd") == 2
    staged, plain = execute(location, ROWS.format(run=1), ROWS.format(run=2))
    assert len(staged) == 45
    assert staged == plain


def tables(db: Path) -> set[str]:
    with contextlib.closing(sqlite3.connect(db)) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {name for (name,) in rows}
