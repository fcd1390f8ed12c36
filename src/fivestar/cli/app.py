"""The Typer app: the command groups, the global options, and the one place where an error
becomes a line and an exit code. It only dispatches: each command lives in its group's module.

Heavy modules (pandas, readers, writers) are imported inside the commands so that
`fivestar --help` and `fivestar --version` start fast.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Sequence
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from fivestar import __version__, i18n
from fivestar.cli import compare, decisions, evaluate, output, rules, store, template
from fivestar.cli.failures import OUT_OF_MEMORY, USAGE, words
from fivestar.cli.options import Command
from fivestar.errors import ExitCode, FivestarError

# click's exception for a command line it cannot parse (typer re-exports its BadParameter;
# typer vendors click in recent versions, so it is reached from there, not imported).
_ClickException: type[Exception] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"
)


class _OneLineErrors(TyperGroup):
    """The command group, with every error as one line on stderr and a named exit code.

    click prints a bad command line as four lines (usage, a hint, a blank line, the error);
    SPEC §3 wants errors as one line. A FivestarError from any command is caught here, once,
    and worded by `failures.words`; with --json its code and message also go to stdout.
    `--help`, `--version` and a bare `fivestar` (its help) behave as click's own; Ctrl-C is
    one line too (`fivestar: 已中断`), exit 130.
    """

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            # typer would turn it into exit 130 with nothing said: the clerk sees why it ended
            output.interrupted()
        except FivestarError as err:
            if output.state.debug:
                raise
            output.fail(err.code, words(err), err.exit_code)
        except MemoryError:
            if output.state.debug:
                raise
            message = "out of memory: split the input into smaller runs"
            output.fail(OUT_OF_MEMORY, message, ExitCode.FAILED)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        output.state.debug = output.state.json = output.state.ended = False  # one invocation's
        i18n.set_language(None)  # FIVESTAR_LANG, else Chinese
        if not standalone_mode:
            return super().main(
                args, prog_name, complete_var, standalone_mode, windows_expand_args, **extra
            )
        argv = list(sys.argv[1:] if args is None else args)
        try:
            code = super().main(argv, prog_name, complete_var, False, windows_expand_args, **extra)
        except _ClickException as err:
            if type(err).__name__ == "NoArgsIsHelpError":  # a bare group: its help
                err.show()  # type: ignore[attr-defined]
                sys.exit(ExitCode.FAILED)
            _usage_error(err, argv)
        except typer.Abort:
            typer.echo("Aborted!", err=True)
            sys.exit(ExitCode.DATA_ISSUES)
        if code == ExitCode.INTERRUPTED and not output.state.ended:
            # a Ctrl-C while click parsed the command line: typer made it exit 130, silently
            with contextlib.suppress(typer.Exit):
                output.interrupted()
        sys.exit(code if isinstance(code, int) else ExitCode.OK)


def _usage_error(err: Exception, argv: list[str]) -> NoReturn:
    """A command line click could not parse: one line, with where to read more; exit 2.

    (Even with --debug: the parser's traceback says nothing the line does not.) The options
    were not parsed, so --json is looked for among the words before a `--`."""
    message = err.format_message()  # type: ignore[attr-defined]
    ctx = getattr(err, "ctx", None)
    hint = f" (see {ctx.command_path} --help)" if ctx is not None else ""
    words_given = argv[: argv.index("--")] if "--" in argv else argv
    output.state.json = "--json" in words_given
    try:
        output.fail(USAGE, message + hint, ExitCode.FAILED)
    except typer.Exit as done:
        sys.exit(done.exit_code)


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
    output.state.debug = debug


# The order of `fivestar --help`, as before the commands were split into modules.
app.command("evaluate", cls=Command)(evaluate.evaluate)
app.add_typer(rules_app, name="rules")
rules_app.command("check", cls=Command)(rules.check)
rules_app.command("show", cls=Command)(rules.show)
app.command("template", cls=Command)(template.template)
for name in ("report", "explain", "history", "runs", "migrate"):
    app.command(name, cls=Command)(getattr(store, name))
app.command("compare", cls=Command)(compare.compare)
rules_app.command("diff", cls=Command)(rules.diff)
for name in ("exclude", "confirm", "reopen", "log"):
    app.command(name, cls=Command)(getattr(decisions, name))
