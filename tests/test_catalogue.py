"""The Chinese catalogue: every message marked in the source is translated, the compiled
catalogue shipped in the package is the one its `.po` gives, and placeholders agree."""

from __future__ import annotations

import gettext
import io
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import fivestar
from fivestar import i18n

PACKAGE = Path(fivestar.__file__).parent
CATALOGUES = sorted((PACKAGE / "locale" / "zh_CN" / "LC_MESSAGES").glob("*.po"))


def _read(po: Path):  # type: ignore[no-untyped-def]
    with po.open("rb") as handle:
        return read_po(handle, locale="zh_CN")


def _marked() -> dict[str, str]:
    """Every message the source marks, with one place it is marked."""
    found: dict[str, str] = {}
    for filename, line, message, _comments, _context in extract_from_dir(
        PACKAGE, keywords=DEFAULT_KEYWORDS
    ):
        for text in message if isinstance(message, tuple) else (message,):
            if text:
                found.setdefault(text, f"{filename}:{line}")
    return found


def test_there_is_a_chinese_catalogue() -> None:
    assert CATALOGUES, "no .po under locale/zh_CN/LC_MESSAGES"


def test_every_marked_message_is_translated() -> None:
    translated: dict[str, object] = {}
    for po in CATALOGUES:
        for entry in _read(po):
            if entry.id and entry.string and "fuzzy" not in entry.flags:
                # a plural entry translates its singular and its plural msgid (ngettext)
                for text in (entry.id,) if isinstance(entry.id, str) else entry.id:
                    translated[text] = entry
    missing = {text: where for text, where in _marked().items() if text not in translated}
    assert not missing, "untranslated:\n" + "\n".join(f"{w}: {t!r}" for t, w in missing.items())


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.name)
def test_placeholders_agree(po: Path) -> None:
    problems = [(entry.id, errors) for entry, errors in _read(po).check() if errors]
    assert not problems


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.name)
def test_the_shipped_mo_is_compiled_from_its_po(po: Path) -> None:
    fresh = io.BytesIO()
    write_mo(fresh, _read(po))
    fresh.seek(0)
    with po.with_suffix(".mo").open("rb") as handle:
        shipped = gettext.GNUTranslations(handle)
    compiled = gettext.GNUTranslations(fresh)
    # the header ("") aside: Babel dates a header without POT-Creation-Date when it reads it
    messages = {k: v for k, v in shipped._catalog.items() if k != ""}  # type: ignore[attr-defined]
    fresh_messages = {k: v for k, v in compiled._catalog.items() if k != ""}  # type: ignore[attr-defined]
    assert messages == fresh_messages


def test_english_is_the_source_text() -> None:
    with i18n.speaking("en"):
        assert i18n._("Options") == "Options"


@pytest.mark.parametrize(
    ("spelling", "lang"),
    [("zh", "zh"), ("zh-CN", "zh"), ("ZH_cn", "zh"), ("en", "en"), ("EN-us", "en")],
)
def test_language_spellings(spelling: str, lang: str) -> None:
    assert i18n.language_of(spelling) == lang


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(i18n.UnknownLanguage):
        i18n.language_of("fr")


def test_the_environment_chooses_when_no_language_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(i18n.ENV, "en")
    before = i18n.language()
    try:
        assert i18n.set_language(None) == "en"
        monkeypatch.delenv(i18n.ENV)
        assert i18n.set_language(None) == "zh"
    finally:
        i18n.set_language(before)
