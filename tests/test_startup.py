"""Start-up stays light: `fivestar --version` and `--help` import no data or Excel library.

Timing is measured by benchmarks/run.py, never asserted here; this test guards the cause of a
slow start, a heavy import at module level of the CLI.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

HEAVY = ("pandas", "numpy", "python_calamine", "xlsxwriter", "openpyxl", "pydantic")
FORBIDDEN = {"pandas", "numpy", "python_calamine", "xlsxwriter", "openpyxl"}

# Runs the CLI as `fivestar ARG` would, then names the heavy modules it left imported.
PROBE = f"""
import sys
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
