"""The comparison workbooks of `fivestar compare --out`: a summary and one sheet per star for
a month; per bureau (with a column chart) and per star for a range. Printable like the other
reports: the same `Sheet` layout (title, repeated header, fit to page width) and atomic write.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from fivestar.compare import MonthComparison, RangeComparison
from fivestar.errors import Option, UsageError
from fivestar.i18n import N_
from fivestar.months import month_label
from fivestar.queries.gaps import star_metrics
from fivestar.report.layout import Column, Sheet, sheet_name
from fivestar.report.sheets import metric_columns, place_columns
from fivestar.report.workbook import Formats, write_atomically

NOBODY = "—"
GAINED, LOST, KEPT = "新增当选", "落选", "均当选"


def _title(organisation: str, when: str, sheet: str) -> str:
    return f"{organisation}{when}“五星”社区民警评选规则比较（{sheet}）"


def export_comparison(path: Path, result: MonthComparison) -> None:
    if path.suffix.lower() != ".xlsx":
        raise UsageError(
            N_("{option} {path}: write the comparison as .xlsx"), option=Option("out"), path=path
        )
    write_atomically(path, lambda wb, formats: _month_book(wb, formats, result), "comparison")


def export_range(path: Path, result: RangeComparison) -> None:
    if path.suffix.lower() != ".xlsx":
        raise UsageError(
            N_("{option} {path}: write the comparison as .xlsx"), option=Option("out"), path=path
        )
    write_atomically(path, lambda wb, formats: _range_book(wb, formats, result), "comparison")


def _month_book(workbook: Any, formats: Formats, c: MonthComparison) -> None:
    org = c.new.model.organisation
    when = month_label(c.month)
    taken: set[str] = set()
    names = dict(
        zip(c.before.officers["officer_id"].astype(str), c.before.officers["name"], strict=True)
    )

    def who(ids: tuple[str, ...]) -> str:
        return "、".join(f"{i} {names.get(i, '')}".strip() for i in ids) or NOBODY

    summary = Sheet(
        workbook, formats, sheet_name("比较总览", taken), title=_title(org, when, "总览")
    )
    summary.pairs(
        [
            ("评选月份", c.month),
            ("数据", c.source),
            ("原规则", f"{c.base.path}（{c.base.sha256[:12]}）"),
            ("新规则", f"{c.new.path}（{c.new.sha256[:12]}）"),
        ]
    )
    summary.skip()
    stars = c.stars
    summary.table(
        [
            Column("评选项目", [s.label for s in stars]),
            Column("原规则当选", [who(s.before) for s in stars], "wrap"),
            Column("新规则当选", [who(s.after) for s in stars], "wrap"),
            Column("新增", [who(s.gained) for s in stars], "wrap"),
            Column("落选", [who(s.lost) for s in stars], "wrap"),
            Column("原规则符合条件", [s.qualified_before for s in stars], "count"),
            Column("新规则符合条件", [s.qualified_after for s in stars], "count"),
        ]
    )
    summary.skip()
    summary.heading("结果变化的民警")
    labels = c.labels
    changed = c.changed
    summary.table(
        [
            Column("警号", [o.officer_id for o in changed]),
            Column("姓名", [o.name for o in changed]),
            Column("县局", [o.bureau for o in changed]),
            Column("原规则", ["、".join(labels.get(k, k) for k in o.before) for o in changed]),
            Column("新规则", ["、".join(labels.get(k, k) for k in o.after) for o in changed]),
            Column("原因", [o.why for o in changed], "wrap"),
        ],
        main=False,
        empty="新规则下当选名单不变",
    )
    summary.finish()
    for s in stars:
        sheet = Sheet(
            workbook, formats, sheet_name(s.label, taken), title=_title(org, when, s.label)
        )
        _star_sheet(sheet, c, s.star)
        sheet.finish()


def _star_sheet(sheet: Sheet, c: MonthComparison, key: str) -> None:
    """The star's winners under either rule set, their figures and what became of them."""
    ev = c.after if key in c.after.rules.star_keys else c.before
    star = ev.rules.star(key)
    change = next(s for s in c.stars if s.star == key)
    ids = list(dict.fromkeys([*change.before, *change.after]))
    officers = ev.officers.set_index("officer_id", drop=False)
    rows = officers.loc[[i for i in ids if i in officers.index]].reset_index(drop=True)
    before = rows["officer_id"].isin(change.before)
    after = rows["officer_id"].isin(change.after)
    status = pd.Series(KEPT, index=rows.index).mask(after & ~before, GAINED).mask(~after, LOST)
    why = {o.officer_id: o.why for o in c.changed}
    sheet.table(
        [
            *place_columns(rows),
            *metric_columns(ev.rules, rows, star_metrics(star)),
            Column("原规则", before.map({True: "当选", False: ""})),
            Column("新规则", after.map({True: "当选", False: ""})),
            Column("变化", status),
            Column("原因", rows["officer_id"].map(why).fillna(""), "wrap"),
        ],
        highlight=after.to_numpy(dtype=bool),
        empty="两种规则下均无当选者",
    )


def _range_book(workbook: Any, formats: Formats, r: RangeComparison) -> None:
    org = r.new.model.organisation
    when = f"{month_label(r.start)}至{month_label(r.end)}"
    name = "县局比较"
    sheet = Sheet(workbook, formats, name, title=_title(org, when, "各县局当选人次"))
    bureaus = r.bureaus
    table = sheet.table(
        [
            Column("县局", [b.bureau for b in bureaus]),
            Column("原规则", [b.before for b in bureaus], "count"),
            Column("新规则", [b.after for b in bureaus], "count"),
            Column("变化", [b.after - b.before for b in bureaus], "count"),
        ],
        empty="无当选者",
    )
    if bureaus:
        chart = workbook.add_chart({"type": "column"})
        for col, series in ((1, "原规则"), (2, "新规则")):
            chart.add_series(
                {
                    "name": series,
                    "categories": [name, table.first, 0, table.last, 0],
                    "values": [name, table.first, col, table.last, col],
                }
            )
        chart.set_title({"name": f"{when}各县局当选人次：原规则与新规则"})
        chart.set_y_axis({"name": "当选人次", "major_unit": 1})
        chart.set_size({"width": 720, "height": 360})
        sheet.ws.insert_chart(sheet.row + 1, 0, chart)
    sheet.finish()
    stars = Sheet(workbook, formats, "名额未评满", title=_title(org, when, "名额未评满的月数"))
    stars.table(
        [
            Column("评选项目", [s.label for s in r.stars]),
            Column("原规则（月）", [s.short_before for s in r.stars], "count"),
            Column("新规则（月）", [s.short_after for s in r.stars], "count"),
        ]
    )
    stars.finish()
    months = Sheet(workbook, formats, "逐月", title=_title(org, when, "逐月当选变化"))
    rows = [(m.month, s) for m in r.months for s in m.stars]
    months.table(
        [
            Column("月份", [m for m, _ in rows]),
            Column("评选项目", [s.label for _, s in rows]),
            Column("原规则当选", ["、".join(s.before) or NOBODY for _, s in rows], "wrap"),
            Column("新规则当选", ["、".join(s.after) or NOBODY for _, s in rows], "wrap"),
            Column("新增", ["、".join(s.gained) for _, s in rows], "wrap"),
            Column("落选", ["、".join(s.lost) for _, s in rows], "wrap"),
        ]
    )
    months.finish()
