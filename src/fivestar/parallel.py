"""When fivestar may use a second process: reading files, recording the run beside the report.

Work is handed to forked children, which inherit what the parent has built (the officers,
the evaluation) without copying it. Fork is used only where it is safe: on Linux (Windows
has no fork; on macOS system libraries may crash in a forked child, which is why Python
stopped forking there by default), and when no other thread runs in this process (a forked
child would inherit their locks, possibly held). Everywhere else the same work runs in this
process, one step after another, with the same results.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from multiprocessing.context import ForkContext


def fork_context() -> ForkContext | None:
    """The fork start method on Linux when no other thread runs; else None."""
    if not sys.platform.startswith("linux"):
        return None
    if threading.active_count() != 1:
        return None
    return multiprocessing.get_context("fork")


def cores() -> int:
    """Cores this process may run on (a container's or taskset's limit included)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def ignore_interrupts() -> None:
    """First thing in a forked child: Ctrl-C is for fivestar itself, which then stops its
    children; a child that took it too would print a traceback of its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
