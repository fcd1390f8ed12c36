"""`--out` replaces only what fivestar wrote: its reports, exports and an empty template.

A county's data file, a filled-in template or any other file at the output path is refused
with one line on stderr and exit 2, before anything is read, written or recorded.
"""

from __future__ import annotations

import os
import shutil
import stat
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from fivestar.errors import NOT_OURS, OutputRefused
from tests.conftest import ROOT
from tests.conftest import run_cli as run

SAMPLE = ROOT / "sample_data" / "2014-04"
REFUSED = (
    "would replace a file fivestar did not write: name another with --out, or move that file "
    "away first"
)


@pytest.fixture
def county(tmp_path: Path) -> Path:
    """The sample month's county files, in a folder of their own."""
    folder = tmp_path / "in"
    shutil.copytree(SAMPLE, folder)
    return folder


def marker(path: Path) -> str | None:
    """The value of the workbook's `fivestar` custom property (report.workbook.MARKER)."""
    with zipfile.ZipFile(path) as package:
        if "docProps/custom.xml" not in package.namelist():
            return None
        xml = package.read("docProps/custom.xml").decode()
    found = xml.split('name="fivestar"', 1)
    return found[1].split("<vt:lpwstr>", 1)[1].split("<", 1)[0] if len(found) == 2 else None


def old_workbook(path: Path, *sheets: str) -> Path:
    """A workbook with these sheets and no marker, as fivestar wrote before it had one."""
    book = xlsxwriter.Workbook(str(path))
    for name in sheets:
        book.add_worksheet(name).write(0, 0, "x")
    book.close()
    return path


@pytest.mark.usefixtures("english")
def test_template_refuses_a_county_data_file(county: Path) -> None:
    target = county / "武城县局.xlsx"
    before = target.read_bytes()
    code, stdout, stderr = run("template", "--out", target)
    assert (code, stdout) == (2, "")
    assert stderr == f"fivestar: error: --out {target} {REFUSED}\n"
    assert target.read_bytes() == before


def test_template_must_be_xlsx(tmp_path: Path) -> None:
    code, stdout, stderr = run("template", "--out", tmp_path / "t.csv")
    assert (code, stdout) == (2, "")
    assert stderr == (
        f"fivestar: 错误：--out {tmp_path / 't.csv'}：模板是 Excel 工作簿，请以 .xlsx 结尾命名\n"
    )
    assert not (tmp_path / "t.csv").exists()


@pytest.mark.usefixtures("english")
def test_template_replaces_its_own_empty_template_not_a_filled_one(tmp_path: Path) -> None:
    target = tmp_path / "t.xlsx"
    assert run("template", "--out", target) == (0, f"wrote {target}\n", "")
    assert marker(target) == "template"
    assert run("template", "--out", target) == (0, f"wrote {target}\n", "")
    # the clerk types a row over the example, and saves: it is a county's data now
    book = openpyxl.load_workbook(target)
    book["月度数据"]["A2"] = "371428001"
    book.save(target)
    before = target.read_bytes()
    code, stdout, stderr = run("template", "--out", target)
    assert (code, stdout) == (2, "")
    assert stderr == (
        f"fivestar: error: --out {target} would replace a template that has been filled in: "
        "name another with --out, or move that file away first\n"
    )
    assert target.read_bytes() == before


@pytest.mark.usefixtures("english")
def test_evaluate_refuses_a_file_it_did_not_write_before_reading(
    county: Path, tmp_path: Path
) -> None:
    other = tmp_path / "陵县局.xlsx"
    shutil.copy(county / "陵县局.xlsx", other)
    before = other.read_bytes()
    code, stdout, stderr = run("evaluate", "2014-04", county / "乐陵市局.xlsx", "--out", other)
    assert (code, stdout) == (2, "")
    assert stderr == f"fivestar: error: --out {other} {REFUSED}\n"
    assert other.read_bytes() == before
    assert not (tmp_path / "fivestar.db").exists()  # nothing recorded either


@pytest.mark.usefixtures("english")
def test_evaluate_default_report_path_is_named_as_such(
    county: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("fivestar-2014-04.xlsx").write_bytes(b"a clerk's own notes")
    code, _, stderr = run("evaluate", "2014-04", county)
    assert code == 2
    assert stderr == f"fivestar: error: the report fivestar-2014-04.xlsx {REFUSED}\n"


def test_evaluate_replaces_its_own_report_and_one_written_before_the_marker(
    county: Path, tmp_path: Path
) -> None:
    out = tmp_path / "r.xlsx"
    for _ in range(2):
        assert run("evaluate", "2014-04", county, "--out", out)[0] == 0
        assert marker(out) == "report"
    old_workbook(out, "评选结果", "全员明细", "数据问题", "运行信息")
    assert run("evaluate", "2014-04", county, "--out", out)[0] == 0
    assert marker(out) == "report"


@pytest.mark.usefixtures("english")
def test_per_file_reports_are_checked_before_anything_is_written(
    county: Path, tmp_path: Path
) -> None:
    for name in ("武城县局.xlsx", "德城分局.xlsx", "乐陵市局.xlsx", "宁津县局.xlsx"):
        (county / name).unlink()  # two counties are enough: fewer reports to write
    out = tmp_path / "r.xlsx"
    theirs = tmp_path / "r-陵县局.xlsx"
    theirs.write_bytes(b"not ours")
    code, stdout, stderr = run("evaluate", "2014-04", county, "--out", out, "--per-file")
    assert (code, stdout) == (2, "")
    assert stderr == f"fivestar: error: --per-file: the county report {theirs} {REFUSED}\n"
    assert not out.exists()
    theirs.unlink()
    assert run("evaluate", "2014-04", county, "--out", out, "--per-file")[0] == 0
    assert marker(theirs) == "report"
    assert run("evaluate", "2014-04", county, "--out", out, "--per-file")[0] == 0


@pytest.mark.usefixtures("english")
def test_report_and_history_exports_replace_only_their_own(county: Path, tmp_path: Path) -> None:
    assert run("evaluate", "2014-04", county, "--out", tmp_path / "r.xlsx")[0] == 0
    for command, name in (("report", "德城分局.xlsx"), ("report", "平原县局.csv"),
                          ("history", "宁津县局.xlsx")):  # fmt: skip
        target = county / name
        before = target.read_bytes()
        code, stdout, stderr = run(command, "--out", target)
        assert (code, stdout) == (2, ""), command
        assert stderr == f"fivestar: error: --out {target} {REFUSED}\n"
        assert target.read_bytes() == before
    for command, name in (("report", "rank.xlsx"), ("report", "rank.csv"),
                          ("history", "year.xlsx")):  # fmt: skip
        target = tmp_path / name
        for _ in range(2):  # the second run replaces the first one's export
            code, _, stderr = run(command, "--out", target)
            assert (code, stderr) == (0, ""), (command, name)
        if target.suffix == ".xlsx":
            assert marker(target) == "report"


def test_every_workbook_written_carries_the_marker(tmp_path: Path) -> None:
    assert run("evaluate", "2014-04", SAMPLE, "--out", tmp_path / "r.xlsx")[0] == 0
    assert run("report", "--out", tmp_path / "rank.xlsx")[0] == 0
    assert run("history", "--out", tmp_path / "year.xlsx")[0] == 0
    assert run("template", "--out", tmp_path / "t.xlsx")[0] == 0
    kinds = {p.name: marker(p) for p in tmp_path.glob("*.xlsx")}
    assert kinds == {"r.xlsx": "report", "rank.xlsx": "report", "year.xlsx": "report",
                     "t.xlsx": "template"}  # fmt: skip


@pytest.mark.parametrize(
    ("sheets", "kind"),
    [
        (("评选结果", "公示", "全员明细", "数据问题", "运行信息"), "report"),
        (("年度明细", "县局统计", "各星当选", "未达标"), "report"),
        (("入户走访之星", "纠纷调解之星", "运行信息"), "report"),  # a `report --out` export
        (("月度数据", "填表说明"), "template"),
        (("Sheet1",), None),
        (("运行信息",), None),
        (("武城县局", "运行信息说明"), None),
    ],
)
def test_workbooks_before_the_marker_are_known_by_their_sheets(
    tmp_path: Path, sheets: tuple[str, ...], kind: str | None
) -> None:
    from fivestar.own_files import written_by

    assert written_by(old_workbook(tmp_path / "old.xlsx", *sheets)) == kind


def test_what_may_be_replaced(tmp_path: Path) -> None:
    from fivestar.report.workbook import check_replaceable

    check_replaceable(tmp_path / "new.xlsx")  # nothing there
    check_replaceable(tmp_path)  # a folder: the writer says why it cannot
    for name, data in (("a.xlsx", b"PK\x03\x04 broken"), ("b.xlsx", b""), ("c.csv", b"a,b\n")):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(OutputRefused) as refused:
            check_replaceable(path)
        assert (refused.value.path, refused.value.reason) == (path, NOT_OURS)
    export = tmp_path / "rank.csv"
    export.write_bytes(
        "\ufeff评选项目,类别,排名,警号,姓名,县局,派出所,结果,主要数据,差距\r\n".encode()
    )
    check_replaceable(export)


@pytest.mark.usefixtures("english")
def test_a_pipe_or_device_at_out_is_never_replaced(county: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.xlsx"
    os.mkfifo(fifo)
    code, stdout, stderr = run("evaluate", "2014-04", county, "--out", fifo)
    assert (code, stdout) == (2, "")
    assert (
        stderr == f"fivestar: error: --out {fifo} is not a regular file: name another with --out\n"
    )
    assert stat.S_ISFIFO(fifo.stat().st_mode)
