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
    # the gap in words only for the officers who fail: most pass most criteria
    failing = np.flatnonzero(~ok)
    reason = np.full(len(v), "", dtype=object)
    if len(failing):
        label = rules.label(comp.metric)
        failed = values.iloc[failing]
        figures = format_values(rules, comp.metric, failed).tolist()
        gap = f" {_FAILED_AS[comp.op]} {format_threshold(rules, comp)}"
        missing = np.isnan(v[failing]).tolist()
        reason[failing] = [
            f"{label} {figure}" if absent else f"{label} {figure}{gap}"
            for figure, absent in zip(figures, missing, strict=True)
        ]
    return CheckResult(comp, ok, pd.Series(reason, index=values.index, dtype=object))


def prefixed(prefix: str, reasons: pd.Series, where: Mask) -> pd.Series:
    """`prefix` + reason on the rows of `where`, "" elsewhere."""
    out = np.full(len(reasons), "", dtype=object)
    rows = np.flatnonzero(where)
    out[rows] = [prefix + str(text) for text in reasons.to_numpy(dtype=object)[rows].tolist()]
    return pd.Series(out, index=reasons.index, dtype=object)


def join_reasons(parts: list[pd.Series], sep: str = "；") -> pd.Series:
    """Join per-criterion reasons row-wise, leaving out the empty ones."""
    if not parts:
        raise ValueError("nothing to join")
    if len(parts) == 1:
        return parts[0].astype(object)
    columns = [part.to_numpy(dtype=object) for part in parts]
    out = columns[0].copy()
    # rows with a reason in more than the first part: join those (few parts, plain loop)
    later = np.zeros(len(out), dtype=bool)
    for column in columns[1:]:
        later |= column != ""
    rows = np.flatnonzero(later)
    picked = [column[rows].tolist() for column in columns]
    out[rows] = [sep.join([text for text in row if text]) for row in zip(*picked, strict=True)]
    return pd.Series(out, index=parts[0].index, dtype=object)
