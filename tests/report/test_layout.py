"""Readable and printable as it comes: frozen headers, filters, widths, percentages, A4."""

from __future__ import annotations

import pytest
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from fivestar.report.layout import MAX_WIDTH, MIN_WIDTH, display_width, sheet_name
from tests.report.conftest import Written, block, rows_of

TABLE_SHEETS = ["评选结果", "入户走访之星", "未达标", "全员明细", "数据问题"]


def column_of(ws: Worksheet, header: str) -> str:
    row = next(ws.iter_rows(min_row=1, max_row=1, values_only=True))
    return get_column_letter(list(row).index(header) + 1)


def width(ws: Worksheet, letter: str) -> float:
    """A column's width; openpyxl files equal neighbours under the first one's letter."""
    dims = ws.column_dimensions
    for dim in dims.values():
        if dim.min and dim.max and dim.min <= ws[f"{letter}1"].column <= dim.max:
            return float(dim.width)
    return float(dims[letter].width)


@pytest.mark.parametrize("name", TABLE_SHEETS)
def test_header_frozen_and_filtered(written: Written, name: str) -> None:
    ws = written.book[name]
    # 全员明细 is wide: 警号 and 姓名 stay in view too
    assert ws.freeze_panes == ("C2" if name == "全员明细" else "A2")
    rows = block(rows_of(ws))
    last = get_column_letter(len(rows[0]))
    assert ws.auto_filter.ref == f"A1:{last}{len(rows)}"


@pytest.mark.parametrize("name", [*TABLE_SHEETS, "运行信息"])
def test_prints_landscape_a4_one_page_wide(written: Written, name: str) -> None:
    ws = written.book[name]
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9
    fit = ws.sheet_properties.pageSetUpPr
    assert fit is not None
    assert fit.fitToPage
    assert (ws.page_setup.fitToWidth or 1) == 1  # absent means 1, the OOXML default
    assert ws.page_setup.fitToHeight == 0
    footer = ws.oddFooter.center.text if ws.oddFooter else None
    assert footer == "第 &P 页，共 &N 页"


@pytest.mark.parametrize("name", TABLE_SHEETS)
def test_header_row_repeats_on_every_page(written: Written, name: str) -> None:
    assert written.book[name].print_title_rows == "$1:$1"


def test_header_is_bold_with_a_fill(written: Written) -> None:
    cell = written.book["全员明细"]["A1"]
    assert cell.font.b
    assert cell.fill.fill_type == "solid"


def test_rates_are_numbers_shown_as_percentages(written: Written) -> None:
    ws = written.book["全员明细"]
    for header in ("人号一致率", "入户走访率", "群众满意率", "调解成功率", "回访满意率"):
        letter = column_of(ws, header)
        values = [c for c in ws[letter][1:] if c.value is not None]
        assert values, header
        for cell in values:
            assert cell.data_type == "n"
            assert "%" in cell.number_format
            assert 0 <= cell.value <= 1
    ids = [c.value for c in ws["A"][1:]]
    consistency = ws[column_of(ws, "人号一致率")][ids.index("007") + 1]
    assert consistency.value == pytest.approx(0.9996)
    # 99.96 % must not be shown rounded to 100 %: at least two decimals are kept
    assert "0.0#" in consistency.number_format
    missing = ws[column_of(ws, "群众满意率")][ids.index("008") + 1]
    assert missing.value is None
    visits = ws[column_of(ws, "入户走访户数")][1]
    assert visits.data_type == "n"
    assert "%" not in visits.number_format


def test_star_sheet_rates_as_percentages(written: Written) -> None:
    ws = written.book["入户走访之星"]
    cell = ws[f"{column_of(ws, '人号一致率')}2"]
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
    rules = ranges[f"{first}2:{last}{ws.max_row}"]
    assert [(r.type, r.operator, r.text) for r in rules] == [("beginsWith", "beginsWith", "当选")]
