"""What every command shares besides its tables: the invocation's state, JSON on stdout, and
the one-line error (with `--json`, also an `{"error": …}` object on stdout)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any, NoReturn

import typer

from fivestar.errors import ExitCode
from fivestar.i18n import N_, _

ERROR_PREFIX = N_("fivestar: error: ")  # the start of every error line


@dataclass
class State:
    """Set by the options of one invocation (reset by the app at each start)."""

    debug: bool = False
    json: bool = False
    ended: bool = False  # the one line that ends the command has been printed


state = State()


def print_json(obj: Any) -> None:
    from fivestar.safe_text import json_text  # control and bidi characters as \u escapes

    sys.stdout.write(json_text(obj) + "\n")


def one_line(value: object) -> str:
    """Any text on one line, without control characters: for error lines."""
    from fivestar.safe_text import clean_line

    return clean_line(value)


def fail(code: str, message: str, exit_code: ExitCode, prefix: str = ERROR_PREFIX) -> NoReturn:
    """End the command: one line on stderr and, with --json, `{"error": {code, message}}` on
    stdout (a script reads why as well as the exit code)."""
    line = one_line(message)
    if state.json:
        print_json({"error": {"code": code, "message": line}})
    typer.echo(f"{_(prefix)}{line}", err=True)
    state.ended = True
    raise typer.Exit(exit_code)


def interrupted() -> NoReturn:
    """Ctrl-C: one line, exit 130 (wherever it landed: importing, parsing, running)."""
    from fivestar.cli.failures import INTERRUPTED

    fail(INTERRUPTED, _("interrupted"), ExitCode.INTERRUPTED, prefix="fivestar: ")


def json_wanted(value: bool) -> bool:
    """The --json option's callback: an error later in the command prints JSON too."""
    state.json = state.json or value
    return value
