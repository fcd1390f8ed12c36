"""统计图: per county bureau, officers evaluated, qualifiers and winners; a native column chart.

The chart reads its figures from the table on the same sheet, so it stays a live Excel chart
(recolour it, copy it into a slide) rather than a picture.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from fivestar.months import month_label
from fivestar.report.layout import Column, Sheet
from fivestar.run_scope import bureau_order

if TYPE_CHECKING:
    from fivestar.engine import Evaluation

CHART = "统计图"
NO_BUREAU = "（未填县局）"
TOTAL = "合计"
QUALIFIED = "符合条件人数"
NAMED = "当选人数"
CHART_WIDTH, CHART_HEIGHT = 720, 360  # pixels
ROW_PIXELS = 20
COLOURS = {QUALIFIED: "#5B9BD5", NAMED: "#70AD47"}


def bureau_counts(evaluation: Evaluation) -> pd.DataFrame:
    """One row per 县局 (the rules' order, else input order): 参评人数, 符合条件人数
    (any star), 当选人数, 未达标人数."""
    officers = evaluation.officers[["officer_id", "bureau"]].copy()
    bureau = officers["bureau"].astype(object)
    officers["bureau"] = bureau.where(bureau.notna() & (bureau.astype(str) != ""), NO_BUREAU)
    outcomes = evaluation.outcomes
    qualified = outcomes.loc[outcomes["qualified"].astype(bool), "officer_id"]
    named = outcomes.loc[outcomes["named"].astype(bool), "officer_id"]
    frame = officers.assign(
        qualified=officers["officer_id"].isin(qualified),
        named=officers["officer_id"].isin(named),
        under=officers["officer_id"].isin(evaluation.under_minimum["officer_id"]),
    )
    counts = frame.groupby("bureau", sort=False).agg(
        evaluated=("officer_id", "size"),
        qualified=("qualified", "sum"),
        named=("named", "sum"),
        under=("under", "sum"),
    )
    # the rules' order of bureaus (`[organisation] bureaus`), else as they first appear
    order = bureau_order(evaluation.rules, [b for b in counts.index if b != NO_BUREAU])
    counts = counts.reindex([*order, *([NO_BUREAU] if NO_BUREAU in counts.index else [])])
    return counts.reset_index().astype(
        {"evaluated": "int64", "qualified": "int64", "named": "int64", "under": "int64"}
    )


def write_chart_sheet(sheet: Sheet, evaluation: Evaluation) -> None:
    """The per-bureau table with a 合计 row, and a clustered column chart below it."""
    counts = bureau_counts(evaluation)
    total = pd.DataFrame(
        [[TOTAL, *counts[["evaluated", "qualified", "named", "under"]].sum().tolist()]],
        columns=counts.columns,
    )
    shown = pd.concat([counts, total], ignore_index=True)
    table = sheet.table(
        [
            Column("县局", shown["bureau"]),
            Column("参评人数", shown["evaluated"], "count"),
            Column(QUALIFIED, shown["qualified"], "count"),
            Column(NAMED, shown["named"], "count"),
            Column("未达标人数", shown["under"], "count"),
        ],
        main=False,
        stream=False,  # the chart caches its figures from the cells XlsxWriter holds
    )
    if counts.empty:
        return
    first, last = table.first, table.first + len(counts) - 1
    name = sheet.ws.get_name()
    chart = sheet.workbook.add_chart({"type": "column"})
    for col, label in ((2, QUALIFIED), (3, NAMED)):
        chart.add_series(
            {
                "name": [name, table.header, col],
                "categories": [name, first, 0, last, 0],
                "values": [name, first, col, last, col],
                "fill": {"color": COLOURS[label]},
                "data_labels": {"value": True},
                "gap": 80,
            }
        )
    chart.set_title({"name": f"各县局符合条件与当选人数（{month_label(evaluation.month)}）"})
    chart.set_y_axis({"name": "人数", "min": 0, "num_format": "0", "major_gridlines": {}})
    chart.set_legend({"position": "bottom"})
    # as wide as the table, at least CHART_WIDTH; the page prints the columns it covers
    pixels = [sheet.column_pixels(col) for col in range(table.width)]
    width, columns = sum(pixels), table.width
    while width < CHART_WIDTH:
        width, columns = width + sheet.column_pixels(columns), columns + 1
    chart.set_size({"width": width, "height": CHART_HEIGHT})
    sheet.skip()
    sheet.ws.insert_chart(sheet.row, 0, chart, {"object_position": 1})
    sheet.skip(CHART_HEIGHT // ROW_PIXELS + 1)
    sheet.print_columns(columns)
