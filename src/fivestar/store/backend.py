"""Where the store lives and how to talk to it: an SQLite file or a PostgreSQL database.

Everything that differs between the two backends is here: reading `--db` / $FIVESTAR_DB,
creating the SQLAlchemy engine (SQLite: WAL, busy timeout and foreign keys set on every new
connection, `BEGIN IMMEDIATE` for writes; PostgreSQL: psycopg 3), the locks that serialize
writers, and turning a driver error into one line. The statements themselves are shared.
"""

from __future__ import annotations

import logging
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from fivestar.errors import Option, StoreError
from fivestar.i18n import N_

DEFAULT_NAME = "fivestar.db"
ENV = "FIVESTAR_DB"
BUSY_SECONDS = 30.0
CONNECT_SECONDS = 10
POSTGRES_SCHEMES = ("postgresql", "postgres")
# pg_advisory_xact_lock keys under which PostgreSQL migrations and run writers take turns
# (advisory locks need no privilege on the tables; they end with the transaction).
MIGRATION_LOCK = 0x66697665737461  # "fivesta"
RUN_LOCK = MIGRATION_LOCK + 1


@dataclass(frozen=True)
class Location:
    """A parsed `--db`: `where` is what messages show (a password is never shown)."""

    kind: str  # "sqlite" or "postgresql"
    where: str
    path: Path | None = None  # the SQLite file
    url: URL | None = None  # the PostgreSQL URL, driver set to psycopg


def store_path(location: str | Path | None) -> Path:
    """The SQLite store's file: `location`, else $FIVESTAR_DB, else ./fivestar.db."""
    return Path(_chosen(location))


def _chosen(location: str | Path | None) -> str:
    if location is not None and str(location) != "":
        return str(location)
    return os.environ.get(ENV) or DEFAULT_NAME


def locate(location: str | Path | None) -> Location:
    """`--db` (else $FIVESTAR_DB, else ./fivestar.db): a file path, or a postgresql:// URL."""
    chosen = _chosen(location)
    if isinstance(location, Path) or "://" not in chosen:
        return Location("sqlite", chosen, path=Path(chosen))
    try:
        url = make_url(chosen)
    except ArgumentError:
        raise StoreError(
            N_("{option} {chosen!r} is neither a file nor a database URL"),
            option=Option("db"),
            chosen=chosen,
        ) from None
    where = url.render_as_string(hide_password=True)
    scheme, _, driver = url.drivername.partition("+")
    if scheme == "sqlite" and url.database:
        return Location("sqlite", url.database, path=Path(url.database))
    if scheme in POSTGRES_SCHEMES and driver in ("", "psycopg"):
        if not url.database:
            raise StoreError(
                N_("{option} {where}: name the database, e.g. postgresql://user@host/db"),
                option=Option("db"),
                where=where,
            )
        return Location("postgresql", where, url=url.set(drivername="postgresql+psycopg"))
    raise StoreError(
        N_(
            "{option} {where}: the results store is an SQLite file or a "
            "postgresql://user@host/db URL"
        ),
        option=Option("db"),
        where=where,
    )


def create(location: Location) -> Engine:
    """The engine for a location; no connection is made yet."""
    quiet_drivers()
    if location.kind == "sqlite":
        assert location.path is not None
        url = URL.create("sqlite+pysqlite", database=str(location.path))
        engine = create_engine(url, connect_args={"timeout": BUSY_SECONDS})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    assert location.url is not None
    query = location.url.query
    args: dict[str, Any] = {"application_name": "fivestar"}
    if "connect_timeout" not in query:
        args["connect_timeout"] = CONNECT_SECONDS
    return create_engine(location.url, connect_args=args, pool_size=1, max_overflow=1)


def quiet_drivers() -> None:
    """What psycopg and SQLAlchemy log of an error they ignore (psycopg's `error ignored
    terminating <psycopg.Pipeline [BAD]>` when the server dies mid-write, the pool's failed
    rollback) goes nowhere: with no handler of its own, Python would print it on stderr
    around fivestar's one line. The error itself is raised, and said once."""
    for name in ("psycopg", "sqlalchemy"):
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    """Every new SQLite connection: no implicit BEGIN from the driver (the "begin" event
    issues its own), busy timeout, WAL, foreign keys. Switching a new file to WAL can report
    "locked" to a second opener without waiting on the busy handler, so that is retried."""
    dbapi_connection.isolation_level = None
    deadline = time.monotonic() + BUSY_SECONDS
    while True:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA foreign_keys = ON")
            return
        except Exception as err:
            busy = "locked" in str(err) or "busy" in str(err)
            if not busy or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
        finally:
            cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    """A write transaction takes SQLite's write lock up front (waiting up to the busy
    timeout), so that a read inside it can never be invalidated by another writer."""
    write = conn.get_execution_options().get("fivestar_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def write_options() -> dict[str, Any]:
    return {"fivestar_write": True}


def lock_for_migration(conn: Connection, kind: str) -> None:
    """Serialize migrations: SQLite's BEGIN IMMEDIATE already did; PostgreSQL takes an
    advisory lock held until the transaction ends."""
    if kind == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})


def lock_for_run(conn: Connection, kind: str) -> None:
    """Serialize writers of runs, so that run ids follow commit order (the latest run is the
    last one recorded) and a run id is never taken twice. Readers are not blocked."""
    if kind == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": RUN_LOCK})


def one_line(err: SQLAlchemyError) -> str:
    """A driver error as one line, without SQLAlchemy's statement echo and links."""
    cause = err.orig if isinstance(err, DBAPIError) and err.orig is not None else err
    message = " ".join(str(cause).split()).split("(Background on this error", 1)[0]
    message = message.removeprefix("connection failed: ").replace("FATAL: ", "")
    message = re.split(r" LINE \d+: ", message, maxsplit=1)[0]  # PostgreSQL's SQL excerpt
    return message.strip() or type(cause).__name__
