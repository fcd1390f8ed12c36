"""The month's report workbook (SPEC §3), written with XlsxWriter in one atomic step.

Sheets, in order: 评选结果, one sheet per star, 未达标, 全员明细, 数据问题, 运行信息.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fivestar.report.detail import write_detail, write_issues, write_run_info
from fivestar.report.layout import Sheet, sheet_name
from fivestar.report.sheets import write_results, write_star, write_under_minimum
from fivestar.report.workbook import Formats, write_atomically

if TYPE_CHECKING:
    from fivestar.run import RunResult

RESULTS = "评选结果"
UNDER_MINIMUM = "未达标"
DETAIL = "全员明细"
ISSUES = "数据问题"
RUN_INFO = "运行信息"
FIXED_SHEETS = (RESULTS, UNDER_MINIMUM, DETAIL, ISSUES, RUN_INFO)

Writer = Callable[[Sheet], None]

__all__ = ["FIXED_SHEETS", "write_report"]


def write_report(path: Path, result: RunResult) -> None:
    """Write the report of `result` to `path`, replacing any previous file atomically.

    Raises OutputError when the file cannot be written; the previous file is then unchanged.
    """
    evaluation = result.evaluation
    taken = {name.casefold() for name in FIXED_SHEETS}
    stars = [(sheet_name(star.label, taken), star) for star in result.rules.stars]

    pages: list[tuple[str, Writer]] = [
        (RESULTS, partial(write_results, evaluation=evaluation)),
        *[(name, partial(write_star, evaluation=evaluation, star=star)) for name, star in stars],
        (UNDER_MINIMUM, partial(write_under_minimum, evaluation=evaluation)),
        (DETAIL, partial(write_detail, evaluation=evaluation)),
        (ISSUES, partial(write_issues, issues=result.issues)),
        (RUN_INFO, partial(write_run_info, result=result)),
    ]

    def build(workbook: Any, formats: Formats) -> None:
        for name, write in pages:
            sheet = Sheet(workbook, formats, name)
            write(sheet)
            sheet.finish()

    write_atomically(path, build)
