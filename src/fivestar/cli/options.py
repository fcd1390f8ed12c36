"""Options and arguments shared by several commands, and the help layout they share."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand

from fivestar.cli.output import json_wanted


class Command(TyperCommand):
    """A command whose help names its arguments as SPEC §5 does: `MONTH FILE_OR_DIR...`
    (their metavars), where typer writes `{MONTH} {FILE_OR_DIR...}...` and a Python type
    (`<list[Path]>`) beside each argument."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                pieces.append(param.metavar or (param.name or "").upper())
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments: list[tuple[str, str]] = []
        options: list[tuple[str, str]] = []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                arguments.append((param.metavar or record[0], record[1]))
            else:
                options.append(record)
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="PATH",
        help="The results store: a file, or postgresql://user@host/dbname "
        "(default: $FIVESTAR_DB, else ./fivestar.db).",
    ),
]
ScopeOpt = Annotated[
    str,
    typer.Option(
        "--scope",
        metavar="city|county",
        help="city: each county's latest run of the month, winners judged city-wide; "
        "county: a county's own latest run (with --bureau).",
    ),
]
RunOpt = Annotated[
    int | None,
    typer.Option(
        "--run", metavar="ID", help="Read this run (see `fivestar runs`), not the latest."
    ),
]
MonthOpt = Annotated[
    str | None,
    typer.Option("--month", metavar="M", help="The month (default: the latest stored)."),
]
MonthArg = Annotated[
    str, typer.Argument(metavar="MONTH", help="The month: 2014-04, 2014年4月 or 201404.")
]
BureauOpt = Annotated[
    str | None, typer.Option("--bureau", metavar="NAME", help="One county bureau.")
]
JsonOpt = Annotated[
    bool,
    typer.Option("--json", callback=json_wanted, help="Print one JSON object on stdout."),
]
RulesOpt = Annotated[
    Path | None,
    typer.Option(
        "--rules",
        metavar="PATH",
        help="A rules file or a folder of them (default: ./rules or built-in).",
    ),
]
StarOpt = Annotated[
    str | None,
    typer.Option(
        "--star",
        metavar="STAR",
        help="One star by key, label or short name: mediation, 纠纷调解之星 or 调解.",
    ),
]
