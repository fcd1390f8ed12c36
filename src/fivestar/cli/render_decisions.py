"""Terminal rendering of the decisions log, with rich. CLI only."""

from __future__ import annotations

from rich.table import Table

from fivestar.cli.render import out, safe
from fivestar.store.decisions import Log


def show_log(log: Log) -> None:
    table = Table(title="评选决定操作记录" + (f"（{log.month}）" if log.month else ""))
    for header in ("#", "月份", "事项", "警号", "姓名", "项目", "县局", "原因", "操作人", "时间"):
        short = header in ("#", "月份", "警号", "时间")
        table.add_column(header, overflow="fold", no_wrap=short)
    for d in log.entries:
        table.add_row(
            str(d.id), d.month, d.what, safe(d.officer_id or ""), safe(d.name or ""),
            safe((d.star or "全部") if d.officer_id else ""), safe(d.bureau or ""),
            safe(d.reason), safe(d.author), d.when,
        )  # fmt: skip
    out.print(table if log.entries else "尚无操作记录")
