"""`fivestar rules check | show | diff`: the rules files, checked, shown, compared."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fivestar.cli.helptext import helps
from fivestar.cli.options import JsonOpt
from fivestar.cli.output import print_json
from fivestar.i18n import N_, _

PathArg = Annotated[
    Path | None, typer.Argument(metavar="[PATH]", help=N_("A rules file or folder."))
]


@helps(N_("Validate rules files; exit 0 when they load, 2 with the first error otherwise."))
def check(path: PathArg = None) -> None:
    from fivestar.rules.loader import all_rules
    from fivestar.safe_text import clean_line  # a file's name is shown, never obeyed

    for rules in all_rules(path):
        said = _("ok: {path} (in force from {month})")
        typer.echo(clean_line(said.format(path=rules.path, month=rules.model.effective_from)))


@helps(N_("Print the rules as a readable table with the Chinese labels."))
def show(
    path: PathArg = None,
    month: Annotated[
        str | None,
        typer.Option("--month", metavar="M", help=N_("Show the rules in force that month.")),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    from fivestar.cli.render import show_rules
    from fivestar.months import require_month
    from fivestar.rules.loader import all_rules, rules_for_month

    shown = all_rules(path) if month is None else [rules_for_month(require_month(month), path)]
    if as_json:
        print_json([{"path": r.path, **r.model.model_dump()} for r in shown])
        return
    for rules in shown:
        show_rules(rules)


@helps(
    N_(
        "The differences between two rules files, in words (thresholds, quotas, rank "
        "keys, gate, fairness options, months in force)."
    )
)
def diff(
    old: Annotated[Path, typer.Argument(metavar="OLD.TOML", help=N_("The rules in use."))],
    new: Annotated[Path, typer.Argument(metavar="NEW.TOML", help=N_("The rules proposed."))],
    as_json: JsonOpt = False,
) -> None:
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
