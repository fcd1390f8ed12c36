"""The rules model: declarative TOML files, validated on load."""

from fivestar.rules.loader import RuleSet, load_rules, parse_rules, rules_for_month

__all__ = ["RuleSet", "load_rules", "parse_rules", "rules_for_month"]
