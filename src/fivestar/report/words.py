"""Rules in words, for people: "入户走访户数不少于80", "人号一致率达到100%"."""

from __future__ import annotations

import re
from collections.abc import Sequence

from fivestar.rules import RuleSet
from fivestar.rules.model import Comparison, Star

_COUNT_WORDS = {">=": "不少于", ">": "多于", "<=": "不多于", "<": "少于", "==": "等于"}
_RATE_WORDS = {">=": "达到", ">": "高于", "<=": "不高于", "<": "低于", "==": "等于"}
LIST_SEP = "，"
_FIGURE = re.compile(r"\d+(?:\.\d+)?")  # a figure named in a rules file's own words


def number_text(value: float) -> str:
    """80.0 → "80", 99.5 → "99.5"."""
    return f"{value:g}"


def comparison_text(rules: RuleSet, comparison: Comparison) -> str:
    """One comparison in words; a rate's value is in percent, as in the rules file."""
    label = rules.label(comparison.metric)
    if rules.unit(comparison.metric) == "rate":
        return f"{label}{_RATE_WORDS[comparison.op]}{number_text(comparison.value)}%"
    return f"{label}{_COUNT_WORDS[comparison.op]}{number_text(comparison.value)}"


def comparisons_text(rules: RuleSet, comparisons: Sequence[Comparison]) -> str:
    return LIST_SEP.join(comparison_text(rules, c) for c in comparisons)


def criteria_text(rules: RuleSet, star: Star) -> str:
    """A star's criteria from its comparisons: "… 且 …", "… 或 …"."""
    parts: list[str] = []
    if star.criteria.all:
        parts.append(comparisons_text(rules, star.criteria.all))
    if star.criteria.any:
        parts.append("或".join(comparison_text(rules, c) for c in star.criteria.any))
    return "；并且".join(parts)


def star_text(rules: RuleSet, star: Star) -> str:
    """A star's rule as the rules file words it (`description`) while the figures it names
    are the thresholds in force, else from its criteria: a bureau that changed a number in
    the rules but not the words gets printed the number it applies."""
    thresholds = {f"{c.value:g}" for c in (*star.criteria.all, *star.criteria.any)}
    if star.description and set(_FIGURE.findall(star.description)) <= thresholds:
        return star.description
    return criteria_text(rules, star)


def gate_text(rules: RuleSet) -> str:
    """The eligibility gate: "社区民警须入户走访户数不少于80，人号一致率达到100%…"."""
    gate = rules.model.gate
    return f"{'、'.join(gate.roles)}须{comparisons_text(rules, gate.all)}，方可参加各星评选"


def minimum_text(rules: RuleSet) -> str:
    minimum = rules.model.minimum
    roles = "、".join(minimum.roles)
    return f"{roles}每月{comparison_text(rules, minimum)}，低于者列入未达标"


def ranking_text(rules: RuleSet, star: Star) -> str:
    return "，再按".join(rules.label(m) for m in star.rank_by) + "从高到低排名"
