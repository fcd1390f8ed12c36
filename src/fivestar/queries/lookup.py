"""Forgiving lookups: a 警号 or a bureau as a clerk types it, and a hint when it names nobody.

Every read command (report, explain, history) trims what was typed — a value copied from a
spreadsheet cell often carries a space — and, when nothing matches, names what is stored and
what looks alike: a 警号 that lost its leading zero to Excel, a bureau typed short.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from fivestar.errors import OneOf, Option, Said, UsageError, said
from fivestar.i18n import N_

CUTOFF = 0.6  # difflib's default: 37148105 → 037148105, 武城 → 武城县局, not 德城 → 武城县局


def trimmed(text: str | None, option: str) -> str | None:
    """`text` without surrounding whitespace (full-width spaces too); None stays None. Blank
    is a UsageError naming `option` (its name, "bureau"): it would match the officers whose
    cell is empty."""
    if text is None:
        return None
    if not text.strip():
        raise UsageError(
            N_("{option} is empty: give a value, or leave the option out"),
            option=Option(option.lstrip("-")),
        )
    return text.strip()


def close_ids(officer_id: str, ids: Iterable[str]) -> list[str]:
    """Up to three stored 警号 like `officer_id`: one differing only in leading zeros first."""
    known = sorted(set(ids))
    zeros = [i for i in known if i != officer_id and i.lstrip("0") == officer_id.lstrip("0")]
    close = difflib.get_close_matches(officer_id, known, n=3, cutoff=CUTOFF)
    return list(dict.fromkeys([*zeros, *close]))[:3]


def officer_hint(officer_id: str, ids: Iterable[str]) -> Said:
    """The "; did you mean 037148105, …?" ending, or nothing when no stored 警号 looks alike."""
    close = close_ids(officer_id, ids)
    return said(N_("; did you mean {close}?"), close=OneOf(close)) if close else Said("")


def bureaus_hint(bureau: str, known: Iterable[str]) -> Said:
    """The stored bureaus ("bureaus: 乐陵市局, 武城县局"), then the one `bureau` looks like, if
    any ("; did you mean 武城县局?")."""
    names = sorted(set(known) - {""})
    if not names:
        return said(N_("bureaus: none"))
    close = difflib.get_close_matches(bureau, names, n=1, cutoff=CUTOFF)
    if close:
        return said(N_("bureaus: {names}; did you mean {close}?"), names=names, close=close[0])
    return said(N_("bureaus: {names}"), names=names)
