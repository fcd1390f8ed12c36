"""The bureau's decision commands: exclude (and --undo, --from), confirm, reopen, log.

Heavy modules are imported inside the command bodies, as in `fivestar.cli.store`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from fivestar.cli.common import month_or_none, read_store, refuse_replacing
from fivestar.cli.options import DbOpt, JsonOpt, MonthArg, MonthOpt, StarOpt
from fivestar.cli.output import print_json

if TYPE_CHECKING:
    from fivestar.queries.scope import View
    from fivestar.store import Store
    from fivestar.store.decisions import Decision

ByOpt = Annotated[
    str | None,
    typer.Option("--by", metavar="NAME", help="Who decided (default: the OS user)."),
]
ReasonOpt = Annotated[
    str | None, typer.Option("--reason", metavar="TEXT", help="Why (kept in the log).")
]


def _show(entries: list[Decision], as_json: bool) -> None:
    if as_json:
        print_json({"entries": [e.to_json() for e in entries]})
        return
    from fivestar.cli.render import out, safe

    for e in entries:
        who = f"{e.name}（{e.officer_id}）" if e.officer_id else (e.bureau or "全市")
        star = "" if not e.officer_id else f"，{e.star or '全部评选项目'}"
        why = f"，原因：{e.reason}" if e.reason else ""
        line = f"已记录 #{e.id} {e.month} {e.what}：{who}{star}{why}（{e.author}，{e.when}）"
        out.print(safe(line), soft_wrap=True)


def exclude(
    month: MonthArg,
    officer_id: Annotated[
        str | None, typer.Argument(metavar="[OFFICER_ID]", help="The officer's 警号.")
    ] = None,
    reason: ReasonOpt = None,
    star: StarOpt = None,
    by: ByOpt = None,
    undo: Annotated[bool, typer.Option("--undo", help="Withdraw the officer's exclusion.")] = False,
    from_file: Annotated[
        Path | None,
        typer.Option(
            "--from", metavar="FILE", help="A list (.xlsx/.csv: 警号, 姓名, 评选项目, 原因)."
        ),
    ] = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """Strike an officer off the month's evaluation (取消评选资格), or withdraw it (--undo)."""
    from fivestar.errors import UsageError

    canonical = month_or_none(month)
    assert canonical is not None
    if from_file is not None and (officer_id is not None or undo):
        raise UsageError("--from takes the officers from the list: give no OFFICER_ID")
    if from_file is None and officer_id is None:
        raise UsageError("name the officer (OFFICER_ID) or a list (--from FILE)")
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
            raise UsageError("--reason is empty: say why (it is kept in the log)")
        ask = deciding.Exclusion(officer_id.strip(), reason or "", star)
        entries = read_store(db, lambda s: deciding.exclude(s, canonical, [ask], by))
    _show(entries, as_json)


def confirm(
    month: MonthArg,
    by: ByOpt = None,
    bureau: Annotated[
        str | None,
        typer.Option("--bureau", metavar="NAME", help="Confirm one county's own list."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", metavar="PATH",
            help="Where to write the 表彰通报 (default fivestar-YYYY-MM-表彰通报.xlsx).",
        ),
    ] = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:  # fmt: skip
    """Mark the month's list as final (确认名单) and write the 表彰通报."""
    from fivestar.errors import UsageError

    canonical = month_or_none(month)
    assert canonical is not None
    path = out if out is not None else Path(f"fivestar-{canonical}-表彰通报.xlsx")
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"--out {path}: the 表彰通报 is an Excel workbook, name it .xlsx")
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

    console.print(safe(f"已写出表彰通报：{path}"), soft_wrap=True)


def reopen(
    month: MonthArg,
    reason: ReasonOpt = None,
    by: ByOpt = None,
    bureau: Annotated[
        str | None, typer.Option("--bureau", metavar="NAME", help="A county's confirmation.")
    ] = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """Withdraw the month's confirmation, so that it may be evaluated or changed again."""
    from fivestar import deciding

    canonical = month_or_none(month)
    assert canonical is not None
    entry = read_store(db, lambda s: deciding.reopen(s, canonical, reason, by, bureau))
    _show([entry], as_json)


def log(
    month: MonthOpt = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", metavar="PATH", help="Also write the log to PATH.xlsx."),
    ] = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """Every decision recorded — exclusions, withdrawals, confirmations, reopenings."""
    from fivestar.errors import UsageError
    from fivestar.queries.decisions import decision_log
    from fivestar.store.decisions import Log

    if out is not None and out.suffix.lower() != ".xlsx":
        raise UsageError(f"--out {out}: write the log as .xlsx")
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

        console.print(safe(f"已写出：{out}"), soft_wrap=True)
