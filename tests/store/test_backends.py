"""SQLite and PostgreSQL behind the same commands: the sample months give identical JSON on
both, county runs merge into the city's result, and a store that cannot be reached is one
line and exit code 2."""

from __future__ import annotations

import json
import uuid
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from fivestar.errors import StoreError
from fivestar.store import open_store
from tests.conftest import ROOT, run_cli
from tests.store.conftest import PG_URL, drop_pg_database, needs_pg, new_pg_database
from tests.store.test_scope import without_runs

SAMPLE = ROOT / "sample_data"
OFFICER = "371422003"  # 李树华: visits in April, mediation near the top


cli = partial(run_cli, columns=200)


def cli_json(*args: str) -> Any:
    code, stdout, stderr = cli(*args, "--json")
    assert (code, stderr) == (0, ""), (args, stderr)
    return json.loads(stdout)


def sequence(db: str, workdir: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """evaluate March → evaluate April → report → explain → history (→ runs), as JSON."""
    monkeypatch.chdir(workdir)
    out = {
        "evaluate March": cli_json("evaluate", "2014-03", str(SAMPLE / "2014-03"), "--db", db),
        "evaluate April": cli_json("evaluate", "2014-04", str(SAMPLE / "2014-04"), "--db", db),
        "report": cli_json("report", "--db", db),
        "report March mediation": cli_json(
            "report", "--month", "2014-03", "--star", "mediation", "--db", db
        ),
        "explain": cli_json("explain", OFFICER, "--db", db),
        "explain March": cli_json("explain", OFFICER, "--month", "2014-03", "--db", db),
        "history": cli_json("history", "--db", db),
        "history officer": cli_json("history", "--year", "2014", "--officer", OFFICER, "--db", db),
    }
    runs = cli_json("runs", "--db", db)["runs"]
    out["runs"] = [{k: v for k, v in r.items() if k not in ("started", "recorded")} for r in runs]
    return out


@needs_pg
def test_the_sample_months_give_identical_json_on_both_backends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pg_server: Engine
) -> None:
    (tmp_path / "sqlite").mkdir()
    (tmp_path / "postgresql").mkdir()
    lite = sequence(str(tmp_path / "sqlite" / "fivestar.db"), tmp_path / "sqlite", monkeypatch)
    url = new_pg_database(pg_server)
    try:
        pg = sequence(url, tmp_path / "postgresql", monkeypatch)
    finally:
        drop_pg_database(pg_server, url)
    for step in lite:
        assert pg[step] == lite[step], step
    assert lite["report"]["runs"] == [2]
    assert [o["stars"] for o in lite["history officer"]["officers"]] == [
        {"2014-03": ["mediation"], "2014-04": ["visits"]}
    ]


def test_county_files_recorded_one_by_one_give_the_city_result(
    location: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    april = SAMPLE / "2014-04"
    cli_json("evaluate", "2014-04", str(april), "--db", location)
    whole = [cli_json("report", "--db", location), cli_json("explain", OFFICER, "--db", location)]
    files = sorted(april.iterdir())
    assert len(files) == 6
    for file in files:  # each county clerk evaluates their own file
        cli_json("evaluate", "2014-04", str(file), "--db", location)
    merged = [cli_json("report", "--db", location), cli_json("explain", OFFICER, "--db", location)]
    assert merged[0]["runs"] == list(range(2, 8))
    assert without_runs(merged) == without_runs(whole)


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("postgresql://postgres@127.0.0.1:1/fivestar", "Connection refused"),
        ("mysql://clerk@127.0.0.1/fivestar", "the results store is an SQLite file or a postgresql"),
        ("postgresql://clerk@127.0.0.1:1/", "name the database"),
    ],
)
def test_an_unreachable_store_is_one_line_and_exit_2(
    url: str, reason: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, stdout, stderr = cli("evaluate", "2014-04", str(SAMPLE / "2014-04"), "--db", url)
    assert (code, stdout) == (2, "")
    assert stderr.startswith("fivestar: error: ") and stderr.count("\n") == 1
    assert reason in stderr
    assert not (tmp_path / "fivestar-2014-04.xlsx").exists()
    code, stdout, stderr = cli("report", "--db", url)
    assert (code, stdout, stderr.count("\n")) == (2, "", 1)
    assert reason in stderr


@pytest.mark.usefixtures("english")
@needs_pg
def test_a_missing_database_is_one_line_and_not_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pg_server: Engine
) -> None:
    monkeypatch.chdir(tmp_path)
    name = f"fivestar_missing_{uuid.uuid4().hex[:8]}"
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    code, stdout, stderr = cli("evaluate", "2014-04", str(SAMPLE / "2014-04"), "--db", url)
    assert (code, stdout) == (2, "")
    assert stderr == (
        f"fivestar: error: cannot open results store {url}: connection to server at "
        f'"{make_url(url).host}", port {make_url(url).port} failed: '
        f'database "{name}" does not exist\n'
    )
    with pg_server.connect() as conn:
        found = conn.execute(
            text("SELECT COUNT(*) FROM pg_database WHERE datname = :name"), {"name": name}
        )
        assert found.scalar_one() == 0


@pytest.mark.usefixtures("english")
@needs_pg
def test_a_wrong_password_is_one_line_and_not_shown(pg_server: Engine) -> None:
    role = "fivestar_pw"  # .ci/postgres.sh makes the server ask this role for its password
    with pg_server.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
        if exists.first() is None:
            conn.execute(text("CREATE ROLE fivestar_pw LOGIN PASSWORD 'right-one'"))
    wrong = make_url(PG_URL).set(username=role, password="not-this-one")
    try:
        open_store(wrong.render_as_string(hide_password=False), create=False).close()
    except StoreError as err:
        message = str(err)
    else:
        pytest.skip("this server does not ask fivestar_pw for a password (see .ci/postgres.sh)")
    assert "password authentication failed" in message
    assert "not-this-one" not in message
    assert f"{role}:***@" in message
    code, stdout, stderr = cli("runs", "--db", wrong.render_as_string(hide_password=False))
    assert (code, stdout, stderr) == (2, "", f"fivestar: error: {message}\n")
