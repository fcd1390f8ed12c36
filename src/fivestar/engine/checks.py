"""Criteria over whole columns: pass/fail masks and, for those who fail, why (as data)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from fivestar.engine.figures import (
    DECIMALS,
    TOLERANCE,
    Mask,
    figure_decimal,
    fine_decimals,
    needs_fine,
    scale_of,
)
from fivestar.engine.reason_columns import ReasonColumn
from fivestar.engine.reasons import MISSING, NOT_COMPUTABLE, THRESHOLD, Reason
from fivestar.rules import RuleSet
from fivestar.rules.model import Comparison

__all__ = [
    "DECIMALS", "TOLERANCE", "CheckResult", "figure_decimal", "fine_decimals", "needs_fine",
    "plain", "run_check", "scale_of", "threshold",
]  # fmt: skip


@dataclass(frozen=True)
class CheckResult:
    """One comparison over every officer: who passes, and for those who fail, why."""

    comparison: Comparison
    passed: Mask
    why: ReasonColumn  # none where passed


def threshold(rules: RuleSet, comp: Comparison) -> float:
    return comp.value / 100 if rules.unit(comp.metric) == "rate" else comp.value


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
    return CheckResult(comp, ok, failed_reasons(rules, comp, v, ~ok))


def failed_reasons(rules: RuleSet, comp: Comparison, v: np.ndarray, failing: Mask) -> ReasonColumn:
    """Why each officer of `failing` fails `comp`, given the values `v` (stored units): made
    once per distinct value, so the work is per distinct figure, not per officer."""
    unit = rules.unit(comp.metric)
    fixed: dict[str, Any] = {"op": comp.op, "threshold": plain(threshold(rules, comp), unit),
                             "unit": unit}  # fmt: skip
    absent = np.isnan(v)
    code = NOT_COMPUTABLE if comp.metric in rules.model.derived else MISSING
    missing = ReasonColumn.one(failing & absent, Reason(code, {"metric": comp.metric, **fixed}))

    def make(value: Any) -> Reason:
        params = {"metric": comp.metric, "value": plain(value, unit), **fixed}
        return Reason(THRESHOLD, params)

    return ReasonColumn.of_values(v, failing & ~absent, make).merged(missing)


def plain(value: Any, unit: str) -> int | float:
    """A figure as JSON keeps it: counts whole, others as stored."""
    number = float(value)
    return round(number) if unit == "count" and number.is_integer() else number
