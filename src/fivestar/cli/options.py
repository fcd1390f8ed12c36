"""Options and arguments shared by several commands, and the command class they share.

Help texts are declared `N_()`: the help pages translate them where they are shown."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fivestar.cli.helptext import TranslatedCommand
from fivestar.cli.output import json_wanted
from fivestar.i18n import N_

# Every command's class: its help in the clerk's language (fivestar.cli.helptext).
Command = TranslatedCommand

DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="PATH",
        help=N_(
            "The results store: a file, or postgresql://user@host/dbname "
            "(default: $FIVESTAR_DB, else ./fivestar.db)."
        ),
    ),
]
ScopeOpt = Annotated[
    str,
    typer.Option(
        "--scope",
        metavar="city|county",
        help=N_(
            "city: each county's latest run of the month, winners judged city-wide; "
            "county: a county's own latest run (with --bureau)."
        ),
    ),
]
RunOpt = Annotated[
    int | None,
    typer.Option(
        "--run", metavar="ID", help=N_("Read this run (see `fivestar runs`), not the latest.")
    ),
]
MonthOpt = Annotated[
    str | None,
    typer.Option("--month", metavar="M", help=N_("The month (default: the latest stored).")),
]
MonthArg = Annotated[
    str, typer.Argument(metavar="MONTH", help=N_("The month: 2014-04, 2014年4月 or 201404."))
]
BureauOpt = Annotated[
    str | None, typer.Option("--bureau", metavar="NAME", help=N_("One county bureau."))
]
JsonOpt = Annotated[
    bool,
    typer.Option("--json", callback=json_wanted, help=N_("Print one JSON object on stdout.")),
]
RulesOpt = Annotated[
    Path | None,
    typer.Option(
        "--rules",
        metavar="PATH",
        help=N_("A rules file or a folder of them (default: ./rules or built-in)."),
    ),
]
StarOpt = Annotated[
    str | None,
    typer.Option(
        "--star",
        metavar="STAR",
        help=N_("One star by key, label or short name: mediation, 纠纷调解之星 or 调解."),
    ),
]
