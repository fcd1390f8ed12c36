"""`fivestar evaluate`: read a month's exports, write the report, record the run."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Annotated

import typer

from fivestar.cli.helptext import helps
from fivestar.cli.options import DbOpt, JsonOpt, MonthArg, RulesOpt
from fivestar.cli.output import print_json
from fivestar.i18n import N_


@helps(
    N_("Evaluate a month from the counties' activity exports, write the report, record the run.")
)
def evaluate(
    month: MonthArg,
    inputs: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE_OR_DIR...",
            help=N_("Input files (.xlsx .xlsm .xls .ods .csv) or folders."),
            readable=False,  # an unreadable file is a file-level issue, not a usage error
        ),
    ],
    rules: RulesOpt = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", metavar="PATH", help=N_("Report path (default fivestar-YYYY-MM.xlsx).")
        ),
    ] = None,
    sheet: Annotated[
        list[str] | None,
        typer.Option("--sheet", metavar="NAME", help=N_("Read only this sheet (repeatable).")),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding", metavar="ENC", help=N_("CSV encoding (default: UTF-8, then GB18030).")
        ),
    ] = None,
    recursive: Annotated[
        bool, typer.Option("--recursive", help=N_("Descend into folders."))
    ] = False,
    per_file: Annotated[
        bool, typer.Option("--per-file", help=N_("Also write one report per input file."))
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help=N_("Write nothing if any row would be rejected."))
    ] = False,
    max_unpacked: Annotated[
        int,
        typer.Option(
            "--max-unpacked",
            metavar="MIB",
            min=1,
            help=N_("Refuse an xlsx/xlsm/ods that unpacks to more than this many MiB."),
        ),
    ] = 256,
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    from fivestar.cli.render import progress_bar, show_run, strict_listing
    from fivestar.evaluate import evaluate_month
    from fivestar.io import ReadOptions
    from fivestar.months import require_month

    canonical = require_month(month)
    options = ReadOptions(
        sheets=tuple(sheet or ()),
        encoding=encoding,
        recursive=recursive,
        max_unpacked=max_unpacked * 1024 * 1024,
    )
    # The bar appears once the run knows it reads several files (a folder counts its
    # files), and is gone from the screen before an error is printed.
    # the bar stops before a --strict refusal lists the issues (strict_listing is outside)
    with strict_listing(enabled=not as_json), progress_bar(enabled=not as_json) as bar:
        result = evaluate_month(
            canonical,
            inputs,
            rules_path=rules,
            out=out,
            options=options,
            per_file=per_file,
            strict=strict,
            progress=bar,
            files_found=bar.start,
            record=True,
            db=db,
            command_line=shlex.join(["fivestar", *sys.argv[1:]]),
        )
    if as_json:
        print_json(result.to_json())
    else:
        show_run(result)
    raise typer.Exit(result.exit_code)
