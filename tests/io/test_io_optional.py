"""Optional columns (issues 14 and 15): 月份 and 岗位 of the contract, and the columns a rules
file declares for its vetoes. A sheet without one is read, with a note saying what was
assumed; a declared column's bad cell rejects its row, at the cell, with a code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from io_builders import MONTH, assert_balanced, tidy_row, write_csv, write_xlsx

from fivestar.io import InputBatch, ReadOptions, read_inputs
from fivestar.rules import load_rules
from tests.conftest import ROOT, TIDY_HEADER
from tests.conftest import run_cli as cli

EXAMPLE = load_rules(ROOT / "tests" / "data" / "veto-2014.toml")
FULL_HEADER = TIDY_HEADER  # 岗位 and 月份 last
BARE_HEADER = TIDY_HEADER[:-2]  # without them


def full_row(officer_id: str, name: str, *extra: Any) -> list[Any]:
    return [*tidy_row(officer_id, name), *extra]


def bare_row(officer_id: str, name: str) -> list[Any]:
    return tidy_row(officer_id, name)[:-2]


def read(*paths: Path) -> InputBatch:
    batch = read_inputs(
        list(paths), MONTH, EXAMPLE.aliases, ReadOptions(), optional=EXAMPLE.optional_columns
    )
    assert_balanced(batch)
    return batch


def codes(batch: InputBatch) -> list[tuple[str, str | None, int | None]]:
    return [(i.code, i.sheet, i.row) for i in batch.issues]


def test_declared_columns_are_read_by_their_headers_and_aliases(tmp_path: Path) -> None:
    rows = [
        [*FULL_HEADER, "有效 投诉", "违纪违法"],  # an alias, spaced; the other's alias
        full_row("001", "甲", 2, "是"),
        full_row("002", "乙", "", "否"),
        full_row("003", "丙", 0, ""),
        full_row("004", "丁", "１", "有"),
    ]
    batch = read(write_xlsx(tmp_path / "a.xlsx", {"Sheet1": rows}))
    assert batch.issues == []
    officers = batch.officers.set_index("officer_id")
    assert officers["complaints"].tolist() == [2, 0, 0, 1]  # blank count: 0
    assert officers["discipline"].tolist() == [1, 0, 0, 1]  # blank yes-no: 否


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [("有效投诉数", "两次", "not-a-count"), ("有效投诉数", "-1", "not-a-count"),
     ("违纪", "待查", "not-yes-no")],
)  # fmt: skip
def test_a_bad_cell_in_a_declared_column_rejects_its_row(
    tmp_path: Path, column: str, value: str, code: str
) -> None:
    good = {"有效投诉数": 0, "违纪": "否"}
    bad = good | {column: value}
    rows = [
        [*FULL_HEADER, "有效投诉数", "违纪"],
        full_row("001", "甲", *good.values()),
        full_row("002", "乙", *bad.values()),
    ]
    batch = read(write_csv(tmp_path / "a.csv", rows))
    assert batch.officers["officer_id"].tolist() == ["001"]
    [issue] = batch.issues
    assert (issue.code, issue.row, issue.column, issue.value) == (code, 3, column, value)
    assert issue.params == {"label": column, "value": value}


def test_a_number_column_refuses_what_is_not_a_number(tmp_path: Path) -> None:
    text = (ROOT / "tests" / "data" / "veto-2014.toml").read_text(encoding="utf-8")
    rules_file = tmp_path / "r.toml"
    rules_file.write_text(text.replace('kind = "count"', 'kind = "number"'), encoding="utf-8")
    rules = load_rules(rules_file)
    rows = [
        [*FULL_HEADER, "有效投诉数"],
        full_row("001", "甲", "1.5"),
        full_row("002", "乙", ""),
        full_row("003", "丙", "很多"),
    ]
    batch = read_inputs(
        [write_csv(tmp_path / "a.csv", rows)], MONTH, rules.aliases, ReadOptions(),
        optional=rules.optional_columns,
    )  # fmt: skip
    values = batch.officers.set_index("officer_id")["complaints"]
    assert values["001"] == 1.5 and values.isna()["002"]  # blank: missing
    assert [(i.code, i.row) for i in batch.issues if i.row] == [("not-a-number", 4)]


def test_a_sheet_without_a_declared_column_is_noted_and_its_rows_evaluated(
    tmp_path: Path,
) -> None:
    rows = [[*FULL_HEADER, "违纪"], full_row("001", "甲", "否"), full_row("002", "乙", "是")]
    batch = read(write_xlsx(tmp_path / "a.xlsx", {"四月": rows}))
    assert len(batch.officers) == 2 and batch.files[0].rejected == 0
    [note] = batch.issues
    assert (note.code, note.file_level, note.sheet) == ("no-veto-column", True, "四月")
    assert note.params == {"column": "有效投诉数", "vetoes": "群众有效投诉"}
    assert "有效投诉数" in note.reason and "群众有效投诉" in note.reason
    assert batch.officers["complaints"].isna().all()  # missing: the veto cannot fire


def test_a_sheet_without_month_or_role_is_noted_with_what_was_assumed(tmp_path: Path) -> None:
    rows = [BARE_HEADER, bare_row("001", "甲"), bare_row("002", "乙")]
    batch = read_inputs([write_csv(tmp_path / "a.csv", rows)], MONTH, {})
    assert_balanced(batch)
    assert len(batch.officers) == 2 and batch.files[0].rejected == 0
    month, role = batch.issues
    assert [(i.code, i.file_level, i.params) for i in (month, role)] == [
        ("no-month-column", True, {"month": MONTH}),
        ("no-role-column", True, {"role": "社区民警"}),
    ]
    assert month.reason == "本表没有「月份」列：各行均按评选月份 2014-04 计"
    assert role.reason == "本表没有「岗位」列：各行均按社区民警评选"
    assert set(batch.officers["role"]) == {"社区民警"}
    assert set(batch.officers["month"]) == {MONTH}


def test_each_sheet_is_noted_for_itself(tmp_path: Path) -> None:
    with_both = [FULL_HEADER, full_row("001", "甲")]
    without_month = [TIDY_HEADER[:-1], tidy_row("002", "乙")[:-1]]
    path = write_xlsx(tmp_path / "a.xlsx", {"一": with_both, "二": without_month})
    batch = read_inputs([path], MONTH, {})
    assert [(i.code, i.sheet) for i in batch.issues] == [("no-month-column", "二")]


def test_the_notes_rejecting_nothing_end_the_run_as_notes_do(tmp_path: Path) -> None:
    rows = [BARE_HEADER, bare_row("001", "甲"), bare_row("002", "乙")]
    code, stdout, stderr = cli(
        "evaluate", MONTH, write_csv(tmp_path / "a.csv", rows), "--db", tmp_path / "x.db",
        "--out", tmp_path / "r.xlsx", "--json",
    )  # fmt: skip
    payload = json.loads(stdout)
    # evaluated, every row: exit 1 as for the note on a cut text (a data issue to read)
    assert (code, stderr) == (1, "")
    assert payload["counts"] == {"read": 2, "evaluated": 2, "rejected": 0, "skipped": 0}
    assert [i["code"] for i in payload["issues"]] == ["no-month-column", "no-role-column"]
    assert all(i["row"] is None for i in payload["issues"])


def test_a_file_with_both_columns_has_no_note(tmp_path: Path) -> None:
    rows = [FULL_HEADER, full_row("001", "甲")]
    assert read_inputs([write_csv(tmp_path / "a.csv", rows)], MONTH, {}).issues == []
