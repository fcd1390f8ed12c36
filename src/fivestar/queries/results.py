"""The answers of the store's queries: plain frozen dataclasses with `to_json()`.

Reasons are kept as data (`fivestar.engine.reasons`) and worded when read: `reasons` and
`gaps` in the session's language, `render_all(…, "zh")` for a workbook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fivestar.engine.reasons import Reason, Words, render_all, to_json
from fivestar.queries.gaps import Metric

NO_WORDS = Words({}, {})


def _view(month: str, run: int, runs: tuple[int, ...], scope: str) -> dict[str, Any]:
    """The fields that say which view an answer comes from, first in every answer."""
    return {"month": month, "run": run, "runs": list(runs or (run,)), "scope": scope}


class _Worded:
    """An answer's reasons (`why`) and gaps (`gap_why`) in words, in the session's language."""

    why: tuple[Reason, ...]
    gap_why: tuple[Reason, ...]
    words: Words

    @property
    def reasons(self) -> tuple[str, ...]:
        return render_all(self.why, self.words)

    @property
    def gaps(self) -> tuple[str, ...]:
        return render_all(self.gap_why, self.words)


@dataclass(frozen=True)
class Entry(_Worded):
    """An officer in a star's list: a ranked qualifier or a near miss."""

    officer_id: str
    name: str
    bureau: str
    station: str
    figures: dict[str, int | float | None]
    rank: int | None = None
    named: bool = False
    tied: bool = False
    named_for: str = ""
    why: tuple[Reason, ...] = ()  # every reason (a qualifier: what passed them over)
    gap_why: tuple[Reason, ...] = ()  # a near miss: how far from the star's criteria
    words: Words = field(default=NO_WORDS, compare=False, repr=False)

    def to_json(self, near_miss: bool = False) -> dict[str, Any]:
        who = {
            "officer_id": self.officer_id,
            "name": self.name,
            "bureau": self.bureau,
            "station": self.station,
        }
        if near_miss:
            return {
                **who,
                "figures": self.figures,
                "reasons": list(self.reasons),
                "gaps": list(self.gaps),
                "reason_codes": to_json(self.why, self.words),
                "gap_codes": to_json(self.gap_why, self.words),
            }
        return {
            "rank": self.rank,
            **who,
            "named": self.named,
            "tied": self.tied,
            "named_for": self.named_for or None,
            "figures": self.figures,
            "reason_codes": to_json(self.why, self.words),
        }


@dataclass(frozen=True)
class StarRanking:
    """One star of one run: every qualifier ranked (winners marked), then the near misses."""

    month: str
    run: int
    star: str
    label: str
    metrics: tuple[Metric, ...]
    ranking: tuple[Entry, ...]
    near_misses: tuple[Entry, ...]
    bureau: str | None = None
    labels: dict[str, str] = field(default_factory=dict)  # every star of the run: key → label
    runs: tuple[int, ...] = ()  # every run read (several for a merged city view)
    scope: str = "city"  # "city", "county" or "run" (see fivestar.queries.scope)
    organisation: str = ""  # the rules' 德州市公安局, for titles (not in the JSON)
    bureaus: tuple[str, ...] = ()  # the rules' bureaus in their order, to list bureaus by

    def to_json(self) -> dict[str, Any]:
        return {
            **_view(self.month, self.run, self.runs, self.scope),
            "star": self.star,
            "label": self.label,
            "bureau": self.bureau,
            "ranking": [entry.to_json() for entry in self.ranking],
            "near_misses": [entry.to_json(near_miss=True) for entry in self.near_misses],
        }


@dataclass(frozen=True)
class Report:
    """Every star of one run (`fivestar report` without --star)."""

    month: str
    run: int
    stars: tuple[StarRanking, ...]
    bureau: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    runs: tuple[int, ...] = ()
    scope: str = "city"
    organisation: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            **_view(self.month, self.run, self.runs, self.scope),
            "bureau": self.bureau,
            "stars": [star.to_json() for star in self.stars],
        }


@dataclass(frozen=True)
class Verdict(_Worded):
    """One star for one officer: qualified, named, rank, and why not (`why`: every reason;
    `gap_why`: what stands between the officer and the star, when not qualified)."""

    star: str
    label: str
    eligible: bool
    qualified: bool
    named: bool
    tied: bool
    rank: int | None
    named_for: str
    why: tuple[Reason, ...]
    gap_why: tuple[Reason, ...]
    words: Words = field(default=NO_WORDS, compare=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "star": self.star,
            "qualified": self.qualified,
            "named": self.named,
            "rank": self.rank,
            "tied": self.tied,
            "named_for": self.named_for or None,
            "reasons": list(self.reasons),
            "gaps": list(self.gaps),
            "reason_codes": to_json(self.why, self.words),
            "gap_codes": to_json(self.gap_why, self.words),
        }


@dataclass(frozen=True)
class Explanation:
    month: str
    run: int
    officer_id: str
    name: str
    bureau: str
    station: str
    role: str
    under_minimum: bool
    metrics: tuple[Metric, ...]
    figures: dict[str, int | float | None]
    stars: tuple[Verdict, ...]
    runs: tuple[int, ...] = ()
    scope: str = "city"

    def to_json(self) -> dict[str, Any]:
        return {
            **_view(self.month, self.run, self.runs, self.scope),
            "officer_id": self.officer_id,
            "name": self.name,
            "bureau": self.bureau,
            "station": self.station,
            "role": self.role,
            "under_minimum": self.under_minimum,
            "figures": self.figures,
            "stars": [s.to_json() for s in self.stars],
        }
