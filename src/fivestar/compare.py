"""Trying a rule change before adopting it: one month, or a range of stored months, judged
under the rules in use (base) and under new rules, and what changes for whom and why.

The figures are the month's stored ones (the city-wide view the read commands show,
`fivestar.queries.scope`), or input files when given; both rule sets judge the very same
officers. The base is the rules the stored run used, unless `--base` names others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from fivestar.engine import Evaluation, evaluate
from fivestar.engine.reasons import Words, joined, render_all
from fivestar.errors import InputError, Option, UsageError
from fivestar.i18n import N_
from fivestar.rules import RuleSet, rules_for_month
from fivestar.rules.loader import all_rules

SAME_RULES = "规则相同，无差异"


@dataclass(frozen=True)
class StarChange:
    """One star: its winners under each rule set, who gains and loses, qualifier counts."""

    star: str
    label: str
    quota_before: int | None  # None: the star is not in that rule set
    quota_after: int | None
    before: tuple[str, ...]
    after: tuple[str, ...]
    qualified_before: int
    qualified_after: int

    @property
    def gained(self) -> tuple[str, ...]:
        return tuple(i for i in self.after if i not in self.before)

    @property
    def lost(self) -> tuple[str, ...]:
        return tuple(i for i in self.before if i not in self.after)

    def to_json(self) -> dict[str, Any]:
        return {
            "star": self.star,
            "before": list(self.before),
            "after": list(self.after),
            "gained": list(self.gained),
            "lost": list(self.lost),
            "qualified_before": self.qualified_before,
            "qualified_after": self.qualified_after,
        }


@dataclass(frozen=True)
class OfficerChange:
    """An officer whose outcome changes: the stars won under each, and why, in words."""

    officer_id: str
    name: str
    bureau: str
    before: tuple[str, ...]  # star keys
    after: tuple[str, ...]
    why: str

    def to_json(self) -> dict[str, Any]:
        return {
            "officer_id": self.officer_id,
            "name": self.name,
            "before": list(self.before),
            "after": list(self.after),
            "why": self.why,
        }


@dataclass(frozen=True)
class MonthComparison:
    month: str
    base: RuleSet
    new: RuleSet
    before: Evaluation
    after: Evaluation
    stars: tuple[StarChange, ...]
    changed: tuple[OfficerChange, ...]
    source: str  # "结果库 run 3" or the input files
    issues: int = 0  # rows or files of the inputs rejected (exit 1, as evaluate)

    @property
    def labels(self) -> dict[str, str]:
        return {s.star: s.label for s in self.stars}

    def to_json(self) -> dict[str, Any]:
        return {
            "month": self.month,
            "base": {"rules": self.base.path, "sha256": self.base.sha256},
            "new": {"rules": self.new.path, "sha256": self.new.sha256},
            "stars": [star.to_json() for star in self.stars],
            "changed": [officer.to_json() for officer in self.changed],
        }


@dataclass(frozen=True)
class BureauStars:
    bureau: str
    before: int
    after: int


@dataclass(frozen=True)
class StarShortfall:
    """How many months of the range a star named fewer than its quota, under each."""

    star: str
    label: str
    short_before: int
    short_after: int


@dataclass(frozen=True)
class RangeComparison:
    start: str
    end: str
    months: tuple[MonthComparison, ...]
    bureaus: tuple[BureauStars, ...]
    stars: tuple[StarShortfall, ...]

    @property
    def new(self) -> RuleSet:
        return self.months[-1].new

    def to_json(self) -> dict[str, Any]:
        bases = {(m.base.path, m.base.sha256) for m in self.months}
        return {
            "from": self.start,
            "to": self.end,
            "base": [{"rules": p, "sha256": s} for p, s in sorted(bases)],
            "new": {"rules": self.new.path, "sha256": self.new.sha256},
            "bureaus": [
                {"bureau": b.bureau, "before": b.before, "after": b.after} for b in self.bureaus
            ],
            "stars": [
                {
                    "star": s.star,
                    "short_before": s.short_before,
                    "short_after": s.short_after,
                }
                for s in self.stars
            ],
            "months": [m.to_json() for m in self.months],
        }


def load_candidate(path: Path, month: str) -> RuleSet:
    """The rules file named by --rules/--base (a file is taken whatever month it starts in:
    it is being tried); a folder gives the rules it has in force for `month`."""
    if path.is_dir():
        return rules_for_month(month, path)
    return all_rules(path)[0]


def refuse_same(base: RuleSet, new: RuleSet) -> None:
    if base.model == new.model:
        raise UsageError(
            N_(
                "the same rules, no difference: {base} and {new} hold the same rules, nothing "
                "to compare"
            ),
            base=base.path,
            new=new.path,
        )


def compare_evaluations(
    before: Evaluation, after: Evaluation, source: str = "", issues: int = 0
) -> MonthComparison:
    """What changes from `before` to `after` (the same officers judged by two rule sets)."""
    base, new = before.rules, after.rules
    keys = [*base.star_keys, *(k for k in new.star_keys if k not in base.star_keys)]
    stars = tuple(_star_change(key, before, after) for key in keys)
    return MonthComparison(
        month=after.month,
        base=base,
        new=new,
        before=before,
        after=after,
        stars=stars,
        changed=_changed(before, after, keys),
        source=source,
        issues=issues,
    )


def _star_change(key: str, before: Evaluation, after: Evaluation) -> StarChange:
    def side(ev: Evaluation) -> tuple[int | None, tuple[str, ...], int]:
        if key not in ev.rules.star_keys:
            return None, (), 0
        won = ev.winners[ev.winners["star"] == key]["officer_id"].astype(str)
        out = ev.outcomes
        qualified = int(out.loc[out["star"] == key, "qualified"].astype(bool).sum())
        return ev.rules.star(key).quota, tuple(won), qualified

    qb, wb, nb = side(before)
    qa, wa, na = side(after)
    label = (after if qa is not None else before).rules.star(key).label
    return StarChange(key, label, qb, qa, wb, wa, nb, na)


def _changed(
    before: Evaluation, after: Evaluation, keys: Sequence[str]
) -> tuple[OfficerChange, ...]:
    cols = ["officer_id", "star", "qualified", "named", "reasons", "rank", "named_for"]
    both = before.outcomes[cols].merge(
        after.outcomes[cols], on=["officer_id", "star"], how="outer", suffixes=("_b", "_a")
    )
    for side in ("_b", "_a"):
        both["named" + side] = both["named" + side].astype("boolean").fillna(False).astype(bool)
        both["qualified" + side] = (
            both["qualified" + side].astype("boolean").fillna(False).astype(bool)
        )
    moved = both[both["named_b"] != both["named_a"]]
    if moved.empty:
        return ()
    order = {key: i for i, key in enumerate(keys)}
    moved = moved.assign(_o=moved["star"].map(order)).sort_values(["officer_id", "_o"])
    people = before.officers.set_index("officer_id")[["name", "bureau"]]
    labels = {s.key: s.label for s in [*after.rules.stars, *before.rules.stars]}
    won_b = _won(before)
    won_a = _won(after)
    changes = []
    # only the few officers whose outcome changes are walked through, to word the why
    for officer_id, rows in moved.groupby("officer_id", sort=True):
        why = "；".join(_why(row, labels, before, after) for _, row in rows.iterrows())
        who = people.loc[officer_id] if officer_id in people.index else None
        changes.append(
            OfficerChange(
                officer_id=str(officer_id),
                name="" if who is None else str(who["name"]),
                bureau="" if who is None else str(who["bureau"]),
                before=tuple(won_b.get(str(officer_id), ())),
                after=tuple(won_a.get(str(officer_id), ())),
                why=why,
            )
        )
    return tuple(changes)


def _won(ev: Evaluation) -> dict[str, list[str]]:
    won: dict[str, list[str]] = {}
    for officer_id, stars in ev.winners.groupby("officer_id", sort=False)["star"]:
        won[str(officer_id)] = [str(s) for s in stars]
    return won


def _why(row: pd.Series, labels: dict[str, str], before: Evaluation, after: Evaluation) -> str:
    """One star's change for one officer, in words: the criterion that decided it."""
    key = str(row["star"])
    label = labels.get(key, key)
    if bool(row["named_a"]):
        return f"{label}：新规则下当选（原规则：{_not_named(row, '_b', labels, before)}）"
    return f"{label}：新规则下落选（{_not_named(row, '_a', labels, after)}）"


def _not_named(row: pd.Series, side: str, labels: dict[str, str], ev: Evaluation) -> str:
    key = str(row["star"])
    if key not in ev.rules.star_keys:
        return "无此评选项目"
    cell = row["reasons" + side]  # a tuple of reasons; NaN when the star is not on this side
    why = render_all(cell, Words.of(ev.rules), "zh") if isinstance(cell, tuple) else ()
    reasons = joined(why, "zh")  # the comparison is worded in Chinese throughout
    if not bool(row["qualified" + side]):
        return reasons or "不符合条件"
    if reasons:  # passed over by the fairness options
        return reasons
    other = row["named_for" + side]
    if isinstance(other, str) and other:
        return f"已获评{labels.get(other, other)}，每人每月限一星"
    rank = row["rank" + side]
    quota = ev.rules.star(key).quota
    if pd.isna(rank):
        return "符合条件，未入选"
    return f"排名第 {int(rank)}，名额 {quota} 人"


# -- reading the figures ---------------------------------------------------------------------


def compare_month(
    month: str,
    new_path: Path,
    *,
    base_path: Path | None = None,
    inputs: Sequence[Path] = (),
    db: str | Path | None = None,
    options: Any = None,
) -> MonthComparison:
    """`fivestar compare MONTH`: the stored month (or `inputs`) under base and new rules."""
    new = load_candidate(new_path, month)
    base = load_candidate(base_path, month) if base_path is not None else None
    if inputs:
        return _from_files(month, new, base, inputs=inputs, db=db, options=options)
    from fivestar.store import open_store

    with open_store(db, create=False) as store:
        return _stored_month(store, month, new, base)


def compare_range(
    start: str,
    end: str,
    new_path: Path,
    *,
    base_path: Path | None = None,
    db: str | Path | None = None,
) -> RangeComparison:
    """`compare --from --to`: every month of the range, which must all be stored."""
    if start > end:
        raise UsageError(
            N_("{start_option} {start} is after {end_option} {end}"),
            start_option=Option("from", N_("the first month")),
            start=start,
            end_option=Option("to"),
            end=end,
        )
    from fivestar.queries.cooldown import months_before
    from fivestar.store import open_store

    with open_store(db, create=False) as store:
        count = (int(end[:4]) - int(start[:4])) * 12 + int(end[5:]) - int(start[5:])
        months = [*months_before(end, count), end]
        stored = set(store.months())
        missing = [m for m in months if m not in stored]
        if missing:
            raise UsageError(
                N_("{start} – {end}: no run stored for {missing} (the range has gaps); {stored}"),
                start=start,
                end=end,
                missing=missing,
                stored=store.stored_months(),
            )
        new = load_candidate(new_path, end)
        base = load_candidate(base_path, end) if base_path is not None else None
        compared = [_stored_month(store, m, new, base, refuse=False) for m in months]
    if all(c.base.model == c.new.model for c in compared):
        refuse_same(compared[0].base, compared[0].new)
    return RangeComparison(start, end, tuple(compared), _bureaus(compared), _shortfalls(compared))


def _stored_month(
    store: Any, month: str, new: RuleSet, base: RuleSet | None, refuse: bool = True
) -> MonthComparison:
    from fivestar.queries.cooldown import past_winners
    from fivestar.queries.scope import canonical, resolve_view

    view = resolve_view(store, store.month(month))
    base = base or view.rules
    if refuse:
        refuse_same(base, new)
    people = canonical(view.officers, month)
    before = evaluate(base, people, month, past=past_winners(store, base, month))
    after = evaluate(new, people, month, past=past_winners(store, new, month))
    return compare_evaluations(before, after, f"结果库 {view.label}")


def _from_files(
    month: str,
    new: RuleSet,
    base: RuleSet | None,
    *,
    inputs: Sequence[Path],
    db: str | Path | None,
    options: Any,
) -> MonthComparison:
    from fivestar.io import ReadOptions, read_inputs

    if base is None:
        base = _stored_rules(month, db) or rules_for_month(month)
    refuse_same(base, new)
    # the columns either rule set declares for its vetoes: both judge the same officers
    keys = {column.key for column in new.optional_columns}
    optional = new.optional_columns + tuple(
        column for column in base.optional_columns if column.key not in keys
    )
    batch = read_inputs(inputs, month, new.aliases, options or ReadOptions(), optional=optional)
    if batch.officers.empty:
        raise InputError(
            N_("nothing to compare for {month}: no officer rows read from the inputs"), month=month
        )
    from fivestar.queries.cooldown import read_past_winners

    past_b = read_past_winners(db, base, month)
    past_a = read_past_winners(db, new, month)
    rejected = len(batch.issues)
    source = "、".join(str(p) for p in inputs) + (
        f"（{rejected} 处数据问题未计入）" if rejected else ""
    )
    return compare_evaluations(
        evaluate(base, batch.officers, month, past=past_b),
        evaluate(new, batch.officers, month, past=past_a),
        source,
        rejected,
    )


def _stored_rules(month: str, db: str | Path | None) -> RuleSet | None:
    """The rules the month's stored run used, when the store holds the month."""
    from fivestar.errors import StoreError
    from fivestar.queries.scope import resolve_view
    from fivestar.store import open_store

    try:
        store = open_store(db, create=False)
    except StoreError:
        return None
    with store:
        if month not in store.months():
            return None
        return resolve_view(store, month).rules


def _bureaus(compared: Sequence[MonthComparison]) -> tuple[BureauStars, ...]:
    def count(side: str) -> pd.Series:
        frames = [getattr(c, side).winners["bureau"] for c in compared]
        return pd.concat(frames).astype(str).value_counts() if frames else pd.Series(dtype=int)

    before, after = count("before"), count("after")
    names = sorted(set(before.index) | set(after.index))
    return tuple(BureauStars(b, int(before.get(b, 0)), int(after.get(b, 0))) for b in names)


def _shortfalls(compared: Sequence[MonthComparison]) -> tuple[StarShortfall, ...]:
    keys = list(dict.fromkeys(s.star for c in compared for s in c.stars))
    rows = []
    for key in keys:
        label = next(s.label for c in compared for s in c.stars if s.star == key)
        short_b = sum(
            1
            for c in compared
            for s in c.stars
            if s.star == key and s.quota_before is not None and len(set(s.before)) < s.quota_before
        )
        short_a = sum(
            1
            for c in compared
            for s in c.stars
            if s.star == key and s.quota_after is not None and len(set(s.after)) < s.quota_after
        )
        rows.append(StarShortfall(key, label, short_b, short_a))
    return tuple(rows)
