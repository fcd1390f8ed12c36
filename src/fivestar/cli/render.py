"""Terminal rendering with rich, for the CLI only (the library never imports this).

Text that comes from input files is shown literally: never parsed as rich markup, and
stripped of control characters so a name cannot ring a bell or move the cursor.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.text import Text

from fivestar import i18n
from fivestar.i18n import _, ngettext
from fivestar.months import month_label
from fivestar.safe_text import clean, clean_line

if TYPE_CHECKING:
    from fivestar.findings import Issue
    from fivestar.model import RunResult
    from fivestar.rules import RuleSet


class CleanConsole(Console):
    """A Console that cleans every plain string it is given (table cells, titles, lines)
    before rich reads it: the one terminal boundary, so a label or name that missed `safe()`
    still cannot carry a control character to the screen."""

    def render_str(self, text: str, **kwargs: Any) -> Text:
        return super().render_str(clean(text), **kwargs)


out = CleanConsole(highlight=False)
err = CleanConsole(stderr=True, highlight=False)


def plain(value: object, keep: str = "\t\n") -> str:
    """Input text with every control character and bidi override shown as U+FFFD
    (fivestar.safe_text), so it can neither move the cursor, ring, recolour nor reorder.
    `keep` names the controls let through (tab and newline, by default)."""
    return clean(value, keep)


def plain_line(value: object) -> str:
    """`plain` on one line (line breaks and tabs become spaces): for one-line errors."""
    return clean_line(value)


def safe(value: object) -> Text:
    """Input text as a literal rich Text (never parsed as markup), without control characters."""
    return Text(plain(value))


class FileProgress:
    """A progress bar on stderr while files are read (DESIGN.md §3: when several are).

    `start(files)` is told how many files the run reads, folders expanded: the bar appears
    only for two or more, and only when enabled and stderr is a terminal. Calling it with
    a path ticks one file read.
    """

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def start(self, files: int) -> None:
        if not self.enabled or files < 2 or not err.is_terminal or self._bar is not None:
            return
        self._bar = Progress(
            TextColumn("读取"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.description}", markup=False),  # a file name is not markup
            console=err, transient=True,
            auto_refresh=False,  # no refresh thread: the run may fork (fivestar.recording)
        )  # fmt: skip
        self._bar.start()
        self._task = self._bar.add_task("", total=files)
        self._bar.refresh()

    def __call__(self, path: Path) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, advance=1, description=plain_line(path.name))
            self._bar.refresh()

    def stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


@contextmanager
def progress_bar(enabled: bool) -> Iterator[FileProgress]:
    """A `FileProgress`, stopped (and cleared from the screen) when the block ends."""
    bar = FileProgress(enabled)
    try:
        yield bar
    finally:
        bar.stop()


# Winners listed per star beyond its quota before the rest of a long tie is only counted:
# a province's counts can tie in hundreds, and the report lists them all (--json too).
SHOWN_BEYOND_QUOTA = 3


def hidden_winners(winners: int, quota: int) -> int:
    """How many of a star's winners the terminal leaves to the report: none up to the quota
    + SHOWN_BEYOND_QUOTA (+ 1, as a line saying "one more" would take that one's line)."""
    shown = quota + SHOWN_BEYOND_QUOTA
    return winners - shown if winners > shown + 1 else 0


def show_run(result: RunResult) -> None:
    """The winners table, the counts, the notes, the first data issues and where the report
    went."""
    from fivestar.cli.render_fit import Column, FitTable, print_wrapped

    rules = result.rules
    labels = {star.key: star.label for star in rules.stars}
    scope = result.scope  # a county's own run says so, as its report does
    holder = scope.holder(rules.model.organisation)
    # 2014年4月 in Chinese; an English screen keeps the month as the clerk typed it: 2014-04
    month = month_label(result.month) if i18n.language() == i18n.ZH else result.month
    if scope.message:
        title = _(
            "{holder} {month} five-star community officers ({scope}, not yet reviewed "
            "by the city bureau)"
        ).format(holder=holder, month=month, scope=scope.spoken())
    else:
        title = _("{holder} {month} five-star community officers").format(
            holder=holder, month=month
        )
    table = FitTable(
        [
            Column(_("Award")),
            Column(_("Rank")),
            Column(_("Police ID")),
            Column(_("Name")),
            Column(_("County bureau"), drop=2),
            Column(_("Police station"), drop=1),
            Column(_("Tied")),
        ],
        title=title,
    )
    winners = result.evaluation.winners
    stars = winners["star"].astype(str)
    tied = _("tied")
    for star in rules.stars:
        rows = winners[stars == star.key]
        hidden = hidden_winners(len(rows), star.quota)
        for row in rows.head(len(rows) - hidden).itertuples(index=False):
            table.add_row(
                labels[str(row.star)], str(row.rank), str(row.officer_id), str(row.name),
                str(row.bureau), str(row.station), tied if row.tied else "",
            )  # fmt: skip
        if hidden:  # split over two cells, as one would widen 警号 past a screen's width
            table.add_row(
                labels[star.key], "…", _("and {count} more tied").format(count=hidden),
                _("see the report"), "", "", "",
            )  # fmt: skip
    table.print(out)
    counts = result.counts
    print_wrapped(
        out,
        _("Read {read} rows: {evaluated} evaluated, {rejected} rejected, {skipped} skipped "
          "(not data)").format(read=counts.read, evaluated=counts.evaluated,
                               rejected=counts.rejected, skipped=counts.skipped),
    )  # fmt: skip
    for note in result.evaluation.notes:
        print_wrapped(out, _("Note: {note}").format(note=note.render()))
    if result.issues:
        print_wrapped(
            out,
            ngettext("{count} data issue, see the report's sheet 数据问题",
                     "{count} data issues, see the report's sheet 数据问题",
                     len(result.issues)).format(count=len(result.issues)),
            style="yellow",
        )  # fmt: skip
        show_issues(result.issues)
    if result.report:
        print_wrapped(out, _("Report: {path}").format(path=result.report))
    for path in result.per_file_reports:
        print_wrapped(out, _("County report: {path}").format(path=path))


SHOWN_ISSUES = 10


def show_issues(issues: Sequence[Issue], console: Console | None = None) -> None:
    """The first SHOWN_ISSUES data issues, grouped by code (in the order the codes first
    appear), one issue each, wrapped between words (never cut), then how many more."""
    from fivestar.cli.render_fit import print_wrapped

    console = console or out
    by_code: dict[str, list[Issue]] = {}
    for issue in issues:
        by_code.setdefault(issue.code, []).append(issue)
    left = SHOWN_ISSUES
    for group in by_code.values():
        if left <= 0:
            break
        for issue in group[:left]:
            print_wrapped(console, _issue_line(issue), indent=2, hanging=2)
        left -= len(group[:left])
    more = len(issues) - SHOWN_ISSUES
    if more > 0:
        console.print(_("  …and {count} more, see the report").format(count=more))


@contextmanager
def strict_listing(enabled: bool) -> Iterator[None]:
    """--strict refused the run: the same listing of its data issues as a run shows, on
    stderr, before the error line (the app's catch prints that, as for any error)."""
    from fivestar.errors import StrictRefused

    try:
        yield
    except StrictRefused as refused:
        if enabled:
            show_issues(refused.issues, err)
        raise


def _issue_line(issue: Issue) -> str:
    """ "a.csv Sheet1 第3行：警号为空" (the place, then the reason)."""
    place = issue.file + (f" {issue.sheet}" if issue.sheet else "")
    if issue.row is not None:
        place = _("{place} row {row}").format(place=place, row=issue.row)
    return _("{place}: {reason}").format(place=place, reason=issue.reason)


def show_rules(rules: RuleSet) -> None:
    """A rules file as tables with the Chinese labels."""
    from fivestar.cli.render_fit import (
        Column,
        FitTable,
        glued,
        listed,
        print_wrapped,
        semicolon,
    )  # fmt: skip

    model = rules.model
    print_wrapped(
        out,
        _("{name} ({path}, in force from {month})").format(
            name=model.name, path=rules.path, month=model.effective_from
        ),
    )
    gate = semicolon().join(
        glued(_comparison(rules, c.metric, c.op, c.value)) for c in model.gate.all
    )
    print_wrapped(
        out,
        _("{gate} ({roles}): {criteria}").format(
            gate=model.gate.label, roles="".join(listed(model.gate.roles)), criteria=gate
        ),
    )
    minimum = model.minimum
    print_wrapped(
        out,
        _("{label}: {criterion}").format(
            label=minimum.label,
            criterion=_comparison(rules, minimum.metric, minimum.op, minimum.value),
        ),
    )
    for derived in model.derived.values():
        print_wrapped(
            out,
            _("Derived figure {label} = {expr}").format(
                label=derived.label, expr=_expr_labels(rules, derived.expr)
            ),
        )
    table = FitTable(
        [
            Column(_("Star")),
            Column(_("Roles")),
            Column(_("Criteria"), wrap=True),
            Column(_("Ranked by")),
            Column(_("Quota"), justify="right"),
        ],
        title=_("The five stars' criteria"),
        show_lines=True,
    )
    for star in model.stars:
        lines = [glued(_comparison(rules, c.metric, c.op, c.value)) for c in star.criteria.all]
        if star.criteria.any:
            lines.append(_("any one of:"))
            lines += [
                "  " + glued(_comparison(rules, c.metric, c.op, c.value)) for c in star.criteria.any
            ]
        table.add_row(
            f"{star.label}\n{star.key}", "\n".join(star.roles), "\n".join(lines),
            "\n".join(rules.label(k) for k in star.rank_by), str(star.quota),
        )  # fmt: skip
    table.print(out)
    sel = model.selection
    print_wrapped(
        out,
        _("{total} officers a month; {one_star}; ties: {ties}; ranking: {ranking}").format(
            total=sel.total,
            one_star=_("one star per officer a month")
            if sel.one_star_per_officer
            else _("an officer may win several stars"),
            ties=_("all named") if sel.ties == "include" else _("cut at the quota"),
            ranking=_("competition 1,2,2,4")
            if sel.ranking == "competition"
            else _("dense 1,2,2,3"),
        ),
    )
    from fivestar.rules.diff import fairness_words

    fairness = fairness_words(model)
    print_wrapped(
        out,
        _("Fairness options: {options}").format(
            options=semicolon().join(fairness) if fairness else _("none")
        ),
    )


def _expr_labels(rules: RuleSet, expr: str) -> str:
    """A derived figure's expression, each metric's key as its label: 调解成功数 / 调解纠纷数."""
    import re

    return re.sub(r"[A-Za-z_][A-Za-z0-9_]*", lambda m: rules.label(m.group()), expr)


_SYMBOL = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}


def _comparison(rules: RuleSet, metric: str, op: str, value: float) -> str:
    unit = "%" if rules.unit(metric) == "rate" else ""
    return f"{rules.label(metric)} {_SYMBOL[op]} {value:g}{unit}"
