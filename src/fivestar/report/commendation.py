"""表彰通报: the confirmed list as a one-page printable notice, in the look of the 公示."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from fivestar.months import month_label
from fivestar.report.notice import LAST, PORTRAIT_MARGINS, _Notice, _numeral
from fivestar.report.workbook import Formats, write_atomically

if TYPE_CHECKING:
    from fivestar.rules import RuleSet
    from fivestar.store.decisions import ConfirmedName, Decision

COMMENDATION = "表彰通报"


def commendation_title(organisation: str, month: str) -> str:
    return f"{organisation}关于表彰{month_label(month)}“五星”社区民警的通报"


def write_commendation(
    path: Path, rules: RuleSet, month: str, names: list[ConfirmedName], entry: Decision
) -> None:
    """One portrait A4 page: title, the decision, each star's confirmed names."""
    organisation = rules.model.organisation
    frame = pd.DataFrame(
        [n.to_json() for n in names],
        columns=["star", "rank", "officer_id", "name", "bureau", "station"],
    ).assign(tied=False)

    def build(workbook: Any, _formats: Formats) -> None:
        sheet = _Notice(workbook, COMMENDATION)
        ws = sheet.ws
        for col, width in enumerate((7, 20, 24, 16, 13)):
            ws.set_column(col, col, width)
        ws.hide_gridlines(2)
        ws.merge_range(0, 0, 0, LAST, commendation_title(organisation, month), sheet.title)
        ws.set_row(0, 40)
        sheet.row = 1
        sheet.gap()
        count = frame["officer_id"].nunique()
        where = "" if entry.bureau is None else f"（{entry.bureau}）"
        sheet.paragraph(
            f"根据《{rules.model.name}》，经评定和公示，{month_label(month)}“五星”社区民警"
            f"评选结果{where}已确认。现对以下{count}名同志予以通报表彰：",
            sheet.text,
            indent=True,
        )
        for n, star in enumerate(rules.stars, start=1):
            mine = frame[frame["star"] == star.key]
            sheet.gap()
            ws.merge_range(
                sheet.row, 0, sheet.row, LAST, f"{_numeral(n)}、{star.label}（{len(mine)}名）",
                sheet.heading,
            )  # fmt: skip
            ws.set_row(sheet.row, 22)
            sheet.row += 1
            sheet.winners(mine)
        sheet.gap(14)
        sheet.paragraph(
            "希望受表彰的同志珍惜荣誉、再接再厉，全体社区民警以先进为榜样，扎实做好社区警务工作。",
            sheet.text,
            indent=True,
        )
        sheet.gap(10)
        sheet.paragraph(f"（确认：{entry.author}，{entry.when}）", sheet.criteria, size=11)
        sheet.gap(24)
        sheet.signature(organisation)
        ws.set_portrait()
        ws.set_paper(9)
        ws.fit_to_pages(1, 1)
        ws.center_horizontally()
        ws.set_margins(**PORTRAIT_MARGINS)
        ws.print_area(0, 0, sheet.row - 1, LAST)

    write_atomically(path, build)
