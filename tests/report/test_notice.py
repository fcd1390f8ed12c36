"""公示: the winners as a public notice, grouped by star, with the criteria and a sign-off."""

from __future__ import annotations

import re

from openpyxl.worksheet.worksheet import Worksheet

from fivestar.report.notice import notice_title
from tests.conftest import DEFAULT_RULES
from tests.report.conftest import Row, Written, rows_of

HEADING = re.compile(r"^[一二三四五六七八九十]、(.+)（(\d+)名）$")


def notice(written: Written) -> Worksheet:
    return written.book["公示"]


def texts(rows: list[Row]) -> list[str]:
    return [str(cell) for row in rows for cell in row if cell is not None]


def groups(rows: list[Row]) -> dict[str, list[Row]]:
    """Star label → the rows (序号, 县局, 派出所, 姓名, 备注) of the table under its heading."""
    out: dict[str, list[Row]] = {}
    current: list[Row] = []
    for row in rows:
        first = str(row[0] or "")
        match = HEADING.match(first)
        if match:
            current = out.setdefault(match.group(1), [])
        elif first.isdigit() or first == "本月无当选民警":
            current.append(row)
    return out


def test_comes_right_after_the_results(written: Written) -> None:
    assert written.book.sheetnames[:2] == ["评选结果", "公示"]


def test_title_names_organisation_and_month(written: Written) -> None:
    ws = notice(written)
    assert ws["A1"].value == "德州市公安局2014年4月“五星”社区民警评选结果公示"
    assert ws["A1"].value == notice_title("德州市公安局", "2014-04")
    assert "A1:E1" in {str(r) for r in ws.merged_cells.ranges}


def test_winners_grouped_by_star_with_bureau_station_name(written: Written) -> None:
    winners = written.result.evaluation.winners
    rules = written.result.rules
    got = groups(rows_of(notice(written)))
    assert list(got) == [star.label for star in rules.stars]
    for star in rules.stars:
        mine = winners[winners["star"] == star.key]
        rows = got[star.label]
        if mine.empty:
            assert rows == [("本月无当选民警", None, None, None, None)]
            continue
        assert [r[0] for r in rows] == [str(n) for n in range(1, len(mine) + 1)]
        assert [(r[1], r[2], r[3]) for r in rows] == list(
            zip(mine["bureau"], mine["station"], mine["name"], strict=True)
        )
        assert [r[4] == "并列" for r in rows] == [bool(t) for t in mine["tied"]]


def test_heading_counts_the_stars_winners(written: Written) -> None:
    headings = [
        HEADING.match(str(row[0])) for row in rows_of(notice(written)) if row[0] is not None
    ]
    counts = {m.group(1): int(m.group(2)) for m in headings if m}
    assert counts == {
        "入户走访之星": 2,
        "纠纷调解之星": 3,
        "侦查破案之星": 0,
        "信息采集之星": 0,
        "服务群众之星": 1,
    }


def test_each_star_has_its_criteria_in_words(written: Written) -> None:
    lines = texts(rows_of(notice(written)))
    for star in written.result.rules.stars:
        assert star.description
        assert f"评选条件：{star.description}" in lines


def test_objection_period_and_signature_block(written: Written) -> None:
    lines = texts(rows_of(notice(written)))
    assert any(line.strip().startswith("公示期：自发布之日起5个工作日") for line in lines)
    assert any("如有异议" in line and "德州市公安局" in line for line in lines)
    assert any(line.startswith("审核人：") for line in lines)
    assert any(line.startswith("日　期：") for line in lines)
    assert lines[-2:] == ["德州市公安局", "年　　月　　日"]


def test_prints_portrait_on_one_a4_page(written: Written) -> None:
    ws = notice(written)
    assert ws.page_setup.orientation == "portrait"
    assert ws.page_setup.paperSize == 9
    fit = ws.sheet_properties.pageSetUpPr
    assert fit is not None
    assert fit.fitToPage
    assert (ws.page_setup.fitToWidth or 1) == 1
    assert (ws.page_setup.fitToHeight or 1) == 1
    assert ws.print_area == f"'公示'!$A$1:$E${ws.max_row}"


def test_names_are_text_never_formulas(written: Written) -> None:
    ws = notice(written)
    cells = [cell for row in ws.iter_rows() for cell in row if cell.value is not None]
    hostile = [c for c in cells if c.value == '=HYPERLINK("http://x","y")']
    assert hostile
    assert all(c.data_type == "s" for c in hostile)
    assert all(c.data_type != "f" for c in cells)


def test_a_star_rule_is_printed_with_the_thresholds_in_force() -> None:
    from fivestar.report.words import star_text
    from fivestar.rules.loader import parse_rules

    text = DEFAULT_RULES.read_text(encoding="utf-8")
    shipped = parse_rules(text.encode(), "r.toml")
    visits = shipped.stars[0]
    assert star_text(shipped, visits) == visits.description  # the file's own words
    # a bureau lowers the visits star to 70 but leaves its description saying 80
    edited = text.replace(
        '{ metric = "visits", op = ">=", value = 80 },\n    { metric = "id_consistency"',
        '{ metric = "visits", op = ">=", value = 70 },\n    { metric = "id_consistency"',
    )
    assert edited.count("value = 70") == 2  # the gate and the star
    lowered = parse_rules(edited.encode(), "r.toml")
    printed = star_text(lowered, lowered.stars[0])
    assert "70" in printed and "80" not in printed
