"""The report's accounting sheets: 全员明细, 数据问题, 运行信息."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from fivestar.engine.reasons import Words, render_column
from fivestar.findings import FileReport, Issue
from fivestar.report.layout import Column, Sheet
from fivestar.report.sheets import (
    PLACE,
    WON,
    WON_TIED,
    place_columns,
)
from fivestar.report.times import local_time

if TYPE_CHECKING:
    from fivestar.engine import Evaluation
    from fivestar.model import RunResult

QUALIFIED = "符合"
STAR_WIDTH = 26  # five star columns beside the place still print at a readable size
LIST_SEP = "；"
NO_ISSUES = "本月无数据问题"


def outcome_table(evaluation: Evaluation) -> pd.DataFrame:
    """Officer × star (star keys as columns, in the officers' order): 当选 / 符合 / why not."""
    out = evaluation.outcomes
    named = out["named"].astype(bool).to_numpy()
    tied = out["tied"].astype(bool).to_numpy()
    said = render_column(out["reasons"], Words.of(evaluation.rules), "zh")
    status = pd.Series(said, index=out.index, dtype=object)
    status = status.mask(out["qualified"].astype(bool).to_numpy(), QUALIFIED)
    status = status.mask(named, WON).mask(named & tied, WON_TIED)
    pivot = out.assign(status=status).pivot(index="officer_id", columns="star", values="status")
    pivot = pivot.reindex(
        index=evaluation.officers["officer_id"], columns=evaluation.rules.star_keys
    )
    return pivot.reset_index(drop=True).fillna("")


def write_detail(sheet: Sheet, evaluation: Evaluation) -> None:
    """全员明细: one row per officer — place, then per star 当选, 符合 or why not.

    The reasons carry the figures that decided (入户走访户数 72，还差 8 户); the full figures of
    qualifiers and near misses are on the star sheets, and everyone's in the input files and
    `fivestar explain`. Leaving the 17 figure columns out keeps this sheet — the largest, one
    row per officer — at a third of the cells: it is what makes province-scale runs fast.
    """
    rules, officers = evaluation.rules, evaluation.officers
    status = outcome_table(evaluation)
    place = place_columns(officers, (*PLACE, "role"))
    stars = [Column(star.label, status[star.key], "wrap", STAR_WIDTH) for star in rules.stars]
    table = sheet.table([*place, *stars], frozen_columns=2)  # 警号, 姓名 in view
    if len(officers) and stars:
        sheet.ws.conditional_format(
            table.first,
            len(place),
            table.last,
            len(place) + len(stars) - 1,
            {
                "type": "text",
                "criteria": "begins with",
                "value": WON,
                "format": sheet.formats.winner_fill,
            },
        )


def write_issues(sheet: Sheet, issues: list[Issue]) -> None:
    """数据问题: every rejected row and unreadable file, with its place; "无" when none."""
    sheet.table(
        [
            Column("文件", [i.file for i in issues]),
            Column("工作表", [i.sheet for i in issues]),
            Column("行号", [i.row for i in issues], "count"),
            Column("列", [i.column for i in issues]),
            Column("值", [i.value for i in issues]),
            Column("原因", [i.reason for i in issues], "wrap"),
        ],
        empty=NO_ISSUES,
    )


def _joined(items: list[str]) -> str:
    return LIST_SEP.join(items)


def write_run_info(sheet: Sheet, result: RunResult) -> None:
    """运行信息: month, rules, tool, time and totals; then every input file's accounting."""
    rules, counts = result.rules, result.counts
    sheet.heading("运行信息")
    sheet.pairs(
        [
            ("评选月份", result.month),
            ("规则文件", rules.path),
            ("规则 SHA-256", rules.sha256),
            ("规则名称", rules.model.name),
            ("规则生效月份", rules.model.effective_from),
            ("程序版本", result.tool_version),
            ("运行时间", local_time(result.started)),
            ("读取行数", counts.read),
            ("评估行数", counts.evaluated),
            ("拒绝行数", counts.rejected),
            ("跳过行数", counts.skipped),
            ("数据问题", len(result.issues)),
            ("当选人数", int(result.evaluation.winners["officer_id"].nunique())),
        ]
    )
    if result.decisions:
        write_decisions(sheet, result.decisions)
    sheet.skip()
    sheet.heading("输入文件")
    files: list[FileReport] = result.files
    table = sheet.table(
        [
            Column("文件", [f.path for f in files]),
            Column("SHA-256", [f.sha256 for f in files], "wrap", 36),  # two lines, never cut
            Column("格式", [f.format for f in files]),
            Column("读取", [f.rows_read for f in files], "count"),
            Column("评估", [f.evaluated for f in files], "count"),
            Column("拒绝", [f.rejected for f in files], "count"),
            Column("跳过", [f.skipped for f in files], "count"),
            Column("使用的工作表", [_joined(f.sheets_used) for f in files], "wrap"),
            Column("跳过的工作表", [_joined(f.sheets_skipped) for f in files], "wrap"),
            Column("忽略的列", [_joined(f.ignored_columns) for f in files], "wrap"),
            Column("文件问题", [f.error or "" for f in files], "wrap"),
        ],
        main=False,
    )
    sheet.ws.autofilter(table.header, 0, table.last, table.width - 1)


def write_decisions(sheet: Sheet, decisions: Sequence[Any]) -> None:
    """The bureau's decisions in force (`fivestar.store.decisions.Decision`), in log order."""
    sheet.skip()
    sheet.heading("有效的决定（取消评选资格、确认）")
    sheet.table(
        [
            Column("记录号", [d.id for d in decisions], "count"),
            Column("事项", [d.what for d in decisions]),
            Column("警号", [d.officer_id or "" for d in decisions]),
            Column("姓名", [d.name or "" for d in decisions]),
            Column("评选项目", [d.star or "全部" if d.officer_id else "" for d in decisions]),
            Column("县局", [d.bureau or "" for d in decisions]),
            Column("原因", [d.reason for d in decisions], "wrap"),
            Column("操作人", [d.author for d in decisions]),
            Column("时间", [d.when for d in decisions]),
        ],
        main=False,
    )
