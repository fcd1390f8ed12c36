"""Figures in words, from stored figures and the run's rules, and one gap in words.

How far an officer is from a criterion ("入户走访户数 72，还差 8 户", "人号一致率 98%，还差
2 个百分点") is the engine's reason, worded by `fivestar.engine.reasons`: one wording for
the terminal, `--json`, and every workbook.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from fivestar.engine.checks import run_check
from fivestar.engine.reasons import Words, figure, render
from fivestar.rules import RuleSet
from fivestar.rules.model import Comparison, Star


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
    return figure(number, m.unit, against)


def gap_text(rules: RuleSet, comp: Comparison, value: Any) -> str | None:
    """The gap of one comparison in words (the session's language), or None when it holds."""
    check = run_check(rules, comp, pd.Series([_number(value)], dtype="float64"))
    if bool(check.passed[0]):
        return None
    return render(check.why.reasons()[0], Words.of(rules))
