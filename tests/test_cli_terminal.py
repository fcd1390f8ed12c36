"""What `evaluate` shows on the terminal: a progress bar when several files are read (a folder
counts its files), and readable one-line errors when nothing can be evaluated."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path
from typing import Any, NoReturn

import pytest
from rich.console import Console

from fivestar import i18n
from fivestar.cli import output
from fivestar.cli import render as terminal
from fivestar.findings import Issue
from fivestar.issues import message
from tests.conftest import ROOT
from tests.conftest import run_cli as run

SAMPLE = ROOT / "sample_data" / "2014-04"
HEADER = (
    "警号,姓名,县局,派出所,岗位,月份,入户走访户数,人号一致率,入户走访率,群众满意率,"
    "调解纠纷数,调解成功数,回访满意数"
)


@pytest.fixture
def screen(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """stderr as a terminal: what the progress bar draws."""
    shown = io.StringIO()
    monkeypatch.setattr(terminal, "err", Console(file=shown, force_terminal=True, width=100))
    return shown


def test_a_folder_of_files_gets_a_progress_bar(screen: io.StringIO, tmp_path: Path) -> None:
    code, _, _ = run("evaluate", "2014-04", SAMPLE, "--out", tmp_path / "r.xlsx")
    assert code == 0
    drawn = screen.getvalue()
    assert "读取" in drawn
    assert "0/6" in drawn  # the bar knows the folder's six files before the first is read
    assert "6/6" in drawn
    assert "陵县局.xlsx" in drawn


@pytest.mark.usefixtures("english")
def test_the_bar_is_gone_before_an_error_is_printed(
    screen: io.StringIO, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn_then: list[str] = []
    fail = output.fail

    def recording(*args: Any, **kwargs: Any) -> NoReturn:
        drawn_then.append(screen.getvalue())
        fail(*args, **kwargs)

    monkeypatch.setattr(output, "fail", recording)
    code, _, stderr = run("evaluate", "2014-03", SAMPLE, "--out", tmp_path / "r.xlsx")
    assert code == 2
    assert stderr.startswith("fivestar: error: nothing to evaluate for 2014-03: ")
    [drawn] = drawn_then
    assert "6/6" in drawn
    # the live bar had stopped: the cursor shown again and the bar's line erased
    assert drawn.endswith("\x1b[?25h\r\x1b[1A\x1b[2K")


def test_one_file_or_json_gets_no_bar(screen: io.StringIO, tmp_path: Path) -> None:
    code, _, _ = run("evaluate", "2014-04", SAMPLE / "陵县局.xlsx", "--out", tmp_path / "r.xlsx")
    assert code == 0
    code, stdout, _ = run("evaluate", "2014-04", SAMPLE, "--out", tmp_path / "r.xlsx", "--json")
    assert code == 0
    assert json.loads(stdout)["counts"]["read"] == 134
    assert screen.getvalue() == ""


def test_no_bar_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    code, _, stderr = run("evaluate", "2014-04", SAMPLE, "--out", tmp_path / "r.xlsx")
    assert (code, stderr) == (0, "")


def test_another_months_data_is_one_line_naming_the_month(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, stdout, stderr = run("evaluate", "2014-03", SAMPLE, "--out", tmp_path / "r.xlsx")
    assert (code, stdout) == (2, "")
    assert stderr == (
        "fivestar: 错误：2014-03 无可评选的数据：这些行是 2014-04 的数据，不是 2014-03 的"
        "（请评选 2014-04，或给出 2014-03 的文件）；"
        "134 行：月份 2014-04 与评选月份 2014-03 不符\n"
    )
    assert not (tmp_path / "r.xlsx").exists()
    monkeypatch.setenv("FIVESTAR_LANG", "en")
    code, stdout, stderr = run("evaluate", "2014-03", SAMPLE, "--out", tmp_path / "r.xlsx")
    assert stderr == (
        "fivestar: error: nothing to evaluate for 2014-03: the rows are of 2014-04, not "
        "2014-03 (evaluate 2014-04, or give the 2014-03 files); "
        "134 rows: 月份 2014-04 does not match the month evaluated, 2014-03\n"
    )


def test_missing_files_are_grouped(tmp_path: Path) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    code, stdout, stderr = run("evaluate", "2014-04", a, b, "--out", tmp_path / "r.xlsx")
    assert (code, stdout) == (2, "")
    assert stderr == (
        f"fivestar: 错误：2014-04 无可评选的数据：{a} 等 2 个文件：文件或文件夹不存在\n"
    )


@pytest.mark.usefixtures("english")
def test_strict_names_the_place_without_a_double_space(tmp_path: Path) -> None:
    csv = tmp_path / "平原县局.csv"
    csv.write_text(
        HEADER
        + "\n001,甲,武城县局,城关所,社区民警,2014-04,85,100,100,100,0,0,0"
        + "\n002,乙,武城县局,城关所,社区民警,2014-04,十二,100,100,100,0,0,0\n",
        encoding="utf-8",
    )
    code, stdout, _ = run("evaluate", "2014-04", csv, "--out", tmp_path / "r.xlsx", "--json")
    assert code == 1
    [issue] = json.loads(stdout)["issues"]
    code, stdout, stderr = run("evaluate", "2014-04", csv, "--out", tmp_path / "s.xlsx", "--strict")
    assert (code, stdout) == (2, "")
    assert stderr.splitlines()[-1] == (
        "fivestar: error: --strict: 1 data issue(s), nothing written; "
        f"first: {csv}, row 3: {issue['reason']}"
    )


@pytest.mark.usefixtures("english")
def test_places() -> None:
    from fivestar.evaluate import place_of

    assert place_of(Issue(file="a.csv", reason="x", row=3)) == "a.csv, row 3"
    assert place_of(Issue(file="a.xlsx", reason="x", sheet="4月", row=3)) == (
        "a.xlsx, sheet 4月, row 3"
    )
    assert place_of(Issue(file="a.xlsx", reason="x", sheet="4月")) == "a.xlsx, sheet 4月"
    assert place_of(Issue(file="a.xlsx", reason="x")) == "a.xlsx"


def row_issues(count: int, reason: str, value: str = "x") -> list[Issue]:
    return [
        Issue(file="a.xlsx", reason=reason, sheet="S", row=n + 2, value=value) for n in range(count)
    ]


def test_summary_groups_by_reason_largest_first_and_cuts_each() -> None:
    from fivestar.evaluate import SUMMARY_WIDTH, summarize_issues

    long = "调解成功数 超过 调解纠纷数" + "很长的原因" * 40
    issues = [
        *row_issues(2, "入户走访户数 应为非负整数：十二"),
        *row_issues(5, long),
        *row_issues(1, "警号 为空"),
        *row_issues(1, "姓名 为空"),
        *row_issues(1, "岗位 无法识别"),
        Issue(file="b.xls", reason="文件已损坏"),
    ]
    text = summarize_issues(issues, "2014-04")
    groups = text.split("；")
    assert groups[0] == f"5 行：{long}"[: SUMMARY_WIDTH - 1] + "…"
    assert groups[1:] == [
        "2 行：入户走访户数 应为非负整数：十二",
        "1 行：警号 为空",
        "…及另外 3 组",
    ]
    assert len(text) < 4 * SUMMARY_WIDTH
    assert "\n" not in text


def test_summary_of_file_level_issues() -> None:
    from fivestar.evaluate import summarize_issues

    big = "工作表过大，未读取"
    sheets = [Issue(file="a.xlsx", sheet=name, reason=big) for name in ("1月", "2月")]
    files = [Issue(file=name, reason="文件已损坏") for name in ("b.xls", "c.xls", "c.xls")]
    assert summarize_issues([*sheets, *files], "2014-04") == (
        "b.xls 等 2 个文件：文件已损坏；a.xlsx（2 处）：工作表过大，未读取"
    )
    assert summarize_issues(sheets[:1], "2014-04") == "a.xlsx 1月：工作表过大，未读取"
    with i18n.speaking("en"):
        assert summarize_issues(sheets[:1], "2014-04") == "a.xlsx, sheet 1月: 工作表过大，未读取"


def of_month(count: int, found: str, value: str, reason: str | None = None) -> list[Issue]:
    """Rows the reader rejected as of month `found` (`reason`: a text the template may say)."""
    what = message("month-mismatch", label="月份", found=f"{found} ", month="2014-04", other=found)
    return [
        replace(
            Issue.of(what, file="a.xlsx", sheet="S", row=n + 2, value=value),
            reason=reason or what.text,
        )
        for n in range(count)
    ]


def test_summary_names_the_month_only_when_every_row_is_of_one_other_month() -> None:
    from fivestar.evaluate import summarize_issues

    march = of_month(3, "2014-03", "2014年3月")
    assert summarize_issues(march, "2014-04") == (
        "这些行是 2014-03 的数据，不是 2014-04 的（请评选 2014-03，或给出 2014-04 的文件）；"
        "3 行：月份 2014-03 与评选月份 2014-04 不符"
    )
    may = of_month(1, "2014-05", "2014-05")
    assert "这些行是" not in summarize_issues(march + may, "2014-04")
    other = row_issues(1, "入户走访户数 应为非负整数：201403", "201403")
    assert "这些行是" not in summarize_issues(march + other, "2014-04")
    # a file that cannot be read does not change what the rows are of
    unreadable = [Issue(file="b.xls", reason="文件已损坏")]
    assert summarize_issues(march + unreadable, "2014-04").startswith("这些行是 2014-03 的数据")
    assert summarize_issues([], "2014-04") == ""


def test_the_other_month_is_found_from_the_code_not_the_text() -> None:
    from fivestar.evaluate import summarize_issues

    # the template reworded (or translated): the month is still known from the params
    march = of_month(2, "2014-03", "2014年3月", reason="row of March, not April")
    assert summarize_issues(march, "2014-04").startswith("这些行是 2014-03 的数据，不是 2014-04 的")
    # a text that names both months but is not a month-mismatch is not taken for one
    text_only = row_issues(2, "月份 2014-03 与评选月份 2014-04 不符", "2014-03")
    assert "这些行是" not in summarize_issues(text_only, "2014-04")


def test_row_issues_group_by_code_and_column_whatever_the_value() -> None:
    from fivestar.evaluate import summarize_issues

    bad = [
        Issue.of(message("not-a-count", label="入户走访户数", value=v), file="a.xlsx", row=r)
        for r, v in ((2, "十二"), (3, "abc"), (4, "十二"))
    ]
    other_column = Issue.of(
        message("not-a-count", label="调解纠纷数", value="x"), file="a.xlsx", row=5
    )
    blank = Issue.of(message("officer-id-blank"), file="a.xlsx", row=6)
    assert summarize_issues([*bad, other_column, blank], "2014-04") == (
        "3 行：入户走访户数 应为非负整数：十二 等；1 行：调解纠纷数 应为非负整数：x；1 行：警号为空"
    )
