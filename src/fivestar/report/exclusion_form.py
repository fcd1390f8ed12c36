"""The empty list of exclusions (`fivestar template --exclusions`), read by
`fivestar exclude MONTH --from FILE`: 警号, 姓名, 评选项目 (optional), 原因; a 填表说明 sheet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fivestar.own_files import TEMPLATE
from fivestar.report.workbook import Formats, write_atomically
from fivestar.rules import RuleSet

LIST_SHEET = "取消评选资格名单"
GUIDE = "填表说明"
HEADERS = (("警号", 14), ("姓名", 10), ("评选项目", 18), ("原因", 48))
ROWS = 500


def write_exclusion_form(path: Path, rules: RuleSet) -> None:
    """Header row, text cells (a 警号 keeps its leading 0), a list of the stars."""
    stars = [star.label for star in rules.stars]

    def build(workbook: Any, formats: Formats) -> None:
        ws = workbook.add_worksheet(LIST_SHEET)
        text = workbook.add_format({"num_format": "@"})
        for col, (header, width) in enumerate(HEADERS):
            ws.write_string(0, col, header, formats.header)
            ws.set_column(col, col, width, text)
        ws.freeze_panes(1, 0)
        ws.data_validation(1, 2, ROWS, 2, {"validate": "list", "source": stars})
        guide = workbook.add_worksheet(GUIDE)
        guide.set_column(0, 0, 90)
        lines = [
            "每行一名被取消评选资格的民警：",
            "警号：按文字填写，须为该月已评定的民警。",
            "姓名：须与该月数据中的姓名一致，否则该行被拒绝，整份名单不予记录。",
            "评选项目：只取消某一项评选时选择（" + "、".join(stars) + "）；不填表示取消全部项目。",
            "原因：必填，记入操作记录。",
            "填好后运行：fivestar exclude 月份 --from 本文件",
        ]
        for row, line in enumerate(lines):
            guide.write_string(row, 0, line)

    write_atomically(path, build, what=TEMPLATE)
