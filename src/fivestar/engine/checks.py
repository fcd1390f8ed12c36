"""Criteria over whole columns: pass/fail masks and the gap in words, vectorized."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from fivestar.rules import RuleSet
from fivestar.rules.model import Comparison

# Rates are fractions; rules write them in percent. The tolerance absorbs floating noise only.
TOLERANCE = 1e-9
_FAILED_AS = {">=": "<", ">": "≤", "<=": ">", "<": "≥", "==": "≠"}

Mask = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class CheckResult:
    """One comparison over every officer: who passes, and for those who fail, why."""

    comparison: Comparison
    passed: Mask
    reason: pd.Series  # str; "" where passed


def threshold(rules: RuleSet, comp: Comparison) -> float:
    return comp.value / 100 if rules.unit(comp.metric) == "rate" else comp.value


def format_values(rules: RuleSet, metric: str, values: pd.Series) -> pd.Series:
    """Figures as a clerk reads them: 72, 98.0%, 99.96%; missing or not computable in words."""
    unit = rules.unit(metric)
    if unit == "rate":
        text = (values * 100).round(4).astype("float64").astype(str) + "%"
    elif unit == "count":
        text = values.round(0).astype("Int64").astype(str)
    else:
        text = values.round(4).astype(str)
    missing = "无法计算" if metric in rules.model.derived else "缺失"
    return text.where(values.notna(), missing).astype(object)


def format_threshold(rules: RuleSet, comp: Comparison) -> str:
    value = f"{comp.value:g}"
    return f"{value}%" if rules.unit(comp.metric) == "rate" else value


def run_check(rules: RuleSet, comp: Comparison, values: pd.Series) -> CheckResult:
    """Compare one metric with its threshold. A missing value fails with the reason 缺失."""
    v = values.to_numpy(dtype=np.float64, na_value=np.nan)
    t = threshold(rules, comp)
    with np.errstate(invalid="ignore"):
        if comp.op == ">=":
            ok = v >= t - TOLERANCE
        elif comp.op == ">":
            ok = v > t + TOLERANCE
        elif comp.op == "<=":
            ok = v <= t + TOLERANCE
        elif comp.op == "<":
            ok = v < t - TOLERANCE
        else:
            ok = np.abs(v - t) <= TOLERANCE
    ok &= ~np.isnan(v)
    label = rules.label(comp.metric)
    figures = format_values(rules, comp.metric, values)
    gap = f" {_FAILED_AS[comp.op]} {format_threshold(rules, comp)}"
    shown: pd.Series = label + " " + figures + np.where(values.isna(), "", gap)
    return CheckResult(comp, ok, shown.where(~ok, "").astype(object))


def join_reasons(parts: list[pd.Series], sep: str = "；") -> pd.Series:
    """Join per-criterion reasons row-wise, leaving out the empty ones (no per-row loop)."""
    if not parts:
        raise ValueError("nothing to join")
    out = parts[0].astype(object)
    for part in parts[1:]:
        both = (out != "") & (part != "")
        out = (out + np.where(both, sep, "") + part).astype(object)
    return out
