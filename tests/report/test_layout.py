"""Readable and printable as it comes: title, frozen headers, filters, widths, percentages, A4.

Every report sheet opens with a title row (row 1); the table's header is row 2.
"""

from __future__ import annotations

import pytest
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from fivestar.report.layout import MAX_WIDTH, MIN_WIDTH, display_width, sheet_name
from fivestar.report.workbook import TITLE_SIZE
from tests.report.conftest import Written, block, rows_of

TABLE_SHEETS = ["评选结果", "入户走访之星", "未达标", "全员明细", "数据问题"]
TITLE = "德州市公安局2014年4月“五星”社区民警评选结果"


def column_of(ws: Worksheet, header: str) -> str:
    row = next(ws.iter_rows(min_row=2, max_row=2, values_only=True))
    return get_column_letter(list(row).index(header) + 1)


def width(ws: Worksheet, letter: str) -> float:
    """A column's width; openpyxl files equal neighbours under the first one's letter."""
    dims = ws.column_dimensions
    for dim in dims.values():
        if dim.min and dim.max and dim.min <= ws[f"{letter}1"].column <= dim.max:
            return float(dim.width)
    return float(dims[letter].width)


@pytest.mark.parametrize("name", [*TABLE_SHEETS, "统计图", "运行信息"])
def test_title_row_names_organisation_month_and_sheet(written: Written, name: str) -> None:
    ws = written.book[name]
    expected = TITLE if name == "评选结果" else f"{TITLE}（{name}）"
    assert ws["A1"].value == expected
    assert ws["A1"].font.b
    assert ws["A1"].font.sz == TITLE_SIZE


@pytest.mark.parametrize("name", TABLE_SHEETS)
def test_title_merged_across_the_table(written: Written, name: str) -> None:
    ws = written.book[name]
    header = block(rows_of(ws))[0]
    merged = [str(r) for r in ws.merged_cells.ranges if r.min_row == 1]
    # 全员明细 prints place and stars only: the title spans those
    span = 11 if name == "全员明细" else len(header)
    assert merged == [f"A1:{get_column_letter(span)}1"]


@pytest.mark.parametrize("name", TABLE_SHEETS)
def test_header_frozen_and_filtered(written: Written, name: str) -> None:
    ws = written.book[name]
    # frozen below the title and the header; 全员明细 is wide: 警号 and 姓名 stay in view too
    assert ws.freeze_panes == ("C3" if name == "全员明细" else "A3")
    rows = block(rows_of(ws))
    last = get_column_letter(len(rows[0]))
    assert ws.auto_filter.ref == f"A2:{last}{len(rows) + 1}"


@pytest.mark.parametrize("name", [*TABLE_SHEETS, "统计图", "运行信息"])
def test_prints_landscape_a4_one_page_wide(written: Written, name: str) -> None:
    ws = written.book[name]
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9
    fit = ws.sheet_properties.pageSetUpPr
    assert fit is not None
    assert fit.fitToPage
    assert (ws.page_setup.fitToWidth or 1) == 1  # absent means 1, the OOXML default
    # 统计图 fits one page tall too: 1 is the OOXML default, so it may be absent
    tall = ws.page_setup.fitToHeight
    assert (1 if tall is None else tall) == (1 if name == "统计图" else 0)
    footer = ws.oddFooter.center.text if ws.oddFooter else None
    assert footer == "第 &P 页，共 &N 页"


@pytest.mark.parametrize("name", TABLE_SHEETS)
def test_header_row_repeats_on_every_page(written: Written, name: str) -> None:
    assert written.book[name].print_title_rows == "$2:$2"


def test_detail_prints_place_and_stars(written: Written) -> None:
    ws = written.book["全员明细"]
    header = block(rows_of(ws))[0]
    assert header[10] == "服务群众之星"
    assert ws.max_column == 11  # place and the five stars: the whole sheet prints


def test_wrapped_rows_are_tall_enough(written: Written) -> None:
    ws = written.book["评选结果"]
    # 主要数据 of the visits winner takes two lines in its column
    assert ws.row_dimensions[3].height is not None
    assert ws.row_dimensions[3].height >= 28


def test_near_miss_gaps_in_their_own_colour(written: Written) -> None:
    ws = written.book["入户走访之星"]
    rows = rows_of(ws)
    at = next(i for i, row in enumerate(rows) if row[0] == "差一项达标（按差距由小到大）")
    assert rows[at + 1][-1] == "差距"
    gap = ws.cell(row=at + 3, column=len(rows[at + 1]))
    assert gap.value
    assert gap.fill.fgColor.rgb == "FFFFEB9C"
    assert gap.alignment.wrap_text


def test_header_is_bold_with_a_fill(written: Written) -> None:
    cell = written.book["全员明细"]["A2"]
    assert cell.font.b
    assert cell.fill.fill_type == "solid"


def test_rates_are_numbers_shown_as_percentages(written: Written) -> None:
    ws = written.book["入户走访之星"]  # qualifiers, then near misses (007, 008 among them)
    for header in ("人号一致率", "入户走访率", "群众满意率"):
        letter = column_of(ws, header)
        # every cell of the column but the near-miss table's own header row
        values = [c for c in ws[letter][2:] if c.value not in (None, header)]
        assert values, header
        for cell in values:
            assert cell.data_type == "n"
            assert "%" in cell.number_format
            assert 0 <= cell.value <= 1
    ids = [c.value for c in ws[column_of(ws, "警号")][2:]]
    consistency = ws[column_of(ws, "人号一致率")][ids.index("007") + 2]
    assert consistency.value == pytest.approx(0.9996)
    # 99.96 % must not be shown rounded to 100 %: at least two decimals are kept
    assert "0.0#" in consistency.number_format
    missing = ws[column_of(ws, "群众满意率")][ids.index("008") + 2]
    assert missing.value is None
    visits = ws[column_of(ws, "入户走访户数")][2]
    assert visits.data_type == "n"
    assert "%" not in visits.number_format


def test_star_sheet_rates_as_percentages(written: Written) -> None:
    ws = written.book["入户走访之星"]
    cell = ws[f"{column_of(ws, '人号一致率')}3"]
    assert cell.value == 1
    assert "%" in cell.number_format


def test_widths_fit_chinese_text(written: Written) -> None:
    ws = written.book["全员明细"]
    # 六进业务警种民警: 8 wide characters = 16 columns
    assert width(ws, column_of(ws, "岗位")) >= 16
    # 警号 values are three digits; the header is 2 wide characters
    assert width(ws, column_of(ws, "警号")) >= display_width("警号")
    for dim in ws.column_dimensions.values():
        if dim.width:
            assert MIN_WIDTH <= dim.width <= MAX_WIDTH + 1


def test_display_width_counts_wide_characters_twice() -> None:
    assert display_width("abc") == 3
    assert display_width("入户走访之星") == 12
    assert display_width("１２") == 4  # full-width digits
    assert display_width("（并列）") == 8
    assert display_width("短\n较长的行") == 8


def test_sheet_names_are_valid_and_unique() -> None:
    taken = {"未达标"}
    assert sheet_name("信息/采集:之星", taken) == "信息_采集_之星"
    assert sheet_name("未达标", taken) == "未达标(2)"
    assert sheet_name("未达标", taken) == "未达标(3)"
    long = sheet_name("之" * 40, taken)
    assert len(long) == 31
    assert len(sheet_name("之" * 40, taken)) == 31
    assert sheet_name("[]", set()) == "__"


def test_detail_marks_winning_cells_green(written: Written) -> None:
    ws = written.book["全员明细"]
    first = column_of(ws, "入户走访之星")
    last = column_of(ws, "服务群众之星")
    ranges = {str(cf.sqref): cf.rules for cf in ws.conditional_formatting}
    rules = ranges[f"{first}3:{last}{ws.max_row}"]
    assert [(r.type, r.operator, r.text) for r in rules] == [("beginsWith", "beginsWith", "当选")]
