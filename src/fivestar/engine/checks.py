"""Criteria over whole columns: pass/fail masks and the gap in words, vectorized."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from fivestar.rules import RuleSet
from fivestar.rules.model import Comparison

# Rates are fractions; rules write them in percent. The tolerance absorbs floating noise only.
TOLERANCE = 1e-9
# Figures show 4 decimals (of a percent, for a rate). Where 4 would read as a whole number or
# the threshold that the value is not, beyond TOLERANCE (99.99999 % as "100.0% < 100%"), they
# show 1e-10 of the stored value: finer than TOLERANCE, so the figure agrees with the verdict.
DECIMALS = 4
_FINEST = 1e-10
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


def scale_of(unit: str) -> float:
    """What a stored figure is multiplied by to be shown: rates are shown in percent."""
    return 100.0 if unit == "rate" else 1.0


def fine_decimals(scale: float) -> int:
    """Decimals of a shown figure that resolve `_FINEST` of the stored one: 8 for a percent."""
    return round(-math.log10(_FINEST * scale))


def needs_fine(values: npt.ArrayLike, scale: float, against: float | None = None) -> Mask:
    """Where `DECIMALS` decimals would show a whole number, or `against` (a threshold), that
    the value is not, beyond TOLERANCE. Elementwise; NaN never does."""
    v = np.asarray(values, dtype=np.float64)
    shown = np.round(v * scale, DECIMALS)
    landed = shown == np.round(shown)
    if against is not None:
        landed |= shown == np.round(against * scale, DECIMALS)
    with np.errstate(invalid="ignore"):
        return np.asarray(landed & (np.abs(v - shown / scale) > TOLERANCE), dtype=np.bool_)


def figure_decimal(number: float, unit: str, against: float | None = None) -> str:
    """One stored figure as shown, without its unit: to `DECIMALS` decimals, or to as many as
    show it is not the whole number (or threshold `against`) those would round it onto."""
    scale = scale_of(unit)
    places = fine_decimals(scale) if needs_fine(number, scale, against) else DECIMALS
    return f"{number * scale:.{places}f}".rstrip("0").rstrip(".")


def format_values(
    rules: RuleSet, metric: str, values: pd.Series, against: float | None = None
) -> pd.Series:
    """Figures as a clerk reads them: 72, 98.0%, 99.96%; missing or not computable in words.

    A figure that 4 decimals would round onto a whole number, or onto `against` (the
    threshold, stored units), it is not shows more: 99.99999%, never 100.0% (see DECIMALS).
    """
    unit = rules.unit(metric)
    if unit == "count":
        text = values.round(0).astype("Int64").astype(str)
    else:
        if unit == "rate":
            text = (values * 100).round(DECIMALS).astype("float64").astype(str)
        else:
            text = values.round(DECIMALS).astype(str)
        scale = scale_of(unit)
        v = values.to_numpy(dtype=np.float64, na_value=np.nan)
        fine = needs_fine(v, scale, against)
        if fine.any():  # rare: only those figures are written out at length
            long = np.char.mod(f"%.{fine_decimals(scale)}f", v[fine] * scale)
            out = text.to_numpy(dtype=object)
            out[fine] = np.char.rstrip(np.char.rstrip(long, "0"), ".").tolist()
            text = pd.Series(out, index=values.index, dtype=object)
        if unit == "rate":
            text = text + "%"
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
        figures = format_values(rules, comp.metric, failed, t).tolist()
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
