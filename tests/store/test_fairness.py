"""The fairness options against a real store, on every backend: the cool-down reads the
earlier months' winners from it; a bureau cap's reason reaches `explain` and `report`."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path

from fivestar.engine import evaluate
from fivestar.evaluate import evaluate_month
from fivestar.queries.cooldown import months_before, read_past_winners
from fivestar.rules import RuleSet
from fivestar.store import open_store
from tests.conftest import TIDY_HEADER, officer, run_cli, table
from tests.conftest import run_cli_json as run_json
from tests.fairness.helpers import ruleset, with_fairness, write
from tests.io.io_builders import tidy_row, write_csv
from tests.store.builders import run_result

run = partial(run_cli, columns=200)  # tables on one line

XIA = "夏津县局"


def visitors(month: str) -> list[dict[str, object]]:
    """Three officers who qualify for the visits star every month, A1 ahead of A2 of A3."""
    return [
        {**officer("A1", visits=200), "month": month},
        {**officer("A2", visits=190), "month": month},
        {**officer("A3", visits=180), "month": month},
    ]


def named(result: object, star: str) -> list[str]:
    w = result.winners  # type: ignore[attr-defined]
    return list(w[w["star"] == star]["officer_id"])


def test_months_before() -> None:
    assert months_before("2014-02", 3) == ["2013-11", "2013-12", "2014-01"]


def test_cooldown_across_two_stored_months(location: str) -> None:
    cool = ruleset(with_fairness("cooldown_months = 2"))
    with open_store(location) as store:
        # March: no history before it; A1 and A2 take the visits star
        store.record(run_result(cool, "2014-03", visitors("2014-03")), "march")
    april_past = read_past_winners(location, cool, "2014-04")
    assert april_past is not None and april_past.missing == ("2014-02",)
    april = evaluate(cool, table(*visitors("2014-04")), "2014-04", past=april_past)
    assert named(april, "visits") == ["A3"]  # A1, A2 cooling down; A3 alone qualifies
    with open_store(location) as store:
        # April recorded as judged with its cool-down: A3 its only winner
        store.record(
            replace(run_result(cool, "2014-04", visitors("2014-04")), evaluation=april), "a"
        )
    # May looks back over March and April, both stored: nobody of the three is free
    may_past = read_past_winners(location, cool, "2014-05")
    assert may_past is not None
    assert may_past.months == ("2014-03", "2014-04") and may_past.missing == ()
    may = evaluate(cool, table(*visitors("2014-05")), "2014-05", past=may_past)
    assert named(may, "visits") == []
    reasons = may.outcomes.set_index(["officer_id", "star"])["reasons"]
    (why,) = reasons[("A1", "visits")]
    assert (why.code, why.params["month"]) == ("cooldown", "2014-03")
    assert not any("未执行" in note.text or "没有" in note.text for note in may.notes)


def test_evaluate_reads_the_cooldown_from_the_store(location: str, tmp_path: Path) -> None:
    text = with_fairness("cooldown_months = 1")
    rules_file = write(tmp_path / "cool.toml", text)
    cool = ruleset(text)
    with open_store(location) as store:
        store.record(run_result(cool, "2014-03", visitors("2014-03")), "march")
    rows = [TIDY_HEADER, tidy_row("A1", "甲", 200), tidy_row("A2", "乙", 190)]
    rows.append(tidy_row("A3", "丙", 180))
    source = write_csv(tmp_path / "april.csv", rows)
    result = evaluate_month(
        "2014-04",
        [source],
        rules_path=rules_file,
        out=tmp_path / "r.xlsx",
        record=True,
        db=location,
    )
    assert named(result.evaluation, "visits") == ["A3"]
    # without the store the run cannot know: it says so and names as usual
    alone = evaluate_month("2014-04", [source], rules_path=rules_file, out=tmp_path / "s.xlsx")
    assert named(alone.evaluation, "visits") == ["A1", "A2"]
    assert any("冷却期" in n.text and "未执行" in n.text for n in alone.evaluation.notes)


def test_bureau_cap_reason_in_explain_and_report(location: str) -> None:
    capped = ruleset(with_fairness("bureau_cap = 1"))
    rows = [
        {**officer("A1", visits=200), "month": "2014-04"},
        {**officer("A2", visits=190), "month": "2014-04"},
        {**officer("B1", visits=150, bureau=XIA), "month": "2014-04"},
    ]
    with open_store(location) as store:
        store.record(run_result(capped, "2014-04", rows), "capped")
    shown = run_json("report", "--star", "visits", "--db", location)
    assert [e["officer_id"] for e in shown["ranking"] if e["named"]] == ["A1", "B1"]
    verdicts = {v["star"]: v for v in run_json("explain", "A2", "--db", location)["stars"]}
    assert verdicts["visits"]["qualified"] and not verdicts["visits"]["named"]
    assert any("每个县局每项最多 1 名" in r for r in verdicts["visits"]["reasons"])
    text = run("explain", "A2", "--db", location).stdout
    assert "每个县局每项最多 1 名" in text
    assert "每个县局每项最多 1 名" in run("report", "--star", "visits", "--db", location).stdout


def test_dezhou_store_unchanged_by_fairness(location: str, rules: RuleSet) -> None:
    """The Dezhou rules have no fairness option: one bureau may hold both places."""
    rows = [
        {**officer("A1", visits=200), "month": "2014-04"},
        {**officer("A2", visits=190), "month": "2014-04"},
        {**officer("B1", visits=150, bureau=XIA), "month": "2014-04"},
    ]
    assert read_past_winners(location, rules, "2014-04") is None
    assert named(evaluate(rules, table(*rows), "2014-04"), "visits") == ["A1", "A2"]
