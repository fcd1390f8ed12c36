"""Fuzzing the rules loader: random mutations of the default rules file.

Whatever the text, `parse_rules` returns a valid RuleSet or raises one RulesError whose
message is one line and names the file; `fivestar rules check` exits 2 with that line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_run import fivestar, one_line_error
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fivestar.errors import RulesError
from fivestar.rules import RuleSet, parse_rules

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = (ROOT / "rules" / "dezhou-2014.toml").read_text("utf-8")
LINES = DEFAULT.splitlines()
NAME = "rules/mutant.toml"

GARBAGE = st.one_of(
    st.sampled_from(
        [
            "[[stars]]",
            "[selection]",
            "quota = -1",
            "total = 1e400",
            "value = nan",
            "value = inf",
            'expr = "visits / / 0"',
            "expr = \"__import__('os').system('x')\"",
            'metric = "no_such_metric"',
            'op = "=>"',
            "roles = []",
            'ties = "maybe"',
            'effective_from = "2014-13"',
            "x = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
            "a = " + "[" * 2000 + "]" * 2000,
            '"\x00" = 1',
            "= 1",
            "[",
            '"""',
            "\ufeff",
        ]
    ),
    st.text(max_size=40),
)


@st.composite
def mutants(draw: st.DrawFn) -> bytes:
    lines = list(LINES)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        kind = draw(st.sampled_from(["delete", "insert", "swap", "duplicate", "value", "cut"]))
        at = draw(st.integers(min_value=0, max_value=max(0, len(lines) - 1)))
        if not lines:
            lines.append(draw(GARBAGE))
        elif kind == "delete":
            del lines[at]
        elif kind == "insert":
            lines.insert(at, draw(GARBAGE))
        elif kind == "swap":
            other = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif kind == "duplicate":
            lines.insert(at, lines[at])
        elif kind == "value" and "=" in lines[at]:
            key = lines[at].split("=", 1)[0]
            value = draw(
                st.sampled_from(['"x"', "-1", "0", "1e9", "true", "[]", "{}", '"2014-04"', "nan"])
            )
            lines[at] = f"{key}= {value}"
        elif kind == "cut":
            lines = lines[:at]
    text = "\n".join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "gb18030", "utf-16"]))
    return text.encode(encoding, errors="replace")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutants())
def test_a_mutated_rules_file_loads_or_gives_one_located_line(data: bytes) -> None:
    try:
        rules = parse_rules(data, NAME)
    except RulesError as err:
        message = str(err)
        assert "\n" not in message and "\r" not in message, message
        assert message.startswith(NAME), message
        assert len(message) < 500, message
    else:
        assert isinstance(rules, RuleSet)


def test_rules_check_exits_2_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(DEFAULT.replace("quota = 2", "quota = -2", 1), "utf-8")
    outcome = fivestar("rules", "check", bad)
    assert outcome.code == 2
    assert one_line_error(outcome)
    assert str(bad) in outcome.stderr
    broken = tmp_path / "broken.toml"
    broken.write_text(DEFAULT[: len(DEFAULT) // 2] + "\n[[[", "utf-8")
    outcome = fivestar("rules", "check", broken)
    assert outcome.code == 2
    assert one_line_error(outcome), outcome.stderr


# A star's label that retitles the terminal and rings its bell (issue 12): written with TOML
# escapes, as a clerk would paste it, and as raw characters where TOML allows them.
RETITLE = "\\u001b]0;pwned\\u0007星"
STAR_LABEL = 'label = "侦查破案之星"'
ORG = '[organisation]\nname = "德州市公安局"'
DESCRIPTION = 'description = "每月提供刑事'
DERIVED_LABEL = 'label = "调解成功率"'


@pytest.mark.parametrize(
    ("old", "new", "where", "found"),
    [
        (STAR_LABEL, f'label = "{RETITLE}"', "line 87: stars[2].label", "U+001B"),
        (STAR_LABEL, 'label = "\\u009b2J星"', "line 87: stars[2].label", "U+009B"),
        (STAR_LABEL, 'label = "星\\u007f"', "line 87: stars[2].label", "U+007F"),
        (STAR_LABEL, 'label = "\u202e星之案破查侦"', "line 87: stars[2].label", "U+202E"),
        (STAR_LABEL, 'label = "\u2066侦查破案之星"', "line 87: stars[2].label", "U+2066"),
        (STAR_LABEL, 'label = "侦查\u200f破案之星"', "line 87: stars[2].label", "U+200F"),
        (STAR_LABEL, 'label = "侦查\\t破案之星"', "line 87: stars[2].label", "U+0009"),
        (ORG, '[organisation]\nname = "德州\\r市公安局"', "line 152: organisation.name", "U+000D"),
        ('name = "德州市公安局“', 'name = "\\u001b[2J德州市公安局“', "line 9: name", "U+001B"),
        (DESCRIPTION, DESCRIPTION + "\\u0007", "line 88: stars[2].description", "U+0007"),
        (DERIVED_LABEL, 'label = "调解\\u001b"', "line 40: derived.mediation_success.label",
         "U+001B"),
        ('"mediations", op', '"mediations\u061c", op', "stars[1].criteria.all[0].metric",
         "U+061C"),
    ],
)  # fmt: skip
def test_control_and_bidi_characters_in_rules_text_are_refused_at_their_line(
    old: str, new: str, where: str, found: str
) -> None:
    assert DEFAULT.count(old) == 1, old
    with pytest.raises(RulesError) as caught:
        parse_rules(DEFAULT.replace(old, new).encode(), NAME)
    message = str(caught.value)
    assert message.startswith(f"{NAME}, ") and f"{where}: " in message, message
    assert f"found {found}" in message
    assert message.isprintable(), repr(message)


def test_a_description_may_run_over_lines() -> None:
    """A TOML multi-line string is the natural way to write a long description."""
    text = DEFAULT.replace('description = "每月提供刑事', 'description = """每月提供刑事\n', 1)
    text = text.replace('抓获逃犯1名以上"', '抓获逃犯1名以上"""', 1)
    rules = parse_rules(text.encode(), NAME)
    assert "\n" in rules.star("investigation").description


def test_a_control_character_in_a_key_is_refused() -> None:
    text = DEFAULT.replace("[derived.mediation_success]", '[derived."a\\u001bb"]', 1)
    with pytest.raises(RulesError, match=r"line 39: derived: .*found U\+001B in a key"):
        parse_rules(text.encode(), NAME)


def test_a_retitling_label_fails_rules_check_and_evaluate(tmp_path: Path) -> None:
    """The issue's reproduction: `rules check` passed it, `evaluate` wrote a report whose
    sheet name held a raw 0x1B (unreadable) and printed the ESC. Now both exit 2, one line,
    and nothing is written."""
    bad = tmp_path / "rules" / "bad.toml"
    bad.parent.mkdir()
    bad.write_text(DEFAULT.replace(STAR_LABEL, f'label = "{RETITLE}"', 1), "utf-8")
    checked = fivestar("rules", "check", bad)
    assert checked.code == 2
    assert one_line_error(checked), checked.stderr
    assert "第 87 行：stars[2].label" in checked.stderr
    assert "\x1b" not in checked.stderr + checked.stdout
    shown = fivestar("rules", "show", "--rules", bad)
    assert shown.code == 2 and "\x1b" not in shown.stdout + shown.stderr
    report, db = tmp_path / "r.xlsx", tmp_path / "s.db"
    source = ROOT / "sample_data" / "2014-04"
    evaluated = fivestar("evaluate", "2014-04", source, "--rules", bad, "--out", report, "--db", db)
    assert evaluated.code == 2
    assert one_line_error(evaluated), evaluated.stderr
    assert "\x1b" not in evaluated.stdout + evaluated.stderr
    assert not report.exists()


HUGE = "1" + "0" * 400  # 1e400 written out: the tokenizer reads digits, not exponents


def test_an_expression_literal_obeys_the_bounds_of_a_value() -> None:
    """`value = 1e400` is refused; so is the same number inside an expression."""
    derived = 'expr = "case_leads + suspects + fugitives"'
    text = DEFAULT.replace(derived, f'expr = "case_leads * {HUGE}"', 1)
    with pytest.raises(RulesError, match=r"line 51: derived\.investigation_total\.expr: .*finite"):
        parse_rules(text.encode(), NAME)
    for value in ("1e400", "inf", "nan"):
        with pytest.raises(RulesError, match="finite"):
            parse_rules(DEFAULT.replace("value = 80", f"value = {value}", 1).encode(), NAME)
    finite = "9" * 300  # about 1e300: large, but a number
    assert parse_rules(
        DEFAULT.replace(derived, f'expr = "case_leads * {finite}"', 1).encode(), NAME
    )


def test_an_overflow_in_a_derived_metric_prints_no_numpy_warning(tmp_path: Path) -> None:
    """Finite literals whose product is not: the metric is NaN (not computable), and the
    run's stderr holds nothing — no 2-line RuntimeWarning from numpy."""
    big = "1" + "0" * 300
    rules = tmp_path / "rules" / "big.toml"
    rules.parent.mkdir()
    rules.write_text(
        DEFAULT + f'\n[derived.huge]\nlabel = "溢出"\nexpr = "visits * {big} * {big}"\n', "utf-8"
    )
    source = ROOT / "sample_data" / "2014-04"
    report, db = tmp_path / "r.xlsx", tmp_path / "s.db"
    outcome = fivestar("evaluate", "2014-04", source, "--rules", rules, "--out", report, "--db", db)
    assert outcome.code in (0, 1), outcome.stderr
    assert report.exists()
    assert outcome.stderr == "", outcome.stderr
