"""Terminal rendering of `fivestar compare`, with rich (CLI only). Input text goes through
`safe()`."""

from __future__ import annotations

from pathlib import Path

from fivestar.cli.render import out
from fivestar.cli.render_fit import Column, FitTable, glued, listed, print_wrapped
from fivestar.compare import MonthComparison, RangeComparison
from fivestar.i18n import _, ngettext

NOBODY = "—"


def _who(ids: tuple[str, ...], names: dict[str, str]) -> str:
    # one officer a line; a narrow column breaks between 警号 and name, never inside either
    return "\n".join(f"{i} {names.get(i, '')}".strip() for i in ids) or NOBODY


def show_comparison(c: MonthComparison) -> None:
    """Per star: winners under each rule set, gains, losses, qualifiers; then who changes."""
    print_wrapped(
        out, _("{month} rules compared (figures: {source})").format(month=c.month, source=c.source)
    )
    print_wrapped(
        out, _("Old rules: {old}  New rules: {new}").format(old=c.base.path, new=c.new.path)
    )
    frame = c.before.officers
    names = dict(zip(frame["officer_id"].astype(str), frame["name"].astype(str), strict=True))
    table = FitTable(
        [
            Column(_("Award")),
            Column(_("Named, old rules"), wrap=True),
            Column(_("Named, new rules"), wrap=True),
            Column(_("Gained"), wrap=True),
            Column(_("Lost"), wrap=True),
            Column(_("Qualified"), justify="right"),
        ],
        title=_("Named per star"),
        show_lines=True,
    )
    for s in c.stars:
        table.add_row(
            s.label,
            _who(s.before, names),
            _who(s.after, names),
            _who(s.gained, names),
            _who(s.lost, names),
            glued(f"{s.qualified_before} → {s.qualified_after}"),
        )
    table.print(out)
    if not c.changed:
        out.print(_("The new rules name the same officers"))
        return
    labels = c.labels
    people = FitTable(
        [
            Column(_("Police ID")),
            Column(_("Name")),
            Column(_("County bureau"), drop=1),
            Column(_("Old rules"), wrap=True),
            Column(_("New rules"), wrap=True),
            Column(_("Why"), wrap=True),
        ],
        title=_("Officers whose result changes"),
        show_lines=True,
    )
    for o in c.changed:
        people.add_row(
            o.officer_id,
            o.name,
            o.bureau,
            listed(labels.get(k, k) for k in o.before) or NOBODY,
            listed(labels.get(k, k) for k in o.after) or NOBODY,
            o.why.replace("；", "\n"),
        )
    people.print(out)


def show_range(r: RangeComparison) -> None:
    """Per bureau the stars won under each rule set; per star the months short of its quota."""
    print_wrapped(
        out,
        ngettext(
            "{start} to {end}: rules compared ({count} month, results store)",
            "{start} to {end}: rules compared ({count} months, results store)",
            len(r.months),
        ).format(start=r.start, end=r.end, count=len(r.months)),
    )
    bureaus = FitTable(
        [
            Column(_("County bureau")),
            Column(_("Old rules"), justify="right"),
            Column(_("New rules"), justify="right"),
            Column(_("Change"), justify="right"),
        ],
        title=_("Stars named per county bureau"),
    )
    for b in r.bureaus:
        bureaus.add_row(b.bureau, str(b.before), str(b.after), f"{b.after - b.before:+d}")
    bureaus.print(out)
    stars = FitTable(
        [
            Column(_("Award")),
            Column(_("Old rules"), justify="right"),
            Column(_("New rules"), justify="right"),
        ],
        title=_("Months a star's quota was not filled"),
    )
    for s in r.stars:
        stars.add_row(s.label, str(s.short_before), str(s.short_after))
    stars.print(out)


def wrote(path: Path | None) -> None:
    if path is not None:
        print_wrapped(out, _("Written: {path}").format(path=path))
