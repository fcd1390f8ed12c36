"""Domain errors in the CLI's words: only here does a message name a command-line flag.

The core raises errors with a message template and its facts (fivestar.errors); `words(err)`
is the one line the clerk reads, in the session's language, with every `Option` fact shown as
the flag typed (--out) and the few errors that advise a flag worded here. `err.code` is the
slug `--json` prints.
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
    Option,
    OutputRefused,
    RecordedError,
    StoreMissing,
    StrictRefused,
    UnknownEncoding,
)
from fivestar.i18n import N_, _

INTERRUPTED = "interrupted"
OUT_OF_MEMORY = "out-of-memory"
USAGE = "usage"


def flag(option: Option) -> str:
    """An option as the clerk typed it."""
    return f"--{option.name}"


def words(err: FivestarError) -> str:
    """The error's line in the session's language, flags named as the clerk typed them."""
    if isinstance(err, OutputRefused):
        return _refused(err)
    if isinstance(err, StrictRefused):
        return _strict(err)
    if isinstance(err, UnknownEncoding):
        return _("unknown encoding {encoding!r} for --encoding").format(encoding=err.encoding)
    if isinstance(err, RecordedError) and "run" in err.facts:
        return _(
            "{error}; run {run} is recorded in the results store: `fivestar report --run {run} "
            "--out FILE.xlsx` writes its rankings, evaluating again writes the whole report"
        ).format(error=err.facts["error"].render(option=flag), run=err.facts["run"])
    if isinstance(err, StoreMissing):
        if err.empty_database:
            line = _(
                "no results store in {where}: `fivestar evaluate` records one (or give --db "
                "PATH or URL)"
            )
        else:
            line = _(
                "no results store at {where}: `fivestar evaluate` records one (or give --db "
                "PATH or URL)"
            )
        return line.format(where=err.where)
    return err.said.render(option=flag)


def _strict(err: StrictRefused) -> str:
    first = err.issues[0]
    return _("--strict: {count} data issue(s), nothing written; first: {place}: {reason}").format(
        count=len(err.issues),
        place=first.place(),
        reason=first.words(),
    )


_OUT_SUBJECT = N_("--out {path}")
_SUBJECTS = {
    DEFAULT: N_("the report {path}"),
    PER_FILE: N_("--per-file: the county report {path}"),
}
_REFUSED = {
    NOT_XLSX: N_("{subject}: the report is an Excel workbook, name it .xlsx"),
    NOT_REGULAR: N_("{subject} is not a regular file: name another with --out"),
    NOT_OURS: N_(
        "{subject} would replace a file fivestar did not write: "
        "name another with --out, or move that file away first"
    ),
    FILLED_TEMPLATE: N_(
        "{subject} would replace a template that has been filled in: "
        "name another with --out, or move that file away first"
    ),
}


def _refused(err: OutputRefused) -> str:
    subject = _(_SUBJECTS.get(err.chosen_by, _OUT_SUBJECT)).format(path=err.path)
    template = _REFUSED.get(err.reason)
    if template is None:
        return _("{subject}: {message}").format(subject=subject, message=err.words())
    return _(template).format(subject=subject)
