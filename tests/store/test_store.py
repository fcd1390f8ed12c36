"""The store itself: schema and migrations, whole-run transactions, concurrent writers."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fivestar.errors import StoreError
from fivestar.rules import RuleSet
from fivestar.store import explain, open_store, star_ranking
from fivestar.store.schema import LATEST
from fivestar.store.store import Store
from tests.conftest import ROOT, officer
from tests.store.builders import april_rows, march_rows, run_result

TABLES = ("runs", "inputs", "officers", "outcomes", "issues")


def counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}


def test_an_empty_file_is_migrated_to_version_1(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    with open_store(path) as store:
        assert store.schema_version() == LATEST == 1
        assert store.runs() == []
        assert store.months() == []
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [(1,)]
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert counts(path) == dict.fromkeys(TABLES, 0)
    with open_store(path) as store:  # opening again migrates nothing
        assert store.schema_version() == 1


def test_a_newer_store_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    open_store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE schema_version SET version = 7")
    with pytest.raises(StoreError, match=r"schema version 7; this one knows up to 1"):
        open_store(path)


def test_not_a_store_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(StoreError, match="not a fivestar results store"):
        open_store(other)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match="cannot open results store"):
        open_store(junk)


def test_default_location_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FIVESTAR_DB")
    with open_store(None) as store:
        assert store.path == Path("fivestar.db")
    monkeypatch.setenv("FIVESTAR_DB", str(tmp_path / "env.db"))
    with open_store(None) as store:
        assert store.path == tmp_path / "env.db"
    assert (tmp_path / "env.db").exists()


def test_a_run_is_recorded_whole(tmp_path: Path, rules: RuleSet) -> None:
    path = tmp_path / "s.db"
    with open_store(path) as store:
        assert store.record(run_result(rules, "2014-04", april_rows()), "cmd") == 1
        assert store.record(run_result(rules, "2014-03", march_rows()), "cmd") == 2
        assert store.months() == ["2014-03", "2014-04"]
        assert store.latest_run("2014-04").id == 1
    assert counts(path) == {"runs": 2, "inputs": 2, "officers": 14, "outcomes": 70, "issues": 2}


def test_missing_rates_are_stored_as_missing(tmp_path: Path, rules: RuleSet) -> None:
    rows = [officer("V1", visits=200), officer("007", satisfaction=float("nan"), info_leads=11)]
    with open_store(tmp_path / "s.db") as store:
        store.record(run_result(rules, "2014-04", rows), "cmd")
        why = explain(store, "007")
    assert why.figures["satisfaction"] is None
    information = why.stars[3]
    assert information.reasons == ("资格：群众满意率 缺失",)
    assert information.gaps == ("资格：群众满意率 缺失",)


def test_a_failed_record_leaves_the_store_as_it_was(
    tmp_path: Path, rules: RuleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.db"
    with open_store(path) as store:
        store.record(run_result(rules, "2014-03", march_rows()), "cmd")
    before = counts(path)
    real = Store._insert

    def failing(self: Store, table: str, run_id: int, rows: list[tuple[object, ...]]) -> None:
        if table == "issues":
            raise RuntimeError("disk pulled out")
        real(self, table, run_id, rows)

    monkeypatch.setattr(Store, "_insert", failing)
    with open_store(path) as store, pytest.raises(RuntimeError, match="disk pulled out"):
        store.record(run_result(rules, "2014-04", april_rows()), "cmd")
    assert counts(path) == before
    monkeypatch.setattr(Store, "_insert", real)
    with open_store(path) as store:  # the store still works, and the next run takes id 2
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
def die(self, table, run_id, rows):
    real(self, table, run_id, rows)
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


def test_a_process_killed_mid_write_leaves_nothing(tmp_path: Path, rules: RuleSet) -> None:
    path = tmp_path / "s.db"
    with open_store(path) as store:
        store.record(run_result(rules, "2014-03", march_rows()), "cmd")
    before = counts(path)
    child = subprocess.run(
        [sys.executable, "-c", KILLED, str(path)],
        check=False,
        env=child_env(),
        cwd=ROOT,
        timeout=120,
    )
    assert child.returncode != 0
    assert counts(path) == before
    with open_store(path) as store:
        assert store.months() == ["2014-03"]
        assert store.record(run_result(rules, "2014-04", april_rows()), "cmd") == 2


def test_two_writers_at_once_both_land_whole(tmp_path: Path) -> None:
    path, go = tmp_path / "shared.db", tmp_path / "go"
    runs, officers = 8, 300
    writers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.store.builders",
                str(path),
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
    with sqlite3.connect(path) as conn:
        per_run = conn.execute(
            "SELECT r.id, r.command_line, "
            "(SELECT COUNT(*) FROM officers o WHERE o.run_id = r.id), "
            "(SELECT COUNT(*) FROM outcomes w WHERE w.run_id = r.id), "
            "(SELECT COUNT(DISTINCT substr(o.officer_id, 1, 1)) FROM officers o "
            " WHERE o.run_id = r.id) FROM runs r ORDER BY r.id"
        ).fetchall()
    assert len(per_run) == 2 * runs
    assert sorted(cmd for _, cmd, *_ in per_run) == ["writer A"] * runs + ["writer B"] * runs
    assert all(row[2:] == (officers, officers * 5, 1) for row in per_run)
