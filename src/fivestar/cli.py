"""The command line: parse, call the library, print. No evaluation logic lives here.

Heavy modules (pandas, readers, writers) are imported inside the commands so that
`fivestar --help` and `fivestar --version` start fast.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from typer.core import TyperGroup

from fivestar import __version__
from fivestar.cli_compare import register as register_compare
from fivestar.cli_decisions import register as register_decisions
from fivestar.cli_store import Command, DbOpt, JsonOpt, register
from fivestar.errors import FivestarError

# click's exception for a command line it cannot parse (typer re-exports its BadParameter;
# typer vendors click in recent versions, so it is reached from there, not imported).
_ClickException: type[Exception] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"
)


class _OneLineErrors(TyperGroup):
    """The command group, with the parser's errors as one line on stderr and exit 2.

    click prints a bad command line as four lines (usage, a hint, a blank line, the error);
    DESIGN.md §3 wants errors as one line, like every other error of fivestar's. `--help`,
    `--version` and a bare `fivestar` (its help) behave as click's own; Ctrl-C is one line
    too (`fivestar: 已中断`), exit 130.
    """

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            # typer would turn it into exit 130 with nothing said: the clerk sees why it ended
            typer.echo("fivestar: 已中断", err=True)
            raise typer.Exit(130) from None

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(
                args, prog_name, complete_var, standalone_mode, windows_expand_args, **extra
            )
        try:
            code = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except _ClickException as err:
            if type(err).__name__ == "NoArgsIsHelpError":  # a bare group: its help
                err.show()  # type: ignore[attr-defined]
                sys.exit(2)
            _usage_error(err)
        except typer.Abort:
            typer.echo("Aborted!", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


def _usage_error(err: Exception) -> NoReturn:
    """A command line click could not parse: one line, with where to read more; exit 2.

    (Even with --debug: the parser's traceback says nothing the line does not.)"""
    from fivestar.terminal import plain_line

    message = err.format_message()  # type: ignore[attr-defined]
    ctx = getattr(err, "ctx", None)
    hint = f" (see {ctx.command_path} --help)" if ctx is not None else ""
    typer.echo(f"fivestar: error: {plain_line(message + hint)}", err=True)
    sys.exit(2)


app = typer.Typer(
    name="fivestar",
    cls=_OneLineErrors,
    help="Monthly five-star community officer evaluation (五星社区民警评选).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain click help: `fivestar --help` never imports rich
)
rules_app = typer.Typer(
    help="Check and show rules files.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(rules_app, name="rules")

_state = {"debug": False}
T = TypeVar("T")

RulesOpt = Annotated[
    Path | None,
    typer.Option(
        "--rules",
        metavar="PATH",
        help="A rules file or a folder of them (default: ./rules or built-in).",
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"fivestar {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    _state["debug"] = debug


def _fail(err: FivestarError) -> NoReturn:
    if _state["debug"]:
        raise err
    from fivestar.terminal import plain_line

    typer.echo(f"fivestar: error: {plain_line(err)}", err=True)
    raise typer.Exit(err.exit_code)


def _guard(call: Callable[[], T]) -> T:
    """Run a library call; a FivestarError becomes one line on stderr and its exit code."""
    try:
        return call()
    except FivestarError as err:
        _fail(err)
    except MemoryError:
        if _state["debug"]:
            raise
        typer.echo("fivestar: error: out of memory: split the input into smaller runs", err=True)
        raise typer.Exit(2) from None


def _print_json(obj: Any) -> None:
    from fivestar.safe_text import json_text  # control and bidi characters as \u escapes

    sys.stdout.write(json_text(obj) + "\n")


@app.command(cls=Command)
def evaluate(
    month: Annotated[
        str, typer.Argument(metavar="MONTH", help="The month: 2014-04, 2014年4月 or 201404.")
    ],
    inputs: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE_OR_DIR...",
            help="Input files (.xlsx .xlsm .xls .ods .csv) or folders.",
            readable=False,  # an unreadable file is a file-level issue, not a usage error
        ),
    ],
    rules: RulesOpt = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", metavar="PATH", help="Report path (default fivestar-YYYY-MM.xlsx)."),
    ] = None,
    sheet: Annotated[
        list[str] | None,
        typer.Option("--sheet", metavar="NAME", help="Read only this sheet (repeatable)."),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding", metavar="ENC", help="CSV encoding (default: UTF-8, then GB18030)."
        ),
    ] = None,
    recursive: Annotated[bool, typer.Option("--recursive", help="Descend into folders.")] = False,
    per_file: Annotated[
        bool, typer.Option("--per-file", help="Also write one report per input file.")
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Write nothing if any row would be rejected.")
    ] = False,
    max_unpacked: Annotated[
        int,
        typer.Option(
            "--max-unpacked",
            metavar="MIB",
            min=1,
            help="Refuse an xlsx/xlsm/ods that unpacks to more than this many MiB.",
        ),
    ] = 256,
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """Evaluate a month from the counties' activity exports, write the report, record the run."""
    from fivestar.evaluate import evaluate_month
    from fivestar.io import ReadOptions
    from fivestar.model import RunResult
    from fivestar.months import require_month
    from fivestar.terminal import progress_bar, show_run

    canonical = _guard(lambda: require_month(month))
    options = ReadOptions(
        sheets=tuple(sheet or ()),
        encoding=encoding,
        recursive=recursive,
        max_unpacked=max_unpacked * 1024 * 1024,
    )

    def run() -> RunResult:
        # The bar appears once the run knows it reads several files (a folder counts its
        # files), and is gone from the screen before an error is printed.
        with progress_bar(enabled=not as_json) as bar:
            return evaluate_month(
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

    result = _guard(run)
    if as_json:
        _print_json(result.to_json())
    else:
        show_run(result)
    raise typer.Exit(result.exit_code)


@rules_app.command("check", cls=Command)
def rules_check(
    path: Annotated[
        Path | None, typer.Argument(metavar="[PATH]", help="A rules file or folder.")
    ] = None,
) -> None:
    """Validate rules files; exit 0 when they load, 2 with the first error otherwise."""
    from fivestar.rules.loader import all_rules
    from fivestar.safe_text import clean_line  # a file's name is shown, never obeyed

    loaded = _guard(lambda: all_rules(path))
    for rules in loaded:
        typer.echo(clean_line(f"ok: {rules.path} (in force from {rules.model.effective_from})"))


@rules_app.command("show", cls=Command)
def rules_show(
    path: Annotated[
        Path | None, typer.Argument(metavar="[PATH]", help="A rules file or folder.")
    ] = None,
    month: Annotated[
        str | None,
        typer.Option("--month", metavar="M", help="Show the rules in force that month."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Print the rules as a readable table with the Chinese labels."""
    from fivestar.months import require_month
    from fivestar.rules.loader import all_rules, rules_for_month
    from fivestar.terminal import show_rules

    if month is not None:
        canonical = _guard(lambda: require_month(month))
        shown = [_guard(lambda: rules_for_month(canonical, path))]
    else:
        shown = _guard(lambda: all_rules(path))
    if as_json:
        _print_json([{"path": r.path, **r.model.model_dump()} for r in shown])
        return
    for rules in shown:
        show_rules(rules)


@app.command(cls=Command)
def template(
    out: Annotated[
        Path,
        typer.Option(
            "--out", metavar="PATH", help="Where to write it (default fivestar-template.xlsx)."
        ),
    ] = Path("fivestar-template.xlsx"),
    rules: RulesOpt = None,
    exclusions: Annotated[
        bool,
        typer.Option(
            "--exclusions", help="Write the empty list for `fivestar exclude MONTH --from`."
        ),
    ] = False,
) -> None:
    """Write an empty input workbook: canonical headers, validation, 填表说明."""
    from fivestar.errors import UsageError
    from fivestar.report.template import write_template
    from fivestar.report.workbook import check_replaceable
    from fivestar.rules.loader import all_rules

    if exclusions and out == Path("fivestar-template.xlsx"):
        out = Path("fivestar-exclusions.xlsx")
    if out.suffix.lower() != ".xlsx":
        _fail(UsageError(f"--out {out}: the template is an Excel workbook, name it .xlsx"))
    _guard(lambda: check_replaceable(out, f"--out {out}"))
    newest = max(_guard(lambda: all_rules(rules)), key=lambda r: r.model.effective_from)
    if exclusions:
        from fivestar.report.exclusion_form import write_exclusion_form

        _guard(lambda: write_exclusion_form(out, newest))
    else:
        _guard(lambda: write_template(out, newest))
    from fivestar.safe_text import clean_line

    typer.echo(clean_line(f"wrote {out}"))


register(app)
register_compare(app, rules_app)
register_decisions(app)


def main() -> None:
    app()
