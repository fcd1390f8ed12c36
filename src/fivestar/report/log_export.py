"""`fivestar log --out x.xlsx`: the decisions log as one sheet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fivestar.errors import Option, UsageError
from fivestar.i18n import N_
from fivestar.report.layout import Column, Sheet
from fivestar.report.workbook import Formats, write_atomically
from fivestar.store.decisions import Log

LOG_SHEET = "操作记录"


def export_log(path: Path, log: Log) -> None:
    if path.suffix.lower() != ".xlsx":
        raise UsageError(
            N_("{option} {path}: write the log as .xlsx"), option=Option("out"), path=path
        )

    def build(workbook: Any, formats: Formats) -> None:
        title = "评选决定操作记录" + (f"（{log.month}）" if log.month else "")
        sheet = Sheet(workbook, formats, LOG_SHEET, title=title)
        e = log.entries
        sheet.table(
            [
                Column("记录号", [d.id for d in e], "count"),
                Column("月份", [d.month for d in e]),
                Column("事项", [d.what for d in e]),
                Column("警号", [d.officer_id or "" for d in e]),
                Column("姓名", [d.name or "" for d in e]),
                Column("评选项目", [(d.star or "全部") if d.officer_id else "" for d in e]),
                Column("县局", [d.bureau or "" for d in e]),
                Column("原因", [d.reason for d in e], "wrap"),
                Column("操作人", [d.author for d in e]),
                Column("时间", [d.when for d in e]),
                Column("运行", [", ".join(str(i) for i in d.runs) for d in e]),
            ]
        )
        sheet.finish()

    write_atomically(path, build)
