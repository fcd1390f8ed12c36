"""The commands that try a rule change: `fivestar compare` and `fivestar rules diff`.

Heavy modules are imported inside the command bodies so that `fivestar --help` stays light.
(`rules diff` is in fivestar.cli.rules.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer

from fivestar.cli.common import refuse_replacing
from fivestar.cli.helptext import helps
from fivestar.cli.options import DbOpt, JsonOpt
from fivestar.cli.output import print_json
from fivestar.errors import ExitCode
from fivestar.i18n import N_, _


@helps(
    N_(
        "Who would win under new rules: per star, gains and losses and why (one month, or "
        "a range of stored months per bureau)."
    )
)
def compare(
    month: Annotated[
        str | None,
        typer.Argument(metavar="[MONTH]", help=N_("The month (omit it with --from/--to).")),
    ] = None,
    inputs: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[FILE_OR_DIR...]",
            help=N_("Input files or folders (default: the month's figures in the store)."),
            readable=False,
        ),
    ] = None,
    rules: Annotated[
        Path | None,
        typer.Option("--rules", metavar="NEW.TOML", help=N_("The rules to try (required).")),
    ] = None,
    base: Annotated[
        Path | None,
        typer.Option(
            "--base",
            metavar="OLD.TOML",
            help=N_("Compare against these (default: the stored run's)."),
        ),
    ] = None,
    start: Annotated[
        str | None, typer.Option("--from", metavar="YYYY-MM", help=N_("First month of a range."))
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", metavar="YYYY-MM", help=N_("Last month of a range."))
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", metavar="PATH", help=N_("Also write the comparison to PATH.xlsx.")),
    ] = None,
    recursive: Annotated[
        bool, typer.Option("--recursive", help=N_("Descend into folders."))
    ] = False,
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    from fivestar.errors import UsageError
    from fivestar.months import require_month

    def refuse(message: str) -> NoReturn:
        raise UsageError(message)

    if rules is None:
        refuse(_("compare needs --rules NEW.toml: the rules to try"))
    assert rules is not None
    if out is not None and out.suffix.lower() != ".xlsx":
        refuse(_("--out {path}: write the comparison as .xlsx").format(path=out))
    refuse_replacing(out)
    ranged = start is not None or end is not None
    if ranged:
        if start is None or end is None:
            refuse(_("a range needs both --from YYYY-MM and --to YYYY-MM"))
        if month is not None or inputs:
            refuse(_("give a MONTH (and files) or --from/--to, not both: a range reads the store"))
        assert start is not None and end is not None
        first = require_month(start)
        last = require_month(end)
        _range(first, last, rules, base=base, out=out, as_json=as_json, db=db)
        return
    if month is None:
        refuse(_("compare needs a MONTH, or --from YYYY-MM --to YYYY-MM"))
    assert month is not None
    canonical = require_month(month)
    from fivestar.compare import MonthComparison, compare_month
    from fivestar.io import ReadOptions

    def call() -> MonthComparison:
        return compare_month(
            canonical,
            rules,
            base_path=base,
            inputs=inputs or (),
            db=db,
            options=ReadOptions(recursive=recursive),
        )

    result = call()
    if out is not None:
        from fivestar.report.compare import export_comparison

        export_comparison(out, result)
    if as_json:
        print_json(result.to_json())
    else:
        from fivestar.cli.render_compare import show_comparison, wrote

        show_comparison(result)
        wrote(out)
    raise typer.Exit(ExitCode.DATA_ISSUES if result.issues else ExitCode.OK)


def _range(
    start: str, end: str, rules: Path, *, base: Path | None, out: Path | None, as_json: bool,
    db: str | None,
) -> None:  # fmt: skip
    from fivestar.compare import compare_range

    result = compare_range(start, end, rules, base_path=base, db=db)
    if out is not None:
        from fivestar.report.compare import export_range

        export_range(out, result)
    if as_json:
        print_json(result.to_json())
        return
    from fivestar.cli.render_compare import show_range, wrote

    show_range(result)
    wrote(out)
