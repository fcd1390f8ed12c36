"""The interface's language: Chinese by default, English on request (`--lang en` or
FIVESTAR_LANG=en).

Messages are written in the source in English and marked: `_("...")` where the text is shown
at once, `N_("...")` where it is declared ahead (a help text, a template in a table) and
translated where it is shown. Babel extracts the marked text into the catalogues under
`locale/zh_CN/LC_MESSAGES/` (one `.po` per area of the code, compiled to `.mo`, both shipped);
docs/TRANSLATING.md says how to update them. English needs no catalogue: the source text is it.

The language is one setting for the whole process, chosen by the CLI before anything is
shown. Workbooks are the bureau's record and are always written in Chinese: report code asks
for `translate(message, "zh")` rather than `_()`.

Only the standard library is imported here: `fivestar --help` stays fast.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Final

LOCALE_DIR: Final = Path(__file__).parent / "locale"
ZH: Final = "zh"
EN: Final = "en"
LANGUAGES: Final = (ZH, EN)
DEFAULT: Final = ZH
ENV: Final = "FIVESTAR_LANG"

# What a clerk or a script may write for each language (case and `-`/`_` do not matter).
_SPELLINGS: Final = {
    ZH: {"zh", "zh_cn", "zh_hans", "cn", "chinese", "中文"},
    EN: {"en", "en_us", "en_gb", "english", "英文"},
}

_current = DEFAULT


class UnknownLanguage(ValueError):
    """A language fivestar does not speak."""

    def __init__(self, given: str) -> None:
        self.given = given
        super().__init__(given)


def N_(message: str) -> str:  # the conventional gettext marker
    """Mark a message for extraction without translating it yet."""
    return message


def language_of(text: str) -> str:
    """The language a spelling names ("zh-CN" → "zh"); `UnknownLanguage` if none."""
    key = text.strip().lower().replace("-", "_")
    for lang, spellings in _SPELLINGS.items():
        if key in spellings:
            return lang
    raise UnknownLanguage(text)


def set_language(lang: str | None) -> str:
    """Use `lang` from now on (None: FIVESTAR_LANG, else Chinese); returns the language set."""
    global _current  # noqa: PLW0603 - one setting for the process, by design
    if lang is None:
        lang = os.environ.get(ENV) or DEFAULT
    _current = language_of(lang)
    return _current


def language() -> str:
    """The language in use."""
    return _current


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Use `lang` for the duration of a block (tests, and text that must be in one language)."""
    global _current  # noqa: PLW0603
    before, _current = _current, language_of(lang)
    try:
        yield
    finally:
        _current = before


@cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    """Every compiled catalogue of a language, chained: a message is looked up in each."""
    if lang == EN:
        return gettext.NullTranslations()
    folder = LOCALE_DIR / "zh_CN" / "LC_MESSAGES"
    chain = gettext.NullTranslations()
    for mo in sorted(folder.glob("*.mo")):
        with mo.open("rb") as handle:
            part = gettext.GNUTranslations(handle)
        part.add_fallback(chain)
        chain = part
    return chain


def translate(message: str, lang: str) -> str:
    """`message` in `lang`, whatever the language in use."""
    return _catalogue(lang).gettext(message)


def _(message: str) -> str:
    """`message` in the language in use."""
    return _catalogue(_current).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n`, in the language in use."""
    return _catalogue(_current).ngettext(singular, plural, n)
