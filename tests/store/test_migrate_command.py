"""Read commands never write (issue 12): a store of an older schema is upgraded only by
`evaluate` or `fivestar migrate`; report, explain, history and runs leave it as it is and
say, in one line, to run `fivestar migrate`. On every backend."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from fivestar.store.schema import LATEST
from tests.conftest import run_cli
from tests.store.conftest import execute

READS = [
    ("runs",),
    ("report",),
    ("explain", "V1"),
    ("history", "--year", "2014"),
]


def _downgrade(db: str) -> None:
    """The store as fivestar's schema version 1 left it (before run_bureaus, the
    decisions' tables and the officers' optional input columns)."""
    execute(
        db,
        "DROP TABLE run_bureaus",
        "DROP TABLE confirmed",
        "DROP TABLE decisions",
        "DROP INDEX officers_by_officer",
        "ALTER TABLE officers DROP COLUMN optional_inputs",
        "UPDATE schema_version SET version = 1",
    )


def _version(db: str) -> int:
    return int(execute(db, "SELECT version FROM schema_version")[0][0][0])


def _tables(db: str, backend: str) -> list[str]:
    query = (
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1"
        if backend == "sqlite"
        else "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
    )
    return [str(row[0]) for row in execute(db, query)[0]]


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("command", READS, ids=[c[0] for c in READS])
def test_a_read_command_does_not_upgrade_an_old_store(
    db: str, backend: str, command: tuple[str, ...]
) -> None:
    _downgrade(db)
    tables = _tables(db, backend)
    code, stdout, stderr = run_cli(*command, "--db", db)
    assert code == 2
    assert stdout == ""
    assert stderr.count("\n") == 1 and "fivestar migrate" in stderr, stderr
    assert "schema version 1" in stderr
    assert _version(db) == 1
    assert _tables(db, backend) == tables


def test_migrate_upgrades_then_the_read_commands_read(db: str) -> None:
    _downgrade(db)
    code, stdout, stderr = run_cli("migrate", "--db", db)
    assert (code, stderr) == (0, "")
    assert stdout.strip().endswith(f"：已从结构版本 1 升级到 {LATEST}")
    assert _version(db) == LATEST
    assert run_cli("runs", "--db", db)[0] == 0
    code, stdout, _ = run_cli("migrate", "--db", db)
    assert code == 0 and stdout.strip().endswith(f"：已是最新（结构版本 {LATEST}）")


@pytest.mark.usefixtures("english")
def test_migrate_creates_no_store(location: str, backend: str) -> None:
    code, stdout, stderr = run_cli("migrate", "--db", location)
    assert code == 2 and stdout == ""
    assert stderr.count("\n") == 1 and "no results store" in stderr
    if backend == "sqlite":
        assert not Path(location).exists()


@pytest.fixture
def reader(db: str, backend: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """The --db of `db` as a PostgreSQL role that may only read it."""
    if backend != "postgresql":
        pytest.skip("roles are PostgreSQL's")
    admin: Engine = request.getfixturevalue("pg_server")
    role = f"fivestar_ro_{uuid.uuid4().hex[:10]}"  # generated, never input
    with admin.connect() as conn:
        conn.execute(text(f"CREATE ROLE {role} LOGIN"))
    database = str(make_url(db).database)
    execute(
        db,
        f'GRANT CONNECT ON DATABASE "{database}" TO {role}',
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}",
        f"REVOKE CREATE ON SCHEMA public FROM {role}, PUBLIC",
    )
    yield make_url(db).set(username=role, password=None).render_as_string(hide_password=False)
    execute(db, f"DROP OWNED BY {role}")
    with admin.connect() as conn:
        conn.execute(text(f"DROP ROLE IF EXISTS {role}"))


@pytest.mark.usefixtures("english")
def test_a_role_that_may_only_read_reads_and_is_told_to_migrate(db: str, reader: str) -> None:
    code, _, stderr = run_cli("runs", "--db", reader)
    assert (code, stderr) == (0, "")
    _downgrade(db)
    code, _, stderr = run_cli("runs", "--db", reader)
    assert code == 2
    assert "permission denied" not in stderr
    assert stderr.count("\n") == 1 and "fivestar migrate" in stderr, stderr
    assert _version(db) == 1
