"""The read side of the results store: the questions a clerk asks of recorded runs.

`star_ranking`, `explain`, `history` and `list_runs` read the store (`fivestar.store`), by
default a month's city-wide view (`fivestar.queries.scope`), and re-judge it with the engine
where the rules need it; `gaps` words how far an officer is from a star. Nothing here writes.

The names below are loaded when first used: the report writers use `queries.gaps` alone, and
a run that records in a child process must not load the database driver for it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fivestar.queries.rankings import explain, star_ranking
    from fivestar.queries.results import Entry, Explanation, Report, StarRanking, Verdict
    from fivestar.queries.scope import SCOPES, View, resolve_view
    from fivestar.queries.year import History, OfficerYear, RunList, history, list_runs

_HOMES = {
    "year": ("History", "OfficerYear", "RunList", "history", "list_runs"),
    "rankings": ("explain", "star_ranking"),
    "results": ("Entry", "Explanation", "Report", "StarRanking", "Verdict"),
    "scope": ("SCOPES", "View", "resolve_view"),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _HOME_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{module}"), name)


__all__ = [
    "SCOPES",
    "Entry",
    "Explanation",
    "History",
    "OfficerYear",
    "Report",
    "RunList",
    "StarRanking",
    "Verdict",
    "View",
    "explain",
    "history",
    "list_runs",
    "resolve_view",
    "star_ranking",
]
