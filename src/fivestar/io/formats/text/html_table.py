"""Tables of an HTML page saved as ".xls" (what many web systems export), standard library only.

colspan/rowspan cells keep their text in the top-left position and leave blanks in the rest,
exactly like a merged Excel range, and are reported as merged ranges for header detection.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from fivestar.io.limits import HTML_SPAN_CAP
from fivestar.io.sheets import Span


@dataclass
class HtmlTable:
    rows: list[list[str]] = field(default_factory=list)
    merged: list[Span] = field(default_factory=list)


def _span(attrs: list[tuple[str, str | None]], name: str) -> int:
    for key, value in attrs:
        if key == name and value:
            try:
                return max(1, min(int(value.strip()), HTML_SPAN_CAP))
            except ValueError:
                return 1
    return 1


class _TableParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[HtmlTable] = []
        self._depth = 0  # nesting of <table>; inner tables are read as text of their cell
        self._table: HtmlTable | None = None
        self._row: int = -1
        self._taken: set[tuple[int, int]] = set()  # cells covered by an earlier rowspan
        self._cell: list[str] | None = None
        self._cell_pos: tuple[int, int] = (0, 0)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._depth += 1
            if self._depth == 1:
                self._table = HtmlTable()
                self._row = -1
                self._taken = set()
            return
        if self._depth != 1 or self._table is None:
            return
        if tag == "tr":
            self._finish_cell()
            self._row += 1
            self._table.rows.append([])
        elif tag in ("td", "th"):
            self._finish_cell()
            if self._row < 0:  # a cell outside any <tr>
                self._row = 0
                self._table.rows.append([])
            row = self._table.rows[self._row]
            col = len(row)
            while (self._row, col) in self._taken:
                col += 1
            rowspan, colspan = _span(attrs, "rowspan"), _span(attrs, "colspan")
            for r in range(self._row, self._row + rowspan):
                for c in range(col, col + colspan):
                    self._taken.add((r, c))
            if rowspan > 1 or colspan > 1:
                self._table.merged.append(
                    ((self._row, col), (self._row + rowspan - 1, col + colspan - 1))
                )
            self._cell = []
            self._cell_pos = (self._row, col)
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            if self._depth == 1:
                self._finish_cell()
                if self._table is not None:
                    self.tables.append(self._table)
                self._table = None
            self._depth = max(0, self._depth - 1)
        elif self._depth == 1 and tag in ("td", "th"):
            self._finish_cell()

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def _finish_cell(self) -> None:
        if self._cell is None or self._table is None:
            return
        row, col = self._cell_pos
        while len(self._table.rows) <= row:
            self._table.rows.append([])
        cells = self._table.rows[row]
        if len(cells) <= col:
            cells.extend([""] * (col + 1 - len(cells)))
        # source whitespace and <br> are insignificant in a cell, as a browser shows it
        cells[col] = " ".join("".join(self._cell).split())
        self._cell = None


def read_html_tables(text: str) -> list[HtmlTable]:
    """Every top-level <table> of the page, rows padded to the same width."""
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    tables = []
    for table in parser.tables:
        # rows covered only by rowspans may be shorter than the widest one
        width = max((len(r) for r in table.rows), default=0)
        table.rows = [r + [""] * (width - len(r)) for r in table.rows]
        if width:
            tables.append(table)
    return tables
