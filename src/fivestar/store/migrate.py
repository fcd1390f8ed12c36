"""The schema version and the migrations, the same statements on every backend.

Migrations run in one write transaction under a lock (SQLite's write lock, a PostgreSQL
advisory lock), so that two clerks opening a new store at once do not both create it.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, delete, func, insert, inspect, select

from fivestar.errors import StoreError, StoreMissing
from fivestar.i18n import N_
from fivestar.store.backend import Location, lock_for_migration, write_options
from fivestar.store.schema import LATEST, MIGRATIONS, SCHEMA_VERSION

_NOT_OURS = {
    "sqlite": N_("{where} is an SQLite database but not a fivestar results store"),
    "postgresql": N_("{where} is a PostgreSQL database but not a fivestar results store"),
}


def schema_version(conn: Connection, where: Location) -> int:
    """The store's schema version; 0 for an empty database; refuses someone else's."""
    tables = set(inspect(conn).get_table_names())
    if "schema_version" not in tables:
        if tables:
            raise StoreError(_NOT_OURS[where.kind], where=where.where)
        return 0
    value = conn.execute(select(func.max(SCHEMA_VERSION.c.version))).scalar()
    return int(value or 0)


def refuse_newer(current: int, where: Location) -> None:
    if current > LATEST:
        raise StoreError(
            N_(
                "{where} was written by a newer fivestar (schema version {current}; this one "
                "knows up to {latest}): upgrade fivestar to read it"
            ),
            where=where.where,
            current=current,
            latest=LATEST,
        )


def migrate(
    engine: Engine, where: Location, *, create: bool = True, upgrade: bool = True
) -> tuple[int, int]:
    """Bring the schema to LATEST; refuse a newer store. Returns (version found, version
    now). With `create=False` an empty database is not made a store (the read commands do
    not create one); with `upgrade=False` an older schema is refused, not upgraded: a read
    command never writes (a role that may only read could not, and a clerk looking at
    results must not change the store), `evaluate` or `fivestar migrate` upgrades it."""
    with engine.connect() as conn:
        current = schema_version(conn, where)
    refuse_newer(current, where)
    if current == LATEST:
        return current, current
    if current == 0 and not create:
        raise StoreMissing(where.where, empty_database=True)
    if not upgrade:
        raise StoreError(
            N_(
                "{where} is a results store of an older fivestar (schema version {current}; "
                "this one reads {latest}): upgrade it once with `fivestar migrate` (or record "
                "a run with `fivestar evaluate`)"
            ),
            where=where.where,
            current=current,
            latest=LATEST,
        )
    found = current
    with engine.connect() as conn:
        conn.execution_options(**write_options())
        with conn.begin():
            lock_for_migration(conn, where.kind)
            current = schema_version(conn, where)
            refuse_newer(current, where)
            for version in range(current + 1, LATEST + 1):
                for statement in MIGRATIONS[version - 1]:
                    conn.exec_driver_sql(statement)  # fixed DDL, no input in it
                conn.execute(delete(SCHEMA_VERSION))
                conn.execute(insert(SCHEMA_VERSION).values(version=version))
    return found, LATEST
