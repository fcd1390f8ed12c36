"""The bureau's exclusions as the engine applies them: passed over before ranking."""

from __future__ import annotations

import pandas as pd

from fivestar.engine import evaluate
from fivestar.engine.reasons import EXCLUDED, Reason
from fivestar.rules import RuleSet
from tests.conftest import officer, table
from tests.wording import codes, said

AT = "2014-05-06T09:12:00"  # no offset: read as local time, shown as written


def excluded(why: str, star: str = "") -> Reason:
    return Reason(EXCLUDED, {"reason": why, "author": "张三", "at": AT, "star": star})


def bars(*rows: tuple[str, str, Reason]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=["officer_id", "star", "reason"])


def named(evaluation: object, star: str) -> list[str]:
    w = evaluation.winners  # type: ignore[attr-defined]
    return list(w.loc[w["star"] == star, "officer_id"])


def frame() -> pd.DataFrame:
    return table(
        officer("001", visits=200), officer("002", visits=190), officer("003", visits=150),
        officer("004", visits=120),
    )  # fmt: skip


def test_an_excluded_winner_is_passed_over_and_the_next_takes_the_place(rules: RuleSet) -> None:
    plain = evaluate(rules, frame(), "2014-04")
    assert named(plain, "visits") == ["001", "002"]
    barred = evaluate(rules, frame(), "2014-04", bars=bars(("001", "", excluded("违纪"))))
    assert named(barred, "visits") == ["002", "003"]
    out = barred.outcomes
    mine = out[out["officer_id"] == "001"]
    assert not mine["qualified"].any() and not mine["near_miss"].any()
    assert all(r[0] == excluded("违纪") for r in mine["reasons"])
    assert said(rules, mine["reasons"].iloc[0]) == "因违纪取消评选资格（张三，2014-05-06 09:12）"
    # one star per officer as always: 001, not named for visits, is free for nothing else
    assert mine["named"].sum() == 0


def test_a_one_star_exclusion_leaves_the_other_stars(rules: RuleSet) -> None:
    people = table(
        officer("001", visits=200, mediations=9, mediations_ok=9, followups_ok=9),
        officer("002", visits=190), officer("003", visits=150),
        officer("004", mediations=8, mediations_ok=8, followups_ok=8),
    )  # fmt: skip
    bar = ("001", "visits", excluded("投诉", "visits"))
    barred = evaluate(rules, people, "2014-04", bars=bars(bar))
    assert named(barred, "visits") == ["002", "003"]
    assert "001" in named(barred, "mediation")  # free for the next star now
    reasons = barred.outcomes.set_index(["officer_id", "star"])["reasons"]
    assert said(rules, reasons[("001", "visits")]).startswith("因投诉取消入户走访之星评选资格")
    assert not reasons[("001", "mediation")]


def test_no_bars_is_the_plain_evaluation(rules: RuleSet) -> None:
    plain = evaluate(rules, frame(), "2014-04")
    empty = evaluate(rules, frame(), "2014-04", bars=bars())
    pd.testing.assert_frame_equal(plain.outcomes, empty.outcomes)


def test_a_veto_in_the_rules_passes_the_officer_over(rules: RuleSet) -> None:
    from fivestar.rules.loader import parse_rules
    from tests.conftest import DEFAULT_RULES

    text = (
        DEFAULT_RULES.read_bytes()
        + (
            '\n[[vetoes]]\nlabel = "服务投诉"\nmetric = "services"\nop = ">="\nvalue = 50\n'
        ).encode()
    )
    vetoing = parse_rules(text, "veto.toml")
    people = table(officer("001", visits=200, services=60), officer("002", visits=190),
                   officer("003", visits=150))  # fmt: skip
    assert named(evaluate(rules, people, "2014-04"), "visits") == ["001", "002"]
    result = evaluate(vetoing, people, "2014-04", bars=bars(("002", "", excluded("违纪"))))
    assert named(result, "visits") == ["003"]
    why = result.outcomes.set_index(["officer_id", "star"])["reasons"]
    assert said(vetoing, why[("001", "visits")][:1]) == "一票否决：服务投诉（服务群众次数 >= 50）"
    assert why[("001", "visits")][0].params == {
        "label": "服务投诉", "metric": "services", "op": ">=", "threshold": 50, "unit": "count",
        "value": 60,
    }  # fmt: skip
    assert codes(why[("002", "visits")]) == ["excluded"]


def test_the_dezhou_rules_keep_no_veto(rules: RuleSet) -> None:
    assert rules.model.vetoes == []
