"""Run every benchmark and write the figures into benchmarks/RESULTS.md, with a chart.

Two inputs — the standard one and the tie-heavy one (`generate.py --ties`) — at each size
(2,000 → 200,000 officers, 12 .xlsx files). Per input and size, RUNS interleaved rounds of

  (a) fivestar   `python -m fivestar evaluate` end to end (read, evaluate, report, store)
  (b) floor      pandas `read_excel(engine="calamine")` + `to_excel(engine="xlsxwriter")`
  (c) naive      pandas with openpyxl to read and to write (up to --naive-max officers:
                 at 200,000 one run takes minutes)

and history.py (the read commands over a 12-month city store; PostgreSQL too when
$FIVESTAR_TEST_PG is set) unless --no-history.

then one more run of each with its process tree's memory sampled (sum of PSS every 10 ms,
see run.py). Medians of wall time, c/a and a/b, the load average before and after, and the
writer comparison of writers.py go into the section between the markers of RESULTS.md (the
rest of the file is kept); the chart goes to benchmarks/results.png. Needs matplotlib
(`pip install -e .[bench]`).

    python benchmarks/all.py                       # 2k, 20k, 200k; 3 runs
    python benchmarks/all.py --sizes 2000 20000 --runs 5 --data ~/bench-data
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import history as history_table  # benchmarks/history.py
import run as bench  # benchmarks/run.py

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
CHART = HERE / "results.png"
BEGIN, END = "<!-- all.py: begin -->", "<!-- all.py: end -->"
INPUTS = ("standard", "ties")
TOOLS = ("fivestar", "floor", "naive")


@dataclass
class Case:
    kind: str
    officers: int
    seconds: dict[str, list[float]] = field(default_factory=dict)
    memory_mib: dict[str, float] = field(default_factory=dict)

    def median(self, tool: str) -> float | None:
        found = self.seconds.get(tool)
        return statistics.median(found) if found else None


def data_folder(root: Path, kind: str, officers: int) -> Path:
    folder = root / f"{kind}-{officers}"
    if not (folder.is_dir() and any(folder.glob("*.xlsx"))):
        command = [sys.executable, str(HERE / "generate.py"), "--officers", str(officers)]
        command += ["--files", "12", "--out", str(folder)]
        subprocess.run([*command, *(["--ties"] if kind == "ties" else [])], check=True)
    return folder


def commands(data: Path, work: Path, naive: bool) -> dict[str, tuple[list[str], Sequence[int]]]:
    found = {
        "fivestar": (
            bench.evaluate_command(data, work / "report.xlsx", work / "run.db"),
            bench.EVALUATE_OK,
        ),
        "floor": (bench._bare(data, work / "floor.xlsx", "calamine", "xlsxwriter"), (0,)),
    }
    if naive:
        found["naive"] = (bench._bare(data, work / "naive.xlsx", "openpyxl", "openpyxl"), (0,))
    return found


def run_case(case: Case, data: Path, work: Path, runs: int, naive: bool) -> None:
    steps = commands(data, work, naive)
    for round_ in range(1, runs + 1):
        shown = []
        for tool, (command, ok) in steps.items():
            (work / "run.db").unlink(missing_ok=True)
            seconds = bench.measure(command, ok)
            case.seconds.setdefault(tool, []).append(seconds)
            shown.append(f"{tool} {seconds:.2f}s")
        print(f"{case.kind} {case.officers}: round {round_}/{runs}: " + "  ".join(shown))
    for tool, (command, ok) in steps.items():
        (work / "run.db").unlink(missing_ok=True)
        memory = bench.sample_memory(command, ok)
        case.memory_mib[tool] = memory.judged_mib
        print(f"{case.kind} {case.officers}: memory {tool} {memory.judged_mib:.0f} MiB")


def writers_comparison() -> str:
    done = subprocess.run(
        [sys.executable, str(HERE / "writers.py"), "--rows", "40000", "--runs", "3"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def chart(cases: list[Case]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (times, memory) = plt.subplots(1, 2, figsize=(11, 4.5))
    colours = {"fivestar": "#C00000", "floor": "#5B9BD5", "naive": "#7F7F7F"}
    for kind, style in zip(INPUTS, ("-", "--"), strict=True):
        for tool in TOOLS:
            points = [c for c in cases if c.kind == kind and c.median(tool) is not None]
            if not points:
                continue
            x = [c.officers for c in points]
            label = f"{tool} ({kind})"
            times.plot(x, [c.median(tool) for c in points], style, marker="o",
                       color=colours[tool], label=label)  # fmt: skip
            memory.plot(x, [c.memory_mib[tool] for c in points], style, marker="o",
                        color=colours[tool], label=label)  # fmt: skip
    for axes, title, unit in ((times, "wall time (median)", "s"), (memory, "peak memory", "MiB")):
        axes.set_xscale("log")
        axes.set_yscale("log")
        axes.set_xlabel("officers (12 .xlsx files)")
        axes.set_ylabel(unit)
        axes.set_title(title)
        axes.grid(True, which="both", alpha=0.3)
    memory.axhline(1024, color="black", linewidth=0.8, linestyle=":")
    memory.text(2000, 1100, "1 GiB", fontsize=8)
    times.legend(fontsize=7)
    figure.tight_layout()
    figure.savefig(CHART, dpi=110)


def section(
    cases: list[Case], runs: int, loads: tuple[str, str], writers: str, history: list[str]
) -> str:
    lines = [
        BEGIN,
        f"## All benchmarks (`python benchmarks/all.py`), {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        bench.machine(),
        "",
        f"Load average (1, 5, 15 min) before: {loads[0]}; after: {loads[1]} (2 cores: "
        "above 2 the measured commands shared the CPUs with other work; all three alike, "
        "being interleaved).",
        "",
        f"Medians of {runs} interleaved runs; memory: peak of the process tree (sum of PSS, "
        "one sampled run each).",
        "",
        "| input | officers | (a) fivestar | (b) floor | (c) naive | c/a (≥ 3) | a/b (≤ 1.0) "
        "| memory a / b / c (MiB) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for c in cases:
        a, b, n = (c.median(t) for t in TOOLS)
        shown = [f"{v:.2f} s" if v is not None else "–" for v in (a, b, n)]
        c_a = f"{n / a:.2f}" if a and n else "–"
        a_b = f"{a / b:.2f}" if a and b else "–"
        mem = " / ".join(f"{c.memory_mib[t]:.0f}" if t in c.memory_mib else "–" for t in TOOLS)
        lines.append(f"| {c.kind} | {c.officers:,} | {' | '.join(shown)} | {c_a} | {a_b} | {mem} |")
    lines += [
        "",
        "![time and memory against officers](results.png)",
        "",
        "Writers for the bulk table sheets (`python benchmarks/writers.py`):",
        "",
        "```",
        writers,
        "```",
    ]
    if history:
        lines += [
            "",
            "The store's read side over a year, 12 months × 20,000 officers, 34 runs "
            "(`python benchmarks/history.py`; medians, memory of one sampled run):",
            "",
            *history_table.HEADER,
            *history,
        ]
    lines.append(END)
    return "\n".join(lines)


def write_results(text: str) -> None:
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    if BEGIN in old and END in old:
        new = old[: old.index(BEGIN)] + text + old[old.index(END) + len(END) :]
    else:
        head, _, rest = old.partition("\n")
        new = f"{head}\n\n{text}\n{rest}"
    RESULTS.write_text(new, encoding="utf-8")


def load() -> str:
    try:
        return ", ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000, 200000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--naive-max", type=int, default=20000, help="largest size for (c)")
    parser.add_argument("--data", type=Path, default=Path.home() / ".cache" / "fivestar-bench")
    parser.add_argument("--work", type=Path, help="scratch folder (default: under --data)")
    parser.add_argument("--no-history", action="store_true", help="skip history.py")
    args = parser.parse_args(argv)
    work = args.work or args.data / "work"
    work.mkdir(parents=True, exist_ok=True)
    before = load()
    cases = []
    for officers in args.sizes:
        for kind in INPUTS:
            case = Case(kind, officers)
            data = data_folder(args.data, kind, officers)
            run_case(case, data, work, args.runs, naive=officers <= args.naive_max)
            cases.append(case)
    writers = writers_comparison()
    history = [] if args.no_history else history_table.run(runs=args.runs)
    after = load()
    chart(cases)
    write_results(section(cases, args.runs, (before, after), writers, history))
    print(f"wrote {RESULTS} and {CHART}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
