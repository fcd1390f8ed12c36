"""Fuzzing the rules loader: random mutations of the default rules file.

Whatever the text, `parse_rules` returns a valid RuleSet or raises one RulesError whose
message is one line and names the file; `fivestar rules check` exits 2 with that line.
"""

from __future__ import annotations

from pathlib import Path

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
