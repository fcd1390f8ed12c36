"""A star's reasons as data: the catalogue, its JSON, its one wording in both languages, and
their building without a loop over officers."""

from __future__ import annotations

import re

import pytest

from fivestar.engine import evaluate
from fivestar.engine import reasons as r
from fivestar.engine.reasons import Reason, Words, decode, encode, render
from fivestar.rules import RuleSet
from fivestar.rules.loader import parse_rules
from tests.conftest import DEFAULT_RULES, ROOT, officer, table
from tests.wording import said

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def test_the_docs_list_every_code() -> None:
    # regenerate with the command at the top of docs/REASONS.md
    assert (ROOT / "docs" / "REASONS.md").read_text(encoding="utf-8") == r.docs()


@pytest.mark.parametrize("code", r.CODES, ids=lambda c: c.code)
def test_each_code_has_its_parameters_a_wording_and_json(code: r.Code) -> None:
    example = code.example
    assert example.code == code.code
    assert tuple(example.params) == code.params
    assert decode(encode([example])) == (example,)
    words = Words({"visits": "VISITS", "services": "SERVICES", "satisfaction": "SAT",
                   "mediation_success": "MED", "case_leads": "LEADS", "suspects": "SUSP"},
                  {"mediation": "STAR"})  # fmt: skip
    zh, en = render(example, words, "zh"), render(example, words, "en")
    assert (zh and en and zh != en) or code.code == r.LEGACY
    data = {"六进业务警种民警", "违纪", "张三", "服务投诉", "武城县局", "入户走访户数 76 < 80"}
    english = en
    for text in data:
        english = english.replace(text, "")
    assert not CJK.search(english), en  # English but for the data (names, the clerk's words)


def test_the_catalogue_and_the_wordings_agree() -> None:
    assert set(r.CATALOGUE) == set(r._RENDER)
    assert set(r.CATALOGUE) > r.GAP_CODES


def _gap(rules: RuleSet, metric: str, op: str, threshold: float, value: float) -> str:
    unit = rules.unit(metric)
    params = {"metric": metric, "value": value, "op": op, "threshold": threshold, "unit": unit}
    return render(Reason(r.THRESHOLD, params), Words.of(rules), "zh")


def test_one_gap_wording_for_every_comparison(rules: RuleSet) -> None:
    assert _gap(rules, "visits", ">=", 80, 76) == "入户走访户数 76，还差 4 户"
    assert _gap(rules, "satisfaction", ">=", 1.0, 0.9996) == "群众满意率 99.96%，还差 0.04 个百分点"
    assert _gap(rules, "visits", ">", 80, 80) == "入户走访户数 80，还差 1 户"  # above 80: 81
    assert _gap(rules, "satisfaction", ">", 0.5, 0.5) == "群众满意率 50%，须高于 50%"
    assert _gap(rules, "services", "<=", 3, 5) == "服务群众次数 5，超出 2 次"
    assert _gap(rules, "satisfaction", "<=", 0.5, 0.6) == "群众满意率 60%，超出 10 个百分点"
    assert _gap(rules, "satisfaction", "<", 0.5, 0.6) == "群众满意率 60%，须低于 50%"
    assert _gap(rules, "visits", "==", 80, 76) == "入户走访户数 76，应为 80"
    # a count no word counts: the derived total
    assert _gap(rules, "investigation_total", ">=", 2, 0) == "破案线索及抓获人数 0，还差 2"
    english = render(
        Reason(
            r.THRESHOLD,
            {"metric": "visits", "value": 79, "op": ">=", "threshold": 80, "unit": "count"},
        ),
        Words.of(rules),
        "en",
    )
    assert english == "入户走访户数 79, 1 household short"


def test_the_session_language_words_the_terminal(rules: RuleSet) -> None:
    from fivestar import i18n

    reason = Reason(r.NOT_ELIGIBLE, {"role": "六进业务警种民警"})
    with i18n.speaking("en"):
        assert render(reason, Words.of(rules)) == "not eligible: the role is 六进业务警种民警"
        assert render(reason, Words.of(rules), "zh") == "无参评资格：岗位为六进业务警种民警"
    assert render(reason, Words.of(rules)) == "无参评资格：岗位为六进业务警种民警"


def test_text_that_is_not_json_reads_as_legacy_text() -> None:
    assert decode("入户走访户数 72 < 80；资格：群众满意率 缺失") == (
        Reason(r.LEGACY, {"text": "入户走访户数 72 < 80"}),
        Reason(r.LEGACY, {"text": "资格：群众满意率 缺失"}),
    )
    assert decode("") == decode("[]") == ()


def test_officers_with_the_same_reasons_share_them(rules: RuleSet) -> None:
    # 300 officers, 3 distinct figures: the reasons are made per figure, not per officer
    people = [officer(f"{i:03}", visits=70 + i % 3) for i in range(300)]
    result = evaluate(rules, table(*people), "2014-04")
    visits = result.outcomes[result.outcomes["star"] == "visits"]["reasons"]
    assert len({id(cell) for cell in visits}) == 3
    assert len({id(cell[0]) for cell in visits}) == 3
    assert said(rules, visits.iloc[0]) == "入户走访户数 70，还差 10 户"


def test_a_gate_criterion_of_the_star_is_said_once(rules: RuleSet) -> None:
    result = evaluate(rules, table(officer("001", visits=72)), "2014-04")
    why = result.outcomes.set_index("star")["reasons"]
    assert [x.code for x in why["visits"]] == [r.THRESHOLD]  # the star's own, not the gate's
    assert [x.code for x in why["information"]] == [r.THRESHOLD, r.GATE]


def test_a_number_metric_words_its_gap_plainly() -> None:
    text = DEFAULT_RULES.read_text(encoding="utf-8").replace('unit = "count"', 'unit = "number"', 1)
    rules = parse_rules(text.encode(), "number.toml")
    assert rules.unit("investigation_total") == "number"
    got = _gap(rules, "investigation_total", ">=", 2.5, 1.25)
    assert got == "破案线索及抓获人数 1.25，还差 1.25"
