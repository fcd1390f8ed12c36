"""Plain types shared by every layer; imports nothing of fivestar."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """The process's exit status: 2 promises that nothing changed."""

    OK = 0
    DATA_ISSUES = 1  # evaluated, with rows rejected or files unread
    FAILED = 2  # an error: nothing evaluated, nothing written
    INTERRUPTED = 130  # Ctrl-C, as a shell reports SIGINT
