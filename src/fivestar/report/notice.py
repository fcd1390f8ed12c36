"""公示: the month's winners as a public notice, printed on one A4 page, ready to sign.

Title and month, a line on how the officers were chosen, then per star its criteria in words
(the rules file's `description`) and its winners by 县局 / 派出所 / 姓名; the objection
period; a 审核人 / 日期 block. Portrait A4, fitted to one page.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from fivestar.months import month_label
from fivestar.report.layout import line_counts, texts
from fivestar.report.measure import clean_text
from fivestar.report.words import gate_text, star_text

if TYPE_CHECKING:
    from fivestar.engine import Evaluation
    from fivestar.run_scope import Scope

NOTICE = "公示"
COLUMNS = (("序号", 7), ("县局", 20), ("派出所", 24), ("姓名", 16), ("备注", 13))
WIDTH = sum(width for _, width in COLUMNS)
LAST = len(COLUMNS) - 1
NUMERALS = "一二三四五六七八九十"
OBJECTION_DAYS = 5
BLANK_LINE = "＿" * 8
PORTRAIT_MARGINS = {"left": 0.7, "right": 0.7, "top": 0.8, "bottom": 0.8}

# The look of an official notice (GB/T 9704): a 宋体 title (方正小标宋 is seldom installed),
# a 仿宋 body.
TITLE_FONT = "宋体"
BODY_FONT = "仿宋"
_BODY: dict[str, Any] = {"font_name": BODY_FONT, "font_size": 12, "valign": "vcenter"}
_LINE_HEIGHT = {12: 18.0, 11: 16.5, 13: 19.5}


def notice_title(organisation: str, month: str, scope: Scope | None = None) -> str:
    """The city's notice; a county's own run: "武城县局…评选结果（县局自评，未经市局审定）"."""
    if scope is None or scope.whole:
        return f"{organisation}{month_label(month)}“五星”社区民警评选结果公示"
    holder = scope.holder(organisation)
    return f"{holder}{month_label(month)}“五星”社区民警评选结果（{scope.words}，未经市局审定）"


def _numeral(n: int) -> str:
    return NUMERALS[n - 1] if n <= len(NUMERALS) else str(n)


class _Notice:
    """A worksheet written top to bottom in five columns, paragraphs merged across them."""

    def __init__(self, workbook: Any, name: str) -> None:
        self.ws: Any = workbook.add_worksheet(name)
        self.row = 0
        add = workbook.add_format
        self.title = add(
            {
                "font_name": TITLE_FONT,
                "bold": True,
                "font_size": 18,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
            }
        )
        self.text = add({**_BODY, "text_wrap": True, "align": "left", "valign": "top"})
        self.criteria = add(
            {**_BODY, "font_size": 11, "text_wrap": True, "valign": "top", "font_color": "#404040"}
        )
        self.heading = add({**_BODY, "bold": True, "font_size": 13})
        self.header = add(
            {**_BODY, "bold": True, "border": 1, "align": "center", "bg_color": "#F2F2F2"}
        )
        self.cell = add({**_BODY, "border": 1, "align": "center"})
        self.right = add({**_BODY, "align": "right"})

    def paragraph(self, text: str, fmt: Any, size: int = 12, indent: bool = False) -> None:
        """Text merged across the notice, as tall as its wrapped lines need."""
        text = ("\u3000\u3000" if indent else "") + clean_text(text)
        per_line = (WIDTH - 2) * 10 / size  # columns at 10 points, fewer at a bigger size
        lines = int(line_counts([text], math.floor(per_line))[0])
        self.ws.merge_range(self.row, 0, self.row, LAST, text, fmt)
        self.ws.set_row(self.row, _LINE_HEIGHT.get(size, 18.0) * lines + 4)
        self.row += 1

    def gap(self, height: float = 8.0) -> None:
        self.ws.set_row(self.row, height)
        self.row += 1

    def winners(self, rows: pd.DataFrame) -> None:
        """序号 / 县局 / 派出所 / 姓名 / 备注 for one star's winners (并列 in 备注)."""
        ws = self.ws
        for col, (header, _) in enumerate(COLUMNS):
            ws.write_string(self.row, col, header, self.header)
        ws.set_row(self.row, 20)
        self.row += 1
        if rows.empty:
            ws.merge_range(self.row, 0, self.row, LAST, "本月无当选民警", self.cell)
            ws.set_row(self.row, 20)
            self.row += 1
            return
        tied = rows["tied"].astype(bool).to_numpy()
        remarks = pd.Series("", index=rows.index).mask(tied, "并列")
        columns = [
            [str(n) for n in range(1, len(rows) + 1)],
            texts(rows["bureau"]),
            texts(rows["station"]),
            texts(rows["name"]),
            texts(remarks),
        ]
        for col, values in enumerate(columns):
            ws.write_column(self.row, col, values, self.cell)
        for offset in range(len(rows)):
            ws.set_row(self.row + offset, 20)
        self.row += len(rows)

    def signature(self, organisation: str) -> None:
        ws = self.ws
        for text in (f"审核人：{BLANK_LINE}", f"日　期：{BLANK_LINE}"):
            ws.merge_range(self.row, 2, self.row, LAST, text, self.text)
            ws.set_row(self.row, 26)
            self.row += 1
        self.gap(14)
        for text in (clean_text(organisation), "年　　月　　日"):
            ws.merge_range(self.row, 0, self.row, LAST, text, self.right)
            ws.set_row(self.row, 20)
            self.row += 1


def write_notice(
    workbook: Any, name: str, evaluation: Evaluation, scope: Scope | None = None
) -> None:
    """The 公示 sheet of `evaluation`: every input text written as text, never a formula.

    A county's own run (or a part of the city) gets its own assessment, not the city's
    notice: the clerk may post it in the county, it names its winners as the county's and
    says the city decides. Left out, a county clerk would have nothing to print.
    """
    rules, month, winners = evaluation.rules, evaluation.month, evaluation.winners
    organisation = rules.model.organisation
    city = scope is None or scope.whole
    issuer = organisation if scope is None else scope.holder(organisation)
    sheet = _Notice(workbook, name)
    ws = sheet.ws
    for col, (_, width) in enumerate(COLUMNS):
        ws.set_column(col, col, width)
    ws.hide_gridlines(2)

    title = clean_text(notice_title(organisation, month, scope))
    ws.merge_range(0, 0, 0, LAST, title, sheet.title)
    title_lines = int(line_counts([title], math.floor((WIDTH - 2) * 10 / 18))[0])
    ws.set_row(0, 40 if title_lines <= 1 else 26 * title_lines + 6)
    sheet.row = 1
    sheet.gap()
    count = int(winners["officer_id"].nunique())
    if city:
        opening = (
            f"根据《{rules.model.name}》，经对各县局报送的{month_label(month)}社区民警工作数据"
            f"进行评定，评选出“五星”社区民警{count}名。现将评选结果公示如下："
        )
    else:
        opening = (
            f"根据《{rules.model.name}》，{issuer}对本局{month_label(month)}社区民警工作数据"
            f"进行了自评，按评选条件评出“五星”社区民警{count}名。本结果仅含本局民警，"
            f"未经{organisation}审定，全市评选结果以{organisation}公示为准。自评结果如下："
        )
    sheet.paragraph(opening, sheet.text, indent=True)
    sheet.paragraph(f"评选资格：{gate_text(rules)}。", sheet.criteria, size=11, indent=True)
    for n, star in enumerate(rules.stars, start=1):
        mine = winners[winners["star"] == star.key]
        sheet.gap()
        heading = clean_text(f"{_numeral(n)}、{star.label}（{len(mine)}名）")
        ws.merge_range(sheet.row, 0, sheet.row, LAST, heading, sheet.heading)
        ws.set_row(sheet.row, 22)
        sheet.row += 1
        sheet.paragraph(f"评选条件：{star_text(rules, star)}", sheet.criteria, size=11)
        sheet.winners(mine)
    sheet.gap(14)
    if city:
        closing = (
            f"公示期：自发布之日起{OBJECTION_DAYS}个工作日。如有异议，"
            f"请向{organisation}社区警务部门反映。"
        )
    else:
        closing = f"以上自评结果报{organisation}审定。如有异议，请向{issuer}社区警务部门反映。"
    sheet.paragraph(closing, sheet.text, indent=True)
    sheet.gap(24)
    sheet.signature(issuer)

    ws.set_portrait()
    ws.set_paper(9)
    ws.fit_to_pages(1, 1)
    ws.center_horizontally()
    ws.set_margins(**PORTRAIT_MARGINS)
    ws.print_area(0, 0, sheet.row - 1, LAST)
