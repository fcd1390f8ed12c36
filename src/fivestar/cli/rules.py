"""`fivestar rules check | show | diff`: the rules files, checked, shown, compared."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fivestar.cli.options import JsonOpt
from fivestar.cli.output import print_json

PathArg = Annotated[Path | None, typer.Argument(metavar="[PATH]", help="A rules file or folder.")]


def check(path: PathArg = None) -> None:
    """Validate rules files; exit 0 when they load, 2 with the first error otherwise."""
    from fivestar.rules.loader import all_rules
    from fivestar.safe_text import clean_line  # a file's name is shown, never obeyed

    for rules in all_rules(path):
        typer.echo(clean_line(f"ok: {rules.path} (in force from {rules.model.effective_from})"))


def show(
    path: PathArg = None,
    month: Annotated[
        str | None,
        typer.Option("--month", metavar="M", help="Show the rules in force that month."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Print the rules as a readable table with the Chinese labels."""
    from fivestar.cli.render import show_rules
    from fivestar.months import require_month
    from fivestar.rules.loader import all_rules, rules_for_month

    shown = all_rules(path) if month is None else [rules_for_month(require_month(month), path)]
    if as_json:
        print_json([{"path": r.path, **r.model.model_dump()} for r in shown])
        return
    for rules in shown:
        show_rules(rules)


def diff(
    old: Annotated[Path, typer.Argument(metavar="OLD.TOML", help="The rules in use.")],
    new: Annotated[Path, typer.Argument(metavar="NEW.TOML", help="The rules proposed.")],
    as_json: JsonOpt = False,
) -> None:
    """The differences between two rules files, in words (thresholds, quotas, rank keys,
    gate, fairness options, months in force)."""
    from fivestar.compare import SAME_RULES
    from fivestar.rules.diff import diff_rules
    from fivestar.rules.loader import load_rules

    before = load_rules(old)
    after = load_rules(new)
    lines = diff_rules(before.model, after.model)
    if as_json:
        print_json({"old": before.path, "new": after.path, "differences": lines})
        return
    from fivestar.cli.render import out, safe

    out.print(safe(f"{before.path} → {after.path}"), soft_wrap=True)
    for line in lines or [SAME_RULES]:
        out.print(safe(line), soft_wrap=True)
