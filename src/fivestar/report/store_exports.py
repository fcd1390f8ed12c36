"""Exports of the store's answers: `report --out` (.xlsx or .csv) and `history --out` (.xlsx).

Workbooks reuse the report's layout (`Sheet`, `Column`) and its atomic writer, so text is
never a formula and a failed write leaves the previous file as it was. CSV cells that a
spreadsheet would run as a formula get a leading apostrophe; control characters are shown
as U+FFFD (fivestar.safe_text), as in the workbook.
"""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from fivestar.engine.reasons import joined, render_all
from fivestar.errors import Option, OutputError, UsageError
from fivestar.i18n import N_, translate
from fivestar.own_files import CSV_HEADER
from fivestar.queries.gaps import Metric, figure_text
from fivestar.queries.results import Entry, Report, StarRanking
from fivestar.queries.year import History
from fivestar.report import RUN_INFO, report_title
from fivestar.report.layout import Column, Sheet, sheet_name
from fivestar.report.workbook import Formats, Kind, write_atomically
from fivestar.run_scope import COUNTY_OWN
from fivestar.safe_text import clean

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NO_BUREAU = "（未填县局）"
NEAR_MISSES = "差一项达标"
QUALIFIED = "符合条件"
# A view's scope in words (the --scope values, and a run read by --run); Chinese in a workbook
SCOPE_WORDS = {"city": N_("the city"), "county": COUNTY_OWN, "run": N_("a chosen run")}


def neutralize(cell: object) -> object:
    """A text cell made inert: control and bidi characters shown as U+FFFD (`cat x.csv` must
    not retitle or clear the terminal; a carriage return could overwrite what a line shows),
    then, if a spreadsheet would still run it as a formula, a leading '."""
    if not isinstance(cell, str):
        return cell
    cell = clean(cell)
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def _kind(m: Metric) -> Kind:
    return "rate" if m.unit == "rate" else "count" if m.unit == "count" else "number"


def _rankings(result: Report | StarRanking) -> list[StarRanking]:
    return [result] if isinstance(result, StarRanking) else list(result.stars)


def _outcome(entry: Entry, labels: dict[str, str]) -> str:
    if entry.named:
        return "当选（并列）" if entry.tied else "当选"
    if entry.named_for:
        return f"已获评{labels.get(entry.named_for, entry.named_for)}"
    return _said(entry.why, entry) or "符合条件"


def _said(reasons: tuple[Any, ...], entry: Entry) -> str:
    """An entry's reasons in one cell, in Chinese whatever the session's language."""
    return joined(render_all(reasons, entry.words, "zh"), "zh")


def export_report(path: Path, result: Report | StarRanking) -> None:
    """Write a star ranking (or every star's) to `path`, .xlsx or .csv by its suffix."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        _write_csv(path, _csv_rows(result))
    elif suffix == ".xlsx":
        write_atomically(path, lambda workbook, formats: _report_book(workbook, formats, result))
    else:
        raise UsageError(
            N_("{option} {path}: write the report as .xlsx or .csv"),
            option=Option("out"),
            path=path,
        )


def _labels(result: Report | StarRanking) -> dict[str, str]:
    return result.labels or {r.star: r.label for r in _rankings(result)}


def _csv_rows(result: Report | StarRanking) -> list[list[object]]:
    labels = _labels(result)
    rows: list[list[object]] = [list(CSV_HEADER)]
    for ranking in _rankings(result):
        for entry in ranking.ranking:
            rows.append(_csv_row(ranking, entry, QUALIFIED, _outcome(entry, labels), ""))
        for entry in ranking.near_misses:
            rows.append(_csv_row(ranking, entry, NEAR_MISSES, "", _said(entry.gap_why, entry)))
    return [[neutralize(cell) for cell in row] for row in rows]


def _csv_row(r: StarRanking, e: Entry, part: str, outcome: str, gap: str) -> list[object]:
    figures = "；".join(f"{m.label} {figure_text(m, e.figures.get(m.key))}" for m in r.metrics)
    rank = "" if e.rank is None else e.rank
    return [r.label, part, rank, e.officer_id, e.name, e.bureau, e.station, outcome, figures, gap]


def _write_csv(path: Path, rows: list[list[object]]) -> None:
    """UTF-8 with BOM (what Excel opens as Chinese), written beside the target then moved."""
    if not path.parent.is_dir():
        raise OutputError(
            N_("cannot write {path}: no such folder {folder}"), path=path, folder=path.parent
        )
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".csv")
    except OSError as err:
        raise OutputError(
            N_("cannot write {path}: {reason}"), path=path, reason=err.strerror or str(err)
        ) from None
    temp = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerows(rows)
        temp.chmod(0o644)
        temp.replace(path)
    except OSError as err:
        temp.unlink(missing_ok=True)
        raise OutputError(
            N_("cannot write {path}: {reason}"), path=path, reason=err.strerror or str(err)
        ) from None


def _report_book(workbook: Any, formats: Formats, result: Report | StarRanking) -> None:
    labels = _labels(result)
    taken: set[str] = set()
    first = _rankings(result)[0]

    def title(sheet: str) -> str:
        # As the evaluate report titles its sheets; a bureau's export says whose it is: a
        # county's own run is the county's (县局自评), the city's result shown for a bureau
        # stays the city's
        if first.scope == "county" and first.bureau:
            return report_title(first.bureau, first.month, sheet, "县局自评")
        part = f"{sheet}·{first.bureau}" if first.bureau else sheet
        return report_title(first.organisation, first.month, part)

    for ranking in _rankings(result):
        sheet = Sheet(
            workbook, formats, sheet_name(ranking.label, taken), title=title(ranking.label)
        )
        _ranking_sheet(sheet, ranking, labels)
        sheet.finish()
    info = Sheet(workbook, formats, sheet_name(RUN_INFO, taken), title=title(RUN_INFO))
    runs = "、".join(str(i) for i in first.runs or (first.run,))
    info.pairs(
        [
            ("评选月份", first.month),
            ("范围", _scope_words(first)),
            ("运行编号", runs),
            ("县局", first.bureau or "全部"),
        ]
    )
    info.finish()


def _scope_words(ranking: StarRanking) -> str:
    known = SCOPE_WORDS.get(ranking.scope)
    words = translate(known, "zh") if known else ranking.scope
    merged = ranking.scope == "city" and len(ranking.runs) > 1
    return words + ("（各县局最新运行合并，全市统一评定）" if merged else "")


def _ranking_sheet(sheet: Sheet, ranking: StarRanking, labels: dict[str, str]) -> None:
    rows, metrics = ranking.ranking, ranking.metrics

    def place(entries: tuple[Entry, ...]) -> list[Column]:
        return [
            Column("警号", [e.officer_id for e in entries]),
            Column("姓名", [e.name for e in entries]),
            Column("县局", [e.bureau for e in entries]),
            Column("派出所", [e.station for e in entries]),
        ]

    def figures(entries: tuple[Entry, ...]) -> list[Column]:
        return [Column(m.label, [e.figures.get(m.key) for e in entries], _kind(m)) for m in metrics]

    sheet.table(
        [
            Column("排名", [e.rank for e in rows], "rank"),
            *place(rows),
            *figures(rows),
            Column("结果", [_outcome(e, labels) for e in rows]),
        ],
        highlight=None if not rows else _mask([e.named for e in rows]),
        empty="无符合条件的民警",
    )
    sheet.skip()
    sheet.heading(NEAR_MISSES)
    near = ranking.near_misses
    gaps = [_said(e.gap_why, e) for e in near]
    # Under the qualifiers' columns (an empty 排名, 差距 under 结果), as the evaluate report's
    # star sheet: the frozen, filtered header row then names the near misses' columns too.
    sheet.table(
        [
            Column("排名", [None] * len(near), "rank"),
            *place(near),
            *figures(near),
            Column("差距", gaps, "gap"),
        ],
        main=False,
    )


def _mask(flags: list[bool]) -> Any:
    return np.asarray(flags, dtype=bool)


def export_history(path: Path, result: History) -> None:
    """The year's workbook: officers × months, stars per bureau with a column chart, by star,
    and the officers under the minimum."""
    if path.suffix.lower() != ".xlsx":
        raise UsageError(
            N_("{option} {path}: write the history as .xlsx"), option=Option("out"), path=path
        )
    write_atomically(path, lambda workbook, formats: _history_book(workbook, formats, result))


def _history_book(workbook: Any, formats: Formats, h: History) -> None:
    short = {key: label.removesuffix("之星") for key, label in h.labels.items()}
    officers = sorted(h.officers, key=lambda o: (-o.total, o.officer_id))
    sheet = Sheet(workbook, formats, "年度明细", title=_year_title(h, "年度明细"))
    sheet.table(
        [
            Column("警号", [o.officer_id for o in officers]),
            Column("姓名", [o.name for o in officers]),
            Column("县局", [o.bureau for o in officers]),
            *[
                Column(
                    month,
                    ["、".join(short.get(k, k) for k in o.stars.get(month, [])) for o in officers],
                )
                for month in h.months
            ],
            Column("合计", [o.total for o in officers], "count"),
            Column("未达标月数", [len(o.under_minimum) for o in officers], "count"),
        ],
        highlight=_mask([o.total > 0 for o in officers]) if officers else None,
    )
    sheet.finish()
    _bureau_sheet(workbook, formats, h)
    stars = Sheet(workbook, formats, "各星当选", title=_year_title(h, "各星当选"))
    won = [
        (h.labels.get(key, key), o, n) for key, entries in h.by_star().items() for o, n in entries
    ]
    stars.table(
        [
            Column("评选项目", [w[0] for w in won]),
            Column("警号", [w[1].officer_id for w in won]),
            Column("姓名", [w[1].name for w in won]),
            Column("县局", [w[1].bureau for w in won]),
            Column("当选次数", [w[2] for w in won], "count"),
        ],
        empty="本年度无当选民警",
    )
    stars.finish()
    under = [o for o in h.officers if o.under_minimum]
    under.sort(key=lambda o: (-len(o.under_minimum), o.officer_id))
    low = Sheet(workbook, formats, "未达标", title=_year_title(h, "未达标"))
    low.table(
        [
            Column("警号", [o.officer_id for o in under]),
            Column("姓名", [o.name for o in under]),
            Column("县局", [o.bureau for o in under]),
            Column("未达标月数", [len(o.under_minimum) for o in under], "count"),
            Column("月份", ["、".join(o.under_minimum) for o in under]),
        ],
        highlight=_mask([len(o.under_minimum) > 1 for o in under]) if under else None,
    )
    low.finish()


def _year_title(h: History, sheet: str) -> str:
    return f"{h.organisation}{h.year}年度“五星”社区民警评选（{sheet}）"


def _bureau_sheet(workbook: Any, formats: Formats, h: History) -> None:
    """Stars per county bureau by month, as a table and a native column chart."""
    name = "县局统计"
    sheet = Sheet(workbook, formats, name, title=_year_title(h, name))
    bureaus = list(h.bureaus)
    table = sheet.table(
        [
            Column("县局", [b or NO_BUREAU for b in bureaus]),
            *[Column(m, [h.bureaus[b].get(m, 0) for b in bureaus], "count") for m in h.months],
            Column("合计", [sum(h.bureaus[b].values()) for b in bureaus], "count"),
        ]
    )
    if bureaus and h.months:
        chart = workbook.add_chart({"type": "column"})
        last = len(h.months)
        for i in range(len(bureaus)):
            row = table.first + i
            chart.add_series(
                {
                    "name": [name, row, 0],
                    "categories": [name, table.header, 1, table.header, last],
                    "values": [name, row, 1, row, last],
                }
            )
        chart.set_title({"name": f"{h.year} 年各县局每月当选人次"})
        chart.set_x_axis({"name": "月份"})
        chart.set_y_axis({"name": "当选人次", "major_unit": 1})
        chart.set_size({"width": 720, "height": 360})
        sheet.ws.insert_chart(sheet.row + 1, 0, chart)
    sheet.finish()
