"""Running `python -m fivestar` as a real subprocess under a time and a memory limit.

The memory limit is RLIMIT_AS (address space) of 1 GiB, set by the child itself before it
imports anything (a `-c` prelude, then `runpy` runs `fivestar` exactly as `-m` does; no
preexec_fn, which is unsafe with the threads that run jobs side by side):
the interpreter, numpy, pandas and calamine start in about 100 MB resident and well under
1 GiB of address space, so any input that would push the process past 1 GiB makes an
allocation fail instead of swapping the machine. Peak resident memory is measured per child
with wait4(2) and reported beside the wall time.

In CI the package is installed and the inherited environment is enough; from a checkout,
PYTHONPATH=src is inherited the same way.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

GiB = 1024 * 1024 * 1024
MEMORY_LIMIT = int(os.environ.get("FIVESTAR_TEST_MEMORY_LIMIT", GiB))
# A guard against a hang, not a speed measure (speed is measured in benchmarks/): a bomb
# that is not refused runs for minutes; a refused one takes seconds even on a loaded machine.
TIME_LIMIT = 120.0


@dataclass(frozen=True)
class Outcome:
    code: int  # exit code; negative: killed by that signal
    stdout: str
    stderr: str
    seconds: float
    peak_mib: float  # peak resident set size of the child
    timed_out: bool = False


_LAUNCH = """
import atexit, os, resource, runpy, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
def _peak(path=os.environ.pop("FIVESTAR_TEST_PEAK", "")):
    with open("/proc/self/status") as status, open(path, "w") as out:
        out.write(status.read())
if os.path.isdir("/proc/self") and _peak.__defaults__[0]:
    atexit.register(_peak)
{prelude}
sys.argv[0] = "fivestar"
runpy.run_module("fivestar", run_name="__main__", alter_sys=True)
"""


def command(*args: str | Path, prelude: str = "", limit: int = MEMORY_LIMIT) -> list[str]:
    """The argv of `python -m fivestar ARGS` with the memory limit set first."""
    script = _LAUNCH.format(limit=limit, prelude=prelude)
    return [sys.executable, "-c", script, *map(str, args)]


def fivestar(
    *args: str | Path,
    cwd: Path | None = None,
    timeout: float = TIME_LIMIT,
    env: dict[str, str] | None = None,
    prelude: str = "",
) -> Outcome:
    """`python -m fivestar ARGS`, under the limits; never raises on a timeout (it kills)."""
    started = time.monotonic()
    environment = dict(env if env is not None else os.environ)
    with tempfile.NamedTemporaryFile(prefix="peak-", delete=False) as handle:
        peak_file = Path(handle.name)
    environment["FIVESTAR_TEST_PEAK"] = str(peak_file)
    child = subprocess.Popen(
        command(*args, prelude=prelude),
        cwd=cwd,
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    out: list[bytes] = []
    err: list[bytes] = []
    readers = [
        threading.Thread(target=lambda: out.append(child.stdout.read())),  # type: ignore[union-attr]
        threading.Thread(target=lambda: err.append(child.stderr.read())),  # type: ignore[union-attr]
    ]
    for reader in readers:
        reader.start()
    timer = threading.Timer(timeout, lambda: _kill(child.pid))
    timer.start()
    try:
        _, status, usage = os.wait4(child.pid, 0)
    finally:
        timed_out = not timer.is_alive()
        timer.cancel()
    child.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join()
    return Outcome(
        code=child.returncode,
        stdout=b"".join(out).decode("utf-8", "replace"),
        stderr=b"".join(err).decode("utf-8", "replace"),
        seconds=time.monotonic() - started,
        peak_mib=_peak_mib(peak_file, usage.ru_maxrss),
        timed_out=timed_out,
    )


def _peak_mib(status: Path, maxrss_kib: int) -> float:
    """The child's peak resident set (VmHWM), which it wrote at exit; else wait4's maxrss.

    wait4's figure also counts the pages the child shared with this (large) test process
    between fork and exec, so VmHWM of the child's own address space is preferred.
    """
    try:
        text = status.read_text()
    except OSError:
        text = ""
    finally:
        status.unlink(missing_ok=True)
    for line in text.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return maxrss_kib / 1024


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def one_line_error(outcome: Outcome) -> bool:
    """stderr is at most one line and holds no traceback."""
    lines = [line for line in outcome.stderr.splitlines() if line.strip()]
    return len(lines) <= 1 and "Traceback" not in outcome.stderr


def run_all(jobs: Sequence[Callable[[], Outcome]], workers: int | None = None) -> list[Outcome]:
    """Run independent subprocess jobs a few at a time (each is mostly waiting on a child)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers or max(2, os.cpu_count() or 2)) as pool:
        return list(pool.map(lambda job: job(), jobs))
