"""`fivestar template`: the empty input workbook (or the empty exclusions list)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fivestar.cli.helptext import helps
from fivestar.cli.options import RulesOpt
from fivestar.i18n import N_, _

DEFAULT = Path("fivestar-template.xlsx")


@helps(
    N_(
        "Write an empty input workbook: the canonical headers, checks on what may be "
        "typed, and how to fill it in."
    )
)
def template(
    out: Annotated[
        Path,
        typer.Option(
            "--out", metavar="PATH", help=N_("Where to write it (default fivestar-template.xlsx).")
        ),
    ] = DEFAULT,
    rules: RulesOpt = None,
    exclusions: Annotated[
        bool,
        typer.Option(
            "--exclusions", help=N_("Write the empty list for `fivestar exclude MONTH --from`.")
        ),
    ] = False,
) -> None:
    from fivestar.errors import UsageError
    from fivestar.report.template import write_template
    from fivestar.report.workbook import check_replaceable
    from fivestar.rules.loader import all_rules
    from fivestar.safe_text import clean_line

    if exclusions and out == DEFAULT:
        out = Path("fivestar-exclusions.xlsx")
    if out.suffix.lower() != ".xlsx":
        raise UsageError(
            _("--out {path}: the template is an Excel workbook, name it .xlsx").format(path=out)
        )
    check_replaceable(out)
    newest = max(all_rules(rules), key=lambda r: r.model.effective_from)
    if exclusions:
        from fivestar.report.exclusion_form import write_exclusion_form

        write_exclusion_form(out, newest)
    else:
        write_template(out, newest)
    typer.echo(clean_line(_("wrote {path}").format(path=out)))
