"""Vetoes over optional input columns declared in the rules (issue 15): what a rules file may
declare, and the slips refused on load with the key path."""

from __future__ import annotations

import pytest

from fivestar.errors import RulesError
from fivestar.rules import RuleSet, load_rules, parse_rules
from fivestar.rules.inputs import OptionalColumn
from tests.conftest import DEFAULT_RULES, ROOT

EXAMPLE = ROOT / "tests" / "data" / "veto-2014.toml"
TEXT = EXAMPLE.read_text(encoding="utf-8")


def test_the_example_declares_two_columns_and_their_vetoes() -> None:
    rules = load_rules(EXAMPLE)
    complaints = ("有效投诉", "投诉属实数")
    assert rules.optional_columns == (
        OptionalColumn("complaints", "有效投诉数", complaints, "count", ("群众有效投诉",)),
        OptionalColumn("discipline", "违纪", ("违纪违法",), "yes-no", ("违纪违法",)),
    )
    complaint, discipline = rules.model.vetoes
    assert (complaint.comparison.value, discipline.comparison.value) == (1, 1)
    assert (rules.label("discipline"), rules.unit("discipline")) == ("违纪", "yes-no")


def test_the_dezhou_rules_declare_no_column(rules: RuleSet) -> None:
    assert rules.optional_columns == ()


def test_stored_rules_read_back_the_same() -> None:
    # the store keeps a run's rules as JSON and validates them again when it reads them
    rules = load_rules(EXAMPLE)
    again = type(rules.model).model_validate_json(rules.model.model_dump_json())
    assert again == rules.model


def _refused(text: str) -> str:
    with pytest.raises(RulesError) as caught:
        parse_rules(text.encode(), "bad.toml")
    return str(caught.value)


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        # a yes-no column is compared with 是 or 否, and only for equality
        ('value = "是"', "value = 1", "vetoes[1].value"),
        ('op = "=="\nvalue = "是"', 'op = ">="\nvalue = "是"', "vetoes[1].op"),
        ('value = "是"', 'value = "对"', "vetoes[1].value"),
        # 是 on a count column; a count's threshold is a whole number
        ('op = ">="\nvalue = 1\n', 'op = ">="\nvalue = "是"\n', "vetoes[0].value"),
        ('op = ">="\nvalue = 1\n', 'op = ">="\nvalue = 0.5\n', "vetoes[0].value"),
        ('kind = "count"', 'kind = "text"', "input_columns.complaints.kind"),
        # a key or header the scheme's columns already use
        ("[input_columns.complaints]", "[input_columns.visits]", "input_columns.visits"),
        ('header = "有效投诉数"', 'header = "入户走访户数"', "input_columns.complaints.header"),
        ('aliases = ["违纪违法"]', 'aliases = ["有效投诉"]', "input_columns.discipline.aliases"),
        ('aliases = ["违纪违法"]', 'aliases = ["民警姓名"]', "input_columns.discipline.aliases"),
    ],
)
def test_a_slip_in_a_veto_or_a_column_is_refused_with_its_place(
    old: str, new: str, where: str
) -> None:
    assert old in TEXT
    message = _refused(TEXT.replace(old, new, 1))
    assert f": {where}:" in message, message


def test_an_optional_column_is_read_for_vetoes_only() -> None:
    text = TEXT.replace('rank_by = ["info_leads"]', 'rank_by = ["complaints"]')
    message = _refused(text)
    assert "stars[3].rank_by[0]" in message and "complaints" in message


def test_a_veto_on_a_column_not_declared_is_an_unknown_metric() -> None:
    text = DEFAULT_RULES.read_text(encoding="utf-8") + (
        '\n[[vetoes]]\nlabel = "违纪"\nmetric = "discipline"\nop = "=="\nvalue = 1\n'
    )
    assert "vetoes[0].metric" in _refused(text)
