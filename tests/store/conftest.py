"""The store tests run against every backend: a real SQLite file in a temporary folder, and
a fresh PostgreSQL database on the server $FIVESTAR_TEST_PG names (skipped without it).

`location` is the --db of a new, empty store; `db` is one holding March, an April draft,
then April redone (runs 1, 2, 3).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing
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


# -- a recorded sample month, evaluated once, copied per test ---------------------------------

SAMPLE_APRIL = Path(__file__).resolve().parents[2] / "sample_data" / "2014-04"


class Recorded:
    """Stores recorded once per session (per backend and command), then copied per test:
    a copy costs a file copy (SQLite) or `CREATE DATABASE … TEMPLATE` (PostgreSQL), where
    evaluating the month again costs reading, judging and writing its reports."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self.factory = factory
        self.made: dict[tuple[str, tuple[str, ...]], tuple[str, Path]] = {}
        self.templates: list[str] = []
        self._admin: Engine | None = None

    def admin(self) -> Engine:
        if self._admin is None:
            self._admin = pg_admin()  # its own: session fixtures end in no fixed order
        return self._admin

    def original(self, backend: str, extra: tuple[str, ...]) -> tuple[str, Path]:
        """The store and the report folder of `fivestar evaluate 2014-04 SAMPLE --out r.xlsx
        EXTRA`, run once."""
        key = (backend, extra)
        if key not in self.made:
            from tests.conftest import run_cli

            folder = self.factory.mktemp("recorded")
            if backend == "sqlite":
                where = str(folder / "template.db")
            else:
                where = new_pg_database(self.admin())
                self.templates.append(where)
            (folder / "reports").mkdir()
            out = folder / "reports" / "r.xlsx"
            code, _, stderr = run_cli(
                "evaluate", "2014-04", SAMPLE_APRIL, "--out", out, "--db", where, *extra
            )
            assert code == 0, stderr
            self.made[key] = (where, folder / "reports")
        return self.made[key]

    def copy(
        self, backend: str, tmp_path: Path, extra: tuple[str, ...] = (), to: Path | None = None
    ) -> str:
        """A new store (in `tmp_path` for SQLite) holding the recorded run, and its reports
        copied into `to` (default `tmp_path`); a PostgreSQL copy is the caller's to drop."""
        where, reports = self.original(backend, extra)
        for report in reports.iterdir():
            shutil.copyfile(report, (to or tmp_path) / report.name)
        if backend == "sqlite":
            target = tmp_path / "fivestar.db"
            with closing(sqlite3.connect(where)) as src, closing(sqlite3.connect(target)) as dst:
                src.backup(dst)
            return str(target)
        admin = self.admin()
        name = f"fivestar_t_{uuid.uuid4().hex[:12]}"
        quote = admin.dialect.identifier_preparer.quote
        with admin.connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :db AND pid <> pg_backend_pid()"
                ),
                {"db": make_url(where).database},
            )  # a template must have no session open
            template = quote(str(make_url(where).database))
            conn.execute(text(f"CREATE DATABASE {quote(name)} TEMPLATE {template}"))
        return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)

    def close(self) -> None:
        for url in self.templates:
            drop_pg_database(self.admin(), url)
        if self._admin is not None:
            self._admin.dispose()


@pytest.fixture(scope="session")
def recorded(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Recorded]:
    found = Recorded(tmp_path_factory)
    yield found
    found.close()


@pytest.fixture
def april(backend: str, recorded: Recorded, tmp_path: Path) -> Iterator[str]:
    """A store holding the sample April as `fivestar evaluate 2014-04 SAMPLE --out r.xlsx`
    recorded it (run 1), with that report at tmp_path / "r.xlsx"; on `backend`."""
    location = recorded.copy(backend, tmp_path)
    yield location
    if backend != "sqlite":
        drop_pg_database(recorded.admin(), location)


@pytest.fixture
def april_per_file(backend: str, recorded: Recorded, tmp_path: Path) -> Iterator[str]:
    """As `april`, evaluated with --per-file: the reports (r.xlsx and one per county file)
    in tmp_path / "reports"."""
    (tmp_path / "reports").mkdir()
    location = recorded.copy(backend, tmp_path, ("--per-file",), to=tmp_path / "reports")
    yield location
    if backend != "sqlite":
        drop_pg_database(recorded.admin(), location)
