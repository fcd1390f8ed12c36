"""Times as a clerk reads them: the machine's zone, to the minute ("2026-12-03 21:44").

The store and `--json` keep ISO 8601 with the offset; what people read (workbooks, the
terminal) shows this.
"""

from __future__ import annotations

from datetime import datetime

SHOWN = "%Y-%m-%d %H:%M"


def local_time(at: datetime | str) -> str:
    """`at` (a datetime, or ISO text with or without offset) in local time, to the minute.

    A time without an offset is taken as already local; text that is not a time is shown
    as it is, never guessed at.
    """
    if isinstance(at, str):
        try:
            when = datetime.fromisoformat(at)
        except ValueError:
            return at
    else:
        when = at
    return (when.astimezone() if when.tzinfo else when).strftime(SHOWN)
