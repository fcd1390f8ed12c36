"""The store's read side at city scale: `history --year`, `report` and `explain` over a year.

`--generate` records a city store of 12 months × N officers (default 20,000) straight
through the library (no spreadsheets): ten months evaluated city-wide in one run, two
months county by county (12 runs each, so their city view merges runs and judges again),
34 runs in all, like the store issue 17 measured. One month carries an exclusion, so its
view is judged again too. Deterministic: the same arguments give the same store.

Then each command runs as a fresh subprocess, RUNS interleaved rounds (wall time, median),
and one more run each with its process tree's memory sampled (run.py's sampler):

    python benchmarks/history.py --db ~/.cache/fivestar-bench/history.db --generate
    python benchmarks/history.py --db postgresql://user@host/db --generate   # PostgreSQL

With no --db, a SQLite store under ~/.cache/fivestar-bench, and the PostgreSQL one named by
$FIVESTAR_TEST_PG too when set (a database `fivestar_bench_history` is made on that server).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import run as bench  # benchmarks/run.py

sys.path.insert(0, str(bench.SRC))

YEAR = 2014
COUNTIES = (
    "德城分局", "陵城分局", "禹城市局", "乐陵市局", "临邑县局", "平原县局",
    "夏津县局", "武城县局", "庆云县局", "宁津县局", "齐河县局", "开发区分局",
)  # fmt: skip
BY_COUNTY = {"2014-03", "2014-09"}  # months recorded county by county
EXCLUDED_MONTH = "2014-06"
OFFICER = "0000123"  # the officer explain asks about
TARGETS = {"history": (3.0, 300), "report": (2.0, None), "explain": (1.0, None)}
PG_DATABASE = "fivestar_bench_history"
CST = timezone(timedelta(hours=8))


def month_frame(month: str, officers: int, seed: int) -> object:
    """One month's canonical officer table (as the readers hand it to the engine)."""
    import numpy as np
    import pandas as pd

    from fivestar.columns import COUNT_KEYS, RATE_KEYS

    rng = np.random.default_rng(seed)
    n = officers
    ids = [f"{i:07d}" for i in range(n)]
    frame = pd.DataFrame(
        {
            "officer_id": ids,
            "name": [f"民警{i}" for i in range(n)],
            "bureau": [COUNTIES[i % len(COUNTIES)] for i in range(n)],
            "station": [f"派出所{i % 97}" for i in range(n)],
            "office": [f"警务室{i % 389}" for i in range(n)],
            "role": np.where(rng.random(n) < 0.05, "六进业务警种民警", "社区民警"),
            "month": month,
            "source_file": [f"{COUNTIES[i % len(COUNTIES)]}.xlsx" for i in range(n)],
            "source_sheet": "Sheet1",
            "source_row": pd.array(np.arange(n) // len(COUNTIES) + 3, dtype="Int64"),
        }
    )
    for key in COUNT_KEYS:
        frame[key] = rng.poisson(3, n).astype("int64")
    frame["visits"] = rng.integers(40, 130, n).astype("int64")
    frame["mediations_ok"] = np.minimum(frame["mediations_ok"], frame["mediations"])
    frame["followups_ok"] = np.minimum(frame["followups_ok"], frame["mediations_ok"])
    frame["services_ok"] = np.minimum(frame["services_ok"], frame["services"])
    for key in RATE_KEYS:
        frame[key] = np.round(rng.uniform(0.85, 1.0, n), 3).astype("float64")
    return frame


def generate(location: str, officers: int) -> None:
    """Record the year into a new store at `location`."""
    from fivestar.deciding import Exclusion, exclude
    from fivestar.engine import evaluate
    from fivestar.findings import FileReport
    from fivestar.model import RunResult
    from fivestar.rules.loader import rules_for_month
    from fivestar.store import open_store

    with open_store(location) as store:
        for m in range(1, 13):
            month = f"{YEAR}-{m:02d}"
            rules = rules_for_month(month)
            frame = month_frame(month, officers, seed=m)
            parts = (
                [frame[frame["bureau"] == c].reset_index(drop=True) for c in COUNTIES]
                if month in BY_COUNTY
                else [frame]
            )
            for i, part in enumerate(parts):
                evaluation = evaluate(rules, part, month)
                files = [FileReport("city.xlsx", "ab" * 32, "xlsx", len(part), len(part), 0, 0)]
                started = datetime(YEAR + (m == 12), m % 12 + 1, 2, 9, i, tzinfo=CST)
                result = RunResult(month, rules, evaluation, files, [], None, started=started)
                store.record(result, f"fivestar evaluate {month} city/", recorded=started)
            if month == EXCLUDED_MONTH:
                exclude(store, month, [Exclusion(OFFICER, "benchmark")], by="benchmark")
            print(f"recorded {month}", flush=True)


@dataclass
class Case:
    name: str
    command: list[str]
    seconds: list[float] = field(default_factory=list)
    memory: bench.Memory | None = None


def commands(location: str) -> list[Case]:
    base = [sys.executable, "-m", "fivestar"]
    return [
        Case("history", [*base, "history", "--year", str(YEAR), "--db", location, "--json"]),
        Case("report", [*base, "report", "--month", f"{YEAR}-12", "--db", location, "--json"]),
        Case("explain", [*base, "explain", OFFICER, "--month", f"{YEAR}-06", "--db", location]),
    ]


def measure(location: str, runs: int) -> list[Case]:
    cases = commands(location)
    for _ in range(runs):
        for case in cases:
            case.seconds.append(bench.measure(case.command))
    for case in cases:
        case.memory = bench.sample_memory(case.command)
    return cases


def table(backend: str, cases: list[Case]) -> list[str]:
    lines = []
    for case in cases:
        seconds = statistics.median(case.seconds)
        mib = case.memory.judged_mib if case.memory else float("nan")
        limit_s, limit_mib = TARGETS[case.name]
        target = f"≤ {limit_s:g} s" + (f", ≤ {limit_mib} MiB" if limit_mib else "")
        lines.append(f"| {backend} | {case.name} | {seconds:.2f} s | {mib:,.0f} MiB | {target} |")
    return lines


def locations(args: argparse.Namespace) -> list[tuple[str, str]]:
    if args.db:
        kind = "postgresql" if args.db.startswith("postgresql") else "sqlite"
        return [(kind, args.db)]
    folder = Path.home() / ".cache" / "fivestar-bench"
    folder.mkdir(parents=True, exist_ok=True)
    found = [("sqlite", str(folder / f"history-{args.officers}.db"))]
    server = os.environ.get("FIVESTAR_TEST_PG")
    if server:
        found.append(("postgresql", pg_database(server, fresh=args.generate)))
    return found


def pg_database(server: str, fresh: bool) -> str:
    """The benchmark's database on the server (made anew with --generate)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(server).set(drivername="postgresql+psycopg")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        there = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": PG_DATABASE}
        ).first()
        if fresh and there:
            conn.execute(text(f"DROP DATABASE {PG_DATABASE} WITH (FORCE)"))
        if fresh or not there:
            conn.execute(text(f"CREATE DATABASE {PG_DATABASE}"))
    admin.dispose()
    return make_url(server).set(database=PG_DATABASE).render_as_string(hide_password=False)


def run(
    officers: int = 20000, runs: int = 3, db: str | None = None, fresh: bool = False
) -> list[str]:
    """Generate (if asked, or missing) and measure; the Markdown table rows."""
    args = argparse.Namespace(officers=officers, runs=runs, db=db, generate=fresh)
    rows = []
    for backend, location in locations(args):
        missing = backend == "sqlite" and not Path(location).exists()
        if fresh or missing:
            if backend == "sqlite" and Path(location).exists():
                Path(location).unlink()
            generate(location, officers)
        rows += table(backend, measure(location, runs))
    return rows


HEADER = ["| store | command | median | memory (tree) | target |", "|---|---|---:|---:|---|"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", help="one store to measure (default: SQLite, and PostgreSQL)")
    parser.add_argument("--generate", action="store_true", help="record the store anew")
    args = parser.parse_args(argv)
    rows = run(args.officers, args.runs, args.db, args.generate)
    print("\n".join([*HEADER, *rows]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
