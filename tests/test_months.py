"""Month spellings: every form SPEC §1 lists is one month; an ambiguous number is refused."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from fivestar.errors import UsageError
from fivestar.months import month_label, month_readings, parse_month, require_month


@pytest.mark.parametrize(
    "value",
    ["2014-04", "2014/4", "2014年4月", "2014年4月份", "201404", "２０１４－０４", 201404, 201404.0,
     2014.04, date(2014, 4, 12), datetime(2014, 4, 1, 8, 30)],
)  # fmt: skip
def test_every_spelling_is_april(value: object) -> None:
    assert parse_month(value) == "2014-04"


@pytest.mark.parametrize("value", ["2014-13", "十二月", "", "14-04", 2014.1, "2014年0月"])
def test_not_a_month(value: object) -> None:
    assert parse_month(value) is None  # 2014.1: January, or October typed as 2014.10?


def test_command_line_month() -> None:
    assert require_month("201404") == "2014-04"
    assert month_label("2014-04") == "2014年4月"
    with pytest.raises(UsageError, match="write it as 2014-04"):
        require_month("April")


@pytest.mark.parametrize("value", ["2014.1", " 2014.1 ", "２０１４．１", "\u30002014.1", 2014.1])
def test_year_dot_one_in_a_data_file_reads_as_january_or_october(value: object) -> None:
    # 2014.10 typed in a number cell is the float 2014.1, and Excel's CSV writes "2014.1"
    assert month_readings(value) == ("2014-01", "2014-10")


@pytest.mark.parametrize(
    ("value", "readings"),
    [("2014.10", ("2014-10",)), ("2014.01", ("2014-01",)), ("2014.11", ("2014-11",)),
     ("2014-1", ("2014-01",)), (201404.0, ("2014-04",)), ("1800.1", ()), ("四月", ()), ("", ())],
)  # fmt: skip
def test_other_spellings_have_one_reading_or_none(value: object, readings: tuple[str, ...]) -> None:
    assert month_readings(value) == readings


def test_the_command_line_month_stays_january() -> None:
    assert require_month("2014.1") == "2014-01"  # typed by a person, not a number cell
    assert parse_month("2014.1") == "2014-01"
