"""Reasons (data) in the words a test compares: the workbook's Chinese."""

from __future__ import annotations

from collections.abc import Iterable

from fivestar.engine.reasons import Reason, Words, joined, render_all
from fivestar.rules import RuleSet


def said(rules: RuleSet, reasons: Iterable[Reason]) -> str:
    """An officer's reasons for a star in one cell, as the report writes them."""
    return joined(render_all(reasons, Words.of(rules), "zh"), "zh")


def codes(reasons: Iterable[Reason]) -> list[str]:
    return [reason.code for reason in reasons]
