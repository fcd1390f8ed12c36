"""The one error hierarchy. The CLI catches `FivestarError` once, at its entry, and words it.

Each error carries facts (fields) and a stable `code` slug, which `--json` prints. Its message
is a `Said`: an English template (marked `N_`, translated through the catalogue) and the facts
that fill it, so the same error reads in Chinese or English (`err.words("zh")`). `str(err)` is
the English line, for library users; it names no command-line flag. A fact that says which
option a value came from is an `Option`: in the library's words it is a plain noun ("the
output path"), and only `fivestar.cli.failures` renders it as the flag the clerk typed (--out).
Exit codes follow DESIGN.md §3: 2 means nothing was evaluated (bad usage, bad rules, no input).
Data problems in rows are not exceptions: they are `Issue` records in the result.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from fivestar.i18n import EN, N_, language, translate

if TYPE_CHECKING:
    from fivestar.findings import Issue


class ExitCode(IntEnum):
    """How a command ends, as the shell sees it."""

    OK = 0  # done, nothing to report
    DATA_ISSUES = 1  # evaluated, with rejected rows or files
    FAILED = 2  # an error: nothing changed
    INTERRUPTED = 130  # Ctrl-C, as a shell reports SIGINT


# The options a fact may name, in the library's words (the CLI names the flag instead).
_OPTION_WORDS: Mapping[str, str] = {
    "out": N_("the output path"),
    "db": N_("the results store"),
    "by": N_("the recorder's name"),
    "reason": N_("the reason"),
    "from": N_("the list file"),
    "to": N_("the last month"),
    "scope": N_("the scope"),
    "bureau": N_("the bureau"),
    "officer": N_("the officer"),
    "encoding": N_("the encoding"),
    "per-file": N_("one report per county"),
    "strict": N_("strict mode"),
}


@dataclass(frozen=True)
class Option:
    """A fact naming the option a value was given with (its long name, without dashes)."""

    name: str
    meaning: str | None = None  # its words (N_-marked) where the name means another thing

    def words(self, lang: str) -> str:
        """The option in the library's words, for readers who typed no flag."""
        return translate(self.meaning or _OPTION_WORDS.get(self.name, self.name), lang)


class OneOf(tuple[str, ...]):
    """Alternatives in one fact ("a or b"), joined the language's way."""


# How each language lists several names (stars, bureaus, months) in one fact, or alternatives.
_LIST_SEPARATOR: Mapping[str, str] = {EN: ", ", "zh": "、"}
_OR_SEPARATOR: Mapping[str, str] = {EN: " or ", "zh": "或"}


@dataclass(frozen=True)
class Said:
    """A message: an English template (marked N_ where it is written) and the facts filling it.

    A fact may itself be a `Said` (a clause with its own template, rendered in the same
    language) or any object with such a `render(lang, option)`, an `Option`, or a list
    (joined the language's way); anything else is shown as it is (a path, a number, a
    library's own text)."""

    template: str
    facts: Mapping[str, Any] = field(default_factory=dict)

    def render(self, lang: str | None = None, option: Callable[[Option], str] | None = None) -> str:
        """The message in `lang` (default: the language in use); `option` words an Option."""
        lang = lang or language()
        text = translate(self.template, lang) if self.template else ""
        if not self.facts:
            return text
        shown = option or (lambda o: o.words(lang))
        return text.format_map({k: _fact(v, lang, shown) for k, v in self.facts.items()})

    def __str__(self) -> str:
        return self.render(EN)


def _fact(value: Any, lang: str, option: Callable[[Option], str]) -> Any:
    if isinstance(value, Said) or callable(getattr(value, "render", None)):
        return value.render(lang, option)  # a clause, or a fact that words itself
    if isinstance(value, Option):
        return option(value)
    if isinstance(value, OneOf):
        return _OR_SEPARATOR.get(lang, " or ").join(str(_fact(v, lang, option)) for v in value)
    if isinstance(value, list | tuple):
        return _LIST_SEPARATOR.get(lang, ", ").join(str(_fact(v, lang, option)) for v in value)
    return value


def said(template: str, **facts: Any) -> Said:
    return Said(template, facts)


def placed(where: Said | str | None, message: Said) -> Said:
    """`message` about a place (a row of a list, a rules file): "where: message"."""
    if not where:
        return message
    return Said(N_("{where}: {message}"), {"where": where, "message": message})


class Invalid(ValueError):
    """A value refused inside a validator (pydantic words it as its own message): the
    template and facts ride along, so that the message can still be translated."""

    def __init__(self, message: Said | str, /, **facts: Any) -> None:
        self.said = message if isinstance(message, Said) else Said(message, facts)
        super().__init__(self.said.render(EN))


class FivestarError(Exception):
    """Base class: a one-line, user-facing message made of a template and its facts.

    Raise it as `UsageError(N_("no run {run} in {where}"), run=7, where=...)`, or with a
    prepared `Said`. The facts are also attributes of the error's `facts` mapping."""

    exit_code: ClassVar[ExitCode] = ExitCode.FAILED
    code: ClassVar[str] = "error"

    def __init__(self, message: Said | str = "", /, **facts: Any) -> None:
        self.said = message if isinstance(message, Said) else Said(message, facts)
        super().__init__(self.said.render(EN))

    @property
    def facts(self) -> Mapping[str, Any]:
        return self.said.facts

    def words(self, lang: str | None = None) -> str:
        """The message in `lang` (default: the language in use), options in plain words."""
        return self.said.render(lang)

    def __reduce__(self) -> tuple[Any, ...]:
        # a recorder process sends its error back pickled: keep the template and the facts
        # (and a subclass's own fields), whatever its __init__ takes
        return (_restore, (type(self), self.said, dict(self.__dict__)))


def _restore(cls: type[FivestarError], message: Said, state: dict[str, Any]) -> FivestarError:
    err = cls.__new__(cls)
    Exception.__init__(err, message.render(EN))
    err.__dict__.update(state)
    return err


class UsageError(FivestarError):
    """Bad arguments: a month that does not parse, a path that is refused."""

    code = "usage"


class RulesError(FivestarError):
    """A rules file that cannot be loaded or does not validate."""

    code = "rules-invalid"


class InputError(FivestarError):
    """No input could be evaluated at all."""

    code = "no-input"


class OutputError(FivestarError):
    """A report or export could not be written."""

    code = "output-failed"


class RecordedError(OutputError):
    """The run is recorded in the store, but its report could not be put in place. Not
    exit 2, which promises that nothing changed: 1, the run was evaluated and kept."""

    exit_code = ExitCode.DATA_ISSUES
    code = "report-not-placed"


class StoreError(FivestarError):
    """The results store could not be opened, read or written."""

    code = "store-unavailable"


# Output paths: who chose the path, and why it is refused (the CLI names the flag).
OUT = "out"  # the user's --out
DEFAULT = "default"  # the report's default name
PER_FILE = "per-file"  # a county report of --per-file

NOT_XLSX = "not-xlsx"  # the report is a workbook: the name must end .xlsx
NOT_REGULAR = "not-regular"  # a pipe or a device
NOT_OURS = "not-ours"  # a file fivestar did not write
FILLED_TEMPLATE = "filled-template"  # a template someone has filled in

REFUSALS: Mapping[str, str] = {
    NOT_XLSX: N_("{path}: the report is an Excel workbook, name it .xlsx"),
    NOT_REGULAR: N_("{path} is not a regular file"),
    NOT_OURS: N_("{path} would replace a file fivestar did not write"),
    FILLED_TEMPLATE: N_("{path} would replace a template that has been filled in"),
}


class OutputRefused(UsageError):
    """A report path that would replace something of the user's (or is not a workbook)."""

    code = "output-refused"

    def __init__(self, path: Path, reason: str, chosen_by: str = OUT) -> None:
        self.path, self.reason, self.chosen_by = path, reason, chosen_by
        super().__init__(REFUSALS.get(reason, reason), path=path)


class StrictRefused(InputError):
    """Strict mode: rows were rejected, so nothing was written."""

    code = "strict-refused"

    def __init__(self, issues: Sequence[Issue]) -> None:
        self.issues = tuple(issues)
        super().__init__(
            N_("{count} data issue(s) in strict mode, nothing written"), count=len(self.issues)
        )


class UnknownEncoding(UsageError):
    """A text encoding Python does not know."""

    code = "unknown-encoding"

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        super().__init__(N_("unknown encoding {encoding!r}"), encoding=encoding)


class StoreMissing(StoreError):
    """No results store where one was to be read (nothing recorded there yet)."""

    code = "store-missing"

    def __init__(self, where: str, *, empty_database: bool = False) -> None:
        self.where, self.empty_database = where, empty_database
        if empty_database:
            template = N_("no results store in {where}: `fivestar evaluate` records one")
        else:
            template = N_("no results store at {where}: `fivestar evaluate` records one")
        super().__init__(template, where=where)


class StoreDamaged(StoreError):
    """A stored value the store's own checks did not foresee."""

    code = "store-damaged"


class UnknownStar(UsageError):
    """A star named on the command line that the rules do not have."""

    code = "unknown-star"

    def __init__(
        self, name: str, known: Sequence[str], close: Sequence[str], context: str | Said
    ) -> None:
        self.name, self.known, self.close, self.context = name, tuple(known), tuple(close), context
        if close:
            template = N_("no star {name!r} in {context}; stars: {known}; did you mean {close}?")
        else:
            template = N_("no star {name!r} in {context}; stars: {known}")
        super().__init__(
            template, name=name, context=context, known=self.known, close=OneOf(self.close)
        )


def described(err: BaseException, limit: int = 200) -> str:
    """An unexpected exception as one line for a message: "Type: text", the text cut."""
    text = " ".join(str(err).split())[:limit]
    return f"{type(err).__name__}: {text}" if text else type(err).__name__
