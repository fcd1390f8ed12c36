"""Rates an .ods types as percent (SPEC §1: a cell with % is percent).

An ODS cell showing 100% is `office:value-type="percentage" office:value="1"`: calamine reads
1.0, so beside a typed 100 it would be judged 1 %. The files are built by hand (zip_ods).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from io_builders import tidy_row
from python_calamine import CalamineWorkbook

from conftest import Reader
from fivestar.columns import RATE_KEYS
from fivestar.io.formats.ods.percent import ods_percent_cells
from tests.conftest import TIDY_HEADER, zip_ods

RATE_COLUMNS = (5, 6, 7)  # 人号一致率, 入户走访率, 群众满意率 in TIDY_HEADER


class Pct:
    """A number cell typed percentage: stores the fraction, shows the percent."""

    def __init__(self, value: float, repeat: int = 1) -> None:
        self.value = value
        self.repeat = repeat


def cell(value: Any) -> str:
    if isinstance(value, Pct):
        repeat = f' table:number-columns-repeated="{value.repeat}"' if value.repeat > 1 else ""
        return (
            f'<table:table-cell{repeat} table:style-name="ce1" office:value-type="percentage"'
            f' office:value="{value.value}" calcext:value-type="percentage">'
            f"<text:p>{value.value * 100:g}%</text:p></table:table-cell>"
        )
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, int | float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return (
        '<table:table-cell office:value-type="string">'
        f"<text:p>{escape(str(value))}</text:p></table:table-cell>"
    )


def row(*values: Any) -> str:
    return f"<table:table-row>{''.join(cell(v) for v in values)}</table:table-row>"


def content(tables: dict[str, str]) -> str:
    body = "".join(
        f'<table:table table:name="{escape(name, {chr(34): "&quot;"})}">{rows}</table:table>'
        for name, rows in tables.items()
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
        f' office:version="1.2"><office:body><office:spreadsheet>{body}'
        "</office:spreadsheet></office:body></office:document-content>"
    )


def officer_row(officer_id: str, rate: Any, pad: int = 0) -> str:
    values = tidy_row(officer_id, f"民警{officer_id}", rate=None)
    for c in RATE_COLUMNS:
        values[c] = rate
    return row(*([None] * pad), *values)


def three_officers(pad: int = 0) -> str:
    return (
        row(*([None] * pad), *TIDY_HEADER)
        + officer_row("001", Pct(1), pad)  # shows 100%
        + officer_row("002", 100, pad)  # typed 100: the columns are in percent
        + officer_row("003", Pct(0.985), pad)  # shows 98.5%
    )


def rates(batch: Any) -> dict[str, list[float]]:
    """Officer → the three rates, as fractions rounded to 9 places (98.5% is 0.985)."""
    officers = batch.officers.set_index("officer_id")
    return {
        oid: [round(float(x), 9) for x in officers.loc[oid, list(RATE_KEYS)]]
        for oid in officers.index
    }


EXPECTED = {"001": [1.0] * 3, "002": [1.0] * 3, "003": [0.985] * 3}


def test_percentage_cells_beside_a_typed_100(tmp_path: Path, read: Reader) -> None:
    batch = read(zip_ods(tmp_path / "a.ods", content({"四月": three_officers()})))
    assert batch.issues == []
    assert rates(batch) == EXPECTED
    assert batch.officers["source_row"].tolist() == [2, 3, 4]


def test_percentage_cells_below_empty_rows_and_right_of_an_empty_column(
    tmp_path: Path, read: Reader
) -> None:
    # calamine's grid starts at A1 whatever the first rows and columns hold: two blank rows
    # (one written as a repeated row) and an empty column A shift nothing
    blank = '<table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>'
    path = zip_ods(tmp_path / "a.ods", content({"四月": blank + three_officers(pad=1)}))
    batch = read(path)
    assert batch.issues == []
    assert rates(batch) == EXPECTED
    assert batch.officers["source_row"].tolist() == [4, 5, 6]


def test_a_count_typed_percentage_stays_the_count(tmp_path: Path, read: Reader) -> None:
    values = tidy_row("001", "民警001", visits=Pct(85), rate=Pct(1))
    values[8] = Pct(4)  # 调解纠纷数 typed percentage by mistake
    rows = row(*TIDY_HEADER) + row(*values) + officer_row("002", 100)
    batch = read(zip_ods(tmp_path / "a.ods", content({"S": rows})))
    assert batch.issues == []
    officer = batch.officers.set_index("officer_id").loc["001"]
    assert (officer["visits"], officer["mediations"]) == (85, 4)
    assert officer[list(RATE_KEYS)].tolist() == [1.0] * 3


def test_repeated_percentage_cells_each_count(tmp_path: Path, read: Reader) -> None:
    # one element stands for the three rates of officer 001 (repeated rows: see below)
    values = tidy_row("001", "民警001", rate=None)
    repeated = [*values[:5], Pct(1, repeat=3), *values[8:]]
    rows = row(*TIDY_HEADER) + row(*repeated) + officer_row("002", 100)
    batch = read(zip_ods(tmp_path / "a.ods", content({"S": rows})))
    assert batch.issues == []
    assert rates(batch) == {"001": [1.0] * 3, "002": [1.0] * 3}


def test_without_percentage_cells_the_column_units_decide(tmp_path: Path, read: Reader) -> None:
    # a fraction typed as a plain number beside a typed 100 is still 1 % (SPEC §1)
    rows = row(*TIDY_HEADER) + officer_row("001", 1) + officer_row("002", 100)
    batch = read(zip_ods(tmp_path / "a.ods", content({"S": rows})))
    assert rates(batch)["001"] == [0.01] * 3


# --- the scan's coordinates against calamine's grid ------------------------------------------


def grid_at(path: Path, name: str, found: dict[int, Any]) -> list[tuple[int, int, Any]]:
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes())).get_sheet_by_name(name)
    grid = sheet.to_python(skip_empty_area=False)
    return sorted((int(r), c, grid[r][c]) for c, rows in found.items() for r in rows)


def test_coordinates_match_calamine(tmp_path: Path) -> None:
    covered = (
        '<table:covered-table-cell table:number-columns-repeated="2"'
        ' office:value-type="percentage" office:value="0.25"/>'
    )
    tables = {
        "A&B": (
            '<table:table-column table:number-columns-repeated="6"/>'
            '<table:table-row table:number-rows-repeated="3"><table:table-cell/></table:table-row>'
            "<table:table-header-rows>"
            + row(None, "率", Pct(0.5))
            + "</table:table-header-rows><table:table-row-group>"
            + f'<table:table-row table:number-rows-repeated="2">{cell(None)}{cell(Pct(0.75))}'
            "</table:table-row></table:table-row-group><table:table-rows>"
            + f"<table:table-row>{cell(None)}{covered}{cell(Pct(1, repeat=2))}{cell(7)}"
            "</table:table-row></table:table-rows>" + row('<table:table-cell> "percentage"', 100)
        ),
        "other": row(Pct(0.1)),
    }
    path = zip_ods(tmp_path / "a.ods", content(tables))
    found = ods_percent_cells(path.read_bytes())
    assert set(found) == {"A&B", "other"}
    assert grid_at(path, "A&B", found["A&B"]) == [
        (3, 2, 0.5),
        (4, 1, 0.75),
        (5, 1, 0.75),
        (6, 1, 0.25),
        (6, 2, 0.25),
        (6, 3, 1.0),
        (6, 4, 1.0),
    ]
    assert grid_at(path, "other", found["other"]) == [(0, 0, 0.1)]


def test_percentage_cells_are_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("fivestar.io.formats.ods.percent.MAX_CELLS", 5)
    rows = (
        f'<table:table-row table:number-rows-repeated="4">{cell(Pct(1, repeat=2))}'
        "</table:table-row>"
    )
    found = ods_percent_cells(zip_ods(tmp_path / "a.ods", content({"S": rows})).read_bytes())
    assert sum(len(r) for r in found["S"].values()) == 4  # whole rows of two, then stop


SUB_TABLE = (
    '<table:table-row><table:table-cell office:value-type="string"><text:p>x</text:p>'
    '<table:table table:name="sub">'
    + row(Pct(1))
    + "</table:table></table:table-cell>"
    + cell(Pct(1))
    + "</table:table-row>"
)


@pytest.mark.parametrize(
    "body",
    [
        row(Pct(1)).replace(
            "<table:table-row>", '<table:table-row table:number-rows-repeated="x">'
        ),
        SUB_TABLE,  # calamine loses its place in a table nested in a cell
        '<!DOCTYPE x [<!ENTITY a "b">]>' + row(Pct(1)),
    ],
)
def test_anything_unusual_yields_no_percent_cells(tmp_path: Path, body: str) -> None:
    path = zip_ods(tmp_path / "a.ods", content({"S": body}))
    assert ods_percent_cells(path.read_bytes()) == {}


def test_not_an_ods_yields_no_percent_cells(tmp_path: Path) -> None:
    assert ods_percent_cells(b"not a zip") == {}
    assert ods_percent_cells(b"PK\x05\x06" + bytes(18)) == {}  # an empty zip: no content.xml
