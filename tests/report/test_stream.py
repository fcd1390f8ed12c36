"""Streamed table cells: the same cells as XlsxWriter writes for them one by one.

A table is written twice, streamed (the report's path) and cell by cell through XlsxWriter
(`stream=False`); every cell must read back the same — value, type, number format, font,
fill, border, alignment — and every row the same height. (Format and shared-string indexes
are numbered in another order, so the XML itself differs.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd

from fivestar.report.layout import Column, Sheet
from fivestar.report.stream import StreamedWorksheet
from fivestar.report.workbook import write_atomically

TEXTS = [
    "a & b < c > d",
    "",
    "  leading space",
    "入户走访户数 72 < 80；人号一致率 98.5% < 100%",
    "x",
]


def columns(count: int) -> list[Column]:
    texts = [TEXTS[i % len(TEXTS)] + (str(i) if i % 7 == 0 else "") for i in range(count)]
    rates = pd.Series([0.985, None, 1.0, float("nan"), 0.9996] * (count // 5 + 1))[:count]
    return [
        Column("警号", [f"{i:06d}" for i in range(count)]),
        Column("姓名", texts),
        Column("户数", pd.Series(np.arange(count) * 3, dtype="Int64"), "count"),
        Column("一致率", rates, "rate"),
        Column(
            "得分",
            [1 / 3, float("inf"), -2.5, 1e17, None][: count % 5] + [7.25] * (count - count % 5),
            "number",
        ),
        Column("差距", [t * (1 + i % 4) for i, t in enumerate(texts)], "gap"),
        Column("原因", texts[::-1], "wrap"),
    ]


def write(path: Path, count: int, *, stream: bool) -> None:
    highlight = np.arange(count) % 3 == 0

    def build(workbook: Any, formats: Any) -> None:
        sheet = Sheet(workbook, formats, "表", title="标题")
        sheet.table(columns(count), highlight=highlight, stream=stream)
        sheet.skip()
        sheet.heading("差一项达标")
        sheet.table(columns(4), main=False, stream=stream)
        sheet.lines(["另有 3 人"])
        sheet.finish()

    write_atomically(path, build)


def cells(path: Path) -> list[Any]:
    """Every cell's value and look, and every row's height, as a reader sees them."""
    ws = openpyxl.load_workbook(path)["表"]
    seen: list[Any] = []
    for row in ws.iter_rows():
        for c in row:
            look = (c.number_format, c.font.b, c.font.color and c.font.color.rgb, c.font.sz)
            fill = (c.fill.fill_type, c.fill.fgColor.rgb)
            align = (c.alignment.wrap_text, c.alignment.vertical, c.border.left.style)
            seen.append((c.coordinate, c.value, c.data_type, look, fill, align))
    heights = {n: d.height for n, d in ws.row_dimensions.items() if d.height}
    return [*seen, heights, ws.dimensions, ws.freeze_panes, ws.auto_filter.ref]


def test_streamed_cells_are_the_cells_xlsxwriter_writes(tmp_path: Path) -> None:
    for count in (1, 5, 40):
        streamed, held = tmp_path / f"s{count}.xlsx", tmp_path / f"h{count}.xlsx"
        write(streamed, count, stream=True)
        write(held, count, stream=False)
        assert cells(streamed) == cells(held)


def test_long_tables_are_streamed_in_chunks_with_tall_rows(
    tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setattr("fivestar.report.stream.CHUNK", 16)  # several chunks, one partial
    streamed, held = tmp_path / "s.xlsx", tmp_path / "h.xlsx"
    write(streamed, 101, stream=True)
    write(held, 101, stream=False)
    found = cells(streamed)
    assert found == cells(held)
    assert len(found[-4]) > 20  # wrapped reasons made rows taller


def test_bulk_cells_are_not_held_by_xlsxwriter(tmp_path: Path) -> None:
    """The data rows of a streamed table never enter XlsxWriter's per-cell table."""
    seen: dict[str, int] = {}

    def build(workbook: Any, formats: Any) -> None:
        sheet = Sheet(workbook, formats, "表", title="标题")
        sheet.table(columns(50))
        assert isinstance(sheet.ws, StreamedWorksheet)
        seen["held"] = sum(len(cells) for row, cells in sheet.ws.table.items() if row >= 2)
        sheet.finish()

    write_atomically(tmp_path / "r.xlsx", build)
    assert seen["held"] == 0
