"""The read side of the results store: the questions a clerk asks of recorded runs.

`star_ranking`, `explain`, `history` and `list_runs` read the store (`fivestar.store`), by
default a month's city-wide view (`fivestar.queries.scope`), and re-judge it with the engine
where the rules need it; `gaps` words how far an officer is from a star. Nothing here writes.
"""

from fivestar.queries.history import History, OfficerYear, RunList, history, list_runs
from fivestar.queries.rankings import explain, star_ranking
from fivestar.queries.results import Entry, Explanation, Report, StarRanking, Verdict
from fivestar.queries.scope import SCOPES, View, resolve_view

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
