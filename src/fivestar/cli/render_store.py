"""Terminal rendering of the store's answers (report, explain, history, runs), with rich.

CLI only: the store and its queries never import this. Input text goes through `safe()`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text

from fivestar.cli.render import out, plain
from fivestar.cli.render_fit import (
    BREAK,
    Cell,
    Column,
    FitTable,
    comma,
    enumeration,
    listed,
    print_items,
    print_wrapped,
)  # fmt: skip
from fivestar.i18n import _, ngettext
from fivestar.queries.gaps import figure_text
from fivestar.queries.results import Report, StarRanking
from fivestar.store.decisions import shown_time

if TYPE_CHECKING:
    from fivestar.queries import Explanation, History, RunList


def _won(tied: bool) -> str:
    return _("named (tied)") if tied else _("named")


def _result(named: bool, tied: bool, named_for: str, labels: dict[str, str]) -> Cell:
    if named:
        return _won(tied)
    if named_for:  # 已获评 | 纠纷调解之星: a narrow column breaks between the two, not inside
        return tuple(
            _("already named {star}").format(star=BREAK + plain(labels.get(named_for, named_for)))
            .split(BREAK)
        )  # fmt: skip
    return ""


def _runs(run: int, runs: tuple[int, ...], scope: str) -> str:
    """Which runs a view read: "运行 3", "运行 3、5（各县局最新运行合并，全市统一评定）"."""
    ids = runs or (run,)
    if len(ids) == 1:
        text = _("run {run}").format(run=ids[0])
    else:
        text = _("runs {runs}").format(runs=enumeration().join(str(i) for i in ids))
    if scope == "county":
        return _("{runs} (the county's own assessment)").format(runs=text)
    if len(ids) > 1:
        return _("{runs} (each county's latest run, judged city-wide)").format(runs=text)
    return text


def show_ranking(ranking: StarRanking) -> None:
    """A star's qualifiers ranked, winners marked; then the near misses and their gap."""
    labels = ranking.labels
    read = _runs(ranking.run, ranking.runs, ranking.scope)
    if ranking.bureau:
        title = _("{month} {star} ({bureau}) · {runs}").format(
            month=ranking.month, star=ranking.label, bureau=ranking.bureau, runs=read
        )
    else:
        title = _("{month} {star} · {runs}").format(
            month=ranking.month, star=ranking.label, runs=read
        )
    if not ranking.ranking:
        print_wrapped(out, _("{title}: no officer qualifies").format(title=title))
    else:
        table = FitTable(
            [
                Column(_("Rank")),
                Column(_("Police ID")),
                Column(_("Name")),
                Column(_("County bureau"), drop=2),
                Column(_("Police station"), drop=1),
                *(Column(m.label, justify="right", legend=True) for m in ranking.metrics),
                Column(_("Result"), wrap=True),
            ],
            title=title,
        )
        for e in ranking.ranking:
            table.add_row(
                "" if e.rank is None else str(e.rank),
                e.officer_id,
                e.name,
                e.bureau,
                e.station,
                *[figure_text(m, e.figures.get(m.key)) for m in ranking.metrics],
                # a qualifier the fairness options passed over says why (e.reasons)
                _result(e.named, e.tied, e.named_for, labels) or tuple(e.reasons),
                style="bold green" if e.named else None,
            )
        table.print(out)
    if ranking.near_misses:
        near = FitTable(
            [
                Column(_("Police ID")),
                Column(_("Name")),
                Column(_("County bureau"), drop=1),
                Column(_("Gap"), wrap=True),
            ],
            title=_("One criterion short"),
        )
        for e in ranking.near_misses:
            near.add_row(e.officer_id, e.name, e.bureau, tuple(e.gaps or e.reasons))
        near.print(out)


def show_report(report: Report | StarRanking) -> None:
    rankings = (report,) if isinstance(report, StarRanking) else report.stars
    for ranking in rankings:
        show_ranking(ranking)
        out.print()
    show_bureau_bars(rankings)


def show_bureau_bars(rankings: tuple[StarRanking, ...]) -> None:
    """Stars named per county bureau, as a bar each: who took how many this month (a tie in
    the order the rules list the bureaus, then as they come; never by character code)."""
    named: dict[str, int] = {}
    for ranking in rankings:
        for e in ranking.ranking:
            if e.named:
                named[e.bureau] = named.get(e.bureau, 0) + 1
    if not named:
        return
    first = [b for b in rankings[0].bureaus if b in named]
    named = {b: named[b] for b in [*first, *(b for b in named if b not in set(first))]}
    unnamed = _("(no bureau given)")
    width = max(cell_len(plain(bureau or unnamed)) for bureau in named)
    out.print(_("Officers named per county bureau"))
    for bureau, count in sorted(named.items(), key=lambda item: -item[1]):
        label = plain(bureau or unnamed)
        bar = min(2 * count, max(out.width - width - 8, 1))  # a bar never wraps
        line = Text(label + " " * (width - cell_len(label)) + " ")
        line.append("█" * bar, style="green")
        line.append(f" {count}")
        out.print(line, soft_wrap=True)


def show_explanation(e: Explanation) -> None:
    """The officer's figures, then star by star: qualified, named, or why not."""
    print_wrapped(
        out,
        _("{officer_id} {name} ({bureau} {station}, {role}) {month}").format(
            officer_id=e.officer_id, name=e.name, bureau=e.bureau, station=e.station,
            role=e.role, month=e.month,
        ),
    )  # fmt: skip
    read = _runs(e.run, e.runs, e.scope)
    if e.under_minimum:
        read = _("{runs}; below this month's minimum of household visits").format(runs=read)
    print_wrapped(out, read)
    figures = FitTable(
        [Column(_("Figure")), Column(_("Value"), justify="right")],
        title=_("This month's figures"),
        show_header=False,
    )
    for m in e.metrics:
        figures.add_row(m.label, figure_text(m, e.figures.get(m.key)))
    figures.print(out)
    stars = FitTable(
        [
            Column(_("Award")),
            Column(_("Result"), wrap=True),
            Column(_("Rank")),
            Column(_("Reason / gap"), wrap=True),
        ],
        title=_("Five-star evaluation"),
        show_lines=True,
    )
    labels = {v.star: v.label for v in e.stars}
    for v in e.stars:
        verdict: Cell
        if v.named or (v.qualified and v.named_for):
            verdict = _result(v.named, v.tied, v.named_for, labels)
        elif v.qualified:
            verdict = _("qualified, not chosen") if v.reasons else _("qualified")
        else:
            verdict = _("does not qualify")
        # a qualifier's reasons say why the fairness options passed them over (else none)
        why = "\n".join(v.gaps) if v.gaps else "\n".join(v.reasons)
        stars.add_row(
            v.label,
            verdict,
            "" if v.rank is None else str(v.rank),
            why,
            style="bold green" if v.named else None,
        )
    stars.print(out)


def show_history(h: History) -> None:
    """Month × star grid of the officers who won, totals, by star, and repeated 未达标."""
    short = {key: label.removesuffix("之星") for key, label in h.labels.items()}
    pending = {m: "" if h.confirmed.get(m) else _(" (to confirm)") for m in h.months}
    grid = FitTable(
        [
            Column(_("Police ID")),
            Column(_("Name")),
            Column(_("County bureau"), drop=1),
            *(Column(_month_header(m) + pending[m], wrap=True) for m in h.months),
            Column(_("Total"), justify="right"),
            Column(_("Confirmed"), justify="right"),
        ],
        title=ngettext(
            "{year}: five-star community officers ({months} month)",
            "{year}: five-star community officers ({months} months)",
            len(h.months),
        ).format(year=h.year, months=len(h.months)),
    )
    winners = [o for o in h.officers if o.total]
    for o in sorted(winners, key=lambda o: (-o.total, o.officer_id)):
        cells = [listed(short.get(k, k) for k in o.stars.get(m, [])) for m in h.months]
        confirmed = str(h.confirmed_total(o.stars))
        grid.add_row(o.officer_id, o.name, o.bureau, *cells, str(o.total), confirmed)
    if winners:
        grid.print(out)
    else:
        out.print(_("No officer named this year"))
    bureaus = FitTable(
        [
            Column(_("County bureau")),
            *(Column(_month_header(m), justify="right") for m in h.months),
            Column(_("Total"), justify="right"),
        ],
        title=_("Stars named per county bureau"),
    )
    for name, per_month in h.bureaus.items():
        counts = [str(per_month.get(m, 0)) for m in h.months]
        bureaus.add_row(name, *counts, str(sum(per_month.values())))
    bureaus.print(out)
    for key, entries in h.by_star().items():
        if entries:
            print_items(
                out,
                _("{star}: ").format(star=h.labels.get(key, key)),
                (
                    ngettext(
                        "{name}({officer_id}) {count} time", "{name}({officer_id}) {count} times", n
                    ).format(name=o.name, officer_id=o.officer_id, count=n)
                    for o, n in entries
                ),
                sep=comma(),
                hanging=2,
            )
    repeated = h.repeatedly_under()
    if repeated:
        out.print(_("Below the monthly minimum more than once (too few household visits):"))
        for o in repeated:
            print_wrapped(
                out,
                _("{officer_id} {name} ({bureau}): {months}").format(
                    officer_id=o.officer_id, name=o.name, bureau=o.bureau,
                    months=enumeration().join(o.under_minimum),
                ),
                indent=2,
                hanging=2,
            )  # fmt: skip


def _month_header(month: str) -> str:
    return _("month {month}").format(month=month[5:])


def show_runs(runs: RunList) -> None:
    if not runs.runs:
        out.print(_("No run recorded yet"))
        return
    table = FitTable(
        [
            Column(_("Run")),
            Column(_("Month")),
            Column(_("Recorded")),
            Column(_("County bureaus"), wrap=True),
            Column(_("Rules"), wrap=True, drop=2),
            Column(_("Files"), justify="right", drop=1),
            Column(_("Officers"), justify="right"),
            Column(_("Named"), justify="right"),
            Column(_("Issues"), justify="right"),
            Column(_("Latest")),
        ],
        title=_("Runs recorded"),
    )
    for r in runs.runs:
        bureaus: Cell = (
            listed(r.bureaus)
            if len(r.bureaus) <= 3
            else _("{count} county bureaus").format(count=len(r.bureaus))
        )
        table.add_row(
            str(r.id),
            r.month,
            shown_time(r.recorded),  # local, to the minute; --json keeps the ISO time
            bureaus,
            r.rules_path,
            str(r.inputs),
            str(r.officers),
            str(r.winners),
            str(r.issues),
            "✓" if r.id in runs.latest else "",
        )
    table.print(out)
