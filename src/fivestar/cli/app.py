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

from fivestar import __version__
from fivestar.cli import compare, decisions, evaluate, output, rules, store, template, usage
from fivestar.cli.failures import OUT_OF_MEMORY, USAGE, words
from fivestar.cli.helptext import TranslatedGroup
from fivestar.cli.options import Command
from fivestar.errors import ExitCode, FivestarError
from fivestar.i18n import N_, _

# click's exception for a command line it cannot parse (typer re-exports its BadParameter;
# typer vendors click in recent versions, so it is reached from there, not imported).
_ClickException: type[Exception] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"
)


class _OneLineErrors(TranslatedGroup):
    """The command group, with every error as one line on stderr and a named exit code.

    click prints a bad command line as four lines (usage, a hint, a blank line, the error);
    SPEC §3 wants errors as one line, in the clerk's language (`fivestar.cli.usage` words
    click's refusals). A FivestarError from any command is caught here, once, and worded by
    `failures.words`; with --json its code and message also go to stdout. `--help`,
    `--version` and a bare `fivestar` (its help) behave as click's own; Ctrl-C is one line
    too (`fivestar: 已中断`), exit 130. The language is chosen first, from `--lang` or
    $FIVESTAR_LANG, for each invocation (tests invoke the app many times in one process).
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
            message = _("out of memory: split the input into smaller runs")
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
        argv = list(sys.argv[1:] if args is None else args)
        try:
            argv = usage.choose_language(argv)  # before click: help and usage errors use it
        except usage.UnknownLanguage as err:
            output.state.json = _json_asked(argv)
            said = usage.unknown_language(err)
            _end(lambda: output.fail(USAGE, said, ExitCode.FAILED))
        if not standalone_mode:
            return super().main(
                argv, prog_name, complete_var, standalone_mode, windows_expand_args, **extra
            )
        try:
            code = super().main(argv, prog_name, complete_var, False, windows_expand_args, **extra)
        except _ClickException as err:
            if type(err).__name__ == "NoArgsIsHelpError":  # a bare group: its help
                err.show()  # type: ignore[attr-defined]
                sys.exit(ExitCode.FAILED)
            _usage_error(err, argv)
        except typer.Abort:
            typer.echo(_("Aborted!"), err=True)
            sys.exit(ExitCode.DATA_ISSUES)
        if code == ExitCode.INTERRUPTED and not output.state.ended:
            # a Ctrl-C while click parsed the command line: typer made it exit 130, silently
            with contextlib.suppress(typer.Exit):
                output.interrupted()
        sys.exit(code if isinstance(code, int) else ExitCode.OK)


def _json_asked(argv: list[str]) -> bool:
    """--json among the words before a `--` (for an error found before click parsed them)."""
    return "--json" in (argv[: argv.index("--")] if "--" in argv else argv)


def _end(fail: Any) -> NoReturn:
    """Run `output.fail` outside click's main loop: its Exit becomes the process's exit."""
    try:
        fail()
    except typer.Exit as done:
        sys.exit(done.exit_code)
    raise AssertionError("output.fail returned")  # pragma: no cover


def _usage_error(err: Exception, argv: list[str]) -> NoReturn:
    """A command line click could not parse: one line, with where to read more; exit 2.

    (Even with --debug: the parser's traceback says nothing the line does not.) The options
    were not parsed, so --json is looked for among the words before a `--`."""
    ctx = getattr(err, "ctx", None)
    hint = usage.see_help(ctx.command_path) if ctx is not None else ""
    output.state.json = _json_asked(argv)
    _end(lambda: output.fail(USAGE, usage.words(err) + hint, ExitCode.FAILED))


app = typer.Typer(
    name="fivestar",
    cls=_OneLineErrors,
    help=N_("Monthly five-star community officer evaluation."),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain click help: `fivestar --help` never imports rich
)
rules_app = typer.Typer(
    cls=TranslatedGroup,
    help=N_("Check and show rules files."),
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"fivestar {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    lang: Annotated[
        str | None,
        typer.Option(
            usage.LANG_OPTION,
            metavar="zh|en",
            help=N_("The language: zh (Chinese, the default) or en; also $FIVESTAR_LANG."),
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help=N_("Show tracebacks on errors."))] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help=N_("Show the version.")),
    ] = False,
) -> None:
    # `--lang` was read (and taken out) before click parsed: it is declared for the help
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
