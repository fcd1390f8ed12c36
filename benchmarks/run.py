"""Time `fivestar evaluate` against the floor and the naive script, side by side.

Three ways through the same generated county files, each a fresh subprocess (imports count
the same for all), measured over several runs, medians printed:

  (a) fivestar   `python -m fivestar evaluate MONTH DIR --out X.xlsx --db Y.db`, end to end
  (b) floor      bare pandas: `read_excel(engine="calamine")` of every file (all sheets),
                 concatenated, and `to_excel(engine="xlsxwriter")` of one sheet with the same
                 rows and columns; with --csv: `read_csv` + the same `to_excel` (the report is
                 an .xlsx either way), and, for information, `read_csv` + `to_csv`
  (c) naive      the script a user would write: pandas with openpyxl to read and to write
                 (.xlsx only)

It also times `fivestar --version` and `fivestar --help` against `python -c "import typer"`.
Peak memory is the maximum resident set of the measured process, from getrusage in a fresh
wrapper process per run. Targets are printed beside the ratios; nothing is asserted.

    python benchmarks/run.py --officers 20000 --files 12 --runs 5
    python benchmarks/run.py --officers 200000 --files 12 --csv --runs 3 --skip-naive
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
MONTH = "2014-04"

# Runs one command with its output discarded; prints wall seconds, peak RSS (KiB), exit code.
WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
seconds = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
sys.stderr.write(done.stderr.decode(errors="replace")[-2000:])
print(json.dumps({"seconds": seconds, "rss_kib": rss, "code": done.returncode}))
"""

# (b) and (c): argv = folder, output, read engine ("calamine" | "openpyxl" | "csv"),
# write engine ("xlsxwriter" | "openpyxl" | "csv").
BARE = """
import sys
from pathlib import Path
import pandas as pd
folder, out, reader, writer = sys.argv[1:5]
frames = []
if reader == "csv":
    for path in sorted(Path(folder).glob("*.csv")):
        frames.append(pd.read_csv(path, encoding="utf-8-sig", dtype={"警号": str}))
else:
    for path in sorted(Path(folder).glob("*.xlsx")):
        # header=1: the title row above the header, as the counties export it
        frames += pd.read_excel(path, sheet_name=None, engine=reader, header=1).values()
table = pd.concat(frames, ignore_index=True)
if writer == "csv":
    table.to_csv(out, index=False)
else:
    table.to_excel(out, sheet_name="Sheet1", engine=writer, index=False)
"""

STARTUP_RUNS = 10


@dataclass
class Timing:
    label: str
    seconds: list[float] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak_mib(self) -> float:
        return max(self.rss_kib) / 1024


def child_env() -> dict[str, str]:
    """The environment of measured commands: this checkout's src/ on the path if present."""
    env = dict(os.environ)
    if (SRC / "fivestar").is_dir():
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    return env


def measure(command: Sequence[str], ok: Sequence[int] = (0,)) -> tuple[float, int]:
    """(seconds, peak RSS KiB) of one run of `command` in a fresh wrapper process."""
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, *command],
        capture_output=True,
        text=True,
        env=child_env(),
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if result["code"] not in ok:
        shown = " ".join(command)
        raise SystemExit(
            f"benchmark: exit code {result['code']} from: {shown}\n{done.stderr.strip()}"
        )
    return float(result["seconds"]), int(result["rss_kib"])


def machine() -> str:
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f"{pages / 2**30:.1f} GiB"
    except (ValueError, OSError, AttributeError):
        memory = "? GiB"
    versions = subprocess.run(
        [
            sys.executable,
            "-c",
            "from importlib.metadata import version as v; "
            "print(*(v(p) for p in ('pandas', 'XlsxWriter', 'openpyxl', 'python-calamine')))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    pandas_v, xlsxwriter_v, openpyxl_v, calamine_v = versions
    return (
        f"machine: {os.cpu_count()} cores, {memory} RAM, {platform.system()} "
        f"{platform.machine()}, Python {platform.python_version()}, pandas {pandas_v}, "
        f"python-calamine {calamine_v}, XlsxWriter {xlsxwriter_v}, openpyxl {openpyxl_v}"
    )


def generate(officers: int, files: int, folder: Path, as_csv: bool) -> None:
    command = [sys.executable, str(HERE / "generate.py")]
    command += ["--officers", str(officers), "--files", str(files), "--out", str(folder)]
    subprocess.run([*command, *(["--csv"] if as_csv else [])], check=True, stdout=sys.stdout)


def run_evaluations(args: argparse.Namespace, data: Path, work: Path) -> list[Timing]:
    """Interleave (a), (b), (c) run by run, so drift on the machine hits them alike."""
    fivestar = Timing("(a) fivestar evaluate")
    reader = "csv" if args.csv else "calamine"
    floor = Timing(f"(b) floor: {'read_csv' if args.csv else 'read_excel calamine'} + to_excel")
    timings = [fivestar, floor]
    floor_csv = Timing("(b') read_csv + to_csv (information)") if args.csv else None
    naive = None if args.csv or args.skip_naive else Timing("(c) naive: openpyxl read + write")
    timings += [t for t in (floor_csv, naive) if t is not None]
    for run in range(1, args.runs + 1):
        evaluate = [sys.executable, "-m", "fivestar", "evaluate", MONTH, str(data)]
        evaluate += ["--out", str(work / f"report-{run}.xlsx"), "--db", str(work / f"{run}.db")]
        steps: list[tuple[Timing, list[str], Sequence[int]]] = [
            (fivestar, evaluate, (0, 1)),  # 1: the generated files hold a few bad rows
            (floor, _bare(data, work / "floor.xlsx", reader, "xlsxwriter"), (0,)),
        ]
        if floor_csv is not None:
            steps.append((floor_csv, _bare(data, work / "floor.csv", "csv", "csv"), (0,)))
        if naive is not None:
            steps.append((naive, _bare(data, work / "naive.xlsx", "openpyxl", "openpyxl"), (0,)))
        shown = []
        for timing, command, ok in steps:
            seconds, rss = measure(command, ok)
            timing.seconds.append(seconds)
            timing.rss_kib.append(rss)
            shown.append(f"{timing.label.split()[0]} {seconds:.2f}s")
        print(f"run {run}/{args.runs}: " + "  ".join(shown), flush=True)
    return timings


def _bare(data: Path, out: Path, reader: str, writer: str) -> list[str]:
    return [sys.executable, "-c", BARE, str(data), str(out), reader, writer]


def run_startup() -> list[Timing]:
    commands = {
        "fivestar --version": [sys.executable, "-m", "fivestar", "--version"],
        "fivestar --help": [sys.executable, "-m", "fivestar", "--help"],
        'python -c "import typer"': [sys.executable, "-c", "import typer"],
    }
    timings = {label: Timing(label) for label in commands}
    for _ in range(STARTUP_RUNS):
        for label, command in commands.items():
            seconds, rss = measure(command)
            timings[label].seconds.append(seconds)
            timings[label].rss_kib.append(rss)
    return list(timings.values())


def report(args: argparse.Namespace, timings: list[Timing], startup: list[Timing]) -> None:
    kind = "CSV" if args.csv else "xlsx"
    print()
    print(f"officers: {args.officers}, files: {args.files} {kind}, runs: {args.runs} (medians)")
    print(machine())
    for timing in timings:
        extra = f"   peak RSS {timing.peak_mib:.0f} MiB" if timing.label.startswith("(a)") else ""
        print(f"{timing.label:<44} {timing.median:8.2f} s{extra}")
    fivestar, floor = timings[0], timings[1]
    limit = 2.0 if args.csv else 1.5
    a_b = fivestar.median / floor.median
    print(f"a/b = {a_b:.2f}  (target ≤ {limit:g}: {'met' if a_b <= limit else 'NOT met'})")
    naive = next((t for t in timings if t.label.startswith("(c)")), None)
    if naive is not None:
        c_a = naive.median / fivestar.median
        print(f"c/a = {c_a:.2f}  (target ≥ 2: {'met' if c_a >= 2 else 'NOT met'})")
    if not args.csv:
        rss = fivestar.peak_mib
        print(f"peak RSS (a) = {rss:.0f} MiB  (target ≤ 400: {'met' if rss <= 400 else 'NOT met'})")
    if startup:
        typer = startup[-1]
        print(f"start-up, median of {STARTUP_RUNS}:")
        for timing in startup:
            ratio = timing.median / typer.median
            print(f"  {timing.label:<28} {timing.median:6.3f} s   ×{ratio:.2f} of import typer")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=20000)
    parser.add_argument("--files", type=int, default=12)
    parser.add_argument("--csv", action="store_true", help="CSV input (no naive path)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-naive", action="store_true", help="do not time (c)")
    parser.add_argument("--skip-startup", action="store_true", help="do not time start-up")
    parser.add_argument(
        "--data", type=Path, help="use (or generate once into) this folder instead of a temp one"
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    with tempfile.TemporaryDirectory(prefix="fivestar-bench-") as temp:
        work = Path(temp)
        data = args.data or work / "data"
        if not (data.is_dir() and any(data.iterdir())):
            generate(args.officers, args.files, data, args.csv)
        timings = run_evaluations(args, data, work)
        startup = [] if args.skip_startup else run_startup()
    report(args, timings, startup)
    return 0


if __name__ == "__main__":
    sys.exit(main())
