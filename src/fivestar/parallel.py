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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # not defined on Windows
    from multiprocessing.context import ForkContext

_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def fork_context() -> ForkContext | None:
    """The fork start method on Linux when no other thread runs; else None."""
    if not sys.platform.startswith("linux"):
        return None
    if threading.active_count() != 1:
        return None
    context: ForkContext = multiprocessing.get_context("fork")
    return context


def cores() -> int:
    """Cores this process may run on (a container's or taskset's limit included)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def child_started(parent: int) -> None:
    """First thing in a forked child: leave Ctrl-C to fivestar, which then stops its
    children (a child that took it too would print a traceback of its own), and die with
    fivestar (a reader waiting for work would otherwise wait forever)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # held by `interrupts_held`
    import ctypes  # only ever needed here, in a child

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return
    prctl.argtypes = [ctypes.c_int, *[ctypes.c_ulong] * 4]
    if prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        return
    if os.getppid() != parent:  # fivestar died before the line above took effect
        os._exit(1)


@contextmanager
def interrupts_held() -> Iterator[None]:
    """Ctrl-C held back, not lost, for a moment: while children are forked (they must not
    take it before `child_started`), or a temporary file is created (and not yet known to
    the code that removes it). It is delivered when the block ends.

    Two holds, because either alone leaks: the signal mask is what a forked child inherits,
    but it is per thread, and the terminal's SIGINT goes to the process: with another thread
    running (rich's progress bar, a test runner's) that thread takes it and Python raises
    KeyboardInterrupt in the main thread at once. So in the main thread the handler is also
    swapped for one that only notes the interrupt, and the old one is called as the block
    ends."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no signal masks, and no fork
        yield
        return
    noted: list[int] = []
    previous = _swap_handler(noted)
    held = signal.pthread_sigmask(signal.SIG_BLOCK, [])  # the mask as it is, changed later
    try:  # so that an interrupt landing as SIGINT is blocked still restores the mask
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
            if noted:
                previous(signal.SIGINT, None)


_Handler = Callable[[int, FrameType | None], Any]


def _swap_handler(noted: list[int]) -> _Handler | None:
    """In the main thread, a SIGINT handler that notes the interrupt in `noted`; returns the
    handler it replaced when that is Python code (the default raises KeyboardInterrupt),
    None when nothing was swapped (another thread, or SIGINT ignored or left to the OS)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    previous = signal.getsignal(signal.SIGINT)
    if not callable(previous):
        return None
    signal.signal(signal.SIGINT, lambda signum, _frame: noted.append(signum))
    return previous
