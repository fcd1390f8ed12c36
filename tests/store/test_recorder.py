"""Recording a run in a forked child while the report is written (fivestar.store.recorder).

The child writes the run inside its transaction and commits only on the parent's word:
a run is never visible before `commit()`, nothing is stored when the parent leaves without
it, and what is stored is what recording in this process stores.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from fivestar.errors import OutputError, StoreError
from fivestar.rules import RuleSet
from fivestar.run import evaluate_month
from fivestar.store import open_store, recorder
from fivestar.store.recorder import Recording
from fivestar.store.store import Store
from tests.store.builders import april_rows, run_result
from tests.store.conftest import counts, execute

needs_fork = pytest.mark.skipif(recorder.fork_context() is None, reason="no fork here")
PARENT = os.getpid()
ROWS = (
    "SELECT officer_id, star, star_order, eligible, qualified, failed, near_miss, reasons, "
    "star_rank, named, tied, named_for FROM outcomes WHERE run_id = {run} "
    "ORDER BY star_order, officer_id"
)


@pytest.fixture
def forking(location: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork even on a one-core machine; the store exists, as `evaluate` makes sure first."""
    monkeypatch.setattr(recorder, "cores", lambda: 2)
    open_store(location).close()


@needs_fork
def test_the_forked_run_is_invisible_until_commit_then_whole(
    location: str, rules: RuleSet, forking: None
) -> None:
    result = run_result(rules, "2014-04", april_rows())
    with Recording(location, result, "cmd") as recording:
        assert recording.forked
        assert counts(location)["runs"] == 0
        assert recording.commit() == 1
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
    with Recording(location, result, "cmd") as recording:
        assert recording.forked
        assert recording.commit() == 1
    monkeypatch.setattr(recorder, "fork_context", lambda: None)
    with Recording(location, result, "cmd") as recording:
        assert not recording.forked
        assert recording.commit() == 2
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
    with Recording(location, result, "cmd") as recording, pytest.raises(StoreError) as error:
        recording.commit()
    where = open_store(location).where
    assert str(error.value) == f"cannot record the run in {where}: disk I/O error"
    assert counts(location)["runs"] == 0


@needs_fork
def test_a_child_that_dies_is_one_store_error(
    location: str, rules: RuleSet, forking: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Store, "_insert", _die_in_the_child)
    result = run_result(rules, "2014-04", april_rows())
    with Recording(location, result, "cmd") as recording, pytest.raises(StoreError) as error:
        recording.commit()
    assert str(error.value) == (
        "cannot record the run: the recording process stopped (exit code 9)"
    )
    assert counts(location)["runs"] == 0


@pytest.mark.parametrize("fork", [pytest.param(True, marks=needs_fork), False])
def test_a_report_that_fails_records_no_run(
    fork: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recorder, "cores", lambda: 2)
    if not fork:
        monkeypatch.setattr(recorder, "fork_context", lambda: None)

    def failing(path: Path, result: object) -> None:
        raise OutputError(f"cannot write report {path}: disk full")

    monkeypatch.setattr("fivestar.report.write_report", failing)
    db = tmp_path / "runs.db"
    sample = Path(__file__).resolve().parents[2] / "sample_data" / "2014-04"
    with pytest.raises(OutputError, match="disk full"):
        evaluate_month("2014-04", [sample], out=tmp_path / "r.xlsx", record=True, db=db)
    assert counts(str(db))["runs"] == 0
    monkeypatch.undo()
    result = evaluate_month("2014-04", [sample], out=tmp_path / "r.xlsx", record=True, db=db)
    assert result.run_id == 1
    assert counts(str(db))["officers"] == 134
