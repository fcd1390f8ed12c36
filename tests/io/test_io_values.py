"""Value forms of SPEC §1: counts, rates and their units, cell text."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

import pandas as pd
import pytest

from fivestar.io.values import cell_text, column_text, parse_counts, parse_rates


def texts(*cells: Any) -> pd.Series:
    return column_text(pd.Series(list(cells), dtype=object))


def counts(*cells: Any) -> tuple[list[int], list[bool]]:
    values, bad = parse_counts(texts(*cells))
    return values.tolist(), bad.tolist()


def rates(*cells: Any) -> tuple[list[float], list[bool], list[bool]]:
    text = texts(*cells)
    values, not_number, out_of_range = parse_rates(text, pd.Series(True, index=text.index))
    return values.tolist(), not_number.tolist(), out_of_range.tolist()


def test_count_spellings_of_twelve() -> None:
    values, bad = counts(12, 12.0, "12", "１２", " 12 ", "12.0", "1,200")
    assert values == [12, 12, 12, 12, 12, 12, 1200]
    assert not any(bad)


def test_blank_count_is_zero() -> None:
    assert counts("", None, "  ") == ([0, 0, 0], [False, False, False])


@pytest.mark.parametrize("cell", [12.5, -1, "-1", "十二", "abc", "12个", True, False, "nan", "inf"])
def test_bad_counts_are_flagged(cell: Any) -> None:
    _, bad = counts(cell)
    assert bad == [True]


def test_rate_spellings_of_one_hundred_percent() -> None:
    # a percent column: 100 is a plain number above 1
    values, not_number, out = rates(1, 100, "100%", "１００％", "98.5%", 98.5, "")
    assert values[:6] == pytest.approx([0.01, 1.0, 1.0, 1.0, 0.985, 0.985])
    assert math.isnan(values[6])
    assert not any(not_number) and not any(out)


def test_fraction_column_keeps_fractions() -> None:
    # no plain number above 1: 1, 1.0 and 0.985 are fractions; a % cell is always percent
    values, _, _ = rates(1, 1.0, 0.985, "98.5%")
    assert values == pytest.approx([1.0, 1.0, 0.985, 0.985])


def test_units_are_decided_per_column() -> None:
    percent_column, _, _ = rates(1, 50)
    fraction_column, _, _ = rates(1, 0.5)
    assert percent_column == pytest.approx([0.01, 0.5])
    assert fraction_column == pytest.approx([1.0, 0.5])


def test_any_plain_number_above_1_puts_the_column_in_percent() -> None:
    # SPEC §1 to the letter: 150 makes the column percent, so 1 is 1 % and 150 is rejected
    values, _, out = rates(1, 150)
    assert values[0] == pytest.approx(0.01)
    assert out == [False, True]


def test_rows_not_considered_do_not_decide_units() -> None:
    text = texts(0.98, 99.0)  # the second row is, say, a totals row
    values, _, _ = parse_rates(text, pd.Series([True, False]))
    assert values[0] == pytest.approx(0.98)


@pytest.mark.parametrize("cell", ["101%", -0.5, "-1%", 100.5])
def test_rates_outside_0_to_100_percent(cell: Any) -> None:
    _, not_number, out = rates(cell, 100)
    assert out[0] and not not_number[0]


@pytest.mark.parametrize("cell", ["满", "abc%", True])
def test_rates_that_are_not_numbers(cell: Any) -> None:
    _, not_number, _ = rates(cell)
    assert not_number == [True]


def test_cell_text_of_every_cell_kind() -> None:
    assert cell_text(371402001.0) == "371402001"
    assert cell_text(0.985) == "0.985"
    assert cell_text(" 0012 ") == "0012"
    assert cell_text(None) == ""
    assert cell_text(True) == "TRUE"
    assert cell_text(datetime(2014, 4, 1)) == "2014-04-01"
    assert cell_text(date(2014, 4, 1)) == "2014-04-01"


def test_column_text_matches_cell_text_for_mixed_columns() -> None:
    cells = [371402001.0, 12, "x ", None, True, 0.5, date(2014, 4, 1), ""]
    assert texts(*cells).tolist() == [cell_text(c) for c in cells]
