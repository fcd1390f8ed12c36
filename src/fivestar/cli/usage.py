"""A command line click refuses, in the clerk's language; and the language itself.

click words its refusals as English f-strings ("Missing argument …", "No such option …").
They are worded here from the exception's type and fields, never from its text; the
refusals click only words (no such command, extra arguments, a missing command) are raised
by our command classes as the subclasses below, with their facts.

The language is chosen before click parses anything (help and usage errors are produced
while parsing): `choose_language` reads `--lang` from the command line (anywhere before a
`--`, before or after the command) or $FIVESTAR_LANG.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from typing import Any

from typer._click.exceptions import (
    BadOptionUsage,
    BadParameter,
    MissingParameter,
    NoSuchOption,
    UsageError,
)

from fivestar import i18n
from fivestar.i18n import N_, _

LANG_OPTION = "--lang"


class NoSuchCommand(UsageError):
    """A command name that the group does not have."""

    def __init__(self, name: str, possibilities: Sequence[str], ctx: Any) -> None:
        super().__init__(f"No such command {name!r}.", ctx)
        self.name = name
        self.possibilities = list(possibilities)


class ExtraArguments(UsageError):
    """Words left over once every argument has its value."""

    def __init__(self, extra: Sequence[str], ctx: Any) -> None:
        super().__init__(f"Got unexpected extra argument(s) ({' '.join(extra)})", ctx)
        self.extra = list(extra)


class MissingCommand(UsageError):
    """Group options without a command after them (`fivestar --debug`)."""

    def __init__(self, ctx: Any) -> None:
        super().__init__("Missing command.", ctx)


class UnknownLanguage(Exception):
    """`--lang` or $FIVESTAR_LANG names a language fivestar does not speak."""

    def __init__(self, given: str, source: str) -> None:
        super().__init__(given)
        self.given = given
        self.source = source


def close_to(word: str, choices: Sequence[str]) -> list[str]:
    """The choices a typo probably meant."""
    return difflib.get_close_matches(word, list(choices), n=3, cutoff=0.6)


def choose_language(argv: list[str]) -> list[str]:
    """Set the invocation's language from `--lang` in `argv`, else $FIVESTAR_LANG, else
    Chinese; return `argv` without the `--lang` words (click never sees them, so they may
    stand anywhere before `--`). An unknown language raises `UnknownLanguage` with the
    language set to the environment's, or Chinese, to say so in."""
    end = argv.index("--") if "--" in argv else len(argv)
    chosen: str | None = None
    kept: list[str] = []
    i = 0
    while i < end:
        word = argv[i]
        if word == LANG_OPTION:
            chosen = argv[i + 1] if i + 1 < end else ""
            i += 2
            continue
        if word.startswith(LANG_OPTION + "="):
            chosen = word.partition("=")[2]
        else:
            kept.append(word)
        i += 1
    kept.extend(argv[end:])
    try:
        i18n.set_language(None)
    except i18n.UnknownLanguage as err:
        i18n.set_language(i18n.DEFAULT)
        raise UnknownLanguage(err.given, i18n.ENV) from None
    if chosen is not None:
        try:
            i18n.set_language(chosen)
        except i18n.UnknownLanguage:
            raise UnknownLanguage(chosen, LANG_OPTION) from None
    return kept


def unknown_language(err: UnknownLanguage) -> str:
    return _("unknown language {given!r} for {source}: fivestar speaks {languages}").format(
        given=err.given, source=err.source, languages=", ".join(i18n.LANGUAGES)
    )


def _quoted(hint: Any) -> str:
    if hint is None:
        return ""
    if isinstance(hint, str):
        return hint
    return " / ".join(repr(h) for h in hint)


def _param_hint(err: BadParameter) -> str:
    if err.param_hint is not None:
        return _quoted(err.param_hint)
    if err.param is not None:
        return _quoted(err.param.get_error_hint())
    return ""


def _missing(err: MissingParameter) -> str:
    kind = err.param_type or (err.param.param_type_name if err.param is not None else "")
    hint = _param_hint(err)
    if kind == "option":
        return _("Missing option {option}.").format(option=hint)
    if kind == "argument":
        return _("Missing argument {argument}.").format(argument=hint)
    return _("Missing value for {parameter}.").format(parameter=hint)


_LIMITS = {
    "greater_than_equal": N_("Invalid value for {parameter}: {value!r} is less than {bound}."),
    "greater_than": N_("Invalid value for {parameter}: {value!r} is not more than {bound}."),
    "less_than_equal": N_("Invalid value for {parameter}: {value!r} is more than {bound}."),
    "less_than": N_("Invalid value for {parameter}: {value!r} is not less than {bound}."),
}


def _bad_value(err: BadParameter) -> str:
    """A value the parameter's type refuses: worded from the validation's own facts."""
    hint = _param_hint(err)
    found = getattr(err.__cause__, "errors", None)
    problem = found()[0] if callable(found) and found() else None
    if problem is None:
        return _("Invalid value for {parameter}.").format(parameter=hint)
    value, kind, limits = problem.get("input"), problem.get("type"), problem.get("ctx") or {}
    if kind == "int_parsing":
        return _("Invalid value for {parameter}: {value!r} is not a whole number.").format(
            parameter=hint, value=value
        )
    if kind in _LIMITS:
        bound = next(iter(limits.values()), "")
        return _(_LIMITS[kind]).format(parameter=hint, value=value, bound=bound)
    return _("Invalid value for {parameter}: {value!r}.").format(parameter=hint, value=value)


def _option_usage(err: BadOptionUsage) -> str:
    ctx = getattr(err, "ctx", None)
    option = err.option_name
    params = ctx.command.get_params(ctx) if ctx is not None else []
    flag = any(option in p.opts and getattr(p, "is_flag", False) for p in params)
    if flag:
        return _("Option {option} takes no value.").format(option=option)
    return _("Option {option} needs a value.").format(option=option)


def _did_you_mean(message: str, options: Sequence[str]) -> str:
    if not options:
        return message
    return _("{message}; did you mean {options}?").format(
        message=message, options=_(" or ").join(options)
    )


def _no_such_command(err: NoSuchCommand) -> str:
    message = _("No such command {name!r}.").format(name=err.name)
    if not err.possibilities:
        return message
    return _did_you_mean(message.rstrip(".。"), err.possibilities)


def _extra(err: ExtraArguments) -> str:
    return _("Unexpected extra arguments: {words}.").format(words=" ".join(err.extra))


def _no_such_option(err: NoSuchOption) -> str:
    message = _("No such option: {option}").format(option=err.option_name)
    return _did_you_mean(message, sorted(err.possibilities or ()))


# click's refusals, most specific first (MissingParameter is a BadParameter).
_WORDED: tuple[tuple[type[Exception], Callable[[Any], str]], ...] = (
    (NoSuchCommand, _no_such_command),
    (ExtraArguments, _extra),
    (MissingCommand, lambda _err: _("Missing command.")),
    (NoSuchOption, _no_such_option),
    (MissingParameter, _missing),
    (BadParameter, _bad_value),
    (BadOptionUsage, _option_usage),
)


def words(err: Exception) -> str:
    """A refused command line, in the language in use (one sentence, no hint)."""
    for kind, worded in _WORDED:
        if isinstance(err, kind):
            return worded(err)
    return _("The command line is not understood: {message}").format(
        message=err.format_message()  # type: ignore[attr-defined]
    )


def see_help(command_path: str) -> str:
    return _(" (see {command} --help)").format(command=command_path)
