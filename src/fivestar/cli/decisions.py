"""The bureau's decision commands: exclude (and --undo, --from), confirm, reopen, log.

Heavy modules are imported inside the command bodies, as in `fivestar.cli.store`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from fivestar.cli.common import month_or_none, read_store, refuse_replacing
from fivestar.cli.helptext import helps
from fivestar.cli.options import DbOpt, JsonOpt, MonthArg, MonthOpt, StarOpt
from fivestar.cli.output import print_json
from fivestar.i18n import N_, _

if TYPE_CHECKING:
    from fivestar.queries.scope import View
    from fivestar.store import Store
    from fivestar.store.decisions import Decision

ByOpt = Annotated[
    str | None,
    typer.Option("--by", metavar="NAME", help=N_("Who decided (default: the OS user).")),
]
ReasonOpt = Annotated[
    str | None, typer.Option("--reason", metavar="TEXT", help=N_("Why (kept in the log)."))
]

# What a decision did (the store keeps its code), and the line that says it was recorded:
# (about an officer?, with a reason?) → the sentence.
_ACTIONS = {
    "exclude": N_("struck off"),
    "undo": N_("strike-off withdrawn"),
    "confirm": N_("list confirmed"),
    "reopen": N_("reopened"),
}
_ENTRY = {
    (True, True): N_(
        "recorded #{id} {month} {action}: {name} ({officer_id}), {star}, reason: {reason} "
        "({author}, {when})"
    ),
    (True, False): N_(
        "recorded #{id} {month} {action}: {name} ({officer_id}), {star} ({author}, {when})"
    ),
    (False, True): N_(
        "recorded #{id} {month} {action}: {bureau}, reason: {reason} ({author}, {when})"
    ),
    (False, False): N_("recorded #{id} {month} {action}: {bureau} ({author}, {when})"),
}


def _show(entries: list[Decision], as_json: bool) -> None:
    if as_json:
        print_json({"entries": [e.to_json() for e in entries]})
        return
    from fivestar.cli.render import out, safe

    for e in entries:
        template = _ENTRY[bool(e.officer_id), bool(e.reason)]
        line = _(template).format(
            id=e.id,
            month=e.month,
            action=_(_ACTIONS[e.action]),
            name=e.name,
            officer_id=e.officer_id,
            star=e.star or _("every star"),
            bureau=e.bureau or _("the city"),
            reason=e.reason,
            author=e.author,
            when=e.when,
        )
        out.print(safe(line), soft_wrap=True)


@helps(N_("Strike an officer off the month's evaluation, or withdraw that (--undo)."))
def exclude(
    month: MonthArg,
    officer_id: Annotated[
        str | None, typer.Argument(metavar="[OFFICER_ID]", help=N_("The officer's 警号."))
    ] = None,
    reason: ReasonOpt = None,
    star: StarOpt = None,
    by: ByOpt = None,
    undo: Annotated[
        bool, typer.Option("--undo", help=N_("Withdraw the officer's exclusion."))
    ] = False,
    from_file: Annotated[
        Path | None,
        typer.Option(
            "--from",
            metavar="FILE",
            help=N_("A list, .xlsx or .csv, with the columns 警号, 姓名, 评选项目, 原因."),
        ),
    ] = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    from fivestar.errors import UsageError

    canonical = month_or_none(month)
    assert canonical is not None
    if from_file is not None and (officer_id is not None or undo):
        raise UsageError(_("--from takes the officers from the list: give no OFFICER_ID"))
    if from_file is None and officer_id is None:
        raise UsageError(_("name the officer (OFFICER_ID) or a list (--from FILE)"))
    from fivestar import deciding

    if from_file is not None:
        asks = deciding.read_list(from_file)
        entries = read_store(db, lambda s: deciding.exclude(s, canonical, asks, by))
    elif undo:
        assert officer_id is not None
        entries = read_store(
            db,
            lambda s: deciding.undo(s, canonical, officer_id, reason, star=star, by=by),
        )
    else:
        assert officer_id is not None
        if not (reason or "").strip():
            raise UsageError(_("--reason is empty: say why (it is kept in the log)"))
        ask = deciding.Exclusion(officer_id.strip(), reason or "", star)
        entries = read_store(db, lambda s: deciding.exclude(s, canonical, [ask], by))
    _show(entries, as_json)


@helps(N_("Mark the month's list as final and write the commendation notice."))
def confirm(
    month: MonthArg,
    by: ByOpt = None,
    bureau: Annotated[
        str | None,
        typer.Option("--bureau", metavar="NAME", help=N_("Confirm one county's own list.")),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", metavar="PATH",
            help=N_(
                "Where to write the commendation notice "
                "(default fivestar-YYYY-MM-表彰通报.xlsx)."
            ),
        ),
    ] = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:  # fmt: skip
    from fivestar.errors import UsageError

    canonical = month_or_none(month)
    assert canonical is not None
    path = out if out is not None else Path(f"fivestar-{canonical}-表彰通报.xlsx")
    if path.suffix.lower() != ".xlsx":
        raise UsageError(
            _("--out {path}: the commendation notice is an Excel workbook, name it .xlsx").format(
                path=path
            )
        )
    refuse_replacing(path)
    from fivestar import deciding
    from fivestar.report.commendation import write_commendation

    def call(store: Store) -> tuple[Decision, View]:
        return deciding.confirm(
            store,
            canonical,
            by,
            bureau,
            before_commit=lambda e, view, names: write_commendation(
                path, view.rules, canonical, names, e
            ),
        )

    entry, _view = read_store(db, call)
    if as_json:
        print_json({"entries": [entry.to_json()], "commendation": str(path)})
        return
    _show([entry], False)
    from fivestar.cli.render import out as console
    from fivestar.cli.render import safe

    console.print(
        safe(_("wrote the commendation notice: {path}").format(path=path)), soft_wrap=True
    )


@helps(N_("Withdraw the month's confirmation, so that it may be evaluated or changed again."))
def reopen(
    month: MonthArg,
    reason: ReasonOpt = None,
    by: ByOpt = None,
    bureau: Annotated[
        str | None, typer.Option("--bureau", metavar="NAME", help=N_("A county's confirmation."))
    ] = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    from fivestar import deciding

    canonical = month_or_none(month)
    assert canonical is not None
    entry = read_store(db, lambda s: deciding.reopen(s, canonical, reason, by, bureau))
    _show([entry], as_json)


@helps(N_("Every decision recorded — exclusions, withdrawals, confirmations, reopenings."))
def log(
    month: MonthOpt = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", metavar="PATH", help=N_("Also write the log to PATH.xlsx.")),
    ] = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    from fivestar.errors import UsageError
    from fivestar.queries.decisions import decision_log
    from fivestar.store.decisions import Log

    if out is not None and out.suffix.lower() != ".xlsx":
        raise UsageError(_("--out {path}: write the log as .xlsx").format(path=out))
    refuse_replacing(out)
    canonical = month_or_none(month)
    result: Log = read_store(db, lambda s: decision_log(s, canonical))
    if out is not None:
        from fivestar.report.log_export import export_log

        export_log(out, result)
    if as_json:
        print_json(result.to_json())
        return
    from fivestar.cli.render_decisions import show_log

    show_log(result)
    if out is not None:
        from fivestar.cli.render import out as console
        from fivestar.cli.render import safe

        console.print(safe(_("wrote {path}").format(path=out)), soft_wrap=True)
