"""The month's report workbook (DESIGN.md §3), written with XlsxWriter in one atomic step.

Sheets, in order: 评选结果, 公示, 统计图, one sheet per star, 未达标, 全员明细, 数据问题,
运行信息. Every table sheet opens with a title row: organisation, month, and the sheet.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fivestar.months import month_label
from fivestar.report.charts import CHART, write_chart_sheet
from fivestar.report.detail import write_detail, write_issues, write_run_info
from fivestar.report.layout import Sheet, sheet_name
from fivestar.report.notice import NOTICE, write_notice
from fivestar.report.sheets import write_results, write_star, write_under_minimum
from fivestar.report.workbook import Build, Formats, build_beside, write_atomically

if TYPE_CHECKING:
    from fivestar.model import RunResult

RESULTS = "评选结果"
UNDER_MINIMUM = "未达标"
DETAIL = "全员明细"
ISSUES = "数据问题"
RUN_INFO = "运行信息"
FIXED_SHEETS = (RESULTS, NOTICE, CHART, UNDER_MINIMUM, DETAIL, ISSUES, RUN_INFO)

Writer = Callable[[Sheet], None]
Page = Callable[[Any, Formats], None]

__all__ = ["FIXED_SHEETS", "build_report", "report_title", "write_report"]


def report_title(organisation: str, month: str, sheet: str | None = None, scope: str = "") -> str:
    """德州市公安局2014年4月“五星”社区民警评选结果, and the sheet's name after it; `scope`
    says whose result it is when not the city's: 武城县局…评选结果（县局自评·入户走访之星）."""
    title = f"{organisation}{month_label(month)}“五星”社区民警评选结果"
    parts = [part for part in (scope, sheet if sheet != RESULTS else None) if part]
    return f"{title}（{'·'.join(parts)}）" if parts else title


def _table_page(name: str, title: str, write: Writer, pages_tall: int = 0) -> Page:
    """A sheet laid out by `Sheet`: title row, tables, print setup."""

    def page(workbook: Any, formats: Formats) -> None:
        sheet = Sheet(workbook, formats, name, title=title)
        write(sheet)
        sheet.finish(pages_tall=pages_tall)

    return page


def write_report(path: Path, result: RunResult) -> None:
    """Write the report of `result` to `path`, replacing any previous file atomically.

    Raises OutputError when the file cannot be written; the previous file is then unchanged.
    """
    write_atomically(path, _builder(result))


def build_report(path: Path, result: RunResult) -> Path:
    """Build the report of `result` in a temporary file beside `path`, and return it: the
    caller puts it in place (`workbook.put_in_place`) or discards it. Raises OutputError."""
    return build_beside(path, _builder(result))


def _builder(result: RunResult) -> Build:
    evaluation = result.evaluation
    taken = {name.casefold() for name in FIXED_SHEETS}
    stars = [(sheet_name(star.label, taken), star) for star in result.rules.stars]
    tables: list[tuple[str, Writer]] = [
        (RESULTS, partial(write_results, evaluation=evaluation)),
        (CHART, partial(write_chart_sheet, evaluation=evaluation)),
        *[(name, partial(write_star, evaluation=evaluation, star=star)) for name, star in stars],
        (UNDER_MINIMUM, partial(write_under_minimum, evaluation=evaluation)),
        (DETAIL, partial(write_detail, evaluation=evaluation)),
        (ISSUES, partial(write_issues, issues=result.issues)),
        (RUN_INFO, partial(write_run_info, result=result)),
    ]
    scope = result.scope
    organisation = scope.holder(result.rules.model.organisation)
    pages = [
        _table_page(name, report_title(organisation, result.month, name, scope.words), write,
                    pages_tall=1 if name == CHART else 0)
        for name, write in tables
    ]  # fmt: skip
    # 公示 right after 评选结果: the notice is laid out on its own, portrait, one page
    pages.insert(1, lambda workbook, _formats: write_notice(workbook, NOTICE, evaluation, scope))

    def build(workbook: Any, formats: Formats) -> None:
        for page in pages:
            page(workbook, formats)

    return build
