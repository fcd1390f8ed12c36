"""The store tests run against every backend: a real SQLite file in a temporary folder, and
a fresh PostgreSQL database on the server $FIVESTAR_TEST_PG names (skipped without it).

`location` is the --db of a new, empty store; `db` is one holding March, an April draft,
then April redone (runs 1, 2, 3).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.engine import make_url

from fivestar.rules import RuleSet
from fivestar.store import open_store
from fivestar.store.backend import create, locate
from fivestar.store.schema import TABLES
from tests.store.builders import april_rows, march_rows, run_result, started

PG_ENV = "FIVESTAR_TEST_PG"
PG_URL = os.environ.get(PG_ENV, "")
needs_pg = pytest.mark.skipif(
    not PG_URL,
    reason=f"PostgreSQL store tests need {PG_ENV}=postgresql://user@host:port/db "
    "(.ci/postgres.sh starts a server and sets it)",
)
BACKENDS = [pytest.param("sqlite"), pytest.param("postgresql", marks=needs_pg)]
COUNTED = ("runs", "run_bureaus", "inputs", "officers", "outcomes", "issues")


def pg_admin() -> Engine:
    """An autocommit connection to the test server's own database, to create others."""
    url = make_url(PG_URL).set(drivername="postgresql+psycopg")
    return create_engine(url, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Engine]:
    engine = pg_admin()
    yield engine
    engine.dispose()


def new_pg_database(admin: Engine) -> str:
    """A new empty database on the test server; returns its URL."""
    name = f"fivestar_t_{uuid.uuid4().hex[:12]}"
    quoted = admin.dialect.identifier_preparer.quote(name)  # a generated name, never input
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {quoted}"))
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


def drop_pg_database(admin: Engine, url: str) -> None:
    quoted = admin.dialect.identifier_preparer.quote(str(make_url(url).database))
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"))


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def location(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """The --db of a new, empty store on `backend`."""
    if backend == "sqlite":
        yield str(tmp_path / "fivestar.db")
        return
    admin: Engine = request.getfixturevalue("pg_server")
    url = new_pg_database(admin)
    yield url
    drop_pg_database(admin, url)


@pytest.fixture
def db(location: str, rules: RuleSet) -> str:
    months = [
        ("2014-03", march_rows(), 0, "fivestar evaluate 2014-03 march/"),
        ("2014-04", april_rows(draft=True), 0, "fivestar evaluate 2014-04 draft/"),
        ("2014-04", april_rows(), 30, "fivestar evaluate 2014-04 april/"),
    ]
    with open_store(location) as store:
        for month, rows, minute, command in months:
            result = run_result(rules, month, rows, minute)
            store.record(result, command, recorded=started(month, minute + 1))
    return location


def counts(location: str) -> dict[str, int]:
    """Rows per table, read without the store's code."""
    engine = create(locate(location))
    try:
        with engine.connect() as conn:
            return {
                t: int(conn.execute(select(func.count()).select_from(TABLES[t])).scalar_one())
                for t in COUNTED
            }
    finally:
        engine.dispose()


def execute(location: str, *statements: str) -> list[list[tuple[object, ...]]]:
    """Run fixed SQL against a store, outside the store's code (tests only)."""
    engine = create(locate(location))
    out: list[list[tuple[object, ...]]] = []
    try:
        with engine.begin() as conn:
            for statement in statements:
                result = conn.execute(text(statement))
                out.append([tuple(r) for r in result] if result.returns_rows else [])
    finally:
        engine.dispose()
    return out
