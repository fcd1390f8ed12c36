"""Figures and gaps in words, from stored figures and the run's rules.

The engine's reasons say what failed ("入户走访户数 72 < 80"); a clerk also wants to know
how far off it was: "入户走访户数 72，还差 8 户", "人号一致率 98%，还差 2 个百分点".
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fivestar.engine.checks import TOLERANCE, figure_decimal, threshold
from fivestar.rules import RuleSet
from fivestar.rules.model import Comparison, Star

# What a count is counted in, for "还差 8 户".
COUNTED_IN = {
    "visits": "户",
    "mediations": "起",
    "mediations_ok": "起",
    "followups_ok": "起",
    "case_leads": "条",
    "suspects": "人",
    "fugitives": "人",
    "info_leads": "条",
    "services": "次",
    "services_ok": "次",
}


@dataclass(frozen=True)
class Metric:
    """A metric as a report shows it: key, Chinese label, unit (count, rate, number)."""

    key: str
    label: str
    unit: str
    derived: bool = False


def metric(rules: RuleSet, key: str) -> Metric:
    return Metric(key, rules.label(key), rules.unit(key), key in rules.model.derived)


def star_metrics(star: Star) -> list[str]:
    """The figures shown for a star: its figures, then any ranking key not among them."""
    return list(dict.fromkeys([*star.figures, *star.rank_by]))


def _number(value: Any) -> float:
    if value is None:
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def plain(unit: str, value: Any) -> int | float | None:
    """A stored figure as JSON: counts as whole numbers, missing as None."""
    number = _number(value)
    if not math.isfinite(number):
        return None
    return round(number) if unit == "count" else number


def figure_text(m: Metric, value: Any, against: float | None = None) -> str:
    """One figure as the gap texts write it: 72, 100%, 98.5%; 缺失 / 无法计算 when absent.

    `against` is the threshold it is compared with, if any: a figure never shows as it (nor
    as a whole number) when it is not (99.99999%, not 100%).
    """
    number = _number(value)
    if not math.isfinite(number):
        return "无法计算" if m.derived else "缺失"
    if m.unit == "rate":
        return figure_decimal(number, m.unit, against) + "%"
    if m.unit == "count":
        return str(round(number))
    return figure_decimal(number, m.unit, against)


def gap_text(rules: RuleSet, comp: Comparison, value: Any) -> str | None:
    """The gap of one comparison in words, or None when it holds."""
    m = metric(rules, comp.metric)
    v, t = _number(value), threshold(rules, comp)
    shown = f"{m.label} {figure_text(m, value, t)}"
    if not math.isfinite(v):
        return shown
    passes = {
        ">=": v >= t - TOLERANCE,
        ">": v > t + TOLERANCE,
        "<=": v <= t + TOLERANCE,
        "<": v < t - TOLERANCE,
        "==": abs(v - t) <= TOLERANCE,
    }[comp.op]
    if passes:
        return None
    return f"{shown}，{_shortfall(m, comp.op, v, t)}"


def _shortfall(m: Metric, op: str, v: float, t: float) -> str:
    """How far a failed comparison is from holding: 还差 8 户, 超出 2 次, 须高于 50%."""
    word = COUNTED_IN.get(m.key, "")
    step = 1 if m.unit == "count" else 0  # a count above 3 is at least 4
    if op in (">=", ">") and (op == ">=" or step):
        return f"还差 {_amount(m, t - v + (step if op == '>' else 0), word)}"
    if op in ("<=", "<") and (op == "<=" or step):
        return f"超出 {_amount(m, v - t + (step if op == '<' else 0), word)}"
    need = {">": "须高于", "<": "须低于", "==": "应为"}[op]
    return f"{need} {figure_text(m, t)}"


def _amount(m: Metric, amount: float, counted_in: str) -> str:
    # a failed comparison is off by more than TOLERANCE: never "还差 0 个百分点"
    if m.unit == "rate":
        return f"{figure_decimal(amount, m.unit)} 个百分点"
    if m.unit == "count":
        return f"{math.ceil(amount - TOLERANCE)}{' ' + counted_in if counted_in else ''}"
    return figure_decimal(amount, m.unit)


def star_gaps(rules: RuleSet, star: Star, officer: Mapping[Any, Any]) -> list[str]:
    """Every gap between an officer and a star, in words ([] when the officer qualifies)."""
    role = str(officer.get("role", ""))
    if role not in star.roles:
        return [f"无参评资格：岗位为{role}"]
    gaps = [g for c in star.criteria.all if (g := gap_text(rules, c, officer.get(c.metric)))]
    if star.criteria.any:
        options = [gap_text(rules, c, officer.get(c.metric)) for c in star.criteria.any]
        if all(options):
            gaps.append("（任一即可）" + "；或 ".join(o for o in options if o))
    if role in rules.model.gate.roles:
        own = set(star.criteria.all)
        for comp in rules.model.gate.all:
            gap = None if comp in own else gap_text(rules, comp, officer.get(comp.metric))
            if gap:
                gaps.append(f"资格：{gap}")
    return gaps
