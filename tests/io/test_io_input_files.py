"""Which files a run reads, and what a file says about itself: a fivestar report named as
input, a county file without officer rows, and a byte-order mark against --encoding."""

from __future__ import annotations

import codecs
import json
import os
import shutil
import threading
import zipfile
from pathlib import Path
from typing import Any

import pytest
from io_builders import MONTH, assert_balanced, tidy_row, write_csv, write_xlsx
from openpyxl import load_workbook

from conftest import Reader
from fivestar.evaluate import evaluate_month
from fivestar.io import discover_files
from fivestar.io.sources import REPORT_NOT_INPUT
from fivestar.own_files import is_fivestar_report
from tests.conftest import (
    DEFAULT_RULES,
    ROOT,
    TIDY_HEADER,
    TWO_COUNTIES,
    TWO_COUNTIES_READ,
    two_counties,
)
from tests.conftest import run_cli as cli

SAMPLE = ROOT / "sample_data" / "2014-04"
NO_ROWS = "文件中没有民警数据行"


def earlier_report(folder: Path, month: str = MONTH) -> Path:
    """A report as `fivestar evaluate` writes it, from a small county file of `month`."""
    county = write_csv(folder / f"county-{month}.csv", [TIDY_HEADER, tidy_row("9001", "甲")])
    report = folder / f"fivestar-{month}.xlsx"
    evaluate_month(month, [county], rules_path=DEFAULT_RULES, out=report)
    county.unlink()
    return report


# --- a report fivestar wrote, named as input ----------------------------------------------


def test_a_named_report_is_not_taken_but_reported_once(tmp_path: Path) -> None:
    report = earlier_report(tmp_path)
    county = write_csv(tmp_path / "a.csv", [TIDY_HEADER, tidy_row("1", "张三")])
    # as a glob names it (twice: once by the glob, once by hand), and inside a named folder
    files, issues = discover_files([county, report, report, tmp_path])
    assert files == [county]
    [issue] = issues
    assert (issue.file, issue.reason) == (str(report), REPORT_NOT_INPUT)
    assert issue.file_level and issue.reason.startswith("这是 fivestar 生成的报告")


def test_a_renamed_report_is_known_by_its_content(tmp_path: Path) -> None:
    renamed = tmp_path / "4月评选结果.xls"
    shutil.move(earlier_report(tmp_path), renamed)
    files, issues = discover_files([renamed])
    assert files == []
    assert [i.reason for i in issues] == [REPORT_NOT_INPUT]
    assert is_fivestar_report(renamed)


def test_a_run_lists_its_input_folders_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The files counted (and guarded against being overwritten) are the files read: one
    listing per run, not one for the report's guard and another for the reader."""
    import fivestar.io.sources

    folder = tmp_path / "counties"
    folder.mkdir()
    write_csv(folder / "a.csv", [TIDY_HEADER, tidy_row("1", "张三")])
    listed: list[Path] = []
    real = fivestar.io.sources.list_folder

    def counting(path: Path, *args: Any, **kwargs: Any) -> Any:
        listed.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(fivestar.io.sources, "list_folder", counting)
    result = evaluate_month(MONTH, [folder], rules_path=DEFAULT_RULES, out=tmp_path / "r.xlsx")
    assert [f.path for f in result.files] == [str(folder / "a.csv")]
    assert listed == [folder]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_asking_about_a_pipe_does_not_open_it(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.xlsx"
    os.mkfifo(pipe)
    answers: list[bool] = []
    asking = threading.Thread(target=lambda: answers.append(is_fivestar_report(pipe)))
    asking.start()
    asking.join(5)
    blocked = asking.is_alive()
    if blocked:  # opened for reading, it waits for a writer: be one, so the thread ends
        os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
        asking.join()
    assert (blocked, answers) == (False, [False])
    assert not is_fivestar_report(tmp_path) and not is_fivestar_report(tmp_path / "none.xlsx")


def test_an_older_report_among_the_county_files_adds_no_rows(tmp_path: Path, read: Reader) -> None:
    march = earlier_report(tmp_path, "2014-03")
    county = write_csv(tmp_path / "a.csv", [TIDY_HEADER, tidy_row("1", "张三")])
    batch = read(county, march)
    assert batch.officers["officer_id"].tolist() == ["1"]
    [issue] = batch.issues
    assert (issue.file, issue.row, issue.reason) == (str(march), None, REPORT_NOT_INPUT)
    by_path = {f.path: (f.rows_read, f.error) for f in batch.files}
    assert by_path == {str(county): (1, None), str(march): (0, REPORT_NOT_INPUT)}
    assert_balanced(batch)


def test_cli_a_report_named_with_the_county_files_is_one_issue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = two_counties(tmp_path / "county")
    first = folder / "fivestar-2014-04.xlsx"
    code, _, _ = cli("evaluate", "2014-04", str(folder), "--out", str(first))
    assert code == 0 and first.exists()
    # what `fivestar evaluate 2014-04 *` hands over (click expands the glob on Windows too)
    named = [str(p) for p in sorted(folder.iterdir())]
    out = tmp_path / "again.xlsx"
    code, stdout, stderr = cli("evaluate", "2014-04", *named, "--out", str(out), "--json")
    assert (code, stderr) == (1, "")
    payload = json.loads(stdout)
    read = TWO_COUNTIES_READ
    assert payload["counts"] == {"read": read, "evaluated": read, "rejected": 0, "skipped": 0}
    assert [(i["file"], i["row"], i["reason"]) for i in payload["issues"]] == [
        (str(first), None, REPORT_NOT_INPUT)
    ]
    issues_sheet = load_workbook(out, read_only=True)["数据问题"]
    cells = {cell for row in issues_sheet.iter_rows(values_only=True) for cell in row}
    assert REPORT_NOT_INPUT in cells
    # nothing but reports: nothing to evaluate (short names: the one-line error cuts long ones)
    monkeypatch.chdir(tmp_path)
    code, stdout, stderr = cli("evaluate", "2014-04", "again.xlsx", "--out", "third.xlsx")
    assert (code, stdout) == (2, "")
    assert stderr.startswith("fivestar: 错误：2014-04 无可评选的数据")
    assert "这是 fivestar 生成的报告" in stderr


def test_the_same_command_run_again_leaves_its_own_report_out_quietly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `fivestar evaluate 2014-04 *` twice in the county folder: the second run's glob names
    # the first run's report, which is this run's own output, not a stray input
    monkeypatch.chdir(two_counties(tmp_path / "county"))
    outcomes = []
    for _ in range(2):
        named = sorted(p.name for p in Path().iterdir() if p.suffix != ".db")
        code, stdout, stderr = cli("evaluate", "2014-04", *named, "--per-file", "--json")
        outcomes.append((code, stderr, json.loads(stdout)["counts"], json.loads(stdout)["issues"]))
    read = TWO_COUNTIES_READ
    counts = {"read": read, "evaluated": read, "rejected": 0, "skipped": 0}
    assert outcomes == [(0, "", counts, [])] * 2


def test_a_named_export_is_not_data_either(tmp_path: Path) -> None:
    # `fivestar report --out 全市排名.xlsx` / `.csv`, then named with the county files
    two_counties(tmp_path / "county")
    db = str(tmp_path / "s.db")
    assert cli("evaluate", "2014-04", str(tmp_path / "county"), "--out",
               str(tmp_path / "r.xlsx"), "--db", db)[0] == 0  # fmt: skip
    exports = [tmp_path / "county" / "全市排名.xlsx", tmp_path / "county" / "全市排名.csv"]
    for export in exports:
        assert cli("report", "--db", db, "--out", str(export))[0] == 0
    named = sorted((tmp_path / "county").iterdir())
    files, issues = discover_files(named)
    assert set(exports).isdisjoint(files) and len(files) == len(TWO_COUNTIES)
    assert sorted(i.file for i in issues) == sorted(str(e) for e in exports)
    assert {i.reason for i in issues} == {REPORT_NOT_INPUT}
    assert discover_files([tmp_path / "county"])[0] == sorted(set(files))  # a folder: quietly


def test_a_corrupt_workbook_named_as_input_is_an_issue_not_a_crash(
    tmp_path: Path, read: Reader
) -> None:
    # a zip whose workbook.xml has a broken deflate stream (zlib.error when read)
    path = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook>" + "x" * 2000 + "</workbook>")
    data = bytearray(path.read_bytes())
    start = data.find(b"xl/workbook.xml") + len("xl/workbook.xml")
    data[start : start + 20] = bytes(b ^ 0xFF for b in data[start : start + 20])
    path.write_bytes(bytes(data))
    assert not is_fivestar_report(path)
    county = write_csv(tmp_path / "a.csv", [TIDY_HEADER, tidy_row("1", "张三")])
    batch = read(path, county)
    assert batch.officers["officer_id"].tolist() == ["1"]
    [issue] = batch.issues
    assert issue.file == str(path) and issue.row is None


# --- a county file without officer rows ----------------------------------------------------


def test_a_file_with_only_a_header_is_one_issue(tmp_path: Path, read: Reader) -> None:
    good = write_csv(tmp_path / "good.csv", [TIDY_HEADER, tidy_row("1", "张三")])
    only_header = write_csv(tmp_path / "empty.csv", [TIDY_HEADER])
    batch = read(good, only_header)
    assert batch.officers["officer_id"].tolist() == ["1"]
    [issue] = batch.issues
    assert (issue.file, issue.row) == (str(only_header), None)
    assert issue.reason.startswith(NO_ROWS) and "只有表头" in issue.reason
    assert batch.files[1].error == issue.reason
    assert_balanced(batch)


def test_a_file_with_only_non_data_rows_is_one_issue(tmp_path: Path, read: Reader) -> None:
    example = tidy_row("示例", "张三")
    totals = ["合计", None, None, None, 85]
    path = write_xlsx(tmp_path / "a.xlsx", {"4月": [TIDY_HEADER, example, totals]})
    batch = read(path)
    [issue] = batch.issues
    assert issue.file_level and issue.reason.startswith(NO_ROWS)
    assert "2 行" in issue.reason and "非数据行" in issue.reason
    [report] = batch.files
    assert (report.rows_read, report.evaluated, report.rejected, report.skipped) == (2, 0, 0, 2)
    assert_balanced(batch)


def test_a_workbook_counts_all_its_sheets_together(tmp_path: Path, read: Reader) -> None:
    rows = {"4月": [TIDY_HEADER, tidy_row("1", "甲")], "5月": [TIDY_HEADER]}
    assert read(write_xlsx(tmp_path / "some.xlsx", rows)).issues == []
    empty = write_xlsx(tmp_path / "none.xlsx", {"一所": [TIDY_HEADER], "二所": [TIDY_HEADER]})
    [issue] = read(empty).issues
    assert issue.reason.startswith(NO_ROWS)


def test_rejected_rows_are_rows_and_unreadable_files_are_not_reported_twice(
    tmp_path: Path, read: Reader
) -> None:
    rejected = write_csv(tmp_path / "bad.csv", [TIDY_HEADER, tidy_row("1", "甲", visits="x")])
    assert [i.row for i in read(rejected).issues] == [2]
    blank = tmp_path / "blank.csv"
    blank.write_bytes(b"")
    [issue] = read(blank).issues
    assert "0 字节" in issue.reason


def test_cli_an_empty_county_file_exits_1(tmp_path: Path) -> None:
    folder = two_counties(tmp_path / "county")
    write_xlsx(folder / "夏津县局.xlsx", {"Sheet1": [TIDY_HEADER]})
    out = tmp_path / "r.xlsx"
    code, stdout, _ = cli("evaluate", "2014-04", str(folder), "--out", str(out), "--per-file")
    assert code == 1
    assert "1 个数据问题" in stdout
    assert not (tmp_path / "r-夏津县局.xlsx").exists()  # no officers: no county report
    assert (tmp_path / "r-武城县局.xlsx").exists()
    code, stdout, _ = cli("evaluate", "2014-04", str(folder), "--out", str(out), "--json")
    payload = json.loads(stdout)
    read = TWO_COUNTIES_READ
    assert payload["counts"] == {"read": read, "evaluated": read, "rejected": 0, "skipped": 0}
    [issue] = payload["issues"]
    assert issue["file"] == str(folder / "夏津县局.xlsx") and issue["reason"].startswith(NO_ROWS)


# --- a byte-order mark against --encoding ---------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
    ],
)
def test_a_byte_order_mark_wins_over_encoding(
    tmp_path: Path, read: Reader, encoding: str, bom: bytes
) -> None:
    path = write_csv(tmp_path / "a.csv", [TIDY_HEADER, tidy_row("0012", "薛翠翠")], encoding)
    path.write_bytes(bom + path.read_bytes())
    batch = read(path, encoding="gbk")
    assert batch.issues == []
    assert batch.officers[["officer_id", "name"]].values.tolist() == [["0012", "薛翠翠"]]


def test_encoding_still_applies_without_a_mark(tmp_path: Path, read: Reader) -> None:
    path = write_csv(tmp_path / "a.csv", [TIDY_HEADER, tidy_row("1", "薛翠翠")], "utf-8")
    assert read(path, encoding="gbk").issues  # the override is obeyed: mojibake, no header


def test_cli_sample_month_with_encoding_gbk(tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    # the sample's 平原县局.csv is UTF-8 with a BOM; the other five are workbooks
    code, stdout, _ = cli(
        "evaluate", "2014-04", str(SAMPLE), "--encoding", "gbk", "--out", str(out), "--json"
    )
    assert code == 0
    payload = json.loads(stdout)
    assert payload["counts"]["evaluated"] == 134 and payload["issues"] == []
