"""Whose result a run is: the city's (the rules' whole organisation), one county's, or a part.

The rule, as a clerk reads it:

- the rules list the organisation's bureaus (`[organisation] bureaus`): a run holding every
  listed bureau is the city's; one holding a single bureau is that bureau's own assessment
  (县局自评); one holding several but not all is a part (部分县局), named by its bureaus;
- without the list: a run whose officers name exactly one bureau is that bureau's own
  (a county clerk's file, a `--per-file` report), one naming several is the city's.

An officer with no bureau written counts for none. The bureaus are kept in the rules' order,
then any the list lacks in order of first appearance (`bureau_order`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from fivestar.i18n import N_, ZH, _, translate
from fivestar.rules import RuleSet

CITY = "city"
PARTIAL = "partial"

# What a title says of a result that is not the city's (English source, translated where
# shown: a workbook in Chinese, the terminal in the session's language).
COUNTY_OWN = N_("county's own assessment")  # 县局自评
SOME_BUREAUS = N_("some county bureaus")  # 部分县局


@dataclass(frozen=True)
class Scope:
    """The bureaus a run holds and whether they are the whole organisation."""

    bureaus: tuple[str, ...]
    whole: bool

    @property
    def bureau(self) -> str | None:
        """The one bureau of a county's own result, else None."""
        return self.bureaus[0] if not self.whole and len(self.bureaus) == 1 else None

    @property
    def key(self) -> str:
        """As `--json` writes it: "city", the bureau's name, or "partial"."""
        if self.whole:
            return CITY
        return self.bureau or PARTIAL

    def holder(self, organisation: str) -> str:
        """Whose result, in a title: 德州市公安局, 武城县局, 德州市公安局（武城县局、陵县局）"""
        if self.whole:
            return organisation
        return self.bureau or f"{organisation}（{'、'.join(self.bureaus)}）"

    @property
    def message(self) -> str:
        """What a title says of a result that is not the city's, untranslated: "" for the
        city."""
        if self.whole:
            return ""
        return COUNTY_OWN if self.bureau else SOME_BUREAUS

    @property
    def words(self) -> str:
        """`message` in Chinese, as a workbook's title says it (县局自评): "" for the city."""
        return translate(self.message, ZH) if self.message else ""

    def spoken(self) -> str:
        """`message` in the session's language, as the terminal says it: "" for the city."""
        return _(self.message) if self.message else ""


def bureaus_in(values: pd.Series) -> list[str]:
    """The distinct bureaus written in a column, in order of first appearance."""
    text = values.astype(object).where(values.notna(), "").astype(str).str.strip()
    return [b for b in pd.unique(text[text != ""]).tolist() if b]


def bureau_order(rules: RuleSet, present: Iterable[str]) -> list[str]:
    """`present` in the rules' order, then those the rules do not list as they come."""
    present = list(dict.fromkeys(present))
    listed = [b for b in rules.model.bureaus if b in present]
    return listed + [b for b in present if b not in set(listed)]


def scope_of(rules: RuleSet, bureaus: Sequence[str]) -> Scope:
    """The scope of a run whose officers name `bureaus` (see the module's rule)."""
    ordered = tuple(bureau_order(rules, bureaus))
    listed = rules.model.bureaus
    if not ordered:  # no officer names a bureau: nothing says it is a part
        whole = True
    elif listed:
        whole = set(listed) <= set(ordered)
    else:
        whole = len(ordered) != 1
    return Scope(ordered, whole)
