"""Terminal rendering of the decisions log, with rich. CLI only."""

from __future__ import annotations

from fivestar.cli.render import out
from fivestar.cli.render_fit import Column, FitTable
from fivestar.i18n import _
from fivestar.store.decisions import Log


def show_log(log: Log) -> None:
    if not log.entries:
        out.print(_("No decision recorded yet"))
        return
    title = _("Decisions log")
    if log.month:
        title = _("Decisions log ({month})").format(month=log.month)
    table = FitTable(
        [
            Column("#", justify="right"),
            Column(_("Month"), drop=3 if log.month else 0),  # the title names it already
            Column(_("Action")),
            Column(_("Police ID")),
            Column(_("Name")),
            Column(_("Award"), wrap=True),
            Column(_("County bureau"), drop=2),
            Column(_("Reason"), wrap=True),
            Column(_("By"), drop=1),
            Column(_("When")),
        ],
        title=title,
    )
    for d in log.entries:
        table.add_row(
            str(d.id), d.month, d.what, d.officer_id or "", d.name or "",
            (d.star or _("all")) if d.officer_id else "", d.bureau or "",
            d.reason, d.author, d.when,
        )  # fmt: skip
    table.print(out)
