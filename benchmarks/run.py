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
Targets are printed beside the ratios; nothing is asserted.

Memory of (a) is measured in one more run of (a) after the timed ones (sampling would perturb
the timings on two cores). (a) is a tree of processes on POSIX: files are read in forked
workers, and the run is recorded in a forked child while the parent writes the report. Every
10 ms a wrapper sums the PSS (proportional set size, /proc/PID/smaps_rollup) of (a) and all
its descendants; a page shared copy-on-write by n processes counts 1/n in each, so the sum
counts it once. The peak of that sum is the memory the whole run holds at once (a peak
shorter than 10 ms may be missed). Beside it: `getrusage(RUSAGE_CHILDREN).ru_maxrss` of the
same run, the peak resident set of the largest single process, which undercounts a tree.
Without /proc/PID/smaps_rollup (not Linux) only that figure exists, and the output says so.

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
from typing import Any

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
MONTH = "2014-04"

# Runs one command with its output discarded; prints wall seconds and exit code.
WRAPPER = """
import json, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
seconds = time.perf_counter() - start
sys.stderr.write(done.stderr.decode(errors="replace")[-2000:])
print(json.dumps({"seconds": seconds, "code": done.returncode}))
"""

# Runs one command with its output discarded, summing the PSS of its process tree every
# 10 ms; prints the peak sum (KiB; null without /proc/PID/smaps_rollup), the number of
# samples, wall seconds (sampled: not a timing), the ru_maxrss of its largest process (KiB)
# and the exit code. A process may end between being listed and being read: it is skipped
# (a zombie has no Pss line: 0).
SAMPLER = """
import json, os, resource, subprocess, sys, tempfile, time
INTERVAL = 0.01

def children(pid):
    found = []
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except (FileNotFoundError, ProcessLookupError):
        return found
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as file:
                found += [int(child) for child in file.read().split()]
        except (FileNotFoundError, ProcessLookupError):
            pass
    return found

def tree(root):
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo += children(pid)
    return pids

def pss_kib(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as file:
            for line in file:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0

sampling = os.path.exists(f"/proc/{os.getpid()}/smaps_rollup")
peak = samples = 0
with tempfile.TemporaryFile() as errors:
    start = due = time.perf_counter()
    child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=errors)
    while child.poll() is None:
        if not sampling:
            child.wait()
            break
        peak = max(peak, sum(pss_kib(pid) for pid in tree(child.pid)))
        samples += 1
        due += INTERVAL
        time.sleep(max(0.0, due - time.perf_counter()))
    seconds = time.perf_counter() - start
    errors.seek(0)
    sys.stderr.write(errors.read().decode(errors="replace")[-2000:])
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
if sys.platform == "darwin":
    rss //= 1024  # bytes there, KiB on Linux
print(json.dumps({"pss_kib": peak if sampling else None, "samples": samples,
                  "seconds": seconds, "rss_kib": rss, "code": child.returncode}))
"""

# The target is 400 MB; compared in MiB, conservatively: 400 MB = 400e6 / 2**20 = 381.5 MiB,
# so the limit is 381 MiB.
MEMORY_LIMIT_MIB = 381

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

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


@dataclass
class Memory:
    """Of one run of (a): peak summed PSS of its process tree, peak RSS of its largest process."""

    tree_kib: int | None  # None: no /proc/PID/smaps_rollup here
    largest_kib: int
    samples: int
    seconds: float

    @property
    def tree_mib(self) -> float | None:
        return None if self.tree_kib is None else self.tree_kib / 1024

    @property
    def largest_mib(self) -> float:
        return self.largest_kib / 1024

    @property
    def judged_mib(self) -> float:
        """The figure the target is judged on: the tree's where there is one."""
        return self.largest_mib if self.tree_mib is None else self.tree_mib


def child_env() -> dict[str, str]:
    """The environment of measured commands: this checkout's src/ on the path if present."""
    env = dict(os.environ)
    if (SRC / "fivestar").is_dir():
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    return env


def wrapped(wrapper: str, command: Sequence[str], ok: Sequence[int]) -> dict[str, Any]:
    """What `wrapper` prints about one run of `command`, in a fresh process; exits if not ok."""
    done = subprocess.run(
        [sys.executable, "-c", wrapper, *command],
        capture_output=True,
        text=True,
        env=child_env(),
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if result["code"] not in ok:
        shown = " ".join(command)
        raise SystemExit(
            f"benchmark: exit code {result['code']} from: {shown}\n{done.stderr.strip()}"
        )
    return result


def measure(command: Sequence[str], ok: Sequence[int] = (0,)) -> float:
    """Wall seconds of one run of `command`, nothing sampled."""
    return float(wrapped(WRAPPER, command, ok)["seconds"])


def sample_memory(command: Sequence[str], ok: Sequence[int] = (0,)) -> Memory:
    """The memory of one run of `command` and its descendants (see SAMPLER)."""
    result = wrapped(SAMPLER, command, ok)
    tree = result["pss_kib"]
    return Memory(
        tree_kib=None if tree is None else int(tree),
        largest_kib=int(result["rss_kib"]),
        samples=int(result["samples"]),
        seconds=float(result["seconds"]),
    )


def _cores() -> str:
    """The machine's cores, and how many this run may use when that is fewer (taskset)."""
    total = os.cpu_count() or 1
    try:
        usable = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        usable = total
    return f"{total} cores" if usable == total else f"{total} cores ({usable} usable)"


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
        f"machine: {_cores()}, {memory} RAM, {platform.system()} "
        f"{platform.machine()}, Python {platform.python_version()}, pandas {pandas_v}, "
        f"python-calamine {calamine_v}, XlsxWriter {xlsxwriter_v}, openpyxl {openpyxl_v}"
    )


def generate(officers: int, files: int, folder: Path, as_csv: bool) -> None:
    command = [sys.executable, str(HERE / "generate.py")]
    command += ["--officers", str(officers), "--files", str(files), "--out", str(folder)]
    subprocess.run([*command, *(["--csv"] if as_csv else [])], check=True, stdout=sys.stdout)


def evaluate_command(data: Path, out: Path, db: Path) -> list[str]:
    command = [sys.executable, "-m", "fivestar", "evaluate", MONTH, str(data)]
    return [*command, "--out", str(out), "--db", str(db)]


# Exit codes of (a) that are a finished run: 1, the generated files hold a few bad rows.
EVALUATE_OK = (0, 1)


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
        evaluate = evaluate_command(data, work / f"report-{run}.xlsx", work / f"{run}.db")
        steps: list[tuple[Timing, list[str], Sequence[int]]] = [
            (fivestar, evaluate, EVALUATE_OK),
            (floor, _bare(data, work / "floor.xlsx", reader, "xlsxwriter"), (0,)),
        ]
        if floor_csv is not None:
            steps.append((floor_csv, _bare(data, work / "floor.csv", "csv", "csv"), (0,)))
        if naive is not None:
            steps.append((naive, _bare(data, work / "naive.xlsx", "openpyxl", "openpyxl"), (0,)))
        shown = []
        for timing, command, ok in steps:
            seconds = measure(command, ok)
            timing.seconds.append(seconds)
            shown.append(f"{timing.label.split()[0]} {seconds:.2f}s")
        print(f"run {run}/{args.runs}: " + "  ".join(shown), flush=True)
    return timings


def _bare(data: Path, out: Path, reader: str, writer: str) -> list[str]:
    return [sys.executable, "-c", BARE, str(data), str(out), reader, writer]


def run_startup(runs: int = STARTUP_RUNS) -> list[Timing]:
    commands = {
        "fivestar --version": [sys.executable, "-m", "fivestar", "--version"],
        "fivestar --help": [sys.executable, "-m", "fivestar", "--help"],
        'python -c "import typer"': [sys.executable, "-c", "import typer"],
    }
    timings = {label: Timing(label) for label in commands}
    for _ in range(runs):
        for label, command in commands.items():
            timings[label].seconds.append(measure(command))
    return list(timings.values())


def run_memory(data: Path, work: Path) -> Memory:
    """One more run of (a), after the timed ones, with its process tree sampled."""
    command = evaluate_command(data, work / "report-memory.xlsx", work / "memory.db")
    memory = sample_memory(command, EVALUATE_OK)
    print(f"memory run: {memory.seconds:.2f}s, {memory.samples} samples", flush=True)
    return memory


def report_memory(memory: Memory, judge: bool) -> None:
    tree = memory.tree_mib
    if tree is None:
        print(
            "peak memory (a), process tree: not measured (no /proc/PID/smaps_rollup here); "
            "judged on the largest single process instead, which undercounts a tree"
        )
    else:
        print(f"peak memory (a), process tree, sum of PSS sampled every 10 ms: {tree:.0f} MiB")
    print(f"largest single process (ru_maxrss): {memory.largest_mib:.0f} MiB")
    if judge:
        peak = memory.judged_mib
        met = "met" if peak <= MEMORY_LIMIT_MIB else "NOT met"
        print(f"peak memory (a) = {peak:.0f} MiB  (target ≤ 400 MB: {met})")


def report(
    args: argparse.Namespace, timings: list[Timing], memory: Memory, startup: list[Timing]
) -> None:
    kind = "CSV" if args.csv else "xlsx"
    print()
    print(f"officers: {args.officers}, files: {args.files} {kind}, runs: {args.runs} (medians)")
    print(machine())
    for timing in timings:
        print(f"{timing.label:<44} {timing.median:8.2f} s")
    fivestar, floor = timings[0], timings[1]
    limit = 2.0 if args.csv else 1.5
    a_b = fivestar.median / floor.median
    print(f"a/b = {a_b:.2f}  (target ≤ {limit:g}: {'met' if a_b <= limit else 'NOT met'})")
    naive = next((t for t in timings if t.label.startswith("(c)")), None)
    if naive is not None:
        c_a = naive.median / fivestar.median
        print(f"c/a = {c_a:.2f}  (target ≥ 2: {'met' if c_a >= 2 else 'NOT met'})")
    report_memory(memory, judge=not args.csv)  # the target is for .xlsx input
    if startup:
        typer = startup[-1]
        print(f"start-up, median of {args.startup_runs}:")
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
        "--startup-runs", type=int, default=STARTUP_RUNS, help="start-up runs per command"
    )
    parser.add_argument(
        "--data", type=Path, help="use (or generate once into) this folder instead of a temp one"
    )
    args = parser.parse_args(argv)
    if args.runs < 1 or args.startup_runs < 1:
        parser.error("--runs and --startup-runs must be at least 1")
    with tempfile.TemporaryDirectory(prefix="fivestar-bench-") as temp:
        work = Path(temp)
        data = args.data or work / "data"
        if not (data.is_dir() and any(data.iterdir())):
            generate(args.officers, args.files, data, args.csv)
        timings = run_evaluations(args, data, work)
        memory = run_memory(data, work)
        startup = [] if args.skip_startup else run_startup(args.startup_runs)
    report(args, timings, memory, startup)
    return 0


if __name__ == "__main__":
    sys.exit(main())
