"""Terminal rendering of the store's answers (report, explain, history, runs), with rich.

CLI only: the store and its queries never import this. Input text goes through `safe()`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from fivestar.cli.render import out, plain, safe
from fivestar.queries.gaps import figure_text
from fivestar.queries.results import Report, StarRanking
from fivestar.store.decisions import shown_time

if TYPE_CHECKING:
    from fivestar.queries import Explanation, History, RunList

WON = "当选"
WON_TIED = "当选（并列）"


def _result(named: bool, tied: bool, named_for: str, labels: dict[str, str]) -> str:
    if named:
        return WON_TIED if tied else WON
    if named_for:
        return f"已获评{labels.get(named_for, named_for)}"
    return ""


def _runs(run: int, runs: tuple[int, ...], scope: str) -> str:
    """Which runs a view read: "run 3", "runs 3, 5（全市合并评定）", "run 4（县局自评）"."""
    ids = runs or (run,)
    text = f"run {ids[0]}" if len(ids) == 1 else "runs " + ", ".join(str(i) for i in ids)
    if scope == "county":
        return text + "（县局自评）"
    return text + ("（各县局最新运行合并，全市统一评定）" if len(ids) > 1 else "")


def show_ranking(ranking: StarRanking) -> None:
    """A star's qualifiers ranked, winners marked; then the near misses and their gap."""
    labels = ranking.labels
    where = f"（{ranking.bureau}）" if ranking.bureau else ""
    read = _runs(ranking.run, ranking.runs, ranking.scope)
    title = f"{ranking.month} {ranking.label}{where} · {read}"
    table = Table(title=safe(title))
    table.add_column("排名")
    table.add_column("警号", no_wrap=True)
    for header in ("姓名", "县局", "派出所"):
        table.add_column(header, overflow="fold")
    for m in ranking.metrics:
        table.add_column(m.label, justify="right", overflow="fold")
    table.add_column("结果", overflow="fold")
    for e in ranking.ranking:
        style = "bold green" if e.named else None
        table.add_row(
            "" if e.rank is None else str(e.rank),
            safe(e.officer_id),
            safe(e.name),
            safe(e.bureau),
            safe(e.station),
            *[figure_text(m, e.figures.get(m.key)) for m in ranking.metrics],
            # a qualifier the fairness options passed over says why (e.reasons)
            _result(e.named, e.tied, e.named_for, labels) or safe("；".join(e.reasons)),
            style=style,
        )
    if ranking.ranking:
        out.print(table)
    else:
        out.print(safe(f"{title}：无符合条件的民警"))
    if ranking.near_misses:
        near = Table(title="差一项达标")
        for header in ("警号", "姓名", "县局", "差距"):
            near.add_column(header)
        for e in ranking.near_misses:
            gap = "；".join(e.gaps or e.reasons)
            near.add_row(safe(e.officer_id), safe(e.name), safe(e.bureau), safe(gap))
        out.print(near)


def show_report(report: Report | StarRanking) -> None:
    rankings = (report,) if isinstance(report, StarRanking) else report.stars
    for ranking in rankings:
        show_ranking(ranking)
        out.print()
    show_bureau_bars(rankings)


def show_bureau_bars(rankings: tuple[StarRanking, ...]) -> None:
    """Stars named per county bureau, as a bar each: who took how many this month."""
    named: dict[str, int] = {}
    for ranking in rankings:
        for e in ranking.ranking:
            if e.named:
                named[e.bureau] = named.get(e.bureau, 0) + 1
    if not named:
        return
    width = max(cell_len(plain(bureau or "（未填县局）")) for bureau in named)
    out.print("各县局当选人数")
    for bureau, count in sorted(named.items(), key=lambda item: (-item[1], item[0])):
        label = plain(bureau or "（未填县局）")
        line = Text(label + " " * (width - cell_len(label)) + " ")
        line.append("█" * (2 * count), style="green")
        line.append(f" {count}")
        out.print(line)


def show_explanation(e: Explanation) -> None:
    """The officer's figures, then star by star: qualified, named, or why not."""
    out.print(safe(f"{e.officer_id} {e.name}（{e.bureau} {e.station}，{e.role}）{e.month}"))
    out.print(
        safe(
            _runs(e.run, e.runs, e.scope)
            + ("；本月入户走访未达最低要求（未达标）" if e.under_minimum else "")
        )
    )
    figures = Table(title="本月数据", show_header=False)
    figures.add_column("指标")
    figures.add_column("数值", justify="right")
    for m in e.metrics:
        figures.add_row(m.label, figure_text(m, e.figures.get(m.key)))
    out.print(figures)
    stars = Table(title="五星评选", show_lines=True)
    for header in ("评选项目", "结果", "排名", "原因 / 差距"):
        stars.add_column(header)
    labels = {v.star: v.label for v in e.stars}
    for v in e.stars:
        if v.named or (v.qualified and v.named_for):
            verdict = _result(v.named, v.tied, v.named_for, labels)
        else:
            verdict = ("符合条件，未入选" if v.reasons else "符合条件") if v.qualified else "未符合"
        # a qualifier's reasons say why the fairness options passed them over (else none)
        why = "\n".join(v.gaps) if v.gaps else "\n".join(v.reasons)
        stars.add_row(
            v.label,
            verdict,
            "" if v.rank is None else str(v.rank),
            safe(why),
            style="bold green" if v.named else None,
        )
    out.print(stars)


def show_history(h: History) -> None:
    """Month × star grid of the officers who won, totals, by star, and repeated 未达标."""
    short = {key: label.removesuffix("之星") for key, label in h.labels.items()}
    grid = Table(title=f"{h.year} 年五星社区民警（{len(h.months)} 个月）")
    for header in ("警号", "姓名", "县局"):
        grid.add_column(header)
    pending = {m: "" if h.confirmed.get(m) else "（待确认）" for m in h.months}
    for month in h.months:
        grid.add_column(month[5:] + "月" + pending[month])
    grid.add_column("合计", justify="right")
    grid.add_column("已确认", justify="right")
    winners = [o for o in h.officers if o.total]
    for o in sorted(winners, key=lambda o: (-o.total, o.officer_id)):
        cells = ["、".join(short.get(k, k) for k in o.stars.get(m, [])) for m in h.months]
        confirmed = str(h.confirmed_total(o.stars))
        grid.add_row(
            safe(o.officer_id), safe(o.name), safe(o.bureau), *cells, str(o.total), confirmed
        )
    out.print(grid if winners else "本年度无当选民警")
    bureaus = Table(title="各县局当选人次")
    bureaus.add_column("县局")
    for month in h.months:
        bureaus.add_column(month[5:] + "月", justify="right")
    bureaus.add_column("合计", justify="right")
    for name, per_month in h.bureaus.items():
        counts = [str(per_month.get(m, 0)) for m in h.months]
        bureaus.add_row(safe(name), *counts, str(sum(per_month.values())))
    out.print(bureaus)
    for key, entries in h.by_star().items():
        if entries:
            who = "，".join(f"{o.name}({o.officer_id}) {n} 次" for o, n in entries)
            out.print(safe(f"{h.labels.get(key, key)}：{who}"))
    repeated = h.repeatedly_under()
    if repeated:
        out.print("多次未达标（入户走访不足）：")
        for o in repeated:
            out.print(
                safe(f"  {o.officer_id} {o.name}（{o.bureau}）：{'、'.join(o.under_minimum)}")
            )


def show_runs(runs: RunList) -> None:
    table = Table(title="评选运行记录")
    headers = ("run", "月份", "记录时间", "县局", "规则", "文件", "民警", "当选", "问题", "最新")
    for header in headers:
        table.add_column(header, overflow="fold")
    for r in runs.runs:
        table.add_row(
            str(r.id),
            r.month,
            shown_time(r.recorded),  # local, to the minute; --json keeps the ISO time
            safe("、".join(r.bureaus) if len(r.bureaus) <= 3 else f"{len(r.bureaus)} 个县局"),
            safe(r.rules_path),
            str(r.inputs),
            str(r.officers),
            str(r.winners),
            str(r.issues),
            "✓" if r.id in runs.latest else "",
        )
    out.print(table if runs.runs else "尚无运行记录")
