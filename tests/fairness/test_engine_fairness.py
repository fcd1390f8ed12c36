"""The fairness options at the selection step: per-bureau cap, cool-down, their notes."""

from __future__ import annotations

import pandas as pd

from fivestar.engine import evaluate
from fivestar.engine.fairness import PastWinners
from fivestar.rules import RuleSet
from tests.conftest import officer, table
from tests.fairness.helpers import ruleset, with_fairness
from tests.wording import codes, said


def _named(result: object, star: str) -> list[str]:
    w = result.winners  # type: ignore[attr-defined]
    return list(w[w["star"] == star]["officer_id"])


def _row(result: object, officer_id: str, star: str) -> pd.Series:
    out = result.outcomes  # type: ignore[attr-defined]
    return out[(out["officer_id"] == officer_id) & (out["star"] == star)].iloc[0]


def one_bureau_holds_both() -> pd.DataFrame:
    """Wucheng's two officers hold both places of the visits star; Xiajin's is third."""
    return table(
        officer("A1", visits=200),
        officer("A2", visits=190),
        officer("B1", visits=150, bureau="夏津县局"),
        officer("B2", visits=120, bureau="夏津县局"),
    )


def test_without_cap_one_bureau_takes_both_places(rules: RuleSet) -> None:
    assert _named(evaluate(rules, one_bureau_holds_both(), "2014-04"), "visits") == ["A1", "A2"]


def test_cap_of_one_gives_the_second_place_to_another_bureau() -> None:
    capped = ruleset(with_fairness("bureau_cap = 1"))
    result = evaluate(capped, one_bureau_holds_both(), "2014-04")
    assert _named(result, "visits") == ["A1", "B1"]
    passed = _row(result, "A2", "visits")
    assert bool(passed["qualified"]) and not bool(passed["named"])
    assert said(capped, passed["reasons"]) == (
        "每个县局每项最多 1 名：武城县局 已有 1 名排名在前，本人不参与本项排名"
    )
    assert passed["reasons"][0].params == {"cap": 1, "bureau": "武城县局"}
    assert any("每个县局最多 1 名" in note.text for note in result.notes)
    # Xiajin's second is beyond the cap too; no bureau holds two places
    assert codes(_row(result, "B2", "visits")["reasons"]) == ["bureau-cap"]
    assert "夏津县局" in said(capped, _row(result, "B2", "visits")["reasons"])


def test_cap_tie_at_the_bureau_cut_is_noted() -> None:
    capped = ruleset(with_fairness("bureau_cap = 1"))
    frame = table(
        officer("A1", visits=200),
        officer("A2", visits=200),
        officer("B1", visits=150, bureau="夏津县局"),
    )
    result = evaluate(capped, frame, "2014-04")
    assert _named(result, "visits") == ["A1", "B1"]
    assert any("同一县局并列于限额处" in note.text for note in result.notes)


def test_cooldown_passes_over_last_months_winner() -> None:
    cool = ruleset(with_fairness("cooldown_months = 1"))
    frame = table(officer("A1", visits=200), officer("A2", visits=190), officer("A3", visits=180))
    past = PastWinners(months=("2014-03",), named={"visits": {"A1": "2014-03"}})
    result = evaluate(cool, frame, "2014-04", past=past)
    assert _named(result, "visits") == ["A2", "A3"]
    (why,) = _row(result, "A1", "visits")["reasons"]
    assert (why.code, why.params) == (
        "cooldown",
        {"star": "visits", "months": 1, "month": "2014-03"},
    )
    assert (
        said(cool, [why]) == "冷却期：前 1 个月内已获评入户走访之星（2014-03），本月不参与本项排名"
    )


def test_cooldown_without_history_says_so_and_names_as_usual() -> None:
    cool = ruleset(with_fairness("cooldown_months = 2"))
    frame = table(officer("A1", visits=200), officer("A2", visits=190), officer("A3", visits=180))
    result = evaluate(cool, frame, "2014-04")
    assert _named(result, "visits") == ["A1", "A2"]
    assert any("冷却期" in note.text and "未执行" in note.text for note in result.notes)
    half = PastWinners(months=("2014-03",), missing=("2014-02",))
    partial = evaluate(cool, frame, "2014-04", past=half)
    assert any("2014-02" in note.text for note in partial.notes)


def test_fairness_off_in_the_dezhou_rules(rules: RuleSet) -> None:
    assert rules.model.fairness.bureau_cap is None
    assert rules.model.fairness.cooldown_months == 0
