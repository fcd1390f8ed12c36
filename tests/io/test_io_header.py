"""Header detection: title rows, normalization, two-row headers, near misses."""

from __future__ import annotations

from fivestar.io.header import (
    Header,
    HeaderMiss,
    build_lookup,
    describe_miss,
    find_header,
    normalize_header,
)
from fivestar.io.sheets import Grid, Row

LOOKUP = build_lookup({"officer_id": ["民警警号", "警员编号"], "bureau": ["县（市、区）局"]})


def header_of(
    rows: list[Row], merged: list[tuple[tuple[int, int], tuple[int, int]]] | None = None
) -> Header:
    found = find_header(Grid(name="S", rows=rows, merged=merged), LOOKUP)
    assert isinstance(found, Header), found
    return found


def test_normalize_strips_spaces_breaks_and_bracket_width() -> None:
    assert normalize_header(" 县（市、区）\n局\u3000") == normalize_header("县(市、区)局")
    assert normalize_header("Officer_ID") == "officer_id"


def test_header_below_title_rows_with_aliases_and_english_keys() -> None:
    rows: list[Row] = [
        ["德州市公安局2014年4月统计表", "", ""],
        ["填报单位：武城县局", "", ""],
        ["民警\n警号", "name", "县 (市、区) 局"],
        ["371402001", "张三", "武城"],
    ]
    header = header_of(rows)
    assert header.first_row == 2 and header.data_start == 3
    assert header.columns == {"officer_id": 0, "name": 1, "bureau": 2}
    assert header.labels["officer_id"] == "民警 警号"  # as written, line break shown as space


def test_two_row_header_with_merged_group() -> None:
    rows: list[Row] = [
        ["序号", "警号", "姓名", "入户走访", "", "", "", "备注"],
        ["", "", "", "户数", "人号一致率", "入户走访率", "群众满意率", ""],
        [1, "371402001", "张三", 85, 1, 1, 1, ""],
    ]
    merged = [((0, 3), (0, 6)), ((0, 0), (1, 0)), ((0, 1), (1, 1)), ((0, 2), (1, 2))]
    header = header_of(rows, merged)
    assert header.data_start == 2
    assert header.columns == {
        "officer_id": 1,
        "name": 2,
        "visits": 3,
        "id_consistency": 4,
        "visit_rate": 5,
        "satisfaction": 6,
    }
    assert header.labels["visits"] == "入户走访 户数"
    assert header.labels["id_consistency"] == "人号一致率"
    assert header.ignored == ["序号", "备注"]


def test_two_row_header_without_merge_information_carries_the_group() -> None:
    rows: list[Row] = [
        ["警号", "姓名", "入户走访", "", "调解纠纷数"],
        ["", "", "户数", "入户走访率", ""],
        ["371402001", "张三", 85, 1, 3],
    ]
    header = header_of(rows, None)
    assert header.columns["visits"] == 2
    assert header.columns["visit_rate"] == 3
    assert header.columns["mediations"] == 4


def test_single_header_followed_by_data_is_not_taken_as_two_rows() -> None:
    rows: list[Row] = [["警号", "姓名", "入户走访户数"], ["371402001", "张三", 85]]
    header = header_of(rows)
    assert header.data_start == 1
    assert header.labels["visits"] == "入户走访户数"


def test_duplicate_column_is_ignored_and_named() -> None:
    header = header_of([["警号", "姓名", "入户走访户数", "入户 走访户数"], ["1", "张三", 1, 2]])
    assert header.columns["visits"] == 2
    assert header.ignored == ["入户 走访户数（重复列）"]


def test_missing_required_column_names_the_closest_header() -> None:
    rows: list[Row] = [["统计表"], ["民警编号", "姓名", "走访户数"], ["371402001", "张三", 85]]
    miss = find_header(Grid(name="Sheet1", rows=rows), LOOKUP)
    assert isinstance(miss, HeaderMiss)
    assert miss.missing == ("officer_id",)
    message = describe_miss([("Sheet1", miss)]).text
    assert "缺少必需列「警号」" in message
    assert "最接近的是「民警编号」（Sheet1 第2行）" in message


def test_no_near_header_at_all() -> None:
    miss = find_header(Grid(name=None, rows=[["hello", "world"], ["1", "2"]]), LOOKUP)
    assert isinstance(miss, HeaderMiss)
    assert set(miss.missing) == {"officer_id", "name"}
    assert "没有相近的列名" in describe_miss([(None, miss)]).text


def test_header_beyond_row_30_is_not_found() -> None:
    rows: list[Row] = [["说明"] for _ in range(30)]
    rows += [["警号", "姓名"], ["1", "张三"]]
    assert isinstance(find_header(Grid(name="S", rows=rows), LOOKUP), HeaderMiss)
