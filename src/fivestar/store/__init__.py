"""The results store (SPEC §4) and the questions asked of it.

`open_store(location)` opens or creates the SQLite store; `Store.record(result, command_line)`
writes a run in one transaction; `star_ranking`, `explain`, `history` and `list_runs` read it.
The store never imports typer or rich.
"""

from fivestar.store.history import History, OfficerYear, RunList, history, list_runs
from fivestar.store.queries import explain, star_ranking
from fivestar.store.results import Entry, Explanation, Report, StarRanking, Verdict
from fivestar.store.rows import RunInfo
from fivestar.store.store import Store, open_store, store_path

__all__ = [
    "Entry",
    "Explanation",
    "History",
    "OfficerYear",
    "Report",
    "RunInfo",
    "RunList",
    "StarRanking",
    "Store",
    "Verdict",
    "explain",
    "history",
    "list_runs",
    "open_store",
    "star_ranking",
    "store_path",
]
