"""SIGKILL at random points: the previous report stays byte-identical, the store consistent.

A real `python -m fivestar evaluate` runs on a generated month large enough that writing the
report takes over a second. The run is recorded in a forked child while the report is
written, committed once the report is in place (fivestar.store.recording). Two kills:
the fivestar process alone, at a random moment while the report is built (its temporary
file exists) — the recording child must then roll back and leave; and the whole process
group, the recording child with it, at a random moment between the report's start and the
run's commit. Then: the report is the previous one byte for byte (or, when the kill came
late, the complete new one), `PRAGMA integrity_check` is ok, and every stored run is whole.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import openpyxl
import pytest
from hostile_builders import MONTH, good_rows, write_xlsx
from hostile_run import command

OFFICERS = 3000
KILLS = 3  # per phase; each takes a few seconds


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_xlsx(tmp_path_factory.mktemp("kill") / "month.xlsx", good_rows(OFFICERS))


def _start(source: Path, report: Path, db: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        command("evaluate", MONTH, source, "--out", report, "--db", db, "--json"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the recording child can be killed too
    )


def _writable(db: Path) -> None:
    """Wait until no one holds the store's write lock (an orphaned recorder has left)."""
    with sqlite3.connect(db, timeout=60) as conn:
        conn.execute("BEGIN IMMEDIATE")
        conn.rollback()


def _wait_for(condition: Callable[[], bool], child: subprocess.Popen[bytes]) -> bool:
    """Poll until `condition` holds (True) or the child has exited (False)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if condition():
            return True
        if child.poll() is not None:
            return False
        time.sleep(0.002)
    raise AssertionError("the run neither reached the point nor exited")


def _temps(folder: Path, report: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(f".{report.stem}-")]


def _new_temp(folder: Path, report: Path, before: set[Path]) -> bool:
    return bool(set(_temps(folder, report)) - before)


def _replaced(report: Path, inode: int) -> bool:
    return report.stat().st_ino != inode


def _store_is_consistent(db: Path) -> int:
    """integrity_check ok, and every run whole: its officers and inputs all there."""
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        runs = conn.execute("SELECT id, evaluated FROM runs ORDER BY id").fetchall()
        for run_id, evaluated in runs:
            officers = conn.execute(
                "SELECT count(*) FROM officers WHERE run_id = ?", (run_id,)
            ).fetchone()[0]
            inputs = conn.execute(
                "SELECT count(*) FROM inputs WHERE run_id = ?", (run_id,)
            ).fetchone()[0]
            assert (officers, inputs) == (evaluated, 1), (run_id, officers, inputs)
        return len(runs)


@pytest.fixture(scope="module")
def recorded(month: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One finished run of the month (its report and store), evaluated once for the module."""
    folder = tmp_path_factory.mktemp("baseline")
    report, db = folder / "report.xlsx", folder / "store.db"
    child = _start(month, report, db)
    assert child.wait(timeout=120) == 0
    return report, db


def _baseline(recorded: tuple[Path, Path], folder: Path) -> tuple[Path, Path]:
    """A copy of the recorded run in `folder`, for a test to kill runs over."""
    report, db = folder / "report.xlsx", folder / "store.db"
    shutil.copyfile(recorded[0], report)
    with sqlite3.connect(recorded[1]) as source, sqlite3.connect(db) as target:
        source.backup(target)  # whole, whatever its journal holds
    source.close()
    target.close()
    return report, db


def test_kill_while_the_report_is_written(
    month: Path, recorded: tuple[Path, Path], tmp_path: Path
) -> None:
    report, db = _baseline(recorded, tmp_path)
    rng = random.Random(int(os.environ.get("FIVESTAR_KILL_SEED", "7")))
    runs = _store_is_consistent(db)
    landed = 0
    for _ in range(KILLS):
        previous = report.read_bytes()
        before = set(_temps(tmp_path, report))
        child = _start(month, report, db)
        writing = _wait_for(partial(_new_temp, tmp_path, report, before), child)
        if writing:
            time.sleep(rng.uniform(0.0, 1.0))
        child.send_signal(signal.SIGKILL)  # fivestar alone: its recording child lives on
        child.wait()
        killed = child.returncode == -signal.SIGKILL and report.read_bytes() == previous
        if not killed:  # the run had finished: the new report is whole
            openpyxl.load_workbook(report, read_only=True).close()
        # a killed run may leave its temporary file, always with the report's hidden prefix
        for leftover in set(_temps(tmp_path, report)) - before:
            assert re.fullmatch(rf"\.{report.stem}-\w+\.(xlsx|parts)", leftover.name)
        _writable(db)  # the orphaned recorder has rolled back and left
        now = _store_is_consistent(db)
        # a run killed while its report was built is not recorded; a finished run is. The
        # run is committed before its report is moved into place (so that a failed commit
        # changes no report): a kill between the two leaves the run recorded, the report not
        if killed:
            assert now in (runs, runs + 1)
        elif child.returncode != -signal.SIGKILL:
            assert now == runs + 1
        else:  # killed after the move, before the process ended
            assert now == runs + 1
        runs = now
        landed += killed
    assert landed >= KILLS // 2, f"only {landed} of {KILLS} kills landed while writing"


def test_kill_the_whole_run_while_it_is_recorded(
    month: Path, recorded: tuple[Path, Path], tmp_path: Path
) -> None:
    report, db = _baseline(recorded, tmp_path)
    rng = random.Random(int(os.environ.get("FIVESTAR_KILL_SEED", "11")))
    runs = _store_is_consistent(db)
    landed = 0
    for _ in range(KILLS):
        before = set(_temps(tmp_path, report))
        child = _start(month, report, db)
        # the run is recorded while the report is written, committed after it
        if _wait_for(partial(_new_temp, tmp_path, report, before), child):
            time.sleep(rng.uniform(0.0, 1.0))
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        now = _store_is_consistent(db)
        assert now in (runs, runs + 1)  # the run is all there or not there at all
        landed += child.returncode == -signal.SIGKILL and now == runs
        runs = now
        openpyxl.load_workbook(report, read_only=True).close()
    assert landed, "no kill landed while the run was being recorded"


# Python installs its Ctrl-C handler only where SIGINT is not ignored, and a job started in
# the background of a non-interactive shell (as a CI step may be) inherits it ignored.
CTRL_C_ON = "import signal; signal.signal(signal.SIGINT, signal.default_int_handler)"


def test_ctrl_c_stops_the_whole_run_cleanly(
    month: Path, recorded: tuple[Path, Path], tmp_path: Path
) -> None:
    report, db = _baseline(recorded, tmp_path)
    runs = _store_is_consistent(db)
    landed = 0
    for _ in range(2):
        previous = report.read_bytes()
        before = set(_temps(tmp_path, report))
        child = subprocess.Popen(
            command("evaluate", MONTH, month, "--out", report, "--db", db, prelude=CTRL_C_ON),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        if _wait_for(partial(_new_temp, tmp_path, report, before), child):
            os.killpg(child.pid, signal.SIGINT)  # as the terminal does: to every process
        _, stderr = child.communicate(timeout=120)
        with pytest.raises(ProcessLookupError):  # no child of the run is left behind
            os.killpg(child.pid, 0)
        now = _store_is_consistent(db)
        if child.returncode == 130:
            landed += 1
            assert b"Traceback" not in stderr, stderr.decode(errors="replace")
            assert report.read_bytes() == previous
            assert not set(_temps(tmp_path, report)) - before  # the temporary file is removed
            assert now == runs
        runs = now
    assert landed, "Ctrl-C never came while the report was written"
