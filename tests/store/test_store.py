"""The store itself, on every backend: schema and migrations, whole-run transactions,
processes killed mid-write, concurrent writers."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import inspect

from fivestar.errors import StoreError
from fivestar.queries import explain, star_ranking
from fivestar.queries.gaps import figure_text, gap_text, metric
from fivestar.rules import RuleSet
from fivestar.rules.loader import parse_rules
from fivestar.store import open_store
from fivestar.store.backend import create, locate
from fivestar.store.schema import LATEST, TABLES
from fivestar.store.store import Store
from tests.conftest import ROOT, officer
from tests.store.builders import april_rows, march_rows, run_result
from tests.store.conftest import COUNTED, counts, execute


def test_an_empty_store_is_migrated_to_the_latest_version(location: str, backend: str) -> None:
    if backend == "sqlite":
        Path(location).touch()
    with open_store(location) as store:
        assert store.schema_version() == LATEST == 6
        assert store.runs() == []
        assert store.months() == []
    assert execute(location, "SELECT version FROM schema_version") == [[(LATEST,)]]
    assert counts(location) == dict.fromkeys(COUNTED, 0)
    with open_store(location) as store:  # opening again migrates nothing
        assert store.schema_version() == LATEST
    if backend == "sqlite":
        with sqlite3.connect(location) as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_the_core_tables_match_the_migrated_schema(location: str) -> None:
    open_store(location).close()
    engine = create(locate(location))
    try:
        with engine.connect() as conn:
            found = inspect(conn)
            for name, table in TABLES.items():
                columns = [c["name"] for c in found.get_columns(name)]
                assert columns == [c.name for c in table.columns], name
    finally:
        engine.dispose()


def test_a_version_1_store_gets_each_runs_bureaus(db: str) -> None:
    before = execute(db, "SELECT run_id, bureau, officers FROM run_bureaus ORDER BY 1, 2")[0]
    assert len(before) == 6  # three runs, two bureaus each
    execute(db, "DROP TABLE run_bureaus", "DROP TABLE confirmed", "DROP TABLE decisions")
    execute(
        db, "DROP INDEX officers_by_officer", "ALTER TABLE officers DROP COLUMN optional_inputs"
    )
    execute(db, "UPDATE schema_version SET version = 1")
    with open_store(db) as store:
        assert store.schema_version() == LATEST
        assert [r.bureaus for r in store.runs()] == [("夏津县局", "武城县局")] * 3
    assert execute(db, "SELECT run_id, bureau, officers FROM run_bureaus ORDER BY 1, 2") == [before]


def test_a_newer_store_is_refused(location: str) -> None:
    open_store(location).close()
    execute(location, "UPDATE schema_version SET version = 8")
    with pytest.raises(StoreError, match=r"schema version 8; this one knows up to 6"):
        open_store(location)


def test_someone_elses_database_is_refused(location: str, backend: str) -> None:
    if backend == "sqlite":
        Path(location).touch()
    execute(location, "CREATE TABLE t (x INTEGER)")
    kind = "an SQLite" if backend == "sqlite" else "a PostgreSQL"
    with pytest.raises(StoreError, match=f"is {kind} database but not a fivestar results store"):
        open_store(location)


def test_an_empty_database_is_not_made_a_store_by_a_reader(location: str, backend: str) -> None:
    if backend == "sqlite":
        with pytest.raises(StoreError, match="no results store at"):
            open_store(location, create=False)
        assert not Path(location).exists()
    else:
        with pytest.raises(StoreError, match="no results store in postgresql://"):
            open_store(location, create=False)
        assert counts_or_none(location) is None


def counts_or_none(location: str) -> dict[str, int] | None:
    try:
        return counts(location)
    except Exception:  # the tables do not exist
        return None


def test_junk_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match=r"cannot open results store .*junk\.db: file is not"):
        open_store(junk)


def test_default_location_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FIVESTAR_DB")
    with open_store(None) as store:
        assert store.path == Path("fivestar.db")
        assert store.where == "fivestar.db"
    monkeypatch.setenv("FIVESTAR_DB", str(tmp_path / "env.db"))
    with open_store(None) as store:
        assert store.path == tmp_path / "env.db"
    assert (tmp_path / "env.db").exists()


def test_a_url_in_the_environment_selects_its_backend(
    location: str, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FIVESTAR_DB", location)
    with open_store(None) as store:
        assert store.location.kind == backend
        assert store.where == location
    assert counts(location)["runs"] == 0


def test_a_run_is_recorded_whole(location: str, rules: RuleSet) -> None:
    with open_store(location) as store:
        assert store.record(run_result(rules, "2014-04", april_rows()), "cmd") == 1
        assert store.record(run_result(rules, "2014-03", march_rows()), "cmd") == 2
        assert store.months() == ["2014-03", "2014-04"]
        assert store.latest_run("2014-04").id == 1
        assert store.run(1).bureaus == ("夏津县局", "武城县局")
    assert counts(location) == {
        "runs": 2,
        "run_bureaus": 4,
        "inputs": 2,
        "officers": 14,
        "outcomes": 70,
        "issues": 2,
    }


def test_missing_rates_are_stored_as_missing(location: str, rules: RuleSet) -> None:
    rows = [officer("V1", visits=200), officer("007", satisfaction=float("nan"), info_leads=11)]
    with open_store(location) as store:
        store.record(run_result(rules, "2014-04", rows), "cmd")
        why = explain(store, "007")
    assert why.figures["satisfaction"] is None
    information = why.stars[3]
    assert information.reasons == ("资格：群众满意率 缺失",)
    assert information.gaps == ("资格：群众满意率 缺失",)


def test_a_rate_just_under_its_threshold_is_off_by_its_own_gap(
    location: str, rules: RuleSet
) -> None:
    # 4 decimals would say "人号一致率 100%，还差 0 个百分点" of 99.99999 %
    rows = [
        officer("V1", visits=200),
        officer("007", id_consistency=0.9999999, info_leads=12),
        officer("008", id_consistency=0.98),
    ]
    with open_store(location) as store:
        store.record(run_result(rules, "2014-04", rows), "cmd")
        near, far = explain(store, "007"), explain(store, "008")
    visits, information = near.stars[0], near.stars[3]
    assert visits.reasons == ("人号一致率 99.99999%，还差 0.00001 个百分点",)
    assert visits.gaps == ("人号一致率 99.99999%，还差 0.00001 个百分点",)
    assert information.gaps == ("资格：人号一致率 99.99999%，还差 0.00001 个百分点",)
    assert far.stars[0].gaps == ("人号一致率 98%，还差 2 个百分点",)  # as it always read
    assert figure_text(metric(rules, "id_consistency"), 0.9999999) == "99.99999%"
    assert figure_text(metric(rules, "id_consistency"), 1 - 1e-12) == "100%"  # noise only
    # a threshold that is not a whole number: 99.499999 % is not shown as 99.5 %
    text = (ROOT / "rules" / "dezhou-2014.toml").read_text(encoding="utf-8")
    strict = parse_rules(text.replace("value = 100 }", "value = 99.5 }").encode(), "v.toml")
    [comp] = [c for c in strict.stars[0].criteria.all if c.metric == "id_consistency"]
    gap = "人号一致率 99.499999%，还差 0.000001 个百分点"
    assert (gap_text(strict, comp, 0.99499999), gap_text(strict, comp, 0.995)) == (gap, None)


def test_rates_keep_every_digit(location: str, rules: RuleSet) -> None:
    rows = [officer("V1", visits=200, id_consistency=0.985, satisfaction=0.1 + 0.2)]
    with open_store(location) as store:
        store.record(run_result(rules, "2014-04", rows), "cmd")
        figures = explain(store, "V1").figures
    assert (figures["id_consistency"], figures["satisfaction"]) == (0.985, 0.1 + 0.2)


def test_a_failed_record_leaves_the_store_as_it_was(
    location: str, rules: RuleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(location) as store:
        store.record(run_result(rules, "2014-03", march_rows()), "cmd")
    before = counts(location)
    real = Store._insert

    def failing(self: Store, conn: object, table: str, run_id: int, rows: list[object]) -> None:
        if table == "issues":
            raise RuntimeError("disk pulled out")
        real(self, conn, table, run_id, rows)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "_insert", failing)
    with open_store(location) as store, pytest.raises(RuntimeError, match="disk pulled out"):
        store.record(run_result(rules, "2014-04", april_rows()), "cmd")
    assert counts(location) == before
    monkeypatch.setattr(Store, "_insert", real)
    with open_store(location) as store:  # the store still works, and the next run takes id 2
        assert store.record(run_result(rules, "2014-04", april_rows()), "cmd") == 2
        assert star_ranking(store, star="mediation").run == 2


KILLED = """
import os, signal, sys
from fivestar.rules import load_rules
from fivestar.store import open_store
from fivestar.store.store import Store
from tests.conftest import DEFAULT_RULES
from tests.store.builders import april_rows, run_result

real = Store._insert
def die(self, conn, table, run_id, rows):
    real(self, conn, table, run_id, rows)
    if table == "outcomes":  # officers and outcomes written, issues not yet
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
        os._exit(9)
Store._insert = die
store = open_store(sys.argv[1])
store.record(run_result(load_rules(DEFAULT_RULES), "2014-04", april_rows()), "killed")
"""


def child_env() -> dict[str, str]:
    paths = [str(ROOT / "src"), str(ROOT), os.environ.get("PYTHONPATH", "")]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}


def test_a_process_killed_mid_write_leaves_nothing(location: str, rules: RuleSet) -> None:
    with open_store(location) as store:
        store.record(run_result(rules, "2014-03", march_rows()), "cmd")
    before = counts(location)
    child = subprocess.run(
        [sys.executable, "-c", KILLED, location],
        check=False,
        env=child_env(),
        cwd=ROOT,
        timeout=120,
    )
    assert child.returncode != 0
    with open_store(location) as store:
        assert store.months() == ["2014-03"]
        assert store.record(run_result(rules, "2014-04", april_rows()), "cmd") == 2
    after = counts(location)
    assert after["runs"] == before["runs"] + 1


PER_RUN = (
    "SELECT r.id, r.command_line, "
    "(SELECT COUNT(*) FROM officers o WHERE o.run_id = r.id), "
    "(SELECT COUNT(*) FROM outcomes w WHERE w.run_id = r.id), "
    "(SELECT COUNT(DISTINCT substr(o.officer_id, 1, 1)) FROM officers o "
    " WHERE o.run_id = r.id) FROM runs r ORDER BY r.id"
)


def test_two_writers_at_once_both_land_whole(location: str, tmp_path: Path) -> None:
    go = tmp_path / "go"
    runs, officers = 8, 300
    writers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.store.builders",
                location,
                prefix,
                str(runs),
                str(officers),
                str(go),
            ],
            env=child_env(),
            cwd=ROOT,
        )
        for prefix in ("A", "B")
    ]
    time.sleep(0.5)
    go.touch()
    assert [w.wait(timeout=300) for w in writers] == [0, 0]
    per_run = execute(location, PER_RUN)[0]
    assert [row[0] for row in per_run] == list(range(1, 2 * runs + 1))
    assert sorted(str(row[1]) for row in per_run) == ["writer A"] * runs + ["writer B"] * runs
    assert all(row[2:] == (officers, officers * 5, 1) for row in per_run)
