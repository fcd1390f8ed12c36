"""The store's commands: report, explain, history, runs, migrate (DESIGN.md §4, §5).

`register(app)` adds them to the main Typer app. Like `fivestar.cli`, heavy modules are
imported inside the command bodies; `fivestar.cli` is imported there too (it imports this
module to register the commands).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Protocol, TypeVar

import typer
from typer.core import TyperCommand

if TYPE_CHECKING:
    from fivestar.store import Store

T = TypeVar("T")


class _Answer(Protocol):
    def to_json(self) -> dict[str, Any]: ...


R = TypeVar("R", bound=_Answer)


class Command(TyperCommand):
    """A command whose help names its arguments as DESIGN.md §5 does: `MONTH FILE_OR_DIR...`
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
BureauOpt = Annotated[
    str | None, typer.Option("--bureau", metavar="NAME", help="One county bureau.")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")]


def _deliver(
    result: R, out: Path | None, export: Callable[[Path, R], None],
    show: Callable[[R], None], as_json: bool,
) -> None:  # fmt: skip
    """Write `--out` if asked, then print the result as JSON or as tables."""
    from fivestar import cli

    if out is not None:
        cli._guard(lambda: export(out, result))
    if as_json:
        cli._print_json(result.to_json())
        return
    from fivestar.terminal import out as console
    from fivestar.terminal import safe

    show(result)
    if out is not None:
        console.print(safe(f"已写出：{out}"), soft_wrap=True)


def _month(value: str | None) -> str | None:
    if value is None:
        return None
    from fivestar import cli
    from fivestar.months import require_month

    return cli._guard(lambda: require_month(value))


def _read(db: str | None, query: Callable[[Store], T]) -> T:
    """Open the store (it must exist), run `query`, close; errors as one line, exit 2."""
    from fivestar import cli
    from fivestar.store import open_store

    def call() -> T:
        with open_store(db, create=False) as store:
            try:
                return query(store)
            except (ValueError, TypeError, KeyError) as err:
                if cli._state["debug"]:
                    raise
                # a stored value the store's own checks did not foresee: still one line
                from fivestar.errors import StoreError, described

                raise StoreError(
                    f"cannot read results store {store.where}: a stored value is damaged "
                    f"({described(err, 120)})"
                ) from None

    return cli._guard(call)


def report(  # noqa: PLR0917 (typer declares options as parameters)
    month: MonthOpt = None,
    star: Annotated[
        str | None, typer.Option("--star", metavar="KEY", help="One star, e.g. mediation.")
    ] = None,
    bureau: BureauOpt = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            metavar="PATH",
            help="Also write PATH.xlsx (the month's full report; with --star or --bureau, "
            "the ranking) or PATH.csv.",
        ),
    ] = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    run: RunOpt = None,
    scope: ScopeOpt = "city",
) -> None:
    """A star's ranking (every star without --star): winners marked, then near misses."""
    from fivestar import cli
    from fivestar.errors import UsageError
    from fivestar.queries import star_ranking

    if out is not None and out.suffix.lower() not in (".xlsx", ".csv"):
        cli._guard(lambda: _refuse(UsageError(f"--out {out}: write the report as .xlsx or .csv")))
    _replaceable(out)
    canonical = _month(month)
    result = _read(db, lambda s: star_ranking(s, canonical, star, bureau, run, scope=scope))
    from fivestar.report.store_exports import export_report
    from fivestar.terminal_store import show_report

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


def explain(  # noqa: PLR0917
    officer_id: Annotated[str, typer.Argument(metavar="OFFICER_ID", help="The officer's 警号.")],
    month: MonthOpt = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    run: RunOpt = None,
    scope: ScopeOpt = "city",
) -> None:
    """An officer's figures and, star by star, qualified / named / why not."""
    from fivestar import cli
    from fivestar.queries import explain as explain_officer

    canonical = _month(month)
    result = _read(
        db, lambda s: explain_officer(s, officer_id.strip(), canonical, run, scope=scope)
    )
    if as_json:
        cli._print_json(result.to_json())
        return
    from fivestar.terminal_store import show_explanation

    show_explanation(result)


def history(  # noqa: PLR0917
    year: Annotated[
        int | None, typer.Option("--year", metavar="YYYY", help="The year (default: latest).")
    ] = None,
    officer: Annotated[
        str | None, typer.Option("--officer", metavar="ID", help="One officer's 警号.")
    ] = None,
    bureau: BureauOpt = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", metavar="PATH", help="Also write the year to PATH.xlsx, with a chart."
        ),
    ] = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    scope: ScopeOpt = "city",
) -> None:
    """The year's stars: a month × star grid per officer, per bureau, and repeated 未达标."""
    from fivestar import cli
    from fivestar.errors import UsageError
    from fivestar.queries import history as year_history

    if out is not None and out.suffix.lower() != ".xlsx":
        cli._guard(lambda: _refuse(UsageError(f"--out {out}: write the history as .xlsx")))
    _replaceable(out)
    result = _read(db, lambda s: year_history(s, year, officer, bureau, scope=scope))
    from fivestar.report.store_exports import export_history
    from fivestar.terminal_store import show_history

    _deliver(result, out, export_history, show_history, as_json)


def runs(as_json: JsonOpt = False, db: DbOpt = None) -> None:
    """Every recorded run, oldest first; the latest of each month is the one reports read."""
    from fivestar import cli
    from fivestar.queries import list_runs

    result = _read(db, list_runs)
    if as_json:
        cli._print_json(result.to_json())
        return
    from fivestar.terminal_store import show_runs

    show_runs(result)


def migrate(db: DbOpt = None) -> None:
    """Upgrade the results store to this fivestar's schema (the read commands never do)."""
    from fivestar import cli
    from fivestar.store import migrate_store

    where, found, now = cli._guard(lambda: migrate_store(db))
    if found == now:
        typer.echo(f"{where}: up to date (schema version {now})")
    else:
        typer.echo(f"{where}: upgraded from schema version {found} to {now}")


def _refuse(err: Exception) -> None:
    raise err


def _replaceable(out: Path | None) -> None:
    """Refuse an --out that would replace a file fivestar did not write (before any query)."""
    if out is None:
        return
    from fivestar import cli
    from fivestar.report.workbook import check_replaceable

    cli._guard(lambda: check_replaceable(out, f"--out {out}"))


def register(app: typer.Typer) -> None:
    """Add report, explain, history, runs and migrate to `app`."""
    app.command("report", cls=Command)(report)
    app.command("explain", cls=Command)(explain)
    app.command("history", cls=Command)(history)
    app.command("runs", cls=Command)(runs)
    app.command("migrate", cls=Command)(migrate)
