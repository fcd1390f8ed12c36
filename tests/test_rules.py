"""Rules files: the default encodes the scheme; a wrong file is refused with one located line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fivestar.errors import RulesError
from fivestar.rules import RuleSet, parse_rules, rules_for_month
from fivestar.rules.expr import ExprError, evaluate, names_in, parse_expr
from tests.conftest import DEFAULT_RULES

TEXT = DEFAULT_RULES.read_text(encoding="utf-8")


def test_default_rules_encode_the_scheme(rules: RuleSet) -> None:
    model = rules.model
    assert rules.star_keys == ["visits", "mediation", "investigation", "information", "service"]
    assert [s.quota for s in model.stars] == [2, 2, 2, 2, 2]
    assert model.selection.total == 10
    assert model.selection.one_star_per_officer
    assert (model.selection.ties, model.selection.ranking) == ("include", "competition")
    assert model.effective_from == "2014-01"
    assert model.organisation == "德州市公安局"
    assert model.gate.roles == ["社区民警"]
    assert [(c.metric, c.op, c.value) for c in model.gate.all] == [
        ("visits", ">=", 80),
        ("id_consistency", ">=", 100),
        ("visit_rate", ">=", 100),
        ("satisfaction", ">=", 100),
    ]
    assert (model.minimum.metric, model.minimum.value) == ("visits", 50)
    assert rules.star("service").roles == ["社区民警", "六进业务警种民警"]
    assert rules.star("service").rank_by == ["services_ok", "services"]
    assert "民警警号" in rules.aliases["officer_id"]


def _refused(text: str) -> str:
    with pytest.raises(RulesError) as caught:
        parse_rules(text.encode(), "bad.toml")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("bad.toml")
    return message


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'metric = "info_leads"',
            'metric = "info_lead"',
            "bad.toml, line 109: stars[3].criteria.all[0].metric: a metric key, got 'info_lead'"
            " (did you mean 'info_leads'?)",
        ),
        ('op = ">=", value = 3', 'op = "=>", value = 3', "stars[1].criteria.all[0].op: Input"),
        ("quota = 2", "quota = 0", "line 59: stars[0].quota: Input should be greater than"),
        ("ties = ", "tie = ", "line 16: selection.tie: no such key here (unknown key)"),
        (
            "followups_ok / mediations",
            "followups_ok / (mediations",
            "derived.followup_satisfaction.expr: expression 'followups_ok / (mediations'",
        ),
        ('rank_by = ["visits"]', 'rank_by = ["visitz"]', "stars[0].rank_by[0]: a metric key"),
        ('effective_from = "2014-01"', 'effective_from = "2014-13"', "effective_from: "),
        ("visits = [", "vists = [", "columns.vists: an input column key"),
        ("total = 10", "total = 11", "selection.total: the sum of the stars' quotas (10), got 11"),
        ("[selection]", "[selection", "not valid TOML"),
        (
            '{ metric = "satisfaction", op = ">=", value = 100 }',
            '{ metric = "satisfaction", op = ">=", value = 0.8 }',
            "gate.all[3].value: a rate in percent (100 means 100 %), got 0.8: did you mean 80?",
        ),
        (
            '{ metric = "satisfaction", op = ">=", value = 100 }',
            '{ metric = "satisfaction", op = ">=", value = 120 }',
            "gate.all[3].value: a rate in percent from 0 to 100, got 120",
        ),
        (
            'metric = "info_leads", op = ">=", value = 10',
            'metric = "info_leads", op = ">=", value = 9.5',
            "stars[3].criteria.all[0].value: a whole number of at least 0, got 9.5",
        ),
        (
            '{ metric = "visits", op = ">=", value = 80 }',
            '{ metric = "visits", op = ">=", value = -80 }',
            "gate.all[0].value: a whole number of at least 0, got -80",
        ),
    ],
)
def test_wrong_rules_are_refused_with_a_located_line(old: str, new: str, expected: str) -> None:
    assert old in TEXT
    assert expected in _refused(TEXT.replace(old, new, 1))


def test_rules_in_force_by_month(tmp_path: Path) -> None:
    (tmp_path / "a-2014.toml").write_text(TEXT, encoding="utf-8")
    later = TEXT.replace('effective_from = "2014-01"', 'effective_from = "2015-01"')
    later = later.replace("value = 80 }", "value = 90 }")
    (tmp_path / "b-2015.toml").write_text(later, encoding="utf-8")
    assert rules_for_month("2014-12", tmp_path).path.endswith("a-2014.toml")
    chosen = rules_for_month("2015-03", tmp_path)
    assert chosen.path.endswith("b-2015.toml")
    assert chosen.model.gate.all[0].value == 90
    with pytest.raises(RulesError, match="no rules in force for 2013-12"):
        rules_for_month("2013-12", tmp_path)


def test_packaged_rules_are_the_project_rules(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # no ./rules here: the rules shipped with the tool apply
    rules = rules_for_month("2014-04")
    assert rules.sha256 == parse_rules(DEFAULT_RULES.read_bytes(), "x").sha256
    assert rules.path == "built-in:dezhou-2014.toml"  # not a path: there is no ./rules here


def test_expressions_are_parsed_not_evaluated() -> None:
    node = parse_expr("(case_leads + suspects) * 2 - fugitives / 4")
    assert names_in(node) == {"case_leads", "suspects", "fugitives"}
    columns = {
        "case_leads": np.array([1.0, 0.0]),
        "suspects": np.array([2.0, 0.0]),
        "fugitives": np.array([4.0, 0.0]),
    }
    assert evaluate(node, columns).tolist() == [5.0, 0.0]
    ratio = evaluate(parse_expr("case_leads / suspects"), columns)
    assert ratio[0] == 0.5
    assert np.isnan(ratio[1])  # 0 / 0 is not computable, never an error
    for bad in ("__import__('os')", "a ** 2", "a +", "(a", "a b", "a; b"):
        with pytest.raises(ExprError):
            parse_expr(bad)


def test_two_files_in_force_from_one_month_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.toml").write_text(TEXT, encoding="utf-8")
    with pytest.raises(RulesError, match="effective_from 2014-01 is also the month of"):
        rules_for_month("2014-04", tmp_path)
