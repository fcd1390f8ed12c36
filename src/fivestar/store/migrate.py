"""Opening a store file: SQLite pragmas, the write transaction, and the schema migrations.

This is the SQLite-specific part of the store (a second backend replaces this module).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fivestar.errors import StoreError
from fivestar.store.schema import LATEST, MIGRATIONS

BUSY_SECONDS = 30.0


def prepare(conn: sqlite3.Connection, path: Path) -> None:
    """Pragmas and migrations. Switching a new file to WAL can report "locked" to a second
    opener without waiting on the busy handler, so that is retried up to the busy timeout."""
    deadline = time.monotonic() + BUSY_SECONDS
    while True:
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            migrate(conn, path)
            return
        except sqlite3.OperationalError as err:
            busy = "locked" in str(err) or "busy" in str(err)
            if not busy or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def schema_version(conn: sqlite3.Connection, path: Path) -> int:
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "schema_version" not in tables:
        if tables:
            raise StoreError(f"{path} is an SQLite database but not a fivestar results store")
        return 0
    row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Bring the schema to LATEST, under the write lock; refuse a newer store."""
    if schema_version(conn, path) == LATEST:
        return
    with transaction(conn):
        current = schema_version(conn, path)
        if current > LATEST:
            raise StoreError(
                f"{path} was written by a newer fivestar (schema version {current}; this one "
                f"knows up to {LATEST}): upgrade fivestar to read it"
            )
        for version in range(current + 1, LATEST + 1):
            for statement in MIGRATIONS[version - 1]:
                conn.execute(statement)
            conn.execute("DELETE FROM schema_version")
            conn.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One write transaction: the write lock up front (waits up to the busy timeout)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
