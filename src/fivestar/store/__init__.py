"""The results store: persistence only (see docs/DESIGN.md, "The store and decisions").

`open_store(location)` opens or creates the store — an SQLite file, or a PostgreSQL database
given as a postgresql://user@host/dbname URL; `Store.record(result, command_line)` writes a run
in one transaction. The questions asked of it (rankings, explain, history, the city-wide view)
are `fivestar.queries`. The store never imports typer or rich.

The names below are loaded on first use: `fivestar.store.recording` (the forked recorder)
must be importable by a run without loading SQLAlchemy into it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fivestar.store.rows import RunInfo
    from fivestar.store.store import Store, migrate_store, open_store, probe_store, store_path

_WHERE = {
    "RunInfo": "fivestar.store.rows",
    "Store": "fivestar.store.store",
    "migrate_store": "fivestar.store.store",
    "open_store": "fivestar.store.store",
    "probe_store": "fivestar.store.store",
    "store_path": "fivestar.store.store",
}

__all__ = [
    "RunInfo",
    "Store",
    "migrate_store",
    "open_store",
    "probe_store",
    "store_path",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_WHERE[name]), name)
