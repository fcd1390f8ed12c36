"""The store's commands: report, explain, history, runs, migrate (SPEC §4, §5).

Heavy modules are imported inside the command bodies; errors are raised and worded by the
app's one catch (fivestar.cli.app).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Protocol, TypeVar

import typer

from fivestar.cli.common import month_or_none, read_store, refuse_replacing
from fivestar.cli.helptext import helps
from fivestar.cli.options import (
    BureauOpt,
    DbOpt,
    JsonOpt,
    MonthOpt,
    RunOpt,
    ScopeOpt,
    StarOpt,
)
from fivestar.cli.output import print_json
from fivestar.i18n import N_, _


class _Answer(Protocol):
    def to_json(self) -> dict[str, Any]: ...


R = TypeVar("R", bound=_Answer)


def _deliver(
    result: R, out: Path | None, export: Callable[[Path, R], None],
    show: Callable[[R], None], as_json: bool,
) -> None:  # fmt: skip
    """Write `--out` if asked, then print the result as JSON or as tables."""
    if out is not None:
        export(out, result)
    if as_json:
        print_json(result.to_json())
        return
    from fivestar.cli.render import out as console
    from fivestar.cli.render import safe

    show(result)
    if out is not None:
        console.print(safe(_("wrote {path}").format(path=out)), soft_wrap=True)


@helps(N_("A star's ranking (every star without --star): winners marked, then near misses."))
def report(
    month: MonthOpt = None,
    star: StarOpt = None,
    bureau: BureauOpt = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            metavar="PATH",
            help=N_(
                "Also write PATH.xlsx (the month's full report; with --star or --bureau, "
                "the ranking) or PATH.csv."
            ),
        ),
    ] = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    run: RunOpt = None,
    scope: ScopeOpt = "city",
) -> None:
    from fivestar.errors import UsageError
    from fivestar.queries import star_ranking

    if out is not None and out.suffix.lower() not in (".xlsx", ".csv"):
        raise UsageError(_("--out {path}: write the report as .xlsx or .csv").format(path=out))
    refuse_replacing(out)
    canonical = month_or_none(month)
    result = read_store(db, lambda s: star_ranking(s, canonical, star, bureau, run, scope=scope))
    from fivestar.cli.render_store import show_report
    from fivestar.report.store_exports import export_report

    if out is not None and _whole_month(out, star, bureau, run, scope):
        # the month's full report workbook again (公示 included), decisions applied
        from fivestar.decided_report import write_stored_report

        _deliver(result, out, lambda path, _r: write_stored_report(db, canonical, path),
                 show_report, as_json)  # fmt: skip
        return
    _deliver(result, out, export_report, show_report, as_json)


def _whole_month(
    out: Path, star: str | None, bureau: str | None, run: int | None, scope: str
) -> bool:
    """`report --out r.xlsx` of a month's city-wide result writes the whole report."""
    city = star is None and bureau is None and run is None and scope == "city"
    return city and out.suffix.lower() == ".xlsx"


@helps(N_("An officer's figures and, star by star, qualified / named / why not."))
def explain(
    officer_id: Annotated[
        str, typer.Argument(metavar="OFFICER_ID", help=N_("The officer's 警号."))
    ],
    month: MonthOpt = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    run: RunOpt = None,
    scope: ScopeOpt = "city",
) -> None:
    from fivestar.queries import explain as explain_officer

    canonical = month_or_none(month)
    result = read_store(
        db, lambda s: explain_officer(s, officer_id.strip(), canonical, run, scope=scope)
    )
    if as_json:
        print_json(result.to_json())
        return
    from fivestar.cli.render_store import show_explanation

    show_explanation(result)


@helps(
    N_(
        "The year's stars: a month × star grid per officer, per bureau, and who fell "
        "below the monthly minimum more than once."
    )
)
def history(
    year: Annotated[
        int | None, typer.Option("--year", metavar="YYYY", help=N_("The year (default: latest)."))
    ] = None,
    officer: Annotated[
        str | None, typer.Option("--officer", metavar="ID", help=N_("One officer's 警号."))
    ] = None,
    bureau: BureauOpt = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", metavar="PATH", help=N_("Also write the year to PATH.xlsx, with a chart.")
        ),
    ] = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    scope: ScopeOpt = "city",
) -> None:
    from fivestar.errors import UsageError
    from fivestar.queries import history as year_history

    if out is not None and out.suffix.lower() != ".xlsx":
        raise UsageError(_("--out {path}: write the history as .xlsx").format(path=out))
    refuse_replacing(out)
    result = read_store(db, lambda s: year_history(s, year, officer, bureau, scope=scope))
    from fivestar.cli.render_store import show_history
    from fivestar.report.store_exports import export_history

    _deliver(result, out, export_history, show_history, as_json)


@helps(N_("Every recorded run, oldest first; the latest of each month is the one reports read."))
def runs(as_json: JsonOpt = False, db: DbOpt = None) -> None:
    from fivestar.queries import list_runs

    result = read_store(db, list_runs)
    if as_json:
        print_json(result.to_json())
        return
    from fivestar.cli.render_store import show_runs

    show_runs(result)


@helps(N_("Upgrade the results store to this fivestar's schema (the read commands never do)."))
def migrate(db: DbOpt = None) -> None:
    from fivestar.store import migrate_store

    where, found, now = migrate_store(db)
    if found == now:
        typer.echo(_("{store}: up to date (schema version {now})").format(store=where, now=now))
    else:
        typer.echo(
            _("{store}: upgraded from schema version {found} to {now}").format(
                store=where, found=found, now=now
            )
        )
