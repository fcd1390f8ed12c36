"""The one error hierarchy. The CLI catches `FivestarError` once, at its entry, and words it.

Each error carries facts (fields) and a stable `code` slug, which `--json` prints; `str(err)`
is a message for library users that names no command-line flag (only `fivestar.cli` does).
Exit codes follow DESIGN.md §3: 2 means nothing was evaluated (bad usage, bad rules, no input).
Data problems in rows are not exceptions: they are `Issue` records in the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from fivestar.findings import Issue


class ExitCode(IntEnum):
    """How a command ends, as the shell sees it."""

    OK = 0  # done, nothing to report
    DATA_ISSUES = 1  # evaluated, with rejected rows or files
    FAILED = 2  # an error: nothing changed
    INTERRUPTED = 130  # Ctrl-C, as a shell reports SIGINT


class FivestarError(Exception):
    """Base class: a one-line, user-facing message."""

    exit_code: ClassVar[ExitCode] = ExitCode.FAILED
    code: ClassVar[str] = "error"


class UsageError(FivestarError):
    """Bad arguments: a month that does not parse, a path that is refused."""

    code = "usage"


class RulesError(FivestarError):
    """A rules file that cannot be loaded or does not validate."""

    code = "rules-invalid"


class InputError(FivestarError):
    """No input could be evaluated at all."""

    code = "no-input"


class OutputError(FivestarError):
    """A report or export could not be written."""

    code = "output-failed"


class RecordedError(OutputError):
    """The run is recorded in the store, but its report could not be put in place. Not
    exit 2, which promises that nothing changed: 1, the run was evaluated and kept."""

    exit_code = ExitCode.DATA_ISSUES
    code = "report-not-placed"


class StoreError(FivestarError):
    """The results store could not be opened, read or written."""

    code = "store-unavailable"


# Output paths: who chose the path, and why it is refused (the CLI names the flag).
OUT = "out"  # the user's --out
DEFAULT = "default"  # the report's default name
PER_FILE = "per-file"  # a county report of --per-file

NOT_XLSX = "not-xlsx"  # the report is a workbook: the name must end .xlsx
NOT_REGULAR = "not-regular"  # a pipe or a device
NOT_OURS = "not-ours"  # a file fivestar did not write
FILLED_TEMPLATE = "filled-template"  # a template someone has filled in

_REFUSALS = {
    NOT_XLSX: "the report is an Excel workbook, name it .xlsx",
    NOT_REGULAR: "is not a regular file",
    NOT_OURS: "would replace a file fivestar did not write",
    FILLED_TEMPLATE: "would replace a template that has been filled in",
}


class OutputRefused(UsageError):
    """A report path that would replace something of the user's (or is not a workbook)."""

    code = "output-refused"

    def __init__(self, path: Path, reason: str, chosen_by: str = OUT) -> None:
        self.path, self.reason, self.chosen_by = path, reason, chosen_by
        super().__init__(f"{path}: {_REFUSALS.get(reason, reason)}")


class StrictRefused(InputError):
    """Strict mode: rows were rejected, so nothing was written."""

    code = "strict-refused"

    def __init__(self, issues: Sequence[Issue]) -> None:
        self.issues = tuple(issues)
        super().__init__(f"{len(self.issues)} data issue(s) in strict mode, nothing written")


class UnknownEncoding(UsageError):
    """A text encoding Python does not know."""

    code = "unknown-encoding"

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        super().__init__(f"unknown encoding {encoding!r}")


class StoreMissing(StoreError):
    """No results store where one was to be read (nothing recorded there yet)."""

    code = "store-missing"

    def __init__(self, where: str, *, empty_database: bool = False) -> None:
        self.where, self.empty_database = where, empty_database
        at = "in" if empty_database else "at"
        super().__init__(f"no results store {at} {where}: `fivestar evaluate` records one")


class StoreDamaged(StoreError):
    """A stored value the store's own checks did not foresee."""

    code = "store-damaged"


class UnknownStar(UsageError):
    """A star named on the command line that the rules do not have."""

    code = "unknown-star"

    def __init__(self, name: str, known: Sequence[str], close: Sequence[str], context: str) -> None:
        self.name, self.known, self.close, self.context = name, tuple(known), tuple(close), context
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        super().__init__(f"no star {name!r} in {context}; stars: {', '.join(known)}{hint}")


def described(err: BaseException, limit: int = 200) -> str:
    """An unexpected exception as one line for a message: "Type: text", the text cut."""
    text = " ".join(str(err).split())[:limit]
    return f"{type(err).__name__}: {text}" if text else type(err).__name__
