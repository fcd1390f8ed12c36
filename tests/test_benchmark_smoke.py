"""The benchmark kit runs: the generator writes county files, the benchmark script times them.

N = 200 officers in 2 files, one run, one start-up round, without the naive path: a check that
the scripts work and print their figures, not a measurement (no timing is asserted).
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

BENCHMARKS = ROOT / "benchmarks"


def run(*argv: str, timeout: float = 120) -> str:
    done = subprocess.run(
        [sys.executable, *argv], capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_generator_writes_county_files(tmp_path: Path) -> None:
    out = tmp_path / "csv"
    shown = run(
        str(BENCHMARKS / "generate.py"), "--officers", "200", "--files", "2", "--out", str(out),
        "--csv",
    )  # fmt: skip
    assert "wrote 2 CSV files, 200 officers" in shown
    files = sorted(out.glob("*.csv"))
    assert len(files) == 2
    lines = files[0].read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("警号,姓名,县局,派出所,警务室,岗位,月份,入户走访户数")
    assert any(line.startswith("合计") for line in lines)
    assert any(line.startswith("填表人") for line in lines)


def test_benchmark_prints_medians_ratios_and_startup(tmp_path: Path) -> None:
    data = tmp_path / "data"
    run(str(BENCHMARKS / "generate.py"), "--officers", "200", "--files", "2", "--out", str(data))
    assert len(list(data.glob("*.xlsx"))) == 2
    shown = run(
        str(BENCHMARKS / "run.py"), "--officers", "200", "--files", "2", "--runs", "1",
        "--skip-naive", "--startup-runs", "1", "--data", str(data),
    )  # fmt: skip
    for expected in (
        "run 1/1:",
        "officers: 200, files: 2 xlsx, runs: 1",
        "machine: ",
        "(a) fivestar evaluate",
        "(b) floor: read_excel calamine + to_excel",
        "a/b = ",
        "memory run: ",
        "largest single process (ru_maxrss): ",
        "fivestar --version",
        "fivestar --help",
        'python -c "import typer"',
        "start-up, median of 1:",
    ):
        assert expected in shown, shown
    assert "(c) naive" not in shown
    if Path("/proc/self/smaps_rollup").exists():
        tree = r"peak memory \(a\), process tree, sum of PSS sampled every 10 ms: \d+ MiB"
    else:
        tree = r"peak memory \(a\), process tree: not measured"
    assert re.search(tree, shown), shown
    target = r"peak memory \(a\) = \d+ MiB  \(target ≤ 400 MB: (met|NOT met)\)"
    assert re.search(target, shown), shown


def test_tie_heavy_input_caps_the_ranked_counts(tmp_path: Path) -> None:
    """--ties: the ranked counts stop at a ceiling that many officers reach (ties at the top)."""
    out = tmp_path / "ties"
    run(str(BENCHMARKS / "generate.py"), "--officers", "400", "--files", "1", "--out", str(out),
        "--csv", "--ties")  # fmt: skip
    with next(out.glob("*.csv")).open(encoding="utf-8-sig") as handle:
        rows = [r for r in csv.DictReader(handle) if r["警号"].isdigit()]
    visits = [int(r["入户走访户数"]) for r in rows if r["入户走访户数"].isdigit()]
    assert max(visits) == 100
    assert visits.count(100) >= 10  # hundreds at province scale
    for row in rows:
        if row["服务认可数"].isdigit() and row["服务群众次数"].isdigit():
            assert int(row["服务认可数"]) <= int(row["服务群众次数"]) <= 5


def test_history_benchmark_records_a_year_and_times_the_read_commands(tmp_path: Path) -> None:
    db = tmp_path / "year.db"
    shown = run(
        str(BENCHMARKS / "history.py"), "--officers", "240", "--runs", "1", "--generate",
        "--db", str(db), timeout=600,
    )  # fmt: skip
    rows = [line for line in shown.splitlines() if line.startswith("| sqlite |")]
    assert [row.split(" | ")[1] for row in rows] == ["history", "report", "explain"]
    assert all(re.search(r"\| \d+\.\d\d s \| [\d,]+ MiB \|", row) for row in rows)
