"""The engine on small frames: one test per rule of SPEC §2."""

from __future__ import annotations

import math

import pandas as pd

from fivestar.engine import evaluate
from fivestar.rules import RuleSet
from fivestar.rules.loader import parse_rules
from tests.conftest import DEFAULT_RULES, officer, table
from tests.wording import codes, said


def outcome(result: pd.DataFrame, officer_id: str, star: str) -> pd.Series:
    rows = result[(result["officer_id"] == officer_id) & (result["star"] == star)]
    assert len(rows) == 1
    return rows.iloc[0]


def visit_stars() -> list[dict[str, object]]:
    """Every gate-passer qualifies for the visits star: these two take it first."""
    return [officer("V1", visits=200), officer("V2", visits=190)]


def winners_of(evaluation: object, star: str) -> list[tuple[int, str, bool]]:
    w = evaluation.winners  # type: ignore[attr-defined]
    sub = w[w["star"] == star]
    return list(zip(sub["rank"], sub["officer_id"], sub["tied"], strict=True))


def test_top_quota_by_ranking_key(rules: RuleSet) -> None:
    frame = table(officer("001", visits=120), officer("002", visits=150), officer("003", visits=90))
    result = evaluate(rules, frame, "2014-04")
    assert winners_of(result, "visits") == [(1, "002", False), (2, "001", False)]
    assert outcome(result.outcomes, "003", "visits")["rank"] == 3
    assert not outcome(result.outcomes, "003", "visits")["named"]


def test_tie_at_the_cut_names_all_and_flags_them(rules: RuleSet) -> None:
    frame = table(
        *visit_stars(),
        officer("001", info_leads=30),
        officer("002", info_leads=15),
        officer("003", info_leads=15),
    )
    result = evaluate(rules, frame, "2014-04")
    assert winners_of(result, "information") == [
        (1, "001", False),
        (2, "002", True),
        (2, "003", True),
    ]
    assert "信息采集之星：并列，名额 2 人，评出 3 人" in [note.text for note in result.notes]


def test_one_star_per_officer_in_rules_order(rules: RuleSet) -> None:
    both = {"mediations": 9, "mediations_ok": 9, "followups_ok": 9}
    frame = table(
        officer("001", visits=160, **both),
        officer("002", visits=100),
        officer("003", mediations=4, mediations_ok=4, followups_ok=4),
        officer("004", mediations=3, mediations_ok=3, followups_ok=3),
    )
    result = evaluate(rules, frame, "2014-04")
    assert winners_of(result, "visits")[0][1] == "001"
    assert [w[1] for w in winners_of(result, "mediation")] == ["003", "004"]
    skipped = outcome(result.outcomes, "001", "mediation")
    assert skipped["qualified"]
    assert not skipped["named"]
    assert skipped["named_for"] == "visits"
    assert pd.isna(skipped["rank"])
    assert result.winners["officer_id"].is_unique


def test_only_an_earlier_star_keeps_an_officer_out(rules: RuleSet) -> None:
    # 003 ranks 3rd for visits (quota 2) and is named for mediation, filled after visits:
    # the rank kept 003 out of visits, so nothing says mediation did
    both = {"mediations": 9, "mediations_ok": 9, "followups_ok": 9}
    frame = table(
        officer("001", visits=160),
        officer("002", visits=150),
        officer("003", visits=140, **both),
        officer("004", visits=90, **both),
    )
    result = evaluate(rules, frame, "2014-04")
    assert [w[1] for w in winners_of(result, "visits")] == ["001", "002"]
    assert [w[1] for w in winners_of(result, "mediation")] == ["003", "004"]
    visits = outcome(result.outcomes, "003", "visits")
    assert (visits["rank"], visits["named"], visits["named_for"]) == (3, False, "")
    assert outcome(result.outcomes, "003", "information")["named_for"] == "mediation"


def test_business_police_skip_the_gate_and_compete_for_service_only(rules: RuleSet) -> None:
    frame = table(
        officer("001", role="六进业务警种民警", visits=0, services=6, services_ok=5, info_leads=40),
        officer("002", services=4, services_ok=4, visits=60),
    )
    for key in ("id_consistency", "visit_rate", "satisfaction"):
        frame.loc[0, key] = math.nan
    result = evaluate(rules, frame, "2014-04")
    assert winners_of(result, "service") == [(1, "001", False)]
    info = outcome(result.outcomes, "001", "information")
    assert not info["eligible"]
    assert said(rules, info["reasons"]) == "无参评资格：岗位为六进业务警种民警"
    assert codes(info["reasons"]) == ["not-eligible"]
    gated = outcome(result.outcomes, "002", "service")
    assert not gated["qualified"]
    assert said(rules, gated["reasons"]) == "资格：入户走访户数 60，还差 20 户"
    assert codes(gated["reasons"]) == ["gate"]
    assert "001" not in set(result.under_minimum["officer_id"])


def test_rates_compare_exactly(rules: RuleSet) -> None:
    frame = table(officer("001", id_consistency=0.9996), officer("002", id_consistency=1.0 - 1e-12))
    result = evaluate(rules, frame, "2014-04")
    why = outcome(result.outcomes, "001", "visits")["reasons"]
    assert said(rules, why) == "人号一致率 99.96%，还差 0.04 个百分点"
    assert why[0].params == {
        "metric": "id_consistency", "value": 0.9996, "op": ">=", "threshold": 1.0, "unit": "rate"
    }  # fmt: skip
    assert outcome(result.outcomes, "002", "visits")["qualified"]


def test_a_rate_just_under_its_threshold_never_reads_as_it(rules: RuleSet) -> None:
    # 4 decimals would show 99.99999 % as "100.0% < 100%": it shows as many as tell them apart
    frame = table(
        officer("001", id_consistency=0.9999999),
        officer("002", id_consistency=0.98),
    )
    result = evaluate(rules, frame, "2014-04")
    assert said(rules, outcome(result.outcomes, "001", "visits")["reasons"]) == (
        "人号一致率 99.99999%，还差 0.00001 个百分点"
    )
    assert said(rules, outcome(result.outcomes, "002", "visits")["reasons"]) == (
        "人号一致率 98%，还差 2 个百分点"
    )
    # a threshold that is not a whole number: 99.499999 % is not shown as 99.5 %
    text = DEFAULT_RULES.read_text(encoding="utf-8").replace(
        '{ metric = "id_consistency", op = ">=", value = 100 }',
        '{ metric = "id_consistency", op = ">=", value = 99.5 }',
    )
    strict = parse_rules(text.encode(), "variant.toml")
    result = evaluate(strict, table(officer("001", id_consistency=0.99499999)), "2014-04")
    assert said(strict, outcome(result.outcomes, "001", "visits")["reasons"]) == (
        "人号一致率 99.499999%，还差 0.000001 个百分点"
    )


def test_missing_rate_is_evaluated_and_fails_as_missing(rules: RuleSet) -> None:
    frame = table(officer("001", satisfaction=math.nan, info_leads=12))
    result = evaluate(rules, frame, "2014-04")
    info = outcome(result.outcomes, "001", "information")
    assert not info["qualified"]
    assert said(rules, info["reasons"]) == "资格：群众满意率 缺失"
    assert info["reasons"][0].params["reason"].code == "value-missing"
    assert info["near_miss"]


def test_gap_in_words_and_near_misses(rules: RuleSet) -> None:
    frame = table(officer("001", visits=72, mediations=3, mediations_ok=2, followups_ok=3))
    result = evaluate(rules, frame, "2014-04")
    visits = outcome(result.outcomes, "001", "visits")
    assert said(rules, visits["reasons"]) == "入户走访户数 72，还差 8 户"
    assert visits["near_miss"]
    mediation = outcome(result.outcomes, "001", "mediation")
    assert said(rules, mediation["reasons"]) == (
        "调解成功率 66.6667%，还差 33.3333 个百分点；资格：入户走访户数 72，还差 8 户"
    )
    assert mediation["failed"] == 2
    assert not mediation["near_miss"]


def test_investigation_is_any_of(rules: RuleSet) -> None:
    frame = table(
        *visit_stars(), officer("001", fugitives=1), officer("002"), officer("003", suspects=2)
    )
    result = evaluate(rules, frame, "2014-04")
    assert winners_of(result, "investigation") == [(1, "003", False), (2, "001", False)]
    why = outcome(result.outcomes, "002", "investigation")["reasons"]
    assert said(rules, why) == (
        "（任一即可）破案线索数 0，还差 1 条；或 抓获嫌疑人数 0，还差 1 人；"
        "或 抓获逃犯数 0，还差 1 人"
    )
    assert codes(why) == ["no-option-met"]
    assert codes(why[0].params["options"]) == ["threshold-not-met"] * 3


def test_service_ranks_by_recognized_then_total(rules: RuleSet) -> None:
    frame = table(
        *visit_stars(),
        officer("001", services=5, services_ok=4),
        officer("002", services=9, services_ok=4),
        officer("003", services=9, services_ok=3),
    )
    result = evaluate(rules, frame, "2014-04")
    assert winners_of(result, "service") == [(1, "002", False), (2, "001", False)]


def test_under_minimum_lists_community_officers_below_50(rules: RuleSet) -> None:
    frame = table(
        officer("001", visits=42, info_leads=99),
        officer("002", visits=50),
        officer("003", visits=0, role="六进业务警种民警"),
    )
    result = evaluate(rules, frame, "2014-04")
    listed = result.under_minimum
    assert list(listed["officer_id"]) == ["001"]
    assert listed.loc[0, "shortfall"] == 8
    assert said(rules, [listed.loc[0, "reason"]]) == "入户走访户数 42，还差 8 户"
    assert "001" not in set(result.winners["officer_id"])


def _variant(**selection: str) -> RuleSet:
    text = DEFAULT_RULES.read_text(encoding="utf-8")
    for key, value in selection.items():
        text = text.replace(f'{key} = "', f'{key} = "{value}"  # was "', 1)
    return parse_rules(text.encode(), "variant.toml")


def test_dense_ranking_is_a_rules_option() -> None:
    frame = table(
        *visit_stars(),
        officer("001", info_leads=30),
        officer("002", info_leads=30),
        officer("003", info_leads=20),
    )
    dense = evaluate(_variant(ranking="dense"), frame, "2014-04")
    ranks = dense.outcomes[dense.outcomes["star"] == "information"].set_index("officer_id")["rank"]
    assert ranks.dropna().to_dict() == {"001": 1, "002": 1, "003": 2}
    # both firsts fill the two places: a shared rank inside the quota, not 并列 (SPEC §2)
    assert winners_of(dense, "information") == [(1, "001", False), (1, "002", False)]


def test_strict_ties_keep_the_quota() -> None:
    frame = table(
        *visit_stars(),
        officer("001", info_leads=30),
        officer("002", info_leads=15),
        officer("003", info_leads=15),
    )
    result = evaluate(_variant(ties="strict"), frame, "2014-04")
    # 002 takes the last place by 警号 order over 003, who has the same figures: 并列 says so
    assert winners_of(result, "information") == [(1, "001", False), (2, "002", True)]
    assert "信息采集之星：名额最后一位并列，按规则只取 2 人（按警号顺序）" in [
        note.text for note in result.notes
    ]


def test_a_tie_inside_the_quota_is_not_flagged(rules: RuleSet) -> None:
    frame = table(
        *visit_stars(),
        officer("001", info_leads=30),
        officer("002", info_leads=30),
        officer("003", info_leads=15),
    )
    result = evaluate(rules, frame, "2014-04")
    assert winners_of(result, "information") == [(1, "001", False), (1, "002", False)]
    assert outcome(result.outcomes, "003", "information")["rank"] == 3
    assert not any(note.params.get("star") == "information" for note in result.notes)


def test_engine_does_not_change_its_input(rules: RuleSet) -> None:
    frame = table(officer("001", visits=100))
    before = frame.copy()
    evaluate(rules, frame, "2014-04")
    pd.testing.assert_frame_equal(frame, before)
