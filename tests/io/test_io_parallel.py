"""Files read in forked workers give exactly what reading them here gives, in the same order.

`read_inputs` hands the files to a pool of forked workers when there are several cores and
enough input; these tests force the pool on (and off) and compare everything it returns.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from io_builders import assert_balanced, county_workbook, tidy_row, write_csv
from io_builders import write_xlsx as xlsx

from conftest import Reader
from fivestar.findings import Issue
from fivestar.io import InputBatch, inputs
from fivestar.parallel import fork_context
from tests.conftest import TIDY_HEADER

needs_fork = pytest.mark.skipif(fork_context() is None, reason="no fork on this platform")


class CountingPool(ProcessPoolExecutor):
    made = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        CountingPool.made += 1
        super().__init__(*args, **kwargs)


def _files(folder: Path) -> list[Path]:
    """Six files of every kind, with a 警号 in two of them and a bad value in one."""
    files = [county_workbook(folder / "county.xlsx")]
    for n in range(4):
        rows = [tidy_row(f"3714{n}{i:04d}", f"警{n}{i}", visits=60 + i) for i in range(40)]
        if n == 1:
            rows.append(tidy_row("371402001", "薛翠翠"))  # also in county.xlsx: duplicates
        if n == 2:
            rows.append(tidy_row("371409999", "错", visits="八十"))  # rejected
        files.append(xlsx(folder / f"{n}.xlsx", {"Sheet1": [TIDY_HEADER, *rows]}))
    files.append(write_csv(folder / "5.csv", [TIDY_HEADER, tidy_row("371450001", "甲")]))
    return files


def _pool(monkeypatch: pytest.MonkeyPatch, on: bool) -> None:
    """Two cores, and the pool used (on) or not whatever the input's size; pools counted."""
    monkeypatch.setattr(inputs, "PARALLEL_MIN_BYTES", 0 if on else 10**15)
    monkeypatch.setattr(inputs, "cores", lambda: 2)
    monkeypatch.setattr(inputs, "ProcessPoolExecutor", CountingPool)
    CountingPool.made = 0


def _read(
    read: Reader, files: list[Path], monkeypatch: pytest.MonkeyPatch, pool: bool
) -> InputBatch:
    _pool(monkeypatch, pool)
    batch = read(*files)
    assert CountingPool.made == (1 if pool else 0)
    return batch


@needs_fork
def test_forked_readers_give_what_reading_here_gives(
    tmp_path: Path, read: Reader, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _files(tmp_path)
    here = _read(read, files, monkeypatch, pool=False)
    forked = _read(read, files, monkeypatch, pool=True)
    pd.testing.assert_frame_equal(forked.officers, here.officers)
    assert forked.issues == here.issues
    assert forked.files == here.files
    assert_balanced(forked)
    # what makes the comparison worth something: the duplicate and the bad value are there
    reasons = [issue.reason for issue in forked.issues]
    assert sum("重复" in reason for reason in reasons) == 2
    assert [f.path for f in forked.files] == [str(f) for f in files]


READS: list[Path] = []  # where each read is logged, set by the test before the fork


def _dies_on_the_second(path: Path) -> str:
    """A reader that kills its process on 1.xlsx (as a crashing library would) — unless it
    runs in the test's own process, which must never happen. Every read is logged."""
    with READS[0].open("a") as log:
        log.write(path.name + "\n")
    if path.name == "1.xlsx":
        if os.getpid() == PARENT:
            pytest.fail("1.xlsx was read in-process")
        os._exit(3)
    return path.name


PARENT = os.getpid()


@needs_fork
def test_a_file_that_kills_its_reader_is_one_issue_and_the_rest_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pool(monkeypatch, on=True)
    monkeypatch.setattr(f"{__name__}.READS", [tmp_path / "reads.log"])
    files = [tmp_path / f"{n}.xlsx" for n in range(40)]
    ticks: list[str] = []
    results = inputs._read_files(
        files,
        _dies_on_the_second,  # type: ignore[arg-type]
        lambda path: ticks.append(path.name),
    )
    crashed = results[1]
    assert isinstance(crashed, inputs._FileResult)
    assert crashed.issue == Issue(
        file=str(files[1]), reason=inputs.CRASHED, code="reader-crashed", params={}
    )
    assert crashed.report.error == inputs.CRASHED
    assert crashed.sheets == []
    assert [results[0], *results[2:]] == [f.name for f in files if f.name != "1.xlsx"]
    assert ticks == [f.name for f in files]  # progress once per file, in order
    # the culprit is read twice (in the pool, then alone); no file more often; and not a
    # process for each file left after the crash. Before the broken pool is torn down the
    # surviving worker may finish its file and the queued ones (workers + 1): those results
    # are lost and read again, so up to 2 * workers + 1 reads more than files.
    reads = (tmp_path / "reads.log").read_text().split()
    assert reads.count("1.xlsx") == 2
    assert max(reads.count(f.name) for f in files) == 2
    workers = 2
    assert len(reads) <= len(files) + 2 * workers + 1
    assert CountingPool.made <= 6


SLOW_READS = """
import time
from pathlib import Path
from fivestar.io import inputs
inputs.PARALLEL_MIN_BYTES = 0
inputs.cores = lambda: 2
def slow(path):
    time.sleep(120)
inputs._read_files([Path(f"{n}.xlsx") for n in range(4)], slow, lambda path: None)
"""


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


@needs_fork
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc")
def test_readers_die_with_fivestar() -> None:
    src = Path(__file__).resolve().parents[2] / "src"
    child = subprocess.Popen(
        [sys.executable, "-c", SLOW_READS], env={**os.environ, "PYTHONPATH": str(src)}
    )
    deadline = time.monotonic() + 60
    while len(workers := _children(child.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(workers) == 2, "the readers were not forked"
    child.kill()  # SIGKILL: fivestar cannot stop them itself
    child.wait()
    while any(map(_running, workers)) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not any(map(_running, workers)), "a reader outlived fivestar"
