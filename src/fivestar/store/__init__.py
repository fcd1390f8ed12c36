"""The results store: persistence only (see docs/DESIGN.md, "The store and decisions").

`open_store(location)` opens or creates the store — an SQLite file, or a PostgreSQL database
given as a postgresql://user@host/dbname URL; `Store.record(result, command_line)` writes a run
in one transaction. The questions asked of it (rankings, explain, history, the city-wide view)
are `fivestar.queries`. The store never imports typer or rich.
"""

from fivestar.store.rows import RunInfo
from fivestar.store.store import Store, migrate_store, open_store, probe_store, store_path

__all__ = [
    "RunInfo",
    "Store",
    "migrate_store",
    "open_store",
    "probe_store",
    "store_path",
]
