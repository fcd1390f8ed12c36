"""Peak memory of a legitimate file just under the cell limit, and of whole runs by size.

Not a test (slow, minutes): the figures behind docs/RELIABILITY.md.

    PYTHONPATH=src python tests/hostile/measure_limits.py OUTDIR [--officers 20000 50000]

For each size it writes a CSV of that many officers (13 columns, long names with a
character outside the BMP, the costliest text for Python) and runs, each in a fresh
process: the reader alone (read_inputs), the reader and the engine, and the whole
`fivestar evaluate` (report and store included). Peak memory is the process's VmHWM.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from hostile_builders import HEADER, officer_row, write_csv
from hostile_run import fivestar

READER = """
import sys
from pathlib import Path
from fivestar.engine import evaluate
from fivestar.io import read_inputs
from fivestar.rules import rules_for_month
def peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1]) // 1024
rules = rules_for_month("2014-04")
batch = read_inputs([Path(sys.argv[1])], "2014-04", rules.aliases)
read = peak()
evaluate(rules, batch.officers, "2014-04")
print(len(batch.officers), read, peak())
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--officers", type=int, nargs="+", default=[20_000, 220_000])
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for count in args.officers:
        source = args.out / f"month-{count}.csv"
        rows = [HEADER, *(officer_row(n, name="测试民警" * 10 + "😀") for n in range(count))]
        write_csv(source, rows)
        started = time.monotonic()
        reader = subprocess.run(
            [sys.executable, "-c", READER, str(source)], capture_output=True, text=True, check=True
        )
        _, read_mib, engine_mib = reader.stdout.split()
        print(
            f"{count} officers, {count * len(HEADER)} cells: reader {read_mib} MiB, "
            f"+engine {engine_mib} MiB ({time.monotonic() - started:.1f} s)",
            flush=True,
        )
        run = fivestar(
            "evaluate", "2014-04", source, "--json", "--out", args.out / f"r-{count}.xlsx",
            "--db", args.out / f"s-{count}.db", timeout=1800,
        )  # fmt: skip
        print(
            f"  whole run under 1 GiB: exit {run.code}, {run.seconds:.1f} s, "
            f"peak {run.peak_mib:.0f} MiB{' (MemoryError)' if 'MemoryError' in run.stderr else ''}",
            flush=True,
        )


if __name__ == "__main__":
    main()
