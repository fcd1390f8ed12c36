"""The bureau's decisions after the ranking (issue 15): exclusions, confirmation, the log.

The sequence of the issue's "Done when" runs on the sample data against every backend, and
gives the same JSON on each (the clock and the author are fixed).
"""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from fivestar import deciding
from fivestar.queries.decisions import decision_log
from fivestar.store import open_store
from tests.conftest import run_cli

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "2014-04"
SU_ZHEN = "037148105"  # first of 纠纷调解之星 in the sample
CLOCK = datetime(2014, 5, 6, 9, 12, tzinfo=timezone(timedelta(hours=8)))


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Entries recorded a minute apart from 2014-05-06 09:12 +08:00 (local time: UTC+8)."""
    ticks = iter(CLOCK + timedelta(minutes=i) for i in range(1000))
    monkeypatch.setattr(deciding, "now", lambda: next(ticks))
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    import time

    time.tzset()
    yield
    monkeypatch.delenv("TZ")
    time.tzset()


cli = run_cli


def as_json(*args: str | Path) -> Any:
    code, stdout, stderr = cli(*args, "--json")
    assert code == 0, stderr
    return json.loads(stdout)


def mediation(location: str) -> list[tuple[str, bool]]:
    ranking = as_json("report", "--star", "mediation", "--db", location)["ranking"]
    return [(e["name"], e["named"]) for e in ranking]


def done_when(location: str, folder: Path) -> dict[str, Any]:
    """The issue's sequence; returns every JSON it printed."""
    seen: dict[str, Any] = {}
    db = ("--db", location)
    code, _, stderr = cli("evaluate", "2014-04", SAMPLE, "--out", folder / "r.xlsx", *db)
    assert code == 0, stderr
    seen["before"] = mediation(location)
    assert seen["before"][:3] == [("苏振", True), ("刘红梅", True), ("任国庆", False)]

    seen["exclude"] = as_json("exclude", "2014-04", SU_ZHEN, "--reason", "公示期间投诉属实",
                              "--by", "张三", *db)  # fmt: skip
    seen["excluded"] = mediation(location)
    assert seen["excluded"][:2] == [("刘红梅", True), ("任国庆", True)]
    assert "苏振" not in [name for name, _ in seen["excluded"]]
    seen["explain"] = as_json("explain", SU_ZHEN, *db)
    why = "因公示期间投诉属实取消评选资格（张三，2014-05-06 09:12）"
    assert all(star["reasons"][0] == why for star in seen["explain"]["stars"])
    assert not any(star["named"] for star in seen["explain"]["stars"])

    seen["undo"] = as_json("exclude", "2014-04", SU_ZHEN, "--undo", "--reason", "投诉不实",
                           "--by", "张三", *db)  # fmt: skip
    assert mediation(location) == seen["before"]

    seen["again"] = as_json("exclude", "2014-04", SU_ZHEN, "--reason", "违纪", "--by", "张三", *db)
    notice = folder / "通报.xlsx"
    seen["confirm"] = as_json("confirm", "2014-04", "--by", "李四", "--out", notice, *db)
    assert seen["confirm"].pop("commendation") == str(notice)
    seen["notice"] = [
        [c for c in row if c is not None]
        for row in load_workbook(notice)["表彰通报"].iter_rows(values_only=True)
    ]
    names = [row[3] for row in seen["notice"] if len(row) >= 4 and row[0] != "序号"]
    assert "任国庆" in names and "刘红梅" in names and "苏振" not in names

    code, stdout, stderr = cli("evaluate", "2014-04", SAMPLE, "--out", folder / "r2.xlsx", *db)
    assert (code, stdout) == (2, "")
    assert "2014-04 已由全市确认" in stderr and "fivestar reopen 2014-04" in stderr
    assert not (folder / "r2.xlsx").exists()

    seen["reopen"] = as_json("reopen", "2014-04", "--reason", "补报", "--by", "李四", *db)
    code, _, stderr = cli("evaluate", "2014-04", SAMPLE, "--out", folder / "r2.xlsx", *db)
    assert code == 0, stderr

    seen["log"] = as_json("log", *db)
    actions = [e["action"] for e in seen["log"]["entries"]]
    assert actions == ["exclude", "undo", "exclude", "confirm", "reopen"]
    seen["history"] = as_json("history", "--year", "2014", *db)
    seen["report"] = as_json("report", "--db", location)
    return seen


@pytest.mark.usefixtures("clock")
def test_the_issue_sequence_on_the_sample(location: str, tmp_path: Path) -> None:
    seen = done_when(location, tmp_path)
    # the confirmed month counts in history; after reopening it is 待确认 again
    assert seen["history"]["confirmed"] == {"2014-04": False}
    assert seen["notice"][0] == ["德州市公安局关于表彰2014年4月“五星”社区民警的通报"]


@pytest.mark.usefixtures("clock")
def test_history_counts_the_confirmed_list(april: str, tmp_path: Path) -> None:
    location = april  # the sample April evaluated into it, r.xlsx its report
    db = ("--db", location)
    pending = as_json("history", "--year", "2014", *db)
    assert pending["confirmed"] == {"2014-04": False}
    assert all(b["confirmed_total"] == 0 for b in pending["bureaus"])
    as_json("exclude", "2014-04", SU_ZHEN, "--reason", "违纪", *db)
    as_json("confirm", "2014-04", "--out", tmp_path / "n.xlsx", *db)
    year = as_json("history", "--year", "2014", *db)
    assert year["confirmed"] == {"2014-04": True}
    su = next(o for o in year["officers"] if o["officer_id"] == SU_ZHEN)
    assert su["stars"] == {"2014-04": []} and su["confirmed_total"] == 0
    ren = next(o for o in year["officers"] if o["name"] == "任国庆")
    assert ren["stars"] == {"2014-04": ["mediation"]} and ren["confirmed_total"] == 1
    code, stdout, _ = cli("history", "--year", "2014", *db)
    assert code == 0 and "待确认" not in stdout


def test_sqlite_and_postgresql_give_the_same_json(
    tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, clock: None
) -> None:
    from tests.store.conftest import PG_URL, drop_pg_database, new_pg_database

    if not PG_URL:
        pytest.skip("needs FIVESTAR_TEST_PG")
    admin = request.getfixturevalue("pg_server")
    url = new_pg_database(admin)
    try:
        (tmp_path / "pg").mkdir()
        (tmp_path / "lite").mkdir()
        on_pg = done_when(url, tmp_path / "pg")
        ticks = iter(CLOCK + timedelta(minutes=i) for i in range(1000))
        monkeypatch.setattr(deciding, "now", lambda: next(ticks))  # the same clock again
        on_sqlite = done_when(str(tmp_path / "lite" / "s.db"), tmp_path / "lite")
    finally:
        drop_pg_database(admin, url)
    assert on_pg == on_sqlite


def test_report_out_writes_the_whole_month_again(april: str, tmp_path: Path) -> None:
    location = april  # the sample April evaluated into it, r.xlsx its report
    db = ("--db", location)
    as_json("exclude", "2014-04", SU_ZHEN, "--star", "mediation", "--reason", "投诉", *db)
    code, _, stderr = cli("report", "--month", "2014-04", "--out", tmp_path / "again.xlsx", *db)
    assert code == 0, stderr
    again, first = load_workbook(tmp_path / "again.xlsx"), load_workbook(tmp_path / "r.xlsx")
    assert again.sheetnames == first.sheetnames
    notice = [c for row in again["公示"].iter_rows(values_only=True) for c in row if c]
    assert "任国庆" in notice and "苏振" not in notice
    info = [c for row in again["运行信息"].iter_rows(values_only=True) for c in row if c]
    assert "取消评选资格" in info and "投诉" in info


@pytest.mark.usefixtures("english")
def test_bad_input_is_one_line_and_records_nothing(april: str, tmp_path: Path) -> None:
    location = april  # the sample April evaluated into it, r.xlsx its report
    db = ("--db", location)
    cases = [
        (("exclude", "2014-04", "37148105", "--reason", "x"), "did you mean 037148105"),
        (("exclude", "2014-04", "999999999", "--reason", "x"), "no officer 999999999 evaluated"),
        (("exclude", "2014-03", SU_ZHEN, "--reason", "x"), "no run for 2014-03"),
        (("exclude", "2014-04", SU_ZHEN, "--reason", "  "), "--reason is empty"),
        (("exclude", "2014-04", SU_ZHEN), "--reason is empty"),
        (("exclude", "2014-04", SU_ZHEN, "--reason", "x", "--star", "bravery"),
         "no star 'bravery'"),
        (("exclude", "2014-04", SU_ZHEN, "--undo", "--reason", "x"), "no exclusion of"),
        (("reopen", "2014-04", "--reason", "x"), "is not confirmed"),
    ]  # fmt: skip
    for args, message in cases:
        code, stdout, stderr = cli(*args, *db)
        assert (code, stdout) == (2, ""), args
        assert stderr.startswith("fivestar: error: ") and stderr.count("\n") == 1, stderr
        assert message in stderr, (args, stderr)
    assert as_json("log", *db)["entries"] == []

    as_json("exclude", "2014-04", SU_ZHEN, "--reason", "x", "--star", "纠纷调解之星", *db)
    for args, message in [
        (("exclude", "2014-04", SU_ZHEN, "--reason", "y"), "already excluded"),
        (("exclude", "2014-04", SU_ZHEN, "--reason", "y", "--star", "mediation"),
         "already excluded"),
    ]:  # fmt: skip
        code, _, stderr = cli(*args, *db)
        assert code == 2 and message in stderr, stderr
    as_json("confirm", "2014-04", "--out", tmp_path / "n.xlsx", *db)
    code, _, stderr = cli("confirm", "2014-04", "--out", tmp_path / "n.xlsx", *db)
    assert code == 2 and "already confirmed" in stderr
    code, _, stderr = cli("exclude", "2014-04", "371402011", "--reason", "x", *db)
    assert code == 2 and "is confirmed for the city" in stderr
    assert len(as_json("log", *db)["entries"]) == 2


@pytest.mark.usefixtures("english")
def test_a_list_is_recorded_whole_or_not_at_all(april: str, tmp_path: Path) -> None:
    location = april  # the sample April evaluated into it, r.xlsx its report
    db = ("--db", location)
    form = tmp_path / "list.xlsx"
    assert cli("template", "--exclusions", "--out", form)[0] == 0
    book = load_workbook(form)
    sheet = book["取消评选资格名单"]
    assert [c.value for c in sheet[1]] == ["警号", "姓名", "评选项目", "原因"]
    sheet.append([SU_ZHEN, "苏振", "纠纷调解之星", "投诉属实"])
    sheet.append(["371402011", "王五", "", "违纪"])  # the name does not match
    book.save(form)
    code, stdout, stderr = cli("exclude", "2014-04", "--from", form, *db)
    assert (code, stdout) == (2, "")
    assert "list.xlsx row 3: officer 371402011 is 刘红梅 in 2014-04, not 王五" in stderr
    assert as_json("log", *db)["entries"] == []

    listed = tmp_path / "list.csv"
    listed.write_text(
        f"警号,姓名,评选项目,原因\n{SU_ZHEN},苏振,mediation,投诉属实\n371402011,刘红梅,,违纪\n",
        encoding="utf-8",
    )
    entries = as_json("exclude", "2014-04", "--from", listed, *db)["entries"]
    assert [(e["officer_id"], e["star"]) for e in entries] == [
        (SU_ZHEN, "mediation"), ("371402011", None)
    ]  # fmt: skip
    assert [n for n, won in mediation(location) if won] == ["任国庆", "韩立军"]


def test_concurrent_clerks_exclusions_all_land(april: str) -> None:
    location = april  # the sample April evaluated into it
    ids = ["371402011", "371426007", "371428009", "371422003"]
    errors: list[BaseException] = []

    def clerk(officer_id: str) -> None:
        try:
            with open_store(location, create=False) as store:
                ask = deciding.Exclusion(officer_id, f"核查 {officer_id}")
                deciding.exclude(store, "2014-04", [ask], by=f"clerk-{officer_id}")
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=clerk, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with open_store(location, create=False) as store:
        log = decision_log(store, "2014-04")
    assert sorted(e.officer_id or "" for e in log.entries) == sorted(ids)
    assert [e.id for e in log.entries] == [1, 2, 3, 4]


def test_a_version_2_store_is_migrated(location: str, rules: Any, tmp_path: Path) -> None:
    """Today's stores (schema 2) gain the decisions tables and keep their runs."""
    from sqlalchemy import text

    from fivestar.store.backend import create, locate
    from fivestar.store.schema import MIGRATIONS

    engine = create(locate(location))
    try:
        with engine.begin() as conn:
            for migration in MIGRATIONS[:2]:
                for statement in migration:
                    conn.exec_driver_sql(statement)
            conn.execute(text("INSERT INTO schema_version (version) VALUES (2)"))
    finally:
        engine.dispose()
    with open_store(location) as store:
        assert store.schema_version() == len(MIGRATIONS)
    db = ("--db", location)
    assert cli("evaluate", "2014-04", SAMPLE, "--out", tmp_path / "r.xlsx", *db)[0] == 0
    as_json("exclude", "2014-04", SU_ZHEN, "--reason", "违纪", *db)
    assert len(as_json("log", "--month", "2014-04", *db)["entries"]) == 1


def test_evaluate_again_applies_the_exclusions_in_force(april: str, tmp_path: Path) -> None:
    # a month evaluated again after an exclusion must not name the excluded officer in its
    # own report and JSON (the views already did; the run's own output named him)
    location = april  # the sample April evaluated into it, r.xlsx its report
    db = ("--db", location)
    code, _, stderr = cli("exclude", "2014-04", SU_ZHEN, "--reason", "公示期间投诉属实", *db)
    assert code == 0, stderr
    again = as_json("evaluate", "2014-04", SAMPLE, "--out", tmp_path / "r2.xlsx", *db)
    winners = [w for w in again["winners"] if w["star"] == "mediation"]
    assert SU_ZHEN not in [w["officer_id"] for w in winners]
    assert [w["name"] for w in winners] == [name for name, named in mediation(location) if named]
    info = load_workbook(tmp_path / "r2.xlsx", read_only=True)["运行信息"]
    assert any("公示期间投诉属实" in str(cell) for row in info.values for cell in row)
