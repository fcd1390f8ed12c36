"""Terminal rendering of `fivestar compare`, with rich (CLI only). Input text goes through
`safe()`."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table

from fivestar.cli.render import out, safe
from fivestar.compare import MonthComparison, RangeComparison

NOBODY = "—"


def _who(ids: tuple[str, ...], names: dict[str, str]) -> str:
    return "\n".join(f"{i} {names.get(i, '')}".strip() for i in ids) or NOBODY


def show_comparison(c: MonthComparison) -> None:
    """Per star: winners under each rule set, gains, losses, qualifiers; then who changes."""
    out.print(safe(f"{c.month} 规则比较（数据：{c.source}）"), soft_wrap=True)
    out.print(safe(f"原规则：{c.base.path}　新规则：{c.new.path}"), soft_wrap=True)
    frame = c.before.officers
    names = dict(zip(frame["officer_id"].astype(str), frame["name"].astype(str), strict=True))
    table = Table(title="各星当选", show_lines=True)
    for header in ("评选项目", "原规则当选", "新规则当选", "新增", "落选", "符合条件人数"):
        table.add_column(header, no_wrap=header in ("评选项目", "符合条件人数"))
    for s in c.stars:
        table.add_row(
            safe(s.label),
            safe(_who(s.before, names)),
            safe(_who(s.after, names)),
            safe(_who(s.gained, names)),
            safe(_who(s.lost, names)),
            f"{s.qualified_before} → {s.qualified_after}",
        )
    out.print(table)
    if not c.changed:
        out.print("新规则下当选名单不变")
        return
    labels = c.labels
    people = Table(title="结果变化的民警", show_lines=True)
    for header in ("警号", "姓名", "县局", "原规则", "新规则", "原因"):
        people.add_column(header, overflow="fold")
    for o in c.changed:
        people.add_row(
            safe(o.officer_id),
            safe(o.name),
            safe(o.bureau),
            safe("、".join(labels.get(k, k) for k in o.before) or NOBODY),
            safe("、".join(labels.get(k, k) for k in o.after) or NOBODY),
            safe(o.why.replace("；", "\n")),
        )
    out.print(people)


def show_range(r: RangeComparison) -> None:
    """Per bureau the stars won under each rule set; per star the months short of its quota."""
    out.print(
        safe(f"{r.start} 至 {r.end} 规则比较（{len(r.months)} 个月，结果库）"), soft_wrap=True
    )
    bureaus = Table(title="各县局当选人次")
    for header in ("县局", "原规则", "新规则", "变化"):
        bureaus.add_column(header, justify="left" if header == "县局" else "right")
    for b in r.bureaus:
        bureaus.add_row(safe(b.bureau), str(b.before), str(b.after), f"{b.after - b.before:+d}")
    out.print(bureaus)
    stars = Table(title="名额未评满的月数")
    for header in ("评选项目", "原规则", "新规则"):
        stars.add_column(header, justify="left" if header == "评选项目" else "right")
    for s in r.stars:
        stars.add_row(safe(s.label), str(s.short_before), str(s.short_after))
    out.print(stars)


def wrote(path: Path | None) -> None:
    if path is not None:
        out.print(safe(f"已写出：{path}"), soft_wrap=True)
