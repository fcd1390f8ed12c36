"""`--help` in the clerk's language: our own layout of click's help, every word translated.

click (vendored by typer) writes "Usage:", "Options", "Commands" and the `--help` option's
own help as plain English, and wraps by character count, so a Chinese line would be twice
as wide as the terminal. The commands and groups here format their help themselves:
the texts are declared `N_()` and translated when shown; lines wrap by display width
(a CJK character takes two columns) and never inside a Latin word or a flag.

Only the standard library and typer are imported: `fivestar --help` stays light.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import PurePath
from typing import Any, TypeVar

from typer._click import Context as ClickContext
from typer._click import HelpFormatter
from typer._click.exceptions import UsageError
from typer.core import TyperCommand, TyperGroup

from fivestar.cli.usage import ExtraArguments, MissingCommand, NoSuchCommand, close_to
from fivestar.i18n import N_, _

F = TypeVar("F", bound=Callable[..., Any])

HELP_OPTION = N_("Show this message and exit.")
OPTIONS = N_("[OPTIONS]")  # click's placeholder in a usage line


def helps(text: str) -> Callable[[F], F]:
    """Give a command its help text (declared `N_()`, translated where shown): typer reads
    a command's help from its docstring, which Babel cannot extract."""

    def mark(function: F) -> F:
        function.__doc__ = text
        return function

    return mark


# --- display width ---------------------------------------------------------------------

_WIDE = frozenset("WF")
# Punctuation that may not begin a line (it stays with what it closes) or end one.
_CLOSING = frozenset("，。、；：！？）》」』】…,.;:!?)]")
_OPENING = frozenset("（《「『【([")
_SOFT_BREAKS = frozenset("，。、；：！？）》」』】")
_CHUNK = re.compile(
    r"\[[^\]]*\]|\s+|[^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef\uac00-\ud7af]+|.", re.S
)  # a bracketed note whole, whitespace, a Latin word, one CJK character


def width_of(text: str) -> int:
    """Columns a text takes in a terminal (CJK characters two, combining marks none)."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in _WIDE else 1
        for c in text
    )


def _chunks(text: str) -> list[str]:
    """Unbreakable pieces: a Latin word (or flag, path) whole, a CJK character alone,
    punctuation kept with its neighbour, whitespace as its own piece."""
    pieces: list[str] = []
    glue_next = False
    for piece in _CHUNK.findall(text):
        if piece.isspace():
            pieces.append(" ")
            glue_next = False
        elif pieces and not pieces[-1].isspace() and (glue_next or piece[0] in _CLOSING):
            pieces[-1] += piece
            glue_next = piece[-1] in _OPENING
        else:
            pieces.append(piece)
            glue_next = piece[-1] in _OPENING
    return pieces


def _cut(line: str, width: int) -> int:
    """Where a full line is best cut: after its last space or CJK punctuation, or before an
    opening bracket, when that keeps half the line or more (so a Chinese word is seldom
    split); else at its end."""
    for at in range(len(line) - 1, 0, -1):
        if line[at - 1] in _SOFT_BREAKS or line[at - 1] == " " or line[at] in _OPENING:
            return at if width_of(line[:at]) * 2 >= width else len(line)
    return len(line)


def wrap(text: str, width: int) -> list[str]:
    """`text` as lines of at most `width` columns (a single piece wider is cut)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for chunk in _chunks(" ".join(paragraph.split())):
            piece = chunk
            if piece == " ":
                line += " " if line else ""
                continue
            if width_of(line + piece) > width and line.strip():
                at = _cut(line, width)
                lines.append(line[:at].rstrip())
                line = line[at:].lstrip()
            while width_of(line + piece) > width:  # a path longer than the line: cut it
                cut = 0
                while width_of(line + piece[: cut + 1]) <= width:
                    cut += 1
                lines.append(line + piece[:cut])
                piece, line = piece[cut:], ""
            line += piece
        lines.append(line.rstrip())
    return lines


class Formatter(HelpFormatter):
    """click's help formatter, wrapping by display width, its headings translated."""

    def write_heading(self, heading: str) -> None:
        self.write(" " * self.current_indent + _("{title}:").format(title=heading) + "\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        for line in wrap(text, max(self.width - self.current_indent, 20)):
            self.write(f"{indent}{line}\n" if line else "\n")

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        first_col = min(max((width_of(first) for first, _ in rows), default=0), col_max)
        first_col += col_spacing
        text_width = max(self.width - self.current_indent - first_col, 20)
        for first, second in rows:
            self.write(" " * self.current_indent + first)
            lines = wrap(second, text_width) if second else []
            if not lines:
                self.write("\n")
                continue
            if width_of(first) <= first_col - col_spacing:
                self.write(" " * (first_col - width_of(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(" " * (first_col + self.current_indent) + line + "\n")


# --- the help pages --------------------------------------------------------------------


def _extras(param: Any) -> list[str]:
    """The bracketed notes after a help text: required, the default."""
    notes: list[str] = []
    if getattr(param, "required", False):
        notes.append(_("required"))
    default = param.default
    shown = getattr(param, "show_default", True) and not getattr(param, "is_flag", False)
    if shown and default is not None and not isinstance(default, bool | PurePath):
        notes.append(_("default: {value}").format(value=default))
    return notes


def _record(param: Any, ctx: Any) -> tuple[str, str] | None:
    """One parameter's row: its names and metavar, its help translated, its notes."""
    record = param.get_help_record(ctx)
    if record is None:
        return None
    name = (param.metavar or record[0]) if param.param_type_name == "argument" else record[0]
    text = _(HELP_OPTION) if param.name == "help" else _(param.help) if param.help else ""
    notes = _extras(param)
    if notes:
        noted = "[" + _("; ").join(notes) + "]"
        text = f"{text} {noted}" if text else noted
    return name, text


def _usage_pieces(command: Any, ctx: Any) -> list[str]:
    pieces = [_(OPTIONS)] if command.options_metavar else []
    for param in command.get_params(ctx):
        if param.param_type_name == "argument":
            pieces.append(param.metavar or (param.name or "").upper())
    return pieces


def _first_sentence(text: str, limit: int) -> str:
    """A command's line in its group's list: the first sentence, cut to `limit` columns."""
    sentence = re.split(r"(?<=[.。])\s|(?<=。)", " ".join(text.split()), maxsplit=1)[0]
    if width_of(sentence) <= limit:
        return sentence
    lines = wrap(sentence, limit - 1)
    return lines[0].rstrip("，,、；; ") + "…"


class TranslatedHelp:
    """Help pages in the language in use (mixed into our click command and group classes)."""

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = " ".join(self.collect_usage_pieces(ctx))  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, pieces, prefix=_("Usage: "))

    def format_help_text(self, ctx: Any, formatter: Any) -> None:
        text = getattr(self, "help", None)
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(_(text))

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self.format_usage(ctx, formatter)
        self.format_help_text(ctx, formatter)
        self.format_options(ctx, formatter)

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments: list[tuple[str, str]] = []
        options: list[tuple[str, str]] = []
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            record = _record(param, ctx)
            if record is not None:
                (arguments if param.param_type_name == "argument" else options).append(record)
        for title, rows in ((_("Arguments"), arguments), (_("Options"), options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        commands: dict[str, Any] = getattr(self, "commands", {})
        shown = [(name, c) for name, c in commands.items() if not c.hidden]
        if not shown:
            return
        limit = formatter.width - 6 - max(width_of(name) for name, _c in shown)
        rows = [(name, _first_sentence(_(c.help or ""), limit)) for name, c in shown]
        with formatter.section(_("Commands")):
            formatter.write_dl(rows)


class Context(ClickContext):
    """click's context, with our formatter."""

    formatter_class = Formatter


class TranslatedCommand(TranslatedHelp, TyperCommand):
    """A command: its help translated, its arguments named by their metavars in the usage
    line as SPEC §5 writes them (`MONTH FILE_OR_DIR...`, not typer's `{MONTH}`), extra
    words refused with their facts (fivestar.cli.usage words them)."""

    context_class = Context

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return _usage_pieces(self, ctx)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        allowed, ctx.allow_extra_args = ctx.allow_extra_args, True
        try:
            rest: list[str] = super().parse_args(ctx, args)
        finally:
            ctx.allow_extra_args = allowed
        if rest and not allowed and not ctx.resilient_parsing:
            raise ExtraArguments(rest, ctx)
        return rest


class TranslatedGroup(TranslatedHelp, TyperGroup):
    """A command group: its help translated, an unknown command refused with the names
    it may have meant."""

    context_class = Context

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return [*_usage_pieces(self, ctx), _("COMMAND [ARGS]...")]

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return self._click_resolve_command(ctx, args)
        except UsageError as err:
            if type(err) is not UsageError:  # an option where a command was expected
                raise
            raise NoSuchCommand(args[0], close_to(args[0], list(self.commands)), ctx) from None

    def invoke(self, ctx: Any) -> Any:
        if not ctx._protected_args and not self.invoke_without_command:
            raise MissingCommand(ctx)
        return super().invoke(ctx)
