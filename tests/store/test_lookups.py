"""report / explain / history forgive what a clerk types alike: surrounding spaces, a 警号 that
lost its leading zero, a bureau typed short — and say what is stored, on every backend."""

from __future__ import annotations

from functools import partial

import pytest

from fivestar.queries.lookup import bureaus_hint, close_ids
from fivestar.rules import RuleSet
from fivestar.store import open_store
from tests.conftest import officer, run_cli
from tests.conftest import run_cli_json as run_json
from tests.store.builders import run_result, started

run = partial(run_cli, columns=200)  # tables on one line

WU, XIA = "武城县局", "夏津县局"
BUREAUS = f"bureaus: {XIA}, {WU}"


def test_a_dropped_leading_zero_is_suggested_first() -> None:
    # 37148105 is how Excel shows 037148105 typed as a number
    assert close_ids("37148105", ["371428015", "037148105", "371428010"])[0] == "037148105"
    # too short for a likeness score, still a dropped zero
    assert close_ids("1", ["001", "002", "B01"]) == ["001"]
    assert close_ids("999", ["001", "002"]) == []


def test_a_bureau_typed_short_is_suggested() -> None:
    assert str(bureaus_hint("武城", [WU, XIA, ""])) == f"{BUREAUS}; did you mean {WU}?"
    assert str(bureaus_hint("德城区局", [WU, XIA])) == BUREAUS  # like neither: no guess
    assert str(bureaus_hint("x", [""])) == "bureaus: none"


def test_history_officer_is_trimmed(db: str) -> None:
    one = run_json("history", "--officer", " 006\u3000", "--db", db)["officers"]
    assert [o["officer_id"] for o in one] == ["006"]


@pytest.mark.usefixtures("english")
def test_history_officer_suggests_the_stored_one(db: str) -> None:
    result = run("history", "--officer", "06", "--db", db)
    assert result.exit_code == 2
    assert result.stderr == (
        "fivestar: error: no officer 06 in 2014; 9 officers stored; did you mean 006?\n"
    )


@pytest.mark.usefixtures("english")
def test_history_officer_of_another_bureau_says_which(db: str) -> None:
    result = run("history", "--bureau", XIA, "--officer", "001", "--db", db)
    assert result.exit_code == 2
    assert result.stderr == (
        f"fivestar: error: no officer 001 in {XIA} in 2014; this officer is in {WU}\n"
    )


@pytest.mark.usefixtures("english")
def test_history_officer_of_another_year_says_when(db: str, rules: RuleSet) -> None:
    with open_store(db) as store:
        result = run_result(rules, "2013-11", [officer("X13", visits=200)])
        store.record(result, "x", recorded=started("2013-11", 1))
    result = run("history", "--year", "2014", "--officer", "X13", "--db", db)
    assert result.exit_code == 2
    assert result.stderr == (
        "fivestar: error: no officer X13 in 2014; this officer is stored for: 2013-11\n"
    )


def test_bureau_is_trimmed(db: str) -> None:
    xia = run_json("report", "--star", "mediation", "--bureau", f" {XIA} ", "--db", db)
    assert xia["bureau"] == XIA
    assert [(e["rank"], e["officer_id"]) for e in xia["ranking"]] == [(2, "002")]
    year = run_json("history", "--bureau", f"{XIA} ", "--db", db)
    assert [o["officer_id"] for o in year["officers"]] == ["002", "006", "V2"]
    county = run_json("report", "--scope", "county", "--bureau", f" {XIA}", "--db", db)
    assert (county["bureau"], county["scope"]) == (XIA, "county")


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "--bureau", "夏津"], f"no bureau '夏津' in 2014-04 (run 3); {BUREAUS}"),
        (["history", "--bureau", "夏津"], f"no bureau '夏津' in 2014; {BUREAUS}"),
        (
            ["history", "--scope", "county", "--bureau", "夏津"],
            f"no bureau '夏津' in 2014; {BUREAUS}",
        ),
        (
            ["report", "--scope", "county", "--bureau", "夏津"],
            f"no run for bureau '夏津' in 2014-04; {BUREAUS}",
        ),
    ],
)
def test_an_unknown_bureau_lists_the_stored_ones_and_suggests_one(
    db: str, args: list[str], message: str
) -> None:
    result = run(*args, "--db", db)
    assert result.exit_code == 2
    assert result.stderr == f"fivestar: error: {message}; did you mean {XIA}?\n"


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["report", "--bureau", " "], "--bureau"),
        (["report", "--scope", "county", "--bureau", "\u3000"], "--bureau"),
        (["history", "--bureau", " "], "--bureau"),
        (["history", "--officer", " "], "--officer"),
    ],
)
def test_a_blank_bureau_or_officer_is_a_usage_error(db: str, args: list[str], option: str) -> None:
    # blank would match the officers whose cell is empty: say so rather than guess
    result = run(*args, "--db", db)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"fivestar: error: {option} is empty: give a value, or leave the option out\n"
    )
