"""read_inputs end to end: real files in every format, every rule of SPEC §1."""

from __future__ import annotations

import hashlib
import math
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from io_builders import (
    assert_balanced,
    county_workbook,
    tidy_row,
    write_csv,
    write_html,
    write_ods,
    write_xlsx,
)

from conftest import Reader
from fivestar.columns import COUNT_KEYS, RATE_KEYS
from fivestar.errors import UsageError
from fivestar.findings import FileReport, Issue
from fivestar.io import InputBatch, read_inputs
from fivestar.io.formats.xlsx import number_formats
from fivestar.io.inputs import ReadOptions
from tests.conftest import TIDY_HEADER


def only_issue(issues: list[Issue]) -> Issue:
    assert len(issues) == 1, issues
    return issues[0]


# --- the messy county workbook -------------------------------------------------------------


def test_county_workbook_reads_every_officer(tmp_path: Path, read: Reader) -> None:
    path = county_workbook(tmp_path / "wucheng.xlsx")
    batch = read(path)
    officers = batch.officers
    assert officers["officer_id"].tolist() == ["371402001", "371402002", "0371402003"]
    assert officers["name"].tolist() == ["薛翠翠", "张  伟", "李娜"]
    assert officers["visits"].tolist() == [85, 90, 50]
    assert officers["mediations"].tolist() == [3, 4, 0]
    assert officers["id_consistency"].tolist() == pytest.approx([1.0, 0.985, 1.0])
    assert officers["satisfaction"].tolist() == pytest.approx([1.0, 1.0, 1.0])
    assert officers["station"].tolist() == ["城关派出所", "城关派出所", "郝王庄派出所"]
    assert set(officers["role"]) == {"社区民警"}
    assert set(officers["month"]) == {"2014-04"}
    assert officers["source_row"].tolist() == [5, 6, 7]
    assert set(officers["source_file"]) == {str(path)}
    assert set(officers["source_sheet"]) == {"Sheet1"}
    # a county export without 月份 or 岗位: noted with what was assumed, nothing rejected
    assert [i.code for i in batch.issues] == ["no-month-column", "no-role-column"]


def test_county_workbook_accounting_and_run_information(tmp_path: Path, read: Reader) -> None:
    path = county_workbook(tmp_path / "wucheng.xlsx")
    report = only_file(read(path))
    # rows 5–10 below the header: 3 officers, then 合计, a blank row and the 填表人 line
    assert (report.rows_read, report.evaluated, report.rejected, report.skipped) == (6, 3, 0, 3)
    assert report.balanced
    assert report.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert report.format == "xlsx"
    assert report.sheets_used == ["Sheet1"]
    assert report.ignored_columns == ["序号", "备注"]
    assert report.error is None


def only_file(batch: InputBatch) -> FileReport:
    assert len(batch.files) == 1
    return batch.files[0]


def test_contract_dtypes(tmp_path: Path, read: Reader) -> None:
    officers = read(county_workbook(tmp_path / "a.xlsx")).officers
    assert isinstance(officers.index, pd.RangeIndex)
    for key in COUNT_KEYS:
        assert officers[key].dtype == "int64", key
    for key in RATE_KEYS:
        assert officers[key].dtype == "float64", key
    assert officers["source_row"].dtype == "int64"
    for key in ("officer_id", "name", "bureau", "station", "office", "role", "month"):
        assert pd.api.types.is_string_dtype(officers[key]), key
    assert officers["bureau"].tolist() == ["", "", ""]  # absent column → ""


def test_blank_rate_is_missing_and_the_row_is_still_evaluated(tmp_path: Path, read: Reader) -> None:
    officers = read(county_workbook(tmp_path / "a.xlsx")).officers
    third = officers[officers["officer_id"] == "0371402003"].iloc[0]
    assert math.isnan(third["visit_rate"])
    assert third["id_consistency"] == 1.0


def test_empty_run_has_the_contract_columns(tmp_path: Path, read: Reader) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", {"S": [TIDY_HEADER]})
    officers = read(path).officers
    assert officers.empty
    assert officers["visits"].dtype == "int64"
    assert officers["satisfaction"].dtype == "float64"


# --- row rejections ------------------------------------------------------------------------


def test_bad_count_rejects_the_row_with_its_place(tmp_path: Path, read: Reader) -> None:
    rows = [TIDY_HEADER, tidy_row("1", "张三"), tidy_row("2", "李四", visits=12.5)]
    batch = read(write_xlsx(tmp_path / "a.xlsx", {"Sheet1": rows}))
    issue = only_issue(batch.issues)
    assert (issue.sheet, issue.row, issue.column, issue.value) == (
        "Sheet1",
        3,
        "入户走访户数",
        "12.5",
    )
    assert "入户走访户数" in issue.reason
    assert batch.officers["officer_id"].tolist() == ["1"]
    assert_balanced(batch)


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        (9, 5, "调解成功数 5 > 调解纠纷数 3"),
        (10, 4, "回访满意数 4 > 调解纠纷数 3"),
        (12, 5, "服务认可数 5 > 服务群众次数 4"),
    ],
)
def test_consistency_rejects_ok_counts_above_their_total(
    tmp_path: Path, read: Reader, column: int, value: int, reason: str
) -> None:
    row = tidy_row("1", "张三")
    row[column] = value
    batch = read(write_xlsx(tmp_path / "a.xlsx", {"S": [TIDY_HEADER, row]}))
    issue = only_issue(batch.issues)
    assert issue.reason == reason
    assert issue.column == TIDY_HEADER[column]
    assert issue.value == str(value)
    assert batch.officers.empty


def test_rate_above_100_percent_rejects(tmp_path: Path, read: Reader) -> None:
    rows = [TIDY_HEADER, tidy_row("1", "张三"), tidy_row("2", "李四", rate="101%")]
    issue = only_issue(read(write_xlsx(tmp_path / "a.xlsx", {"S": rows})).issues)
    assert issue.row == 3 and issue.value == "101%" and "超出" in issue.reason


def test_month_column(tmp_path: Path, read: Reader) -> None:
    header = [*TIDY_HEADER[:-1], "统计月份"]
    rows: list[list[Any]] = [
        header,
        [*tidy_row("1", "a")[:-1], "2014-04"],
        [*tidy_row("2", "b")[:-1], "2014年4月"],
        [*tidy_row("3", "c")[:-1], 201404],
        [*tidy_row("4", "d")[:-1], date(2014, 4, 1)],
        [*tidy_row("5", "e")[:-1], ""],
        [*tidy_row("6", "f")[:-1], "2014-03"],
        [*tidy_row("7", "g")[:-1], "四月"],
    ]
    batch = read(write_xlsx(tmp_path / "a.xlsx", {"S": rows}), aliases={"month": ["统计月份"]})
    assert batch.officers["officer_id"].tolist() == ["1", "2", "3", "4", "5"]
    mismatch, unparseable = batch.issues
    assert mismatch.reason == "统计月份 2014-03 与评选月份 2014-04 不符"
    assert (mismatch.row, mismatch.column, mismatch.value) == (7, "统计月份", "2014-03")
    assert unparseable.row == 8 and "无法识别" in unparseable.reason


def test_year_dot_one_is_january_or_october(tmp_path: Path, read: Reader) -> None:
    # October typed as 2014.10 in a number cell reads 2014.1, and Excel's CSV writes "2014.1":
    # January or October, so the row is of either month's run and rejected from any other
    header = [*TIDY_HEADER[:-1], "月份"]
    book = write_xlsx(tmp_path / "a.xlsx", {"S": [header, [*tidy_row("1", "a")[:-1], 2014.10]]})
    rows = [[*tidy_row("2", "b")[:-1], "2014.1"], [*tidy_row("3", "c")[:-1], " ２０１４．１ "]]
    sheet = write_csv(tmp_path / "b.csv", [header, *rows, [*tidy_row("4", "d")[:-1], "2014.10"]])
    for month in ("2014-10", "2014-01"):
        batch = read(book, sheet, month=month)
        assert_balanced(batch)
        october = month == "2014-10"  # the text 2014.10 is October only
        assert batch.officers["officer_id"].tolist() == ["1", "2", "3", "4"][: 4 if october else 3]
        assert set(batch.officers["month"]) == {month}
        assert [i.value for i in batch.issues] == ([] if october else ["2014.10"])
    batch = read(book, sheet, month="2014-04")
    assert batch.officers.empty
    assert_balanced(batch)
    both = "月份 2014.1（2014年1月或10月）与评选月份 2014-04 不符"
    assert [(i.row, i.value, i.reason) for i in batch.issues] == [
        (2, "2014.1", both),
        (2, "2014.1", both),
        (3, "２０１４．１", both),
        (4, "2014.10", "月份 2014-10 与评选月份 2014-04 不符"),
    ]


def test_role_default_accepted_and_rejected(tmp_path: Path, read: Reader) -> None:
    rows: list[list[Any]] = [
        [*TIDY_HEADER[:-2], "月份", "岗位"],
        [*tidy_row("1", "a")[:-2], "2014-04", ""],
        [*tidy_row("2", "b")[:-2], "2014-04", " 六进业务警种民警 "],
        [*tidy_row("3", "c")[:-2], "2014-04", "社区民警"],
        [*tidy_row("4", "d")[:-2], "2014-04", "交警"],
    ]
    batch = read(write_xlsx(tmp_path / "a.xlsx", {"S": rows}))
    assert batch.officers["role"].tolist() == ["社区民警", "六进业务警种民警", "社区民警"]
    issue = only_issue(batch.issues)
    assert issue.value == "交警" and "交警" in issue.reason


def test_officer_id_as_text(tmp_path: Path, read: Reader) -> None:
    rows = [TIDY_HEADER, tidy_row(371402001.0, "a"), tidy_row("0012", "b")]
    batch = read(write_xlsx(tmp_path / "a.xlsx", {"S": rows}))
    assert batch.officers["officer_id"].tolist() == ["371402001", "0012"]


def test_officer_id_shown_with_leading_zeros_keeps_them(tmp_path: Path, read: Reader) -> None:
    # 警号 typed as numbers, shown whole by a "000000000" format, as offices keep them
    path = tmp_path / "a.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("S")
    padded = book.add_format({"num_format": "000000000"})
    quoted = book.add_format({"num_format": '"0000"'})
    two_places = book.add_format({"num_format": "0.00"})
    sheet.write_row(0, 0, TIDY_HEADER)
    for r, (number, fmt) in enumerate(
        [(37148112, padded), (12, quoted), (371402003, None), (371402004, two_places)], start=1
    ):
        sheet.write_number(r, 0, number, fmt)
        sheet.write_row(r, 1, tidy_row(None, f"警{r}")[1:])
    sheet.write_number(5, 0, 371402005, padded)  # already nine digits: unchanged
    sheet.write_row(5, 1, tidy_row(None, "警5")[1:])
    sheet.write_number(6, 4, 85, padded)  # a count shown padded is still the count 85
    sheet.write_number(6, 0, 371402006)
    sheet.write_row(6, 1, tidy_row(None, "警6")[1:4])
    sheet.write_row(6, 5, tidy_row(None, "")[5:])
    book.close()
    batch = read(path)
    assert batch.officers["officer_id"].tolist() == [
        "037148112",
        "0012",
        "371402003",
        "371402004",
        "371402005",
        "371402006",
    ]
    assert batch.officers["visits"].tolist()[-1] == 85
    assert batch.issues == []


def test_rates_shown_in_percent_are_percent(tmp_path: Path, read: Reader) -> None:
    # A rate formatted "0%" stores 1 and shows 100%: it is 100 %, whatever the column holds
    # beside it (SPEC §1: a cell with % is percent), and 1.5 shown as 150% is out of range.
    path = tmp_path / "a.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("S")
    whole = book.add_format({"num_format": "0%"})
    tenths = book.add_format({"num_format": "0.0%;[Red]-0.0%"})
    not_percent = book.add_format({"num_format": '0"%"'})  # a literal % sign: 100 shows 100%
    sheet.write_row(0, 0, TIDY_HEADER)
    rates = [
        ("001", [(1, whole)] * 3),
        ("002", [(100, None)] * 3),  # typed 100 in a General cell: the column is in percent
        ("003", [(0.985, tenths), (1, whole), (100, not_percent)]),
        ("004", [(1, whole), (1, whole), (1.5, whole)]),
    ]
    for r, (officer_id, cells) in enumerate(rates, start=1):
        sheet.write_row(r, 0, tidy_row(officer_id, f"警{r}"))
        for c, (value, fmt) in enumerate(cells, start=5):
            sheet.write_number(r, c, value, fmt)
    sheet.write_string(5, 0, "005")
    sheet.write_row(5, 1, tidy_row(None, "警5")[1:5])
    for c in (5, 6, 7):
        sheet.write_string(5, c, "100%", whole)  # text in a percent cell: as typed
    sheet.write_row(5, 8, tidy_row(None, "")[8:])
    sheet.write_number(1, 8, 4, whole)  # a count formatted 0% by mistake: still the count
    sheet.write_number(2, 0, 2, book.add_format({"num_format": "0%"}))  # a 警号: "2", not "200%"
    book.close()
    batch = read(path)
    officers = batch.officers.set_index("officer_id")
    assert officers.loc["001", "mediations"] == 4
    assert "2" in officers.index
    assert officers.loc[["001", "2", "005"], list(RATE_KEYS)].eq(1.0).all(axis=None)
    assert officers.loc["003", list(RATE_KEYS)].tolist() == pytest.approx([0.985, 1.0, 1.0])
    [issue] = batch.issues
    assert (issue.row, issue.column, issue.value) == (5, "群众满意率", "150%")


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ("0.0%", "%"),
        ("#,##0.00%;[Red]-#,##0.00%", "%"),
        ('0"%"', None),
        ("0\\%", None),
        ('[$-804]0.00_);[Red]"差"0%', "%"),
        ("000000000", 9),
        ('"0000"', 4),
        ("0.00", None),
    ],
)
def test_number_formats_shown_in_percent_or_with_leading_zeros(code: str, shown: object) -> None:
    assert number_formats._shown(code) == shown


@pytest.mark.parametrize(
    "tag",
    [
        '<c r="{ref}" s="{s}"{t}>',  # as Excel and most libraries write it: the fast path
        '<c s="{s}"{t} r="{ref}">',  # other attribute order
        "<x:c r='{ref}' s = '{s}'{t}>",  # a namespace prefix, single quotes, spaces
    ],
)
def test_formatted_cells_are_found_however_the_tag_is_written(tag: str) -> None:
    styles = {1: number_formats.PERCENT, 2: 9}
    cells = [("B5", 1, ""), ("AA12", 2, ' t="n"'), ("C7", 1, ' t="s"'), ("D8", 0, "")]
    xml = "".join(tag.format(ref=r, s=s, t=t) + "<v>1</v></c>" for r, s, t in cells)
    row_style = '<row r="9" s="1" customFormat="1">'  # a row's style is not a cell's
    for sheet in (xml, row_style + xml):
        assert number_formats._CellScan(styles).cells(sheet.encode(), 10) == {
            (4, 1): "%",
            (11, 26): 9,
        }


def test_empty_officer_id_or_name_rejects(tmp_path: Path, read: Reader) -> None:
    rows = [TIDY_HEADER, tidy_row("", "张三"), tidy_row("2", "")]
    batch = read(write_xlsx(tmp_path / "a.xlsx", {"S": rows}))
    no_id, no_name = batch.issues
    assert (no_id.row, no_id.column, no_id.reason) == (2, "警号", "警号为空")
    assert (no_name.row, no_name.column, no_name.reason) == (3, "姓名", "姓名为空")


def test_formula_without_saved_value_rejects(tmp_path: Path, read: Reader) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(TIDY_HEADER)
    sheet.append(tidy_row("1", "张三"))
    sheet.append(tidy_row("2", "李四", visits="=40+45"))  # openpyxl saves no value
    book.save(tmp_path / "a.xlsx")
    batch = read(tmp_path / "a.xlsx")
    issue = only_issue(batch.issues)
    assert (issue.row, issue.column) == (3, "入户走访户数")
    assert issue.reason.startswith("公式单元格没有保存的值")


# --- skipped rows ----------------------------------------------------------------------------


def test_non_data_rows_are_skipped_and_counted(tmp_path: Path, read: Reader) -> None:
    header = ["序号", *TIDY_HEADER]
    rows: list[list[Any]] = [
        header,
        ["例", "示例", "张三", "", "", 85],  # the template's example row
        [1, *tidy_row("1", "a")],
        [2],  # pre-numbered, nothing typed
        [],
        [3, *tidy_row("2", "b")],
        header,  # the header repeated mid-table
        ["小 计", "", "", "", "", 170],
        [None, "合计"],
        ["注：走访户数以系统为准"],
        ["审核人：李四"],
    ]
    batch = read(write_xlsx(tmp_path / "a.xlsx", {"S": rows}))
    assert batch.officers["officer_id"].tolist() == ["1", "2"]
    report = batch.files[0]
    assert (report.rows_read, report.evaluated, report.rejected, report.skipped) == (10, 2, 0, 8)
    assert batch.issues == []


def test_a_row_with_data_but_no_id_is_rejected_not_skipped(tmp_path: Path, read: Reader) -> None:
    rows: list[list[Any]] = [TIDY_HEADER, ["", "", "", "", 85]]
    issue = only_issue(read(write_xlsx(tmp_path / "a.xlsx", {"S": rows})).issues)
    assert issue.reason == "警号为空"


# --- duplicates ----------------------------------------------------------------------------


def test_duplicates_across_files_reject_every_row(tmp_path: Path, read: Reader) -> None:
    a = write_xlsx(tmp_path / "a.xlsx", {"Sheet1": [TIDY_HEADER, tidy_row("371402001", "张三")]})
    b = write_csv(
        tmp_path / "b.csv",
        [TIDY_HEADER, tidy_row("9", "x"), tidy_row("371402001", "张三")],
    )
    batch = read(a, b)
    places = f"{a} Sheet1 第2行；{b} 第3行"
    assert [i.reason for i in batch.issues] == [f"警号 371402001 重复：{places}"] * 2
    assert [(i.file, i.sheet, i.row) for i in batch.issues] == [
        (str(a), "Sheet1", 2),
        (str(b), None, 3),
    ]
    assert batch.officers["officer_id"].tolist() == ["9"]
    assert [(f.evaluated, f.rejected) for f in batch.files] == [(0, 1), (1, 1)]
    assert_balanced(batch)


def test_duplicate_within_a_sheet_names_a_row_rejected_for_another_reason(
    tmp_path: Path, read: Reader
) -> None:
    rows = [TIDY_HEADER, tidy_row("1", "a"), tidy_row("1", "a", visits="x")]
    batch = read(write_xlsx(tmp_path / "a.xlsx", {"S": rows}))
    assert batch.officers.empty
    by_row = {i.row: i.reason for i in batch.issues}
    assert "应为非负整数" in by_row[3]
    assert by_row[2] == f"警号 1 重复：{tmp_path / 'a.xlsx'} S 第2行；{tmp_path / 'a.xlsx'} S 第3行"
    assert_balanced(batch)


# --- formats -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "bom"), [("gb18030", False), ("utf-8", True), ("utf-8", False)]
)
def test_csv_encodings(tmp_path: Path, read: Reader, encoding: str, bom: bool) -> None:
    rows = [["警号", "姓名", "县（市、区）局"], ["0012", "薛翠翠", "武城县局"]]
    path = write_csv(tmp_path / "a.csv", rows, encoding, bom)
    batch = read(path, aliases={"bureau": ["县（市、区）局"]})
    assert batch.officers[["officer_id", "name", "bureau"]].values.tolist() == [
        ["0012", "薛翠翠", "武城县局"]
    ]
    assert batch.files[0].format == "csv"


def test_csv_encoding_override_and_undecodable(tmp_path: Path, read: Reader) -> None:
    path = write_csv(tmp_path / "big5.csv", [["警號", "姓名"], ["1", "陳大文"]], "big5")
    path.write_bytes(path.read_bytes() + b"\xff\xfe\xff")
    failed = read(path)
    assert "UTF-8" in only_issue(failed.issues).reason
    assert "GB18030" in str(failed.files[0].error)
    good = write_csv(tmp_path / "ok.csv", [["警號", "姓名"], ["1", "陳大文"]], "big5")
    batch = read(good, encoding="big5", aliases={"officer_id": ["警號"]})
    assert batch.officers["name"].tolist() == ["陳大文"]


def test_csv_named_xlsx_is_read_as_csv(tmp_path: Path, read: Reader) -> None:
    path = write_csv(tmp_path / "export.xlsx", [TIDY_HEADER, tidy_row("1", "张三")], "gb18030")
    batch = read(path)
    assert batch.files[0].format == "csv"
    assert batch.officers["name"].tolist() == ["张三"]


def test_html_table_saved_as_xls(tmp_path: Path, read: Reader) -> None:
    rows: list[list[Any]] = [
        ["警号", "姓名", "入户走访", None, "调解纠纷数"],
        ["户数", "群众满意率"],
        ["371402001", "张三", "85", "100%", "3"],
    ]
    spans = {
        (0, 0): 'rowspan="2"',
        (0, 1): 'rowspan="2"',
        (0, 2): 'colspan="2"',
        (0, 4): 'rowspan="2"',
    }
    batch = read(write_html(tmp_path / "a.xls", rows, spans))
    assert batch.files[0].format == "html"
    officer = batch.officers.iloc[0]
    assert (officer["officer_id"], officer["visits"], officer["mediations"]) == ("371402001", 85, 3)
    assert officer["satisfaction"] == 1.0
    assert batch.officers["source_row"].tolist() == [3]


def test_ods(tmp_path: Path, read: Reader) -> None:
    rows = [["统计表"], TIDY_HEADER, tidy_row("371402001", "张三", visits=85, rate=1)]
    batch = read(write_ods(tmp_path / "a.ods", {"表一": rows}))
    assert batch.files[0].format == "ods"
    assert batch.files[0].sheets_used == ["表一"]
    assert batch.officers["visits"].tolist() == [85]
    assert batch.officers["source_row"].tolist() == [3]


# --- sheets --------------------------------------------------------------------------------


def test_sheets_visible_hidden_headerless_and_selected(tmp_path: Path, read: Reader) -> None:
    path = write_xlsx(
        tmp_path / "a.xlsx",
        {
            "一所": [TIDY_HEADER, tidy_row("1", "a")],
            "说明": [["本表填报说明"], ["每月5日前报送"]],
            "二所": [TIDY_HEADER, tidy_row("2", "b")],
            "旧表": [TIDY_HEADER, tidy_row("3", "c")],
        },
        hidden=["旧表"],
    )
    batch = read(path)
    report = batch.files[0]
    assert batch.officers["officer_id"].tolist() == ["1", "2"]
    assert report.sheets_used == ["一所", "二所"]
    assert report.sheets_skipped == ["旧表: 隐藏的工作表", "说明: 找不到表头（缺少 警号、姓名）"]
    picked = read(path, sheets=("二所",))
    assert picked.officers["officer_id"].tolist() == ["2"]
    assert picked.files[0].sheets_used == ["二所"]
    absent = read(path, sheets=("三所",))
    assert "三所" in only_issue(absent.issues).reason


def test_merged_station_cells_apply_to_each_officer(tmp_path: Path, read: Reader) -> None:
    rows = [TIDY_HEADER, tidy_row("1", "a"), tidy_row("2", "b")]
    rows[2][3] = None
    path = write_xlsx(tmp_path / "a.xlsx", {"S": rows}, {"S": [(1, 3, 2, 3, "城关派出所")]})
    assert read(path).officers["station"].tolist() == ["城关派出所", "城关派出所"]


# --- files that cannot be read ---------------------------------------------------------------


def test_missing_required_column_names_the_closest_header(tmp_path: Path, read: Reader) -> None:
    rows: list[list[Any]] = [["民警编号", "姓名", "入户走访户数"], ["1", "张三", 85]]
    batch = read(write_xlsx(tmp_path / "a.xlsx", {"Sheet1": rows}))
    issue = only_issue(batch.issues)
    assert issue.row is None
    assert "缺少必需列「警号」" in issue.reason and "「民警编号」" in issue.reason
    assert batch.files[0].error == issue.reason
    assert batch.files[0].rows_read == 0


def test_unreadable_files_do_not_stop_the_run(tmp_path: Path, read: Reader) -> None:
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"\x00\x01\x02\x03 definitely not a spreadsheet \xff\xfe")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    corrupt = tmp_path / "corrupt.xlsx"
    corrupt.write_bytes(county_workbook(tmp_path / "c.xlsx").read_bytes()[:2000])
    missing = tmp_path / "missing.xlsx"
    good = write_csv(tmp_path / "good.csv", [TIDY_HEADER, tidy_row("1", "张三")])
    batch = read(junk, empty, corrupt, missing, good)
    assert batch.officers["officer_id"].tolist() == ["1"]
    file_issues = {Path(i.file).name: i.reason for i in batch.issues}
    assert set(file_issues) == {"junk.xlsx", "empty.csv", "corrupt.xlsx", "missing.xlsx"}
    assert "不是表格文件" in file_issues["junk.xlsx"]
    assert "0 字节" in file_issues["empty.csv"]
    assert "不存在" in file_issues["missing.xlsx"]
    errors = {Path(f.path).name: f.error for f in batch.files}
    assert errors["good.csv"] is None and errors["junk.xlsx"] is not None
    assert all(f.rows_read == 0 for f in batch.files if f.error)
    assert_balanced(batch)


def test_a_text_file_without_a_header_is_one_file_level_issue(tmp_path: Path, read: Reader) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("会议纪要\n今天讨论了走访工作\n", encoding="utf-8")
    batch = read(path)
    issue = only_issue(batch.issues)
    assert issue.file_level and issue.reason.startswith("找不到表头")
    assert batch.files[0].format == "csv"
    assert batch.files[0].sheets_skipped == []


def test_folders_and_progress(tmp_path: Path) -> None:
    folder = tmp_path / "county"
    folder.mkdir()
    write_csv(folder / "a.csv", [TIDY_HEADER, tidy_row("1", "a")])
    write_xlsx(folder / "b.xlsx", {"S": [TIDY_HEADER, tidy_row("2", "b")]})
    (folder / "readme.txt").write_text("not an input")
    seen: list[Path] = []
    batch = read_inputs([folder], "2014年4月", {}, ReadOptions(), progress=seen.append)
    assert [p.name for p in seen] == ["a.csv", "b.xlsx"]
    assert batch.officers["officer_id"].tolist() == ["1", "2"]


def test_usage_errors_are_raised_not_recorded(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        read_inputs([tmp_path], "April", {})
    with pytest.raises(UsageError):
        read_inputs([tmp_path], "2014-04", {}, ReadOptions(encoding="no-such-codec"))


def test_another_months_rows_do_not_make_duplicates(tmp_path: Path, read: Reader) -> None:
    header = [*TIDY_HEADER[:-1], "月份"]
    march = write_csv(tmp_path / "m03.csv", [header, [*tidy_row("001", "甲")[:-1], "2014-03"]])
    april = write_csv(tmp_path / "m04.csv", [header, [*tidy_row("001", "甲")[:-1], "2014-04"]])
    batch = read(march, april)
    assert batch.officers["officer_id"].tolist() == ["001"]
    [issue] = batch.issues
    assert (issue.file, issue.row) == (str(march), 2)
    assert issue.reason == "月份 2014-03 与评选月份 2014-04 不符"
    assert_balanced(batch)


def test_a_sheet_with_only_a_header_reads_as_no_rows(tmp_path: Path, read: Reader) -> None:
    book = write_xlsx(
        tmp_path / "two.xlsx",
        {"4月": [TIDY_HEADER, tidy_row("001", "甲")], "5月": [TIDY_HEADER]},
    )
    only_header = write_csv(tmp_path / "empty.csv", [TIDY_HEADER])
    batch = read(book, only_header)
    assert batch.officers["officer_id"].tolist() == ["001"]
    # a sheet without rows is fine beside one with rows; a file without any is an issue
    [issue] = batch.issues
    assert (issue.file, issue.row) == (str(only_header), None)
    assert [(f.rows_read, f.evaluated, f.error) for f in batch.files] == [
        (1, 1, None),
        (0, 0, issue.reason),
    ]


def test_leading_zero_cells_are_collected_up_to_a_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.xlsx"
    book = xlsxwriter.Workbook(str(path))
    padded = book.add_format({"num_format": "0000"})
    for name in ("A", "B"):
        sheet = book.add_worksheet(name)
        for r in range(3):
            sheet.write_number(r, 1, r, padded)
        sheet.write_number(3, 1, 7)  # no format: not collected
        sheet.write_string(4, 1, "12", padded)  # text: calamine keeps it as typed
    book.close()
    data = path.read_bytes()
    every = {(r, 1): 4 for r in range(3)}
    assert number_formats.formatted_cells(data) == {"A": every, "B": every}
    monkeypatch.setattr(number_formats, "MAX_CELLS", 4)
    assert number_formats.formatted_cells(data) == {"A": every, "B": {(0, 1): 4}}
