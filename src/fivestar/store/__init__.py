"""The results store (SPEC §4) and the questions asked of it.

`open_store(location)` opens or creates the store — an SQLite file, or a PostgreSQL database
given as a postgresql://user@host/dbname URL; `Store.record(result, command_line)` writes a run
in one transaction; `star_ranking`, `explain`, `history` and `list_runs` read it, by default
a month's city-wide view (`fivestar.store.scope`). The store never imports typer or rich.
"""

from fivestar.store.history import History, OfficerYear, RunList, history, list_runs
from fivestar.store.queries import explain, star_ranking
from fivestar.store.results import Entry, Explanation, Report, StarRanking, Verdict
from fivestar.store.rows import RunInfo
from fivestar.store.scope import SCOPES, View, resolve_view
from fivestar.store.store import Store, migrate_store, open_store, probe_store, store_path

__all__ = [
    "SCOPES",
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
    "View",
    "explain",
    "history",
    "list_runs",
    "migrate_store",
    "open_store",
    "probe_store",
    "resolve_view",
    "star_ranking",
    "store_path",
]
