"""Start-up stays light: `fivestar --version` and `--help` import no data or Excel library.

Timing is measured by benchmarks/run.py, never asserted here; this test guards the cause of a
slow start, a heavy import at module level of the CLI.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

HEAVY = ("pandas", "numpy", "python_calamine", "xlsxwriter", "openpyxl", "pydantic")
FORBIDDEN = {"pandas", "numpy", "python_calamine", "xlsxwriter", "openpyxl"}

# Runs the CLI as `fivestar ARG` would, then names the heavy modules it left imported.
PROBE = f"""
import sys
from pathlib import Path
from fivestar.cli import main
sys.argv = ["fivestar", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
heavy = sorted(m for m in {HEAVY!r} if m in sys.modules)
print("heavy modules: " + ",".join(heavy))
"""


def heavy_modules(*argv: str) -> set[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("heavy modules:"), done.stdout + done.stderr
    return {name for name in last.removeprefix("heavy modules:").strip().split(",") if name}


@pytest.mark.parametrize("argv", [("--version",), ("--help",)])
def test_version_and_help_import_no_heavy_module(argv: tuple[str, ...]) -> None:
    assert heavy_modules(*argv) & FORBIDDEN == set()


def test_version_prints_the_version() -> None:
    from fivestar import __version__

    done = subprocess.run(
        [sys.executable, "-m", "fivestar", "--version"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == f"fivestar {__version__}"


# Windows' multiprocessing has no ForkContext (nor fork): every module must import without it,
# and an evaluation then runs one step after another.
WITHOUT_FORK = """
import multiprocessing.context, sys
del multiprocessing.context.ForkContext
from fivestar import parallel
parallel.fork_context = lambda: None  # as on Windows
from pathlib import Path
from fivestar.evaluate import evaluate_month
result = evaluate_month("2014-04", [Path(sys.argv[1])], out=Path(sys.argv[2]), record=True,
                        db=sys.argv[3])
print(result.run_id, len(result.evaluation.winners))
"""


def test_without_fork_every_module_imports_and_runs(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_FORK, str(ROOT / "sample_data" / "2014-04"),
         str(tmp_path / "r.xlsx"), str(tmp_path / "runs.db")],
        capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )  # fmt: skip
    assert done.stdout.split() == ["1", "11"], done.stderr
