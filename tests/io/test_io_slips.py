"""Ordinary slips in county files (issue 12): each is a located issue, never a quiet guess.

A stray quote in a CSV, a folder that cannot be listed, a figure merged over two officers,
text longer than a report cell holds.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import pytest
from io_builders import assert_balanced, tidy_row, write_csv, write_html, write_xlsx

from conftest import Reader
from tests.conftest import ROOT, TIDY_HEADER, zip_ods
from tests.conftest import run_cli as cli

SAMPLE_CSV = ROOT / "sample_data" / "2014-04" / "平原县局.csv"


def evaluate_json(tmp_path: Path, *inputs: Path | str) -> tuple[int, dict[str, Any], str]:
    code, stdout, stderr = cli(
        "evaluate", "2014-04", *inputs, "--db", tmp_path / "x.db", "--out", tmp_path / "r.xlsx",
        "--json",
    )  # fmt: skip
    return code, json.loads(stdout) if stdout.strip() else {}, stderr


# --- discovery -------------------------------------------------------------------------


def _refuse(monkeypatch: pytest.MonkeyPatch, folder: Path, error: type[OSError]) -> None:
    """os.scandir of `folder` fails as it would for a user without read permission (tests
    run as root, who ignores permission bits)."""
    real = os.scandir

    def scandir(path: str | Path | int) -> Iterator[os.DirEntry[str]]:
        if not isinstance(path, int) and Path(path) == folder:
            raise error(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_an_unreadable_subfolder_is_an_issue_under_recursive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    month = tmp_path / "month"
    locked = month / "平原"
    locked.mkdir(parents=True)
    shutil.copy(SAMPLE_CSV, locked / "平原县局.csv")
    write_csv(month / "a.csv", [TIDY_HEADER, tidy_row("001", "甲")])
    _refuse(monkeypatch, locked, PermissionError)
    code, payload, stderr = evaluate_json(tmp_path, month, "--recursive")
    assert (code, stderr) == (1, "")
    [issue] = payload["issues"]
    assert issue["file"] == str(locked) and issue["row"] is None
    assert "无法打开文件夹" in issue["reason"] and "没有读取权限" in issue["reason"]
    assert payload["counts"] == {"read": 1, "evaluated": 1, "rejected": 0, "skipped": 0}


def test_a_broken_link_and_a_vanished_file_are_issues(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, read: Reader
) -> None:
    write_csv(tmp_path / "a.csv", [TIDY_HEADER, tidy_row("001", "甲")])
    (tmp_path / "linked.xlsx").symlink_to(tmp_path / "moved-away.xlsx")
    (tmp_path / "notes.txt").symlink_to(tmp_path / "gone.txt")  # not a spreadsheet: no issue
    gone = tmp_path / "gone.csv"
    gone.write_text("x")
    real = os.scandir

    def scandir(path: str | Path) -> AbstractContextManager[list[os.DirEntry[str]]]:
        with real(path) as listed:
            entries = list(listed)
        gone.unlink(missing_ok=True)  # removed between the listing and the look at it
        return nullcontext(entries)

    monkeypatch.setattr(os, "scandir", scandir)
    batch = read(tmp_path)
    assert len(batch.officers) == 1
    assert_balanced(batch)
    found = {Path(i.file).name: i for i in batch.issues}
    assert {name: i.code for name, i in found.items()} == {
        "gone.csv": "unreadable-file",
        "linked.xlsx": "broken-link",
    }
    assert "已不存在（读取时被移动或删除）" in found["gone.csv"].reason


# --- CSV: a stray quote, a line break in a cell -----------------------------------------


def _sample_with(tmp_path: Path, line: int, old: str, new: str) -> Path:
    """The sample county CSV with one line (0 = header) edited, in a folder of its own."""
    lines = SAMPLE_CSV.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    assert old in lines[line]
    lines[line] = lines[line].replace(old, new, 1)
    folder = tmp_path / "county"
    folder.mkdir()
    target = folder / SAMPLE_CSV.name
    target.write_text("".join(lines), encoding="utf-8-sig")
    return folder


def test_a_stray_quote_rejects_its_row_and_the_rows_after_are_read(tmp_path: Path) -> None:
    folder = _sample_with(tmp_path, 4, ",任国庆,", ',"任国庆,')
    code, payload, stderr = evaluate_json(tmp_path, folder)
    assert (code, stderr) == (1, "")
    assert payload["counts"] == {"read": 20, "evaluated": 19, "rejected": 1, "skipped": 0}
    [issue] = payload["issues"]
    assert (issue["row"], issue["column"], issue["value"]) == (5, "姓名", '"任国庆')
    assert issue["file"] == str(folder / SAMPLE_CSV.name)
    assert "引号" in issue["reason"] and "其后 16 行" in issue["reason"]


def test_two_stray_quotes_each_reject_only_their_own_row(tmp_path: Path, read: Reader) -> None:
    # the second quote closes the first one's field: rows 3 to 5 would become one record
    rows = [TIDY_HEADER] + [tidy_row(f"00{i}", f"民警{i}") for i in range(1, 7)]
    text = write_csv(tmp_path / "a.csv", rows).read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    lines[2] = lines[2].replace(",民警2,", ',"民警2,')
    lines[4] = lines[4].replace(",85,", ',"85,')
    (tmp_path / "a.csv").write_text("".join(lines), encoding="utf-8")
    batch = read(tmp_path / "a.csv")
    assert_balanced(batch)
    assert sorted(batch.officers["officer_id"]) == ["001", "003", "005", "006"]
    assert [(i.row, i.column) for i in batch.issues] == [(3, "姓名"), (5, "入户走访户数")]


def test_a_line_break_in_a_cell_of_a_one_line_file_rejects_its_row(
    tmp_path: Path, read: Reader
) -> None:
    rows = [TIDY_HEADER] + [tidy_row(f"00{i}", f"民警{i}") for i in range(1, 5)]
    rows[2] = tidy_row("002", "张\n三")  # quoted by the writer: the csv module keeps it
    rows[0] = [*TIDY_HEADER, "备注"]
    rows[3] = [*tidy_row("003", "李四"), "第一行\n第二行"]  # a note is not read: row evaluated
    batch = read(write_csv(tmp_path / "a.csv", rows))
    assert_balanced(batch)
    assert sorted(batch.officers["officer_id"]) == ["001", "003", "004"]
    [issue] = batch.issues
    assert (issue.row, issue.column, issue.value) == (3, "姓名", "张\n三")
    assert "换行" in issue.reason


def test_line_breaks_in_a_header_cell_are_not_slips(tmp_path: Path, read: Reader) -> None:
    header = ["警号", "姓名", "县局", "派出所", "入户走访\n户数", *TIDY_HEADER[5:]]
    rows = [header] + [tidy_row(f"00{i}", f"民警{i}") for i in range(1, 4)]
    batch = read(write_csv(tmp_path / "a.csv", rows))
    assert batch.issues == [] and len(batch.officers) == 3


# --- merged cells over officer rows --------------------------------------------------------


def test_a_figure_merged_over_two_officers_rejects_both(tmp_path: Path) -> None:
    rows = [TIDY_HEADER] + [tidy_row(f"00{i}", f"民警{i}") for i in range(1, 5)]
    # 入户走访户数 (E) merged over rows 2–3; 派出所 (D) merged down over rows 3–5 fills down
    merges = [(1, 4, 2, 4, "85"), (2, 3, 4, 3, "城关派出所")]
    book = write_xlsx(tmp_path / "a.xlsx", {"Sheet1": rows}, {"Sheet1": merges})
    code, payload, stderr = evaluate_json(tmp_path, book)
    assert (code, stderr) == (1, "")
    assert payload["counts"] == {"read": 4, "evaluated": 2, "rejected": 2, "skipped": 0}
    issues = payload["issues"]
    assert [(i["row"], i["column"]) for i in issues] == [(2, "入户走访户数"), (3, "入户走访户数")]
    assert all("合并单元格 E2:E3 跨越多名民警" in i["reason"] for i in issues)


def test_a_figure_cell_covered_by_a_merge_across_columns_rejects_its_row(
    tmp_path: Path, read: Reader
) -> None:
    rows = [TIDY_HEADER] + [tidy_row(f"00{i}", f"民警{i}") for i in range(1, 4)]
    # 调解纠纷数 and 调解成功数 (I:J) of row 3 merged: 调解成功数 has no value of its own
    merges = [(2, 8, 2, 9, "3"), (1, 2, 3, 2, "武城县局")]  # 县局 merged down: filled down
    batch = read(write_xlsx(tmp_path / "a.xlsx", {"Sheet1": rows}, {"Sheet1": merges}))
    assert_balanced(batch)
    [issue] = batch.issues
    assert (issue.row, issue.column) == (3, "调解成功数")
    assert "合并单元格 I3:J3" in issue.reason
    assert list(batch.officers["bureau"]) == ["武城县局", "武城县局"]


def test_a_rowspan_figure_in_an_html_table_rejects_both_officers(
    tmp_path: Path, read: Reader
) -> None:
    rows: list[list[Any]] = [list(TIDY_HEADER), tidy_row("001", "甲"), tidy_row("002", "乙")]
    rows[2][4] = None  # the cell the rowspan covers is not written
    page = write_html(tmp_path / "a.xls", rows, spans={(1, 4): 'rowspan="2"'})
    batch = read(page)
    assert_balanced(batch)
    assert batch.officers.empty
    assert [i.row for i in batch.issues] == [2, 3]
    assert all("E2:E3" in i.reason for i in batch.issues)


# --- text longer than a report cell holds ---------------------------------------------------


def test_text_the_report_cuts_is_noted_and_the_row_still_evaluated(tmp_path: Path) -> None:
    long_name = "张" * 40_000  # the report's cell keeps 32,767 of them
    rows = [TIDY_HEADER, tidy_row("001", long_name), tidy_row("002", "乙"), tidy_row("003", "丙")]
    rows[3][4] = "9" * 40_000  # 入户走访户数 of a rejected row: its issue quotes the start
    code, payload, stderr = evaluate_json(tmp_path, write_csv(tmp_path / "a.csv", rows))
    assert (code, stderr) == (1, "")
    assert payload["counts"] == {"read": 3, "evaluated": 2, "rejected": 1, "skipped": 0}
    note, rejected = payload["issues"]
    assert (note["row"], note["column"]) == (2, "姓名")
    assert "40,000 个字符" in note["reason"] and "32,767" in note["reason"]
    assert (rejected["row"], rejected["column"]) == (4, "入户走访户数")
    assert len(rejected["value"]) < 1000 and len(rejected["reason"]) < 1000
    assert "40,000 个字符" in rejected["reason"]


def test_a_note_leaves_the_accounting_balanced(tmp_path: Path, read: Reader) -> None:
    rows = [TIDY_HEADER, tidy_row("001", "甲"), tidy_row("002", "城" * 33_000)]
    rows[1][3] = "所" * 20_000 + "𠀀" * 7_000  # 34,000 UTF-16 units in 27,000 characters
    batch = read(write_csv(tmp_path / "a.csv", rows))
    assert_balanced(batch)
    assert len(batch.officers) == 2 and batch.files[0].rejected == 0
    assert [(i.row, i.column) for i in batch.issues] == [(2, "派出所"), (3, "姓名")]


def _ods_cell(value: object, spans: str = "") -> str:
    if isinstance(value, int):
        return (
            f'<table:table-cell {spans} office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell {spans} office:value-type="string">'
        f"<text:p>{value}</text:p></table:table-cell>"
    )


def test_ods_merges_are_read_figures_rejected_and_text_filled_down(
    tmp_path: Path, read: Reader
) -> None:
    rows = [TIDY_HEADER] + [tidy_row(f"00{i}", f"民警{i}") for i in range(1, 4)]
    xml_rows = []
    for r, row in enumerate(rows):
        cells = []
        for c, value in enumerate(row):
            if r == 2 and c in (3, 4):  # 派出所 and 入户走访户数 of row 3 are under merges
                cells.append("<table:covered-table-cell/>")
            elif r == 1 and c in (3, 4):  # merged down over rows 2–3
                cells.append(_ods_cell(value, 'table:number-rows-spanned="2"'))
            else:
                cells.append(_ods_cell(value))
        xml_rows.append(f"<table:table-row>{''.join(cells)}</table:table-row>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Sheet1">'
        f"{''.join(xml_rows)}</table:table></office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    batch = read(zip_ods(tmp_path / "a.ods", content))
    assert_balanced(batch)
    assert list(batch.officers["officer_id"]) == ["003"]
    assert [(i.row, i.column) for i in batch.issues] == [(2, "入户走访户数"), (3, "入户走访户数")]
    assert "合并单元格 E2:E3 跨越多名民警" in batch.issues[0].reason
    # 派出所 merged down (D3:D4 in a sheet without the figure merge) fills down
    rows2 = [TIDY_HEADER] + [tidy_row(f"00{i}", f"民警{i}") for i in range(1, 4)]
    xml_rows = []
    for r, row in enumerate(rows2):
        cells = []
        for c, value in enumerate(row):
            if r == 3 and c == 3:
                cells.append("<table:covered-table-cell/>")
            elif r == 2 and c == 3:
                cells.append(_ods_cell("郝王庄派出所", 'table:number-rows-spanned="2"'))
            else:
                cells.append(_ods_cell(value))
        xml_rows.append(f"<table:table-row>{''.join(cells)}</table:table-row>")
    start, end = content.index("<table:table-row>"), content.index("</table:table>")
    other = content[:start] + "".join(xml_rows) + content[end:]
    batch = read(zip_ods(tmp_path / "b.ods", other))
    assert batch.issues == []
    assert list(batch.officers["station"]) == ["城关派出所", "郝王庄派出所", "郝王庄派出所"]
