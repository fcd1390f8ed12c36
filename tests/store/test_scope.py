"""City-wide results from county runs: each bureau from its latest run, winners judged again
city-wide; a county's own run with --scope county. On every backend."""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest

from fivestar.rules import RuleSet
from fivestar.store import open_store
from tests.conftest import officer, run_cli
from tests.conftest import run_cli_json as run_json
from tests.store.builders import XIAJIN, april_rows, mediator, run_result

run = partial(run_cli, columns=200)  # tables on one line

WU, XIA = "武城县局", XIAJIN


def record(location: str, rules: RuleSet, *runs: list[dict[str, Any]]) -> None:
    with open_store(location) as store:
        for rows in runs:
            store.record(run_result(rules, "2014-04", rows), "cmd")


def county(rows: list[dict[str, Any]], bureau: str) -> list[dict[str, Any]]:
    return [row for row in rows if row.get("bureau", WU) == bureau]


def without_runs(obj: Any) -> Any:
    """A JSON answer without the fields naming the runs read."""
    if isinstance(obj, dict):
        return {k: without_runs(v) for k, v in obj.items() if k not in ("run", "runs", "scope")}
    if isinstance(obj, list):
        return [without_runs(v) for v in obj]
    return obj


def winners(report: Any) -> list[tuple[str, str]]:
    return [
        (s["star"], e["officer_id"]) for s in report["stars"] for e in s["ranking"] if e["named"]
    ]


def test_county_runs_merged_give_the_city_wide_result(location: str, rules: RuleSet) -> None:
    record(location, rules, april_rows())
    whole = run_json("report", "--db", location)
    assert (whole["runs"], whole["scope"]) == ([1], "city")
    record(location, rules, county(april_rows(), XIA), county(april_rows(), WU))
    merged = run_json("report", "--db", location)
    assert (merged["run"], merged["runs"], merged["scope"]) == (3, [2, 3], "city")
    assert without_runs(merged) == without_runs(whole)
    for officer_id in ("002", "005", "B01"):
        one = run_json("explain", officer_id, "--db", location)
        assert without_runs(one) == without_runs(
            run_json("explain", officer_id, "--run", "1", "--db", location)
        )
    history = run_json("history", "--db", location)
    assert history["runs"] == {"2014-04": [2, 3]}
    assert [r["latest"] for r in run_json("runs", "--db", location)["runs"]] == [False, True, True]


def test_a_county_rerun_replaces_that_county_only(location: str, rules: RuleSet) -> None:
    xia_again = [*county(april_rows(), XIA), mediator("X9", 7, bureau=XIA)]
    record(location, rules, april_rows(), xia_again)
    city = run_json("report", "--db", location)
    assert city["runs"] == [1, 2]
    mediation = [(e["rank"], e["officer_id"], e["named"]) for e in city["stars"][1]["ranking"]]
    # X9 (7) tops the city; 002 (4), named in Xiajin's own run, is not named city-wide.
    assert mediation == [(1, "X9", True), (2, "001", True), (3, "002", False), (4, "003", False)]
    assert ("visits", "V1") in winners(city)  # Wucheng's officers are still there
    own = run_json("report", "--scope", "county", "--bureau", XIA, "--db", location)
    assert (own["runs"], own["scope"]) == ([2], "county")
    # Xiajin alone: its mediators (85 households) tie for the second visits star.
    assert winners(own) == [("visits", "V2"), ("visits", "002"), ("visits", "X9")]
    wu = run_json(
        "report", "--star", "mediation", "--scope", "county", "--bureau", WU, "--db", location
    )
    assert (wu["runs"], [e["officer_id"] for e in wu["ranking"]]) == ([1], ["001", "003"])
    city_002 = run_json("explain", "002", "--db", location)["stars"][1]
    assert (city_002["rank"], city_002["named"]) == (3, False)
    own_002 = run_json("explain", "002", "--scope", "county", "--db", location)
    assert (own_002["runs"], own_002["stars"][0]["named"], own_002["stars"][0]["tied"]) == (
        [2],
        True,
        True,
    )
    year = run_json("history", "--db", location)
    stars = {o["officer_id"]: o["stars"] for o in year["officers"]}
    assert (stars["002"], stars["X9"], stars["001"]) == (
        {"2014-04": []},
        {"2014-04": ["mediation"]},
        {"2014-04": ["mediation"]},
    )
    xia_year = run_json("history", "--scope", "county", "--bureau", XIA, "--db", location)
    assert xia_year["runs"] == {"2014-04": [2]}
    assert {o["officer_id"]: o["stars"]["2014-04"] for o in xia_year["officers"]}["002"] == [
        "visits"
    ]
    listed = run_json("runs", "--db", location)["runs"]
    assert [(r["bureaus"], r["latest"]) for r in listed] == [([XIA, WU], True), ([XIA], True)]
    record(location, rules, april_rows())  # the city evaluated again, all at once
    again = run_json("report", "--db", location)
    assert again["runs"] == [3]
    assert without_runs(again) == without_runs(run_json("report", "--run", "1", "--db", location))


def test_an_officer_in_two_runs_is_taken_from_the_later(location: str, rules: RuleSet) -> None:
    moved = officer("V1", visits=300, bureau=XIA)  # now reported by Xiajin
    record(location, rules, april_rows(), [*county(april_rows(), XIA), moved])
    visits = run_json("report", "--star", "visits", "--db", location)["ranking"]
    assert [(e["officer_id"], e["bureau"]) for e in visits[:2]] == [("V1", XIA), ("V2", XIA)]
    assert [e["officer_id"] for e in visits].count("V1") == 1


@pytest.mark.usefixtures("english")
def test_scope_errors_are_one_line(db: str) -> None:
    cases = [
        (["report", "--scope", "county"], "--scope county needs --bureau: whose county?"),
        (["report", "--scope", "town"], "--scope 'town': write city or county"),
        (
            ["report", "--scope", "county", "--bureau", "德城区局"],
            "no run for bureau '德城区局' in 2014-04; bureaus: 夏津县局, 武城县局",
        ),
        (["history", "--scope", "county"], "--scope county needs --bureau: whose county?"),
        (
            ["history", "--scope", "county", "--bureau", "德城区局"],
            "no bureau '德城区局' in 2014; bureaus: 夏津县局, 武城县局",
        ),
    ]
    for args, message in cases:
        result = run(*args, "--db", db)
        assert (result.exit_code, result.stdout) == (2, ""), args
        assert result.stderr == f"fivestar: error: {message}\n"


def test_the_terminal_names_the_runs_merged(location: str, rules: RuleSet) -> None:
    record(location, rules, april_rows(), county(april_rows(), XIA))
    shown = run("report", "--star", "mediation", "--db", location)
    assert shown.exit_code == 0
    assert "第 1、2 次评选（各县局最新运行合并，全市统一评定）" in shown.stdout
    assert "第 1、2 次评选" in run("explain", "001", "--db", location).stdout
    assert "县局自评" in run("explain", "002", "--scope", "county", "--db", location).stdout


def test_a_county_s_own_export_is_titled_as_the_county_s(
    location: str, rules: RuleSet, tmp_path: Any
) -> None:
    import openpyxl

    record(location, rules, april_rows(), county(april_rows(), XIA))
    out = tmp_path / "own.xlsx"
    got = run("report", "--scope", "county", "--bureau", XIA, "--db", location, "--out", out)
    assert got.exit_code == 0, got.stderr
    titles = [ws["A1"].value for ws in openpyxl.load_workbook(out).worksheets]
    assert titles and all(t.startswith(f"{XIA}2014年4月") and "县局自评" in t for t in titles)
    city = tmp_path / "city.xlsx"
    assert run("report", "--bureau", XIA, "--db", location, "--out", city).exit_code == 0
    titles = [ws["A1"].value for ws in openpyxl.load_workbook(city).worksheets]
    assert all(t.startswith("德州市公安局") and "自评" not in t for t in titles)
