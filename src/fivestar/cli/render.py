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
from rich.table import Table
from rich.text import Text

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
    """The winners table, the counts, the notes and where the report went."""
    rules = result.rules
    labels = {star.key: star.label for star in rules.stars}
    scope = result.scope  # a county's own run says so, as its report does
    title = (
        f"{scope.holder(rules.model.organisation)}{month_label(result.month)}“五星”社区民警评选结果"
    )
    title += f"（{scope.words}，未经市局审定）" if scope.words else ""
    table = Table(title=safe(title))
    for header in ("评选项目", "排名", "警号", "姓名", "县局", "派出所", "并列"):
        table.add_column(header)
    winners = result.evaluation.winners
    stars = winners["star"].astype(str)
    for star in rules.stars:
        rows = winners[stars == star.key]
        hidden = hidden_winners(len(rows), star.quota)
        for row in rows.head(len(rows) - hidden).itertuples(index=False):
            table.add_row(
                labels[str(row.star)], str(row.rank), safe(row.officer_id), safe(row.name),
                safe(row.bureau), safe(row.station), "并列" if row.tied else "",
            )  # fmt: skip
        if hidden:  # split over two cells, as one would widen 警号 past a screen's width
            table.add_row(labels[star.key], "…", f"及并列 {hidden} 人", "详见报告", "", "", "")
    out.print(table)
    counts = result.counts
    out.print(
        f"读取 {counts.read} 行：评估 {counts.evaluated}，拒绝 {counts.rejected}，"
        f"跳过 {counts.skipped}（非数据行）"
    )
    for note in result.evaluation.notes:
        out.print(safe(f"注：{note}"))
    if result.issues:
        out.print(f"[yellow]{len(result.issues)} 个数据问题，详见报告“数据问题”表[/yellow]")
        show_issues(result.issues)
    if result.report:
        out.print(safe(f"报告：{result.report}"))
    for path in result.per_file_reports:
        out.print(safe(f"分县报告：{path}"))


SHOWN_ISSUES = 10


def show_issues(issues: Sequence[Issue]) -> None:
    """The first SHOWN_ISSUES data issues, grouped by code (in the order the codes first
    appear), one line each (cut at the screen's width, never wrapped), then how many more."""
    by_code: dict[str, list[Issue]] = {}
    for issue in issues:
        by_code.setdefault(issue.code, []).append(issue)
    left = SHOWN_ISSUES
    for group in by_code.values():
        if left <= 0:
            break
        for issue in group[:left]:
            place = issue.file + (f" {issue.sheet}" if issue.sheet else "")
            place += f" 第{issue.row}行" if issue.row is not None else ""
            line = safe(f"  {place}：{issue.reason}")
            out.print(line, no_wrap=True, overflow="ellipsis", crop=True)
        left -= len(group[:left])
    more = len(issues) - SHOWN_ISSUES
    if more > 0:
        out.print(f"  …及另外 {more} 个，详见报告")


def show_rules(rules: RuleSet) -> None:
    """A rules file as tables with the Chinese labels."""
    model = rules.model
    out.print(safe(f"{model.name}（{rules.path}，{model.effective_from} 起施行）"))
    gate = "；".join(_comparison(rules, c.metric, c.op, c.value) for c in model.gate.all)
    out.print(safe(f"{model.gate.label}（{'、'.join(model.gate.roles)}）：{gate}"))
    minimum = model.minimum
    out.print(
        safe(f"{minimum.label}：{_comparison(rules, minimum.metric, minimum.op, minimum.value)}")
    )
    for key, derived in model.derived.items():
        out.print(safe(f"派生指标 {derived.label}（{key}）= {derived.expr}"))
    table = Table(title="五星评选条件", show_lines=True)
    for header in ("星", "参评岗位", "条件", "排名依据", "名额"):
        table.add_column(header, no_wrap=header != "排名依据")
    for star in model.stars:
        parts = [_comparison(rules, c.metric, c.op, c.value) for c in star.criteria.all]
        if star.criteria.any:
            options = [_comparison(rules, c.metric, c.op, c.value) for c in star.criteria.any]
            parts.append("以下任一：\n  " + "\n  ".join(options))
        table.add_row(
            f"{star.label}\n{star.key}", "\n".join(star.roles), safe("\n".join(parts)),
            "\n".join(rules.label(k) for k in star.rank_by), str(star.quota),
        )  # fmt: skip
    out.print(table)
    sel = model.selection
    out.print(
        f"每月共 {sel.total} 人；{'每人每月限一星' if sel.one_star_per_officer else '可兼得'}；"
        f"并列：{'均予评选' if sel.ties == 'include' else '按名额截止'}；"
        f"排名：{'竞争排名 1,2,2,4' if sel.ranking == 'competition' else '密集排名 1,2,2,3'}"
    )
    from fivestar.rules.diff import fairness_words

    fairness = fairness_words(model)
    out.print(safe("公平性选项：" + ("；".join(fairness) if fairness else "无")), soft_wrap=True)


_SYMBOL = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}


def _comparison(rules: RuleSet, metric: str, op: str, value: float) -> str:
    unit = "%" if rules.unit(metric) == "rate" else ""
    return f"{rules.label(metric)} {_SYMBOL[op]} {value:g}{unit}"
