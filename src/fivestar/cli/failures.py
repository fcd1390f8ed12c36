"""Domain errors in the CLI's words: only here does a message name a command-line flag.

The core raises errors with fields (fivestar.errors); `words(err)` is the one line the clerk
reads, `err.code` the slug `--json` prints.
"""

from __future__ import annotations

from fivestar.errors import (
    DEFAULT,
    FILLED_TEMPLATE,
    NOT_OURS,
    NOT_REGULAR,
    NOT_XLSX,
    PER_FILE,
    FivestarError,
    OutputRefused,
    StoreMissing,
    StrictRefused,
    UnknownEncoding,
)

INTERRUPTED = "interrupted"
OUT_OF_MEMORY = "out-of-memory"
USAGE = "usage"

_ANOTHER = "name another with --out, or move that file away first"


def words(err: FivestarError) -> str:
    """The error's line, flags named as the clerk typed them."""
    if isinstance(err, OutputRefused):
        return _refused(err)
    if isinstance(err, StrictRefused):
        first = err.issues[0]
        place = ", ".join(
            [first.file]
            + ([f"sheet {first.sheet}"] if first.sheet else [])
            + ([f"row {first.row}"] if first.row is not None else [])
        )
        return (
            f"--strict: {len(err.issues)} data issue(s), nothing written; "
            f"first: {place}: {first.reason}"
        )
    if isinstance(err, UnknownEncoding):
        return f"unknown encoding {err.encoding!r} for --encoding"
    if isinstance(err, StoreMissing):
        at = "in" if err.empty_database else "at"
        return (
            f"no results store {at} {err.where}: `fivestar evaluate` records one "
            "(or give --db PATH or URL)"
        )
    return str(err)


def _refused(err: OutputRefused) -> str:
    path = err.path
    subject = {
        DEFAULT: f"the report {path}",
        PER_FILE: f"--per-file: the county report {path}",
    }.get(err.chosen_by, f"--out {path}")
    if err.reason == NOT_XLSX:
        return f"{subject}: the report is an Excel workbook, name it .xlsx"
    if err.reason == NOT_REGULAR:
        return f"{subject} is not a regular file: name another with --out"
    if err.reason == NOT_OURS:
        return f"{subject} would replace a file fivestar did not write: {_ANOTHER}"
    if err.reason == FILLED_TEMPLATE:
        return f"{subject} would replace a template that has been filled in: {_ANOTHER}"
    return f"{subject}: {err}"
