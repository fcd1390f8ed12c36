"""Month spellings: every form SPEC §1 lists is one month; an ambiguous number is refused."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from fivestar.errors import UsageError
from fivestar.months import month_label, parse_month, require_month


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
