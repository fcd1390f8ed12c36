"""Bounds of the text formats (CSV, HTML tables), checked on the raw bytes before decoding.

Decoded text can take 4× its bytes, and a reader pads every row to the widest: a CSV line of
a million commas, or one HTML cell with rowspan × colspan in the millions, would make a
grid far larger than the file. Both are estimated from cheap byte counts and refused with
`UnreadableFile` before `csv` or the HTML parser sees them.
"""

from __future__ import annotations

import re

from fivestar.io.limits import HTML_SPAN_CAP, Limits, UnreadableFile, size_text, too_many_cells
from fivestar.issues import message


def check_text(data: bytes, limits: Limits, what: str) -> None:
    """A CSV or HTML file: its bytes, and an upper bound of its cells, before decoding."""
    if len(data) > limits.max_text_bytes:
        raise UnreadableFile(
            message(
                "text-too-large",
                what=what,
                size=size_text(len(data)),
                limit=size_text(limits.max_text_bytes),
            )
        )
    if what == "CSV":
        separators = max(data.count(b","), data.count(b"\t"), data.count(b";"))
        estimate = separators + data.count(b"\n") + 1
        if estimate > limits.max_cells:
            raise UnreadableFile(too_many_cells(estimate, limits, "CSV 表格"))


_HTML_CELL = re.compile(rb"<t[dh]\b([^>]*)>", re.IGNORECASE)
_HTML_ROW = re.compile(rb"<tr\b", re.IGNORECASE)
_SPAN = re.compile(rb"(row|col)span\s*=\s*[\"']?\s*(\d+)", re.IGNORECASE)


def _spans(attrs: bytes) -> tuple[int, int]:
    found = {
        kind.lower(): max(1, min(int(value[:6]), HTML_SPAN_CAP))
        for kind, value in _SPAN.findall(attrs)
    }
    return found.get(b"row", 1), found.get(b"col", 1)


def check_html(data: bytes, limits: Limits) -> None:
    """Bound an HTML page's tables before parsing: every cell claims rowspan × colspan grid
    cells, and every row is padded to the widest, so both the claimed area and
    rows × widest row must fit."""
    check_text(data, limits, "网页（HTML）")
    area, widest, tallest = 0, 0, 1
    for rows, row in enumerate(_HTML_ROW.split(data), start=1):
        width = 0
        for attrs in _HTML_CELL.findall(row):
            down, across = _spans(attrs)
            width += across
            tallest = max(tallest, down)
            area += down * across
        widest = max(widest, width)
        grid = max(area, (rows + tallest) * widest)
        if grid > limits.max_cells:
            raise UnreadableFile(too_many_cells(grid, limits, "网页中的表格"))
