"""Rules files with the fairness options on, written from the Dezhou rules."""

from __future__ import annotations

from pathlib import Path

from fivestar.rules import RuleSet
from fivestar.rules.loader import parse_rules
from tests.conftest import DEFAULT_RULES


def dezhou_text() -> str:
    return DEFAULT_RULES.read_text(encoding="utf-8")


def with_fairness(extra: str, text: str | None = None) -> str:
    """The Dezhou rules with a [fairness] table (TOML: a table after the last one)."""
    return (text if text is not None else dezhou_text()) + f"\n[fairness]\n{extra}\n"


def ruleset(text: str, name: str = "fair.toml") -> RuleSet:
    return parse_rules(text.encode("utf-8"), name)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
