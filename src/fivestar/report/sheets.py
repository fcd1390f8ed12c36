"""The report's evaluation sheets: 评选结果, one sheet per star, 未达标."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from fivestar.columns import BY_KEY
from fivestar.engine.checks import figure_decimal
from fivestar.engine.reasons import Words, render_column
from fivestar.report.layout import Column, Sheet
from fivestar.report.near import closest, listed_count
from fivestar.report.workbook import Kind
from fivestar.rules import RuleSet
from fivestar.rules.model import Star

if TYPE_CHECKING:
    from fivestar.engine import Evaluation

PLACE = ("officer_id", "name", "bureau", "station", "office")
WON = "当选"
WON_TIED = "当选（并列）"
NEAR_MISSES = "差一项达标（按差距由小到大）"


def kind_of(rules: RuleSet, metric: str) -> Kind:
    unit = rules.unit(metric)
    return "rate" if unit == "rate" else "count" if unit == "count" else "number"


def place_columns(frame: pd.DataFrame, keys: tuple[str, ...] = PLACE) -> list[Column]:
    """警号, 姓名, 县局, 派出所, 警务室 (and any other text key) as text columns."""
    return [Column(BY_KEY[key].header, frame[key]) for key in keys]


def metric_columns(rules: RuleSet, frame: pd.DataFrame, metrics: list[str]) -> list[Column]:
    return [Column(rules.label(m), frame[m], kind_of(rules, m)) for m in metrics]


def star_metrics(star: Star) -> list[str]:
    """The figures a star's sheet shows: its figures, then any ranking key not among them."""
    return list(dict.fromkeys([*star.figures, *star.rank_by]))


def figure_text(rules: RuleSet, metric: str, value: Any) -> str:
    """One figure in words, as the gap texts write it: 162, 100%, 98.5%."""
    number = float(value) if value is not None and not pd.isna(value) else math.nan
    if not math.isfinite(number):
        return "无法计算" if metric in rules.model.derived else "缺失"
    unit = rules.unit(metric)
    if unit == "count":
        return str(round(number))
    return figure_decimal(number, unit) + ("%" if unit == "rate" else "")


def key_figures(rules: RuleSet, star: Star, officer: Mapping[Any, Any]) -> str:
    """主要数据: "入户走访户数 162；人号一致率 100%；…"."""
    return "；".join(
        f"{rules.label(m)} {figure_text(rules, m, officer[m])}" for m in star_metrics(star)
    )


def write_results(sheet: Sheet, evaluation: Evaluation) -> None:
    """评选结果: the month's winners in order, then the notes a reader must know."""
    rules, winners = evaluation.rules, evaluation.winners
    officers = evaluation.officers.drop_duplicates("officer_id").set_index("officer_id")
    stars = {star.key: star for star in rules.stars}
    # one look-up for all winners (ties may name thousands), then plain records
    metrics = list(dict.fromkeys(m for star in rules.stars for m in star_metrics(star)))
    rows = officers.loc[winners["officer_id"], metrics].to_dict("records")
    figures = [
        key_figures(rules, stars[key], row) for key, row in zip(winners["star"], rows, strict=True)
    ]
    tied = winners["tied"].astype(bool)
    sheet.table(
        [
            Column("评选项目", winners["star"].map({k: s.label for k, s in stars.items()})),
            Column("排名", winners["rank"], "rank"),
            Column("警号", winners["officer_id"]),
            Column("姓名", winners["name"]),
            Column("县局", winners["bureau"]),
            Column("派出所", winners["station"]),
            Column("主要数据", figures, "wrap"),
            Column("并列", pd.Series("", index=winners.index).mask(tied, "并列")),
        ],
        empty="本月无当选民警",
    )
    if evaluation.notes:
        sheet.skip()
        sheet.heading("说明")
        sheet.lines([note.render("zh") for note in evaluation.notes])  # a workbook is Chinese


def write_star(sheet: Sheet, evaluation: Evaluation, star: Star) -> None:
    """One star: every qualifier ranked, winners marked; then the near misses and their gap.

    The near misses sit in the same columns as the qualifiers (差距 under 结果), so the header
    repeated on a printed page fits both tables.
    """
    rules = evaluation.rules
    labels = {s.key: s.label for s in rules.stars}
    rows = evaluation.star_outcomes(star.key)
    metrics = star_metrics(star)

    qualifiers = rows[rows["qualified"].astype(bool)]
    named = qualifiers["named"].astype(bool)
    other = qualifiers["named_for"].astype(str)
    outcome = ("已获评" + other.map(labels).fillna(other)).where(other != "", "")
    outcome = outcome.mask(named, WON).mask(named & qualifiers["tied"].astype(bool), WON_TIED)
    # under the strict tie policy a candidate ranked within the quota may still be left out
    within = pd.to_numeric(qualifiers["rank"], errors="coerce").le(star.quota)
    left_out = f"并列未入选（名额 {star.quota} 人，按警号取前 {star.quota} 人）"
    if rules.model.selection.ties == "strict":
        outcome = outcome.mask(~named & within & other.eq(""), left_out)
    # passed over by the rules' bureau cap or cool-down: the reason, in words
    said = render_column(qualifiers["reasons"], Words.of(rules), "zh")
    passed = pd.Series(said, index=qualifiers.index, dtype=object)
    outcome = outcome.mask(~named & other.eq("") & passed.ne(""), passed)
    sheet.table(
        [
            Column("排名", qualifiers["rank"], "rank"),
            *place_columns(qualifiers),
            *metric_columns(rules, qualifiers, metrics),
            Column("结果", outcome),
        ],
        highlight=named.to_numpy(dtype=bool),
        empty="本月无符合条件的民警",
    )

    # the closest near misses only, gaps in `fivestar report`'s words (`report.near`); at
    # province scale nearly every officer under 80 visits is one criterion short of visits
    near = rows[rows["near_miss"].astype(bool)]
    limit = rules.model.report.near_misses
    worth = listed_count(rules, star, near)
    near = closest(rules, star, near, limit)
    sheet.skip()
    sheet.heading(NEAR_MISSES)
    sheet.table(
        [
            Column("排名", pd.Series(None, index=near.index, dtype=object), "rank"),
            *place_columns(near),
            *metric_columns(rules, near, metrics),
            Column("差距", near["gap"], "gap"),
        ],
        main=False,
    )
    if worth > len(near):
        sheet.lines(
            [f"另有 {worth - len(near)} 人差一项达标，未列出（按差距取最接近的 {limit} 人）；"
             "见“全员明细”。"]
        )  # fmt: skip


def write_under_minimum(sheet: Sheet, evaluation: Evaluation) -> None:
    """未达标: community officers under the monthly minimum of household visits."""
    rules, frame = evaluation.rules, evaluation.under_minimum
    metric = rules.model.minimum.metric
    words = Words.of(rules)
    # one reason each, made once per distinct figure: worded once per figure
    said = render_column([(reason,) for reason in frame["reason"]], words, "zh")
    sheet.table(
        [
            *place_columns(frame),
            Column(rules.label(metric), frame[metric], kind_of(rules, metric)),
            Column("差额(户)", frame["shortfall"], kind_of(rules, metric)),
            Column("说明", said, "wrap"),
        ]
    )
