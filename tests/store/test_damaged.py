"""A store that opens but holds a damaged value (issue 12): the read commands say, in one
line with exit 2, which run and what is damaged — never a pandas or pydantic traceback.
And what the database driver logs of an error it ignores never reaches stderr."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import run_cli
from tests.store.conftest import execute
from tests.store.test_store import child_env

READS = [("report",), ("explain", "V1"), ("history", "--year", "2014")]


def _one_line(command: tuple[str, ...], db: str) -> str:
    code, stdout, stderr = run_cli(*command, "--db", db)
    assert (code, stdout) == (2, ""), stderr
    assert stderr.count("\n") == 1, stderr
    assert "Traceback" not in stderr
    return stderr


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("command", READS, ids=[c[0] for c in READS])
def test_damaged_rules_name_the_run(db: str, command: tuple[str, ...]) -> None:
    execute(db, "UPDATE runs SET rules_model = '{' WHERE id = 3")
    stderr = _one_line(command, db)
    assert stderr.startswith("fivestar: error: the results store ")
    assert "is damaged: run 3: its stored rules cannot be read" in stderr


@pytest.mark.usefixtures("english")
def test_a_figure_that_is_not_a_number_names_the_run_officer_and_column(
    db: str, backend: str
) -> None:
    if backend != "sqlite":
        pytest.skip("PostgreSQL keeps an INTEGER column an integer")
    execute(db, "UPDATE officers SET visits = 'abc' WHERE run_id = 3 AND officer_id = 'V1'")
    stderr = _one_line(("report",), db)
    assert "is damaged: run 3, officers, officer V1: visits holds 'abc', not a number" in stderr


@pytest.mark.usefixtures("english")
def test_damaged_derived_figures_name_the_run_and_officer(db: str) -> None:
    execute(db, "UPDATE officers SET derived = '{x' WHERE run_id = 3 AND officer_id = 'V1'")
    stderr = _one_line(("report",), db)
    assert "is damaged: run 3, officers, officer V1: derived holds '{x', not JSON" in stderr


@pytest.mark.usefixtures("english")
def test_a_damaged_run_row_names_the_run(db: str, backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("PostgreSQL keeps an INTEGER column an integer")
    execute(db, "UPDATE runs SET rows_read = 'many' WHERE id = 2")
    stderr = _one_line(("runs",), db)
    assert "is damaged: run 2: runs row" in stderr


# What psycopg logs when the server dies under an open pipeline, said by the driver itself.
DRIVER_NOISE = """
import logging, sys
from fivestar.store import open_store
open_store(sys.argv[1]).close()
logging.getLogger("psycopg").warning("error ignored terminating %s", "<psycopg.Pipeline [BAD]>")
logging.getLogger("sqlalchemy.pool.impl.QueuePool").error("Exception during reset or similar")
"""


def test_what_the_driver_logs_is_not_printed(location: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", DRIVER_NOISE, location],
        capture_output=True, text=True, timeout=60, check=False, env=child_env(),
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (0, "")
