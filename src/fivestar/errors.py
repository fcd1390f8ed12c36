"""The one error hierarchy. The CLI catches `FivestarError` once and prints `str(err)`.

Exit codes follow DESIGN.md §3: 2 means nothing was evaluated (bad usage, bad rules, no input).
Data problems in rows are not exceptions: they are `Issue` records in the result.
"""

from __future__ import annotations


class FivestarError(Exception):
    """Base class: a one-line, user-facing message."""

    exit_code = 2


class UsageError(FivestarError):
    """Bad arguments: a month that does not parse, a path that is refused."""


class RulesError(FivestarError):
    """A rules file that cannot be loaded or does not validate."""


class InputError(FivestarError):
    """No input could be evaluated at all."""


class OutputError(FivestarError):
    """A report or export could not be written."""


class RecordedError(OutputError):
    """The run is recorded in the store, but its report could not be put in place. Not
    exit 2, which promises that nothing changed: 1, the run was evaluated and kept."""

    exit_code = 1


class StoreError(FivestarError):
    """The results store could not be opened, read or written."""


def described(err: BaseException, limit: int = 200) -> str:
    """An unexpected exception as one line for a message: "Type: text", the text cut."""
    text = " ".join(str(err).split())[:limit]
    return f"{type(err).__name__}: {text}" if text else type(err).__name__
