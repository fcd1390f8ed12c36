"""The end of a recorded run (issue 12): the reports are built, the run committed, then the
reports moved into place. A commit that fails changes no file (exit 2 changes nothing); a
move that fails after the commit says the run is recorded and how to write its report.

On every backend, forked recorder or not.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from fivestar.errors import OutputError
from fivestar.report import workbook
from fivestar.store import backend, recording
from fivestar.store.store import Store
from tests.conftest import run_cli
from tests.store.conftest import counts

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "2014-04"
COUNTIES = 6  # the sample's files, each a county report with --per-file


def _evaluate(location: str, out: Path, *extra: str) -> tuple[int, str, str]:
    return run_cli("evaluate", "2014-04", SAMPLE, "--out", out, "--db", location, *extra)


def _folder(out: Path) -> dict[str, bytes]:
    """Every file beside the report, hidden temporaries included, with its bytes."""
    return {p.name: p.read_bytes() for p in out.parent.iterdir() if p.is_file() and p.suffix}


def _hidden(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith("."))


@pytest.fixture(params=["fork", "here"])
def recorder(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(recording, "cores", lambda: 2)
    if request.param == "here" or recording.fork_context() is None:
        monkeypatch.setattr(recording, "fork_context", lambda: None)
    return str(request.param)


def _refused(*args: Any) -> None:
    raise OperationalError("INSERT", {}, Exception("disk is full"))


@pytest.mark.usefixtures("english")
def test_a_commit_that_fails_leaves_every_report_as_it_was(
    april_per_file: str, recorder: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    location = april_per_file  # evaluated with --per-file, its reports in reports/
    out = tmp_path / "reports" / "r.xlsx"
    before = _folder(out)
    assert len(before) == 1 + COUNTIES
    runs = counts(location)["runs"]

    monkeypatch.setattr(Store, "_insert", _refused)  # the commit fails, in the recorder too
    code, _, stderr = _evaluate(location, out, "--per-file")

    assert code == 2
    assert stderr.count("\n") == 1 and "disk is full" in stderr, stderr
    assert _folder(out) == before  # the reports keep their bytes, no new file
    assert _hidden(out) == []  # the built reports are removed, not left beside them
    assert counts(location)["runs"] == runs


def test_a_commit_that_fails_writes_no_new_report(
    location: str, recorder: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Store, "_insert", _refused)
    code, _, _ = _evaluate(location, tmp_path / "r.xlsx")
    assert code == 2
    assert list(tmp_path.glob("*r*.xlsx")) == [] and _hidden(tmp_path / "r.xlsx") == []


@pytest.mark.usefixtures("english")
def test_a_locked_sqlite_store_changes_no_report(
    recorder: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real "database is locked": another writer holds SQLite's write lock past the busy
    timeout (shortened here) while the run wants to commit."""
    db, out = tmp_path / "store.db", tmp_path / "r.xlsx"
    assert _evaluate(str(db), out)[0] == 0
    before = out.read_bytes()
    monkeypatch.setattr(backend, "BUSY_SECONDS", 0.3)
    other = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        code, _, stderr = _evaluate(str(db), out)
    finally:
        other.close()
    assert code == 2
    assert stderr == f"fivestar: error: cannot record the run in {db}: database is locked\n"
    assert out.read_bytes() == before
    assert _hidden(out) == []
    assert counts(str(db))["runs"] == 1


@pytest.mark.usefixtures("english")
def test_a_move_that_fails_after_the_commit_names_the_recorded_run(
    location: str, recorder: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = workbook.put_in_place

    def county_refused(temp: Path, path: Path, what: str = "report") -> None:
        if path.name != "r.xlsx":
            workbook.discard(temp)
            raise OutputError(f"cannot write report {path}: Permission denied")
        real(temp, path, what)

    monkeypatch.setattr(workbook, "put_in_place", county_refused)
    out = tmp_path / "r.xlsx"
    code, _, stderr = _evaluate(location, out, "--per-file")

    assert code == 1  # evaluated and recorded: not exit 2, which would say nothing changed
    assert stderr.count("\n") == 1, stderr
    assert "Permission denied" in stderr
    assert "run 1 is recorded" in stderr
    assert "fivestar report --run 1 --out" in stderr
    assert counts(location)["runs"] == 1
    assert out.exists()  # the combined report was put in place before the county's failed
    assert list(tmp_path.glob("r-*.xlsx")) == []
    assert _hidden(out) == []  # the county reports not moved are removed


def test_the_command_the_error_names_writes_the_runs_report(
    location: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(temp: Path, path: Path, what: str = "report") -> None:
        workbook.discard(temp)
        raise OutputError(f"cannot write report {path}: Permission denied")

    monkeypatch.setattr(workbook, "put_in_place", refused)
    out = tmp_path / "r.xlsx"
    assert _evaluate(location, out)[0] == 1
    monkeypatch.undo()
    code, _, stderr = run_cli("report", "--run", "1", "--out", out, "--db", location)
    assert (code, stderr) == (0, "")
    assert out.exists()


@pytest.mark.usefixtures("english")
def test_a_server_gone_before_the_commit_is_one_line_and_changes_no_report(
    location: str, backend: str, recorder: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL ends the run's connection (as a server stopped mid-run does) once the rows
    are staged: one line on stderr, no driver noise, the report as it was."""
    if backend != "postgresql":
        pytest.skip("a server to lose is PostgreSQL's")
    out = tmp_path / "r.xlsx"
    assert _evaluate(location, out)[0] == 0
    before = out.read_bytes()
    from sqlalchemy import text

    from fivestar.store import store as store_module
    from tests.store.conftest import pg_admin

    database = location.rsplit("/", 1)[1]
    real = store_module.lock_for_run

    def server_gone(conn: Any, kind: str) -> None:
        admin = pg_admin()
        try:
            with admin.connect() as other:
                other.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = :db AND pid <> pg_backend_pid()"
                    ),
                    {"db": database},
                )
        finally:
            admin.dispose()
        real(conn, kind)

    monkeypatch.setattr(store_module, "lock_for_run", server_gone)
    code, _, stderr = _evaluate(location, out)
    assert code == 2
    assert stderr.count("\n") == 1 and stderr.startswith("fivestar: error: "), stderr
    assert out.read_bytes() == before
    assert _hidden(out) == []
    assert counts(location)["runs"] == 1
